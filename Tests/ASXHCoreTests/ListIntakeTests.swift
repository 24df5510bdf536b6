import Foundation
import Testing
@testable import ASXHCore

@Suite("ListIntake: whole files, sheet choice, legacy names")
struct ListIntakeTests {
    static func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("asxh-intake-\(UUID().uuidString)-\(name)").path
    }

    static func people(_ intake: ListIntake) throws -> [ListRow] {
        var rows: [ListRow] = []
        while let outcome = try intake.next() {
            if case .person(let row) = outcome { rows.append(row) }
        }
        return rows
    }

    @Test("names typed in TCVN3 or VNI fonts or decomposed Unicode become Unicode, spelled as typed; keys ignore tone placement")
    func legacyNames() throws {
        let path = Self.temp("legacy.xlsx")
        let writer = try XLSXWriter(path: path)
        try writer.addSheet("DS")
        try writer.addRow(["STT", "Họ và tên", "Năm sinh", "Nhóm đối tượng"])
        try writer.addRow(["1", "NguyÔn V¨n §øc", "1940", "BTXH"])
        try writer.addRow(["2", LegacyEncoding.encode("Trần Thị Hoà", as: .vni), "1941", "BTXH"])
        try writer.addRow(["3", "Lê Thị Hòa".decomposedStringWithCanonicalMapping, "1942", "BTXH"])
        try writer.addRow(["4", "  Phạm   Văn  Thuý ", "1943", "BTXH"])
        try writer.close()
        let rows = try Self.people(ListIntake(path: path))
        #expect(rows.map(\.fullName) == ["Nguyễn Văn Đức", "Trần Thị Hoà", "Lê Thị Hòa", "Phạm Văn Thuý"])
        #expect(rows.map(\.foldedName) == ["nguyen van duc", "tran thi hoa", "le thi hoa", "pham van thuy"])
    }

    @Test("without --sheet, the first sheet with a recognisable header is read; with it, that sheet")
    func sheetChoice() throws {
        let path = Self.temp("sheets.xlsx")
        let writer = try XLSXWriter(path: path)
        try writer.addSheet("Tổng hợp")
        try writer.addRow(["Quận", "Số người"])
        try writer.addRow(["Ba Đình", "12"])
        try writer.addSheet("Danh sách")
        try writer.addRow(["UBND THÀNH PHỐ HÀ NỘI"])
        try writer.addRow(["DANH SÁCH ĐỐI TƯỢNG"])
        try writer.addRow(["STT", "Họ và tên", "Ngày sinh", "Nhóm"])
        try writer.addRow([.text("1"), .text("Đỗ Văn Hải"), .date(serial: 14_611), .text("Người có công")])
        try writer.close()
        let intake = try ListIntake(path: path)
        #expect(intake.sheet == "Danh sách")
        let rows = try Self.people(intake)
        #expect(rows.count == 1)
        #expect(rows[0].birthDate == BirthDate(year: 1940, month: 1, day: 1))
        #expect(rows[0].policyGroup == .meritorious)
        #expect(throws: ListIntakeError.self) { try ListIntake(path: path, sheet: "Tổng hợp") }
        #expect(throws: ListIntakeError.self) { try ListIntake(path: path, sheet: "Không có") }
    }

    @Test("a section heading that names a group sets the group of the rows below it")
    func sectionGroups() throws {
        let path = Self.temp("sections.csv")
        try """
            STT,Họ và tên,Năm sinh
            I. BẢO TRỢ XÃ HỘI,,
            1,Nguyễn Văn An,1940
            II. NGƯỜI CÓ CÔNG,,
            2,Trần Văn Bình,1945
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let rows = try Self.people(ListIntake(path: path))
        #expect(rows.map(\.policyGroup) == [.socialProtection, .meritorious])
    }

    @Test("errors for a whole file say what is wrong in Vietnamese and English")
    func fileErrors() throws {
        let path = Self.temp("x.xls")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).write(to: URL(fileURLWithPath: path))
        do {
            _ = try ListIntake(path: path)
            Issue.record("an .xls opened")
        } catch {
            #expect(!error.messageVI.isEmpty && !error.messageEN.isEmpty && error.messageVI != error.messageEN)
        }
    }
}
