import Foundation
import Testing

@testable import ASXHCore

private let today = BirthDate.ReferenceDay(year: 2025, month: 6, day: 15)

/// Rows as a sheet shows them: "" is an empty cell, row numbers from 1.
private func sheet(_ lines: [[String]], from first: Int = 1) -> [TableRow] {
    lines.enumerated().map { offset, line in
        TableRow(number: first + offset, cells: line.map { $0.isEmpty ? Cell.empty : Cell.text($0) })
    }
}

private func row(_ number: Int, _ cells: [String]) -> TableRow {
    sheet([cells], from: number)[0]
}

private func person(_ outcome: ListRowOutcome, sourceLocation: SourceLocation = #_sourceLocation) -> ListRow? {
    guard case .person(let row) = outcome else {
        Issue.record("expected a person, got \(outcome)", sourceLocation: sourceLocation)
        return nil
    }
    return row
}

private func rejectionCodes(_ outcome: ListRowOutcome) -> [String] {
    guard case .rejected(let problems) = outcome else { return [] }
    return problems.map(\.code)
}

@Suite("PolicyGroup")
struct PolicyGroupTests {
    @Test(arguments: [
        ("Bảo trợ xã hội", PolicyGroup?.some(.socialProtection)), ("BẢO TRỢ XÃ HỘI", .socialProtection),
        ("Bao tro xa hoi", .socialProtection), ("BTXH", .socialProtection), ("Đối tượng BTXH", .socialProtection),
        ("1. Bảo trợ xã hội", .socialProtection), ("Social protection", .socialProtection),
        ("Người cao tuổi", .socialProtection), ("Người khuyết tật nặng", .socialProtection),
        ("Người có công", .meritorious), ("Nguoi co cong", .meritorious), ("NCC", .meritorious),
        ("Người có công với cách mạng", .meritorious), ("Meritorious people", .meritorious), ("Thương binh", .meritorious),
        ("Hộ nghèo", .poorHousehold), ("ho ngheo", .poorHousehold), ("HN", .poorHousehold), ("Poor household", .poorHousehold),
        ("Hộ cận nghèo", .nearPoorHousehold), ("Ho can ngheo", .nearPoorHousehold), ("HCN", .nearPoorHousehold),
        ("Near-poor household", .nearPoorHousehold), ("near poor", .nearPoorHousehold),
        ("Khác", .other), ("khac", .other), ("Other", .other),
        ("", nil), ("Trẻ em", nil), ("Hộ thoát nghèo", nil), ("Hà Nội", nil),
    ] as [(String, PolicyGroup?)])
    func parses(_ text: String, _ expected: PolicyGroup?) {
        #expect(PolicyGroup(parsing: text) == expected)
    }

    @Test func labels() {
        #expect(PolicyGroup.socialProtection.labelVI == "Bảo trợ xã hội")
        #expect(PolicyGroup.nearPoorHousehold.abbreviation == "HCN")
        for group in PolicyGroup.allCases {
            #expect(PolicyGroup(parsing: group.labelVI) == group)
            #expect(PolicyGroup(parsing: group.labelEN) == group)
        }
    }
}

@Suite("Header recognition")
struct HeaderRecognitionTests {
    @Test(arguments: [
        ("STT", ListField?.some(.sequence)), ("TT", .sequence), ("Số TT", .sequence), ("Số thứ tự", .sequence), ("No.", .sequence),
        ("Họ và tên", .fullName), ("HỌ VÀ TÊN", .fullName), ("Ho va ten", .fullName), ("Họ tên", .fullName),
        ("Họ và tên đối tượng", .fullName), ("Tên", .fullName), ("  Họ và\ntên  ", .fullName), ("Họ và tên (1)", .fullName),
        ("Full name", .fullName), ("Họ đệm", .fullName), ("Họ tên chủ hộ", .fullName),
        ("Ngày sinh", .birthDate), ("Ngày tháng năm sinh", .birthDate), ("Ngày, tháng, năm sinh", .birthDate),
        ("NS", .birthDate), ("Date of birth", .birthDate), ("Ngày sinh (dd/mm/yyyy)", .birthDate),
        ("Năm sinh", .birthYear), ("Year of birth", .birthYear),
        ("Giới tính", .gender), ("Nam/Nữ", .gender), ("Gender", .gender), ("Sex", .gender),
        ("Số CCCD", .personalID), ("CCCD", .personalID), ("Số định danh", .personalID), ("Số ĐDCN", .personalID),
        ("Mã định danh", .personalID), ("Số định danh cá nhân", .personalID), ("Số CMND/CCCD", .personalID),
        ("ID number", .personalID), ("Số căn cước công dân", .personalID),
        ("Số CMND", .oldID), ("CMND", .oldID), ("Số chứng minh nhân dân", .oldID),
        ("Địa chỉ", .address), ("Nơi cư trú", .address), ("Thường trú", .address), ("Nơi thường trú", .address),
        ("Chỗ ở hiện tại", .address), ("Address", .address), ("Địa chỉ thường trú", .address),
        ("Mã xã", .communeCode), ("Mã phường", .communeCode), ("Mã ĐVHC", .communeCode), ("Commune code", .communeCode),
        ("Xã/Phường", .communeName), ("Phường/Xã", .communeName), ("Phường", .communeName), ("Tên xã", .communeName),
        ("Nhóm đối tượng", .policyGroup), ("Đối tượng", .policyGroup), ("Nhóm", .policyGroup), ("Group", .policyGroup),
        ("Diện", .subGroup), ("Chế độ", .subGroup), ("Diện hưởng", .subGroup), ("Chế độ được hưởng", .subGroup),
        ("Mức hưởng", .monthlyAmount), ("Số tiền", .monthlyAmount), ("Mức trợ cấp", .monthlyAmount),
        ("Thành tiền", .monthlyAmount), ("Mức hưởng (đồng/tháng)", .monthlyAmount), ("Amount", .monthlyAmount),
        ("Số tài khoản", .accountNumber), ("STK", .accountNumber), ("Số tài khoản ngân hàng", .accountNumber),
        ("Account number", .accountNumber),
        ("Ngân hàng", .bankName), ("Tên ngân hàng", .bankName), ("Bank", .bankName), ("Ngân hàng mở tài khoản", .bankName),
        ("Ghi chú", .notes), ("Notes", .notes),
        // Not fields.
        ("DANH SÁCH ĐỐI TƯỢNG BẢO TRỢ XÃ HỘI ĐANG HƯỞNG TRỢ CẤP HÀNG THÁNG TRÊN ĐỊA BÀN PHƯỜNG PHÚC XÁ", nil),
        ("Danh sách đối tượng", nil), ("Ngày cấp", nil), ("Nơi cấp", nil), ("Ngày cấp CCCD", nil),
        ("Họ tên người được ủy quyền", nil), ("Tên chủ tài khoản", nil), ("Số điện thoại", nil), ("", nil),
    ] as [(String, ListField?)])
    func recognises(_ text: String, _ expected: ListField?) {
        #expect(ListField.recognise(header: text) == expected)
    }

    @Test func foldingFastPathAgreesWithVietnameseText() {
        for text in ["Ho va ten", "  STT. ", "No.", "A-B_c  d", "1.080.000", "Tổng cộng", "x\ty\nz", ""] {
            #expect(IntakeFold.fold(text) == VietnameseText.fold(text))
        }
    }
}

@Suite("ListHeader")
struct ListHeaderTests {
    static let simple = sheet([
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Địa chỉ", "Nhóm đối tượng", "Mức hưởng", "Ghi chú", "Số điện thoại"],
    ])

    @Test func mapsASingleRowHeader() throws {
        let header = try ListHeader.detect(in: Self.simple)
        #expect(header.headerRowNumbers == [1])
        #expect(header.mappings.map(\.field) == [.sequence, .fullName, .birthDate, .gender, .personalID, .address, .policyGroup, .monthlyAmount, .notes])
        #expect(header.mappings(for: .personalID).first?.column.letter == "E")
        #expect(header.unmappedColumns.map(\.label) == ["J (Số điện thoại)"])
    }

    @Test func findsTheHeaderBelowTitleRowsAndSkipsColumnNumbers() throws {
        let rows = sheet([
            ["UBND PHƯỜNG PHÚC XÁ", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            ["", "", "", "Độc lập - Tự do - Hạnh phúc"],
            ["DANH SÁCH ĐỐI TƯỢNG BẢO TRỢ XÃ HỘI HƯỞNG TRỢ CẤP HÀNG THÁNG"],
            ["(Kèm theo Quyết định số 123/QĐ-UBND ngày 01/01/2025)"],
            [],
            ["TT", "Họ tên", "Năm sinh", "Số CMND", "Nơi thường trú", "Diện hưởng", "Số tiền"],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)=(6)x12"],
            ["1", "Nguyễn Văn An", "1945", "012345678", "Tổ 1", "Cao tuổi", "540000"],
        ])
        let header = try ListHeader.detect(in: rows)
        #expect(header.headerRowNumbers == [6, 7])
        #expect(header.lastHeaderRowNumber == 7)
        #expect(header.mappings.map(\.field) == [.sequence, .fullName, .birthYear, .oldID, .address, .subGroup, .monthlyAmount])
    }

    @Test func readsTheTwoRowBirthDateLayout() throws {
        let rows = sheet([
            ["DANH SÁCH NGƯỜI CÓ CÔNG"],
            ["STT", "Họ và tên", "Ngày sinh", "", "Số định danh", "Địa chỉ"],
            ["", "", "Nam", "Nữ", "", ""],
            ["1", "Nguyễn Văn An", "01/02/1945", "", "001045012345", "Phúc Xá"],
            ["2", "Trần Thị Bình", "", "03/04/1950", "001150012345", "Phúc Xá"],
        ])
        let header = try ListHeader.detect(in: rows)
        #expect(header.headerRowNumbers == [2, 3])
        let births = header.mappings(for: .birthDate)
        #expect(births.map(\.impliedGender) == [.male, .female])
        #expect(births.map(\.column.headerText) == ["Ngày sinh / Nam", "Ngày sinh / Nữ"])
        let parser = ListRowParser(header: header, defaultGroup: .meritorious, today: today)
        let an = try #require(person(parser.parse(rows[3])))
        #expect(an.birthDate == BirthDate(year: 1945, month: 2, day: 1))
        #expect(an.gender == .male)
        #expect(an.warnings.isEmpty)
        let binh = try #require(person(parser.parse(rows[4])))
        #expect(binh.birthDate == BirthDate(year: 1950, month: 4, day: 3))
        #expect(binh.gender == .female)
        #expect(parser.parse(rows[1]) == .skip(.header))
        #expect(parser.parse(rows[2]) == .skip(.header))
    }

    @Test func readsGenderSubColumnsWithMarksAndNamedSubHeaders() throws {
        let rows = sheet([
            ["STT", "Họ và tên", "Năm sinh", "Giới tính", "", "Thông tin tài khoản", ""],
            ["", "", "", "Nam", "Nữ", "Số tài khoản", "Ngân hàng"],
            ["1", "Lê Thị Cúc", "1948", "", "x", "'0123456789", "Agribank"],
        ])
        let header = try ListHeader.detect(in: rows)
        #expect(header.mappings.map(\.field) == [.sequence, .fullName, .birthYear, .gender, .gender, .accountNumber, .bankName])
        #expect(header.mappings(for: .accountNumber).first?.column.headerText == "Thông tin tài khoản / Số tài khoản")
        let parser = ListRowParser(header: header, defaultGroup: .socialProtection, today: today)
        let cuc = try #require(person(parser.parse(rows[2])))
        #expect(cuc.gender == .female)
        #expect(cuc.birthDate == BirthDate(year: 1948))
        #expect(cuc.accountNumber == "0123456789")
        #expect(cuc.bankName == "Agribank")
    }

    @Test func readsSubColumnsOfAnIDCard() throws {
        let rows = sheet([
            ["STT", "Họ và tên", "Năm sinh", "Giấy CMND/CCCD", "", ""],
            ["", "", "", "Số", "Ngày cấp", "Nơi cấp"],
            ["1", "Nguyễn Văn An", "1945", "001045012345", "01/01/2021", "Cục CS QLHC"],
        ])
        let header = try ListHeader.detect(in: rows)
        #expect(header.headerRowNumbers == [1, 2])
        #expect(header.mappings.map(\.field) == [.sequence, .fullName, .birthYear, .personalID])
        #expect(header.unmappedColumns.map(\.headerText) == ["Giấy CMND/CCCD / Ngày cấp", "Giấy CMND/CCCD / Nơi cấp"])
        let parser = ListRowParser(header: header, defaultGroup: .other, today: today)
        #expect(person(parser.parse(rows[2]))?.personalID?.digits == "001045012345")
    }

    @Test(arguments: [
        (["STT", "Họ và tên chủ hộ", "Họ và tên đối tượng", "Năm sinh"], [2]),
        (["STT", "Họ và tên", "Tên", "Năm sinh"], [1]),
        (["STT", "Họ và tên", "Họ tên chủ hộ", "Năm sinh"], [1]),
        (["STT", "Họ đệm", "Tên", "Năm sinh"], [1, 2]),
    ])
    func keepsOneWholeNameColumn(_ titles: [String], _ nameColumns: [Int]) throws {
        let header = try ListHeader.detect(in: sheet([titles]))
        #expect(header.mappings(for: .fullName).map(\.column.index) == nameColumns)
    }

    @Test func readsEnglishHeaders() throws {
        let rows = sheet([["No.", "Full name", "Date of birth", "Sex", "ID number", "Address", "Commune code", "Group", "Amount", "Account number", "Bank"]])
        let header = try ListHeader.detect(in: rows)
        #expect(header.mappings.map(\.field) == [.sequence, .fullName, .birthDate, .gender, .personalID, .address, .communeCode, .policyGroup, .monthlyAmount, .accountNumber, .bankName])
    }

    @Test func readsACMNDColumnOfTwelveDigitsAsPersonalIDs() throws {
        let rows = sheet([
            ["STT", "Họ và tên", "Số CMND"],
            ["1", "Nguyễn Văn An", "001045012345"],
            ["2", "Nguyễn Văn Ba", "001046012345"],
            ["3", "Nguyễn Văn Cả", "012345678"],
        ])
        let header = try ListHeader.detect(in: rows)
        #expect(header.mappings.map(\.field) == [.sequence, .fullName, .personalID])
        let onlyOld = try? ListHeader.detect(in: [rows[0], rows[3]])
        #expect(onlyOld == nil)  // an old-ID column alone does not satisfy the birth-date-or-ID rule
    }

    @Test func reportsMissingRequiredFieldsWithTheUnmappedColumns() {
        let rows = sheet([["STT", "Tên chủ hộ", "Địa chỉ", "Mức hưởng", "Số điện thoại"]])
        #expect(throws: ListHeaderError.missingRequiredFields(
            missing: [.fullName, .birthDate],
            unmapped: [ListColumn(index: 1, headerText: "Tên chủ hộ"), ListColumn(index: 4, headerText: "Số điện thoại")]
        )) { try ListHeader.detect(in: rows) }
        let error = ListHeaderError.missingRequiredFields(missing: [.fullName, .birthDate], unmapped: [ListColumn(index: 1, headerText: "Tên chủ hộ")])
        #expect(error.messageVI.contains("Họ và tên") && error.messageVI.contains("B (Tên chủ hộ)"))
        #expect(error.messageEN.contains("Full name") && error.messageEN.contains("--map"))
    }

    @Test func reportsNoHeader() {
        let rows = sheet([["Nguyễn Văn An", "01/02/1945"], ["Trần Thị Bình", "03/04/1950"]])
        #expect(throws: ListHeaderError.noHeaderRow(scanned: 2)) { try ListHeader.detect(in: rows) }
    }

    @Test func overridesByLetterAndByHeaderText() throws {
        let rows = sheet([["STT", "Tên chủ hộ", "NS", "Địa chỉ", "Ghi chú 2", "TT"]])
        let byLetter = try ListHeader.detect(in: rows, overrides: [ListColumnOverride(parsing: "B=fullName")])
        #expect(byLetter.mappings(for: .fullName).map(\.column.index) == [1])
        let byText = try ListHeader.detect(in: rows, overrides: [
            ListColumnOverride(parsing: "tên chủ hộ = full_name"),
            ListColumnOverride(parsing: "d=ignore"),
            ListColumnOverride(parsing: "Ghi chú 2=Ghi chú"),
            ListColumnOverride(parsing: "TT=notes"),
        ])
        #expect(byText.mappings.map(\.field) == [.sequence, .fullName, .birthDate, .notes, .notes])
        #expect(byText.mappings.map(\.column.letter) == ["A", "B", "C", "E", "F"])
        #expect(byText.unmappedColumns.map(\.letter) == ["D"])
        // An override can remap a recognised column.
        let remapped = try ListHeader.detect(in: sheet([["Họ và tên", "Ngày sinh", "Đối tượng"]]), overrides: [ListColumnOverride(parsing: "C=subGroup")])
        #expect(remapped.mappings.map(\.field) == [.fullName, .birthDate, .subGroup])
    }

    @Test func overridesWithoutAHeaderRow() throws {
        let rows = sheet([["Nguyễn Văn An", "01/02/1945", "001045012345"]])
        let header = try ListHeader.detect(in: rows, overrides: [
            ListColumnOverride(parsing: "A=fullName"), ListColumnOverride(parsing: "B=birthDate"), ListColumnOverride(parsing: "C=personalID"),
        ])
        #expect(header.headerRowNumbers.isEmpty)
        let parser = ListRowParser(header: header, defaultGroup: .other, today: today)
        #expect(person(parser.parse(rows[0]))?.personalID?.digits == "001045012345")
    }

    @Test(arguments: [
        ("B", ListColumnOverride.Target.letter(1), ListField?.some(.fullName)),
        ("AA=birthDate", .letter(26), .birthDate),
        ("ab=Ngày sinh", .letter(27), .birthDate),
        ("Họ tên chủ hộ=fullName", .header("Họ tên chủ hộ"), .fullName),
        ("STT=sequence", .header("STT"), .sequence),
        ("E=bỏ qua", .letter(4), nil),
        ("F=none", .letter(5), nil),
    ] as [(String, ListColumnOverride.Target, ListField?)])
    func parsesOverrides(_ text: String, _ target: ListColumnOverride.Target, _ field: ListField?) throws {
        let input = text.contains("=") ? text : "\(text)=fullName"
        let override = try ListColumnOverride(parsing: input)
        #expect(override.target == target)
        #expect(override.field == field)
    }

    @Test func rejectsBadOverrides() {
        #expect(throws: ListHeaderError.malformedOverride("B")) { try ListColumnOverride(parsing: "B") }
        #expect(throws: ListHeaderError.malformedOverride("=fullName")) { try ListColumnOverride(parsing: "=fullName") }
        #expect(throws: ListHeaderError.unknownOverrideField("nickname")) { try ListColumnOverride(parsing: "B=nickname") }
        #expect(throws: ListHeaderError.unknownOverrideColumn("Biệt danh")) {
            try ListHeader.detect(in: ListHeaderTests.simple, overrides: [ListColumnOverride(parsing: "Biệt danh=fullName")])
        }
    }

    @Test func columnLetters() {
        #expect(ListColumn.letter(forIndex: 0) == "A")
        #expect(ListColumn.letter(forIndex: 25) == "Z")
        #expect(ListColumn.letter(forIndex: 26) == "AA")
        #expect(ListColumn.letter(forIndex: 701) == "ZZ")
        #expect(ListColumn.letter(forIndex: 702) == "AAA")
        for index in [0, 1, 25, 26, 27, 51, 52, 701, 702, 16383] {
            #expect(ListColumn.index(forLetter: ListColumn.letter(forIndex: index)) == index)
        }
        #expect(ListColumn.index(forLetter: "a1") == nil)
    }
}

@Suite("ListRowParser")
struct ListRowParserTests {
    static let header = try! ListHeader.detect(in: sheet([[
        "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số CMND", "Địa chỉ", "Mã xã", "Xã/Phường",
        "Nhóm đối tượng", "Diện hưởng", "Mức hưởng", "Số tài khoản", "Ngân hàng", "Ghi chú",
    ]]))
    static let parser = ListRowParser(header: Self.header, defaultGroup: nil, today: today)
    static let withDefault = ListRowParser(header: Self.header, defaultGroup: .socialProtection, today: today)

    /// A row of this header from named values.
    static func line(
        _ number: Int = 5, stt: String = "1", name: String = "Nguyễn Văn An", birth: String = "01/02/1945", gender: String = "Nam",
        id: String = "001045012345", old: String = "", address: String = "Tổ 1", communeCode: String = "00004",
        commune: String = "Phường Phúc Xá", group: String = "Bảo trợ xã hội", sub: String = "Cao tuổi",
        amount: String = "1.080.000", account: String = "", bank: String = "", notes: String = ""
    ) -> TableRow {
        row(number, [stt, name, birth, gender, id, old, address, communeCode, commune, group, sub, amount, account, bank, notes])
    }

    @Test func parsesAFullRow() throws {
        let r = try #require(person(Self.parser.parse(Self.line(account: "0123 456 789", bank: "Vietcombank", notes: "đã xác minh"))))
        #expect(r.rowNumber == 5)
        #expect(r.sequence == "1")
        #expect(r.fullName == "Nguyễn Văn An")
        #expect(r.foldedName == "nguyen van an")
        #expect(r.birthDate == BirthDate(year: 1945, month: 2, day: 1))
        #expect(r.gender == .male)
        #expect(r.personalID?.digits == "001045012345")
        #expect(r.oldID == nil)
        #expect(r.address == "Tổ 1")
        #expect(r.communeCode == "00004")
        #expect(r.communeName == "Phường Phúc Xá")
        #expect(r.policyGroup == .socialProtection)
        #expect(r.subGroup == "Cao tuổi")
        #expect(r.monthlyAmount == 1_080_000)
        #expect(r.accountNumber == "0123456789")
        #expect(r.bankName == "Vietcombank")
        #expect(r.warnings.isEmpty)
    }

    @Test func cleansNames() throws {
        let decomposed = "Nguye\u{0302}\u{0303}n  Va\u{0306}n\n An "
        let r = try #require(person(Self.parser.parse(Self.line(name: decomposed))))
        #expect(r.fullName == "Nguyễn Văn An")
        #expect(r.fullName.unicodeScalars.count == "Nguyễn Văn An".unicodeScalars.count)
        #expect(r.foldedName == "nguyen van an")
        let plain = try #require(person(Self.parser.parse(Self.line(name: "\u{00A0}Le\tVan  Binh "))))
        #expect(plain.fullName == "Le Van Binh")
    }

    @Test func joinsNameParts() throws {
        let rows = sheet([["STT", "Họ đệm", "Tên", "Năm sinh"], ["1", "Nguyễn Văn", "An", "1945"]])
        let parser = ListRowParser(header: try ListHeader.detect(in: rows), defaultGroup: .other, today: today)
        #expect(person(parser.parse(rows[1]))?.fullName == "Nguyễn Văn An")
    }

    // MARK: skip or reject

    @Test(arguments: [
        (row(5, []), ListSkipReason.blank),
        (row(5, ["", " ", "\n"]), .blank),
        (row(1, ["1", "Nguyễn Văn An"]), .header),
        (row(5, ["STT", "Họ và tên", "Ngày sinh", "Giới tính"]), .repeatedHeader),
        (row(5, ["(1)", "(2)", "(3)", "(4)", "(5)"]), .columnNumbers),
        (row(5, ["1", "2", "3", "4", "5", "6"]), .columnNumbers),
        (row(5, ["A", "B", "C", "D"]), .columnNumbers),
        (row(5, ["", "Tổng cộng", "", "", "", "", "", "", "", "", "", "125.000.000"]), .total),
        (row(5, ["Tổng cộng", "", "", "", "", "", "", "", "", "", "", "125.000.000"]), .total),
        (row(5, ["", "Cộng phường Phúc Xá:", "", "", "", "", "", "", "", "", "", "5.400.000"]), .total),
        (row(5, ["", "TỔNG SỐ"]), .total),
        (row(5, ["I", "Phường Phúc Xá"]), .section(title: "Phường Phúc Xá", group: nil)),
        (row(5, ["", "I. Phường Phúc Xá"]), .section(title: "I. Phường Phúc Xá", group: nil)),
        (row(5, ["II. NGƯỜI CÓ CÔNG"]), .section(title: "II. NGƯỜI CÓ CÔNG", group: .meritorious)),
        (row(5, ["", "A. Đối tượng bảo trợ xã hội"]), .section(title: "A. Đối tượng bảo trợ xã hội", group: .socialProtection)),
        (row(5, ["", "1. Xa Dong Anh"]), .section(title: "1. Xa Dong Anh", group: nil)),
        (row(5, ["", "Tổ dân phố số 5"]), .section(title: "Tổ dân phố số 5", group: nil)),
        (row(5, ["", "Người lập biểu", "", "", "", "", "", "Chủ tịch UBND phường"]), .footer),
        (row(5, ["", "", "", "", "", "", "", "Hà Nội, ngày 15 tháng 3 năm 2025"]), .footer),
        (row(5, ["", "(Ký, ghi rõ họ tên)"]), .footer),
        (row(5, ["", "Ghi chú: danh sách gồm 120 người"]), .footer),
        (row(5, ["", "T/M UBND PHƯỜNG PHÚC XÁ"]), .footer),
        (row(5, ["", "KT. CHỦ TỊCH"]), .footer),
        (row(5, ["17"]), .noPersonData),
        (row(5, ["17", "", "", "", "", "", "", "", "", "", "", "", "", "", "chuyển đi"]), .noPersonData),
    ] as [(TableRow, ListSkipReason)])
    func skipsLayoutRows(_ input: TableRow, _ reason: ListSkipReason) {
        #expect(Self.header.headerRowNumbers == [1])
        #expect(Self.parser.parse(input) == .skip(reason))
    }

    @Test(arguments: [
        "Tống Văn Cộng",  // "Tống" is a surname, "Tổng" a total
        "Phương Thị Lan",  // "Phương" is a name, "Phường" a ward
        "Tô Thị Xuân",  // "Tô", not "Tổ"
        "Cung Văn Thắng",
        "Nguyễn Thị Năm",
    ])
    func neverSkipsARowWithAName(_ name: String) {
        // No ID, no birth date: still a person (or a rejection), never a silent skip.
        let outcome = Self.withDefault.parse(Self.line(name: name, birth: "", id: ""))
        #expect(person(outcome)?.fullName == name)
    }

    @Test func aTotalLikeNameWithAnIDIsAPerson() {
        let outcome = Self.withDefault.parse(Self.line(name: "Tổng Văn Cộng"))
        #expect(person(outcome)?.fullName == "Tổng Văn Cộng")
    }

    @Test(arguments: [
        (ListRowParserTests.line(name: ""), ["missing_name"]),
        (ListRowParserTests.line(name: "  -  "), ["missing_name"]),
        (ListRowParserTests.line(id: "00104501234"), ["personal_id_wrong_length"]),
        (ListRowParserTests.line(id: "1.23457E+11"), ["personal_id_scientific_notation"]),
        (ListRowParserTests.line(id: "001045O12345"), ["personal_id_non_digit"]),
        (ListRowParserTests.line(birth: "31/02/1945"), ["birth_date_not_a_calendar_date"]),
        (ListRowParserTests.line(birth: "không rõ"), ["birth_date_unrecognised"]),
        (ListRowParserTests.line(birth: "02/13/1945"), ["birth_date_month_out_of_range"]),
        (ListRowParserTests.line(birth: "01/01/2030"), ["birth_date_in_future"]),
        (ListRowParserTests.line(amount: "một triệu"), ["amount_unparseable"]),
        (ListRowParserTests.line(amount: "-540.000"), ["amount_negative"]),
        (ListRowParserTests.line(amount: "1.080.000.000"), ["amount_too_large"]),
        (ListRowParserTests.line(group: ""), ["missing_policy_group"]),
        (ListRowParserTests.line(group: "Trẻ em"), ["unknown_policy_group"]),
        (ListRowParserTests.line(birth: "32/1/1945", group: "", amount: "abc"), ["birth_date_not_a_calendar_date", "missing_policy_group", "amount_unparseable"]),
    ] as [(TableRow, [String])])
    func rejects(_ input: TableRow, _ codes: [String]) {
        let outcome = Self.parser.parse(input)
        #expect(rejectionCodes(outcome) == codes)
        if case .rejected(let problems) = outcome {
            for problem in problems {
                #expect(problem.row == 5)
                #expect(!problem.messageVI.isEmpty && !problem.messageEN.isEmpty)
            }
        }
    }

    @Test("twelve digits that break the ID's structure are a probable typo: a warning, the row kept for matching", arguments: [
        ("003045012345", "personal_id_unknown_province_code"),
        ("001380500633", "personal_id_birth_year_in_future"),
    ])
    func structurallyImpossibleIDIsKeptForMatching(_ id: String, _ code: String) throws {
        let row = try #require(person(Self.parser.parse(Self.line(id: id))))
        #expect(row.personalID == nil)
        #expect(row.doubtfulPersonalID == id)
        #expect(row.warnings.map(\.code).contains(code))
    }

    @Test func rejectionsNameTheColumnAndValue() throws {
        guard case .rejected(let problems) = Self.parser.parse(Self.line(id: "001045O12345")) else {
            Issue.record("expected a rejection")
            return
        }
        let problem = try #require(problems.first)
        #expect(problem.column?.letter == "E")
        #expect(problem.column?.headerText == "Số CCCD")
        #expect(problem.value == "001045O12345")
        #expect(problem.messageVI.contains("O"))
    }

    // MARK: warnings

    @Test(arguments: [
        (ListRowParserTests.line(birth: "01/02/1946"), ["id_birth_year_mismatch"]),
        (ListRowParserTests.line(birth: "1945", gender: "Nữ"), ["id_gender_mismatch"]),
        (ListRowParserTests.line(birth: "01/02/1905", id: "001205012345"), ["id_century_mismatch"]),
        (ListRowParserTests.line(id: "1045012345"), ["personal_id_leading_zero_restored"]),
        (ListRowParserTests.line(birth: "1/2/45"), ["birth_year_two_digit"]),
        (ListRowParserTests.line(gender: "1"), ["gender_unrecognised"]),
        (ListRowParserTests.line(name: "Nguyễn Văn An 2"), ["name_contains_digits"]),
        (ListRowParserTests.line(communeCode: "123456"), ["commune_code_invalid"]),
        (ListRowParserTests.line(account: "VCB-0123"), ["account_number_invalid"]),
        (ListRowParserTests.line(old: "1234567"), ["old_id_wrong_length"]),
    ] as [(TableRow, [String])])
    func warns(_ input: TableRow, _ codes: [String]) {
        #expect(person(Self.parser.parse(input))?.warnings.map(\.code) == codes)
    }

    @Test func inconsistentIDIsAWarningNotARejection() throws {
        let r = try #require(person(Self.parser.parse(Self.line(birth: "01/02/1950", gender: "Nữ", id: "001045012345"))))
        #expect(r.personalID?.digits == "001045012345")
        #expect(r.warnings.map(\.code) == ["id_birth_year_mismatch", "id_gender_mismatch"])
        #expect(r.warnings[0].messageVI.contains("1945") && r.warnings[0].messageVI.contains("1950"))
        #expect(r.warnings[0].column?.letter == "E")
    }

    @Test func unrecognisedGroupFallsBackToTheDefaultWithAWarning() throws {
        let r = try #require(person(Self.withDefault.parse(Self.line(group: "Trẻ em mồ côi", sub: ""))))
        #expect(r.policyGroup == .socialProtection)  // "mồ côi" is itself a social-protection category
        let s = try #require(person(Self.withDefault.parse(Self.line(group: "Trẻ em", sub: ""))))
        #expect(s.policyGroup == .socialProtection)
        #expect(s.subGroup == "Trẻ em")
        #expect(s.warnings.map(\.code) == ["policy_group_unrecognised"])
        let t = try #require(person(Self.withDefault.parse(Self.line(group: ""))))
        #expect(t.policyGroup == .socialProtection)
        #expect(t.warnings.isEmpty)
    }

    // MARK: identity columns decide per value

    @Test func routesIDsByTheirNumberOfDigits() throws {
        let nineInCCCD = try #require(person(Self.parser.parse(Self.line(id: "012345678"))))
        #expect(nineInCCCD.personalID == nil)
        #expect(nineInCCCD.oldID?.digits == "012345678")
        let twelveInCMND = try #require(person(Self.parser.parse(Self.line(id: "", old: "001045012345"))))
        #expect(twelveInCMND.personalID?.digits == "001045012345")
        #expect(twelveInCMND.oldID == nil)
        let both = try #require(person(Self.parser.parse(Self.line(old: "12345678"))))
        #expect(both.personalID?.digits == "001045012345")
        #expect(both.oldID?.digits == "012345678")
        #expect(both.warnings.map(\.code) == ["old_id_leading_zero_restored"])
        let placeholder = try #require(person(Self.parser.parse(Self.line(id: "Chưa có"))))
        #expect(placeholder.personalID == nil && placeholder.warnings.isEmpty)
    }

    @Test func readsNumberCells() throws {
        var input = Self.line()
        input.cells[2] = .date(serial: 16469)
        input.cells[4] = .number(1_045_012_345)
        input.cells[7] = .number(4)
        input.cells[11] = .number(1_080_000)
        input.cells[12] = .number(123_456_789)
        let r = try #require(person(Self.parser.parse(input)))
        #expect(r.birthDate == BirthDate(year: 1945, month: 2, day: 1))
        #expect(r.personalID?.digits == "001045012345")
        #expect(r.communeCode == "00004")
        #expect(r.monthlyAmount == 1_080_000)
        #expect(r.accountNumber == "123456789")
        #expect(r.warnings.map(\.code) == ["personal_id_leading_zero_restored", "account_number_stored_as_number"])
        input.cells[2] = .number(1945)
        #expect(person(Self.parser.parse(input))?.birthDate == BirthDate(year: 1945))
    }

    @Test(arguments: [("4", "00004"), ("04", "00004"), ("00004", "00004"), ("10105", "10105"), (" 0 0004 ", "00004")])
    func restoresCommuneCodes(_ text: String, _ code: String) {
        #expect(person(Self.parser.parse(Self.line(communeCode: text)))?.communeCode == code)
    }

    // MARK: amounts

    @Test(arguments: [
        ("1.080.000", Int?.some(1_080_000)), ("1,080,000", 1_080_000), ("1 080 000", 1_080_000), ("1080000", 1_080_000),
        ("1.080.000 đ", 1_080_000), ("1.080.000đ", 1_080_000), ("1.080.000 đồng", 1_080_000), ("1.080.000 VND", 1_080_000),
        ("1.080.000 VNĐ", 1_080_000), ("1.080.000 đ/tháng", 1_080_000), ("1.080.000,00", 1_080_000), ("1,080,000.00", 1_080_000),
        ("1\u{00A0}080\u{00A0}000", 1_080_000), ("1,08 triệu", 1_080_000), ("1.5tr", 1_500_000), ("2 triệu", 2_000_000),
        ("540 nghìn", 540_000), ("540k", 540_000), ("1.080", 1080), ("0", 0), ("-", nil), ("", nil),
        ("100.000.000", 100_000_000),
    ] as [(String, Int?)])
    func parsesAmounts(_ text: String, _ expected: Int?) throws {
        #expect(try ListRowParser.parseAmount(.text(text)).get() == expected)
    }

    @Test(arguments: [
        ("abc", "amount_unparseable"), ("1.08.000", "amount_unparseable"), ("1.080.00", "amount_unparseable"),
        ("1,080.000,5", "amount_unparseable"), ("1.080.000 USD", "amount_unparseable"), ("(540.000)", "amount_negative"),
        ("-1.080.000", "amount_negative"), ("1080000,5", "amount_not_whole"), ("1,0005 nghìn", "amount_not_whole"),
        ("100.000.001", "amount_too_large"), ("999999999999999999", "amount_too_large"),
    ])
    func rejectsAmounts(_ text: String, _ code: String) {
        switch ListRowParser.parseAmount(.text(text)) {
        case .success(let value): Issue.record("\(text) parsed as \(String(describing: value))")
        case .failure(let problem): #expect(problem.code == code)
        }
    }

    @Test(arguments: [
        (Cell.number(1_080_000), Result<Int?, ListRowParser.AmountProblem>.success(1_080_000)),
        (.number(1_079_999.999_999_9), .success(1_080_000)),
        (.number(-1), .failure(.negative(text: "-1"))),
        (.number(1_080_000.5), .failure(.notWhole(text: "1080000.5"))),
        (.number(2e8), .failure(.tooLarge(text: "200000000"))),
        (.empty, .success(nil)),
    ])
    func parsesAmountCells(_ cell: Cell, _ expected: Result<Int?, ListRowParser.AmountProblem>) {
        #expect(ListRowParser.parseAmount(cell) == expected)
    }
}
