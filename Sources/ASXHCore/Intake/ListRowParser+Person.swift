extension ListRowParser {
    func parsePerson(_ row: TableRow, name: String, foldedName: String) -> ListOutcomeBuilder.Result {
        var b = ListOutcomeBuilder(row: row.number)
        let cols = self.columns

        if name.utf8.contains(where: { (0x30...0x39).contains($0) }) {
            b.warn(cols[.fullName].first?.column, name, "name_contains_digits",
                "Họ và tên có chữ số.", "The full name contains digits.")
        }

        // Birth date (and the gender implied by a "Nam" / "Nữ" birth-date column).
        var genders: [Gender] = []
        var birthDate: BirthDate?
        var birthDateColumn: ListColumnMapping?
        for mapping in self.birthColumns {
            let cell = row[mapping.column.index]
            if IntakeFold.isBlank(cell) || Self.isPlaceholder(cell) { continue }
            if let implied = mapping.impliedGender, Self.isMark(cell) {
                genders.append(implied)
                continue
            }
            var note = BirthDate.ParseNote()
            do {
                let date = try BirthDate.parse(cell: cell, today: self.today, note: &note)
                if let implied = mapping.impliedGender { genders.append(implied) }
                if note.expandedTwoDigitYear {
                    b.warn(mapping.column, cell.text, "birth_year_two_digit",
                        "Năm sinh chỉ có 2 chữ số; đã hiểu là năm \(date.year).",
                        "The birth year has two digits; read as \(date.year).")
                }
                if let first = birthDate {
                    if first.year != date.year || (first.isFullDate && date.isFullDate && first != date) {
                        b.warn(mapping.column, cell.text, "birth_date_conflict",
                            "Ngày sinh \"\(date)\" khác với \"\(first)\" ở cột \(birthDateColumn!.column.label); dùng \"\(first)\".",
                            "Birth date \"\(date)\" differs from \"\(first)\" in column \(birthDateColumn!.column.label); using \"\(first)\".")
                    }
                } else {
                    birthDate = date
                    birthDateColumn = mapping
                }
            } catch {
                b.reject(mapping.column, cell.text, "birth_date_" + error.code, error.messageVI, error.messageEN)
            }
        }

        // Gender.
        for mapping in cols[.gender] {
            let cell = row[mapping.column.index]
            if IntakeFold.isBlank(cell) || Self.isPlaceholder(cell) { continue }
            if let implied = mapping.impliedGender {
                if Self.isMark(cell) {
                    genders.append(implied)
                    continue
                }
                // A lone "Nam" / "Nữ" column may hold the birth date itself.
                var note = BirthDate.ParseNote()
                if birthDate == nil, let date = try? BirthDate.parse(cell: cell, today: self.today, note: &note) {
                    birthDate = date
                    birthDateColumn = mapping
                    genders.append(implied)
                    continue
                }
            }
            let text = cell.text
            if let gender = Gender(parsing: text) {
                genders.append(gender)
            } else {
                b.warn(mapping.column, text, "gender_unrecognised",
                    "Không đọc được giới tính \"\(text)\" (ghi Nam hoặc Nữ).",
                    "Cannot read gender \"\(text)\" (write Nam or Nữ).")
            }
        }
        var gender = genders.first
        if let first = gender, genders.contains(where: { $0 != first }) {
            gender = nil
            b.warn(nil, "", "gender_conflict",
                "Dòng ghi cả Nam và Nữ; bỏ trống giới tính.",
                "The row marks both male and female; gender left empty.")
        }

        // Identity numbers: a column's kind is a default, each value decides by its number of digits.
        var personalID: PersonalID?
        var doubtfulPersonalID: String?
        var oldID: OldID?
        for mapping in self.idColumns {
            let cell = row[mapping.column.index]
            if IntakeFold.isBlank(cell) || Self.isPlaceholder(cell) { continue }
            let text = cell.text
            let scanned = IdentityScan.digits(of: text)
            var digitCount = -1
            if case .success(let digits) = scanned { digitCount = digits.count }
            let readAsOld = mapping.field == .personalID ? (8...9).contains(digitCount) : !(10...12).contains(digitCount)
            if readAsOld {
                do {
                    let id = try OldID(scanned: scanned.get())
                    if let first = oldID {
                        if first != id {
                            b.warn(mapping.column, id.masked, "old_id_conflict",
                                "Dòng có hai số CMND khác nhau; dùng số thứ nhất.",
                                "The row has two different old IDs; using the first.")
                        }
                    } else {
                        oldID = id
                        if id.restoredLeadingZero {
                            b.warn(mapping.column, text, "old_id_leading_zero_restored",
                                "Số CMND thiếu số 0 ở đầu (do Excel); đã thêm lại.",
                                "The old ID had lost its leading zero (Excel); restored.")
                        }
                    }
                } catch {
                    b.warn(mapping.column, text, "old_id_" + error.code, error.messageVI, error.messageEN)
                }
            } else {
                do {
                    let id: PersonalID
                    if case .number = cell {
                        id = try PersonalID(cell: cell, today: self.today)  // refuses fractions
                    } else {
                        id = try PersonalID(scanned: scanned.get(), today: self.today)
                    }
                    if let first = personalID {
                        if first != id {
                            b.warn(mapping.column, id.masked, "personal_id_conflict",
                                "Dòng có hai số định danh khác nhau; dùng số thứ nhất.",
                                "The row has two different personal IDs; using the first.")
                        }
                    } else {
                        personalID = id
                        if id.restoredLeadingZero {
                            b.warn(mapping.column, text, "personal_id_leading_zero_restored",
                                "Số định danh thiếu số 0 ở đầu (do Excel); đã thêm lại: \(id.masked).",
                                "The personal ID had lost leading zeros (Excel); restored: \(id.masked).")
                        }
                    }
                } catch {
                    switch (error, scanned) {
                    case (.unknownProvinceCode, .success(let digits)) where digits.count == 12,
                         (.centuryOutOfRange, .success(let digits)) where digits.count == 12,
                         (.birthYearInFuture, .success(let digits)) where digits.count == 12:
                        // Twelve digits that break the ID's structure are most likely a typo of a real ID: keep the
                        // row (nobody loses a payment over a typing error) and leave the ID for matching to correct.
                        doubtfulPersonalID = doubtfulPersonalID ?? String(decoding: digits, as: UTF8.self)
                        b.warn(mapping.column, text, "personal_id_" + error.code, error.messageVI + " Có thể gõ nhầm; để công an đối chiếu.",
                               error.messageEN + " Probably mistyped; left for the police to match.")
                    default:
                        b.reject(mapping.column, text, "personal_id_" + error.code, error.messageVI, error.messageEN)
                    }
                }
            }
        }
        if let personalID {
            let column = cols[.personalID].first?.column ?? cols[.oldID].first?.column
            for inconsistency in personalID.inconsistencies(birthDate: birthDate, gender: gender) {
                b.warn(column, personalID.masked, inconsistency.code, inconsistency.messageVI, inconsistency.messageEN)
            }
        }

        // Group.
        var subGroup = self.text(row, cols[.subGroup])
        var group = self.defaultGroup
        if let (mapping, cell) = Self.firstFilled(row, cols[.policyGroup]) {
            let text = IntakeFold.clean(cell.text)
            if let parsed = PolicyGroup(parsing: text) {
                group = parsed
            } else if let fallback = self.defaultGroup {
                b.warn(mapping.column, text, "policy_group_unrecognised",
                    "Không nhận ra nhóm đối tượng \"\(text)\"; dùng nhóm mặc định \(fallback.labelVI).",
                    "Policy group \"\(text)\" not recognised; using the default group, \(fallback.labelEN).")
                if subGroup == nil { subGroup = text }
            } else {
                b.reject(mapping.column, text, "unknown_policy_group",
                    "Không nhận ra nhóm đối tượng \"\(text)\" (Bảo trợ xã hội, Người có công, Hộ nghèo, Hộ cận nghèo, Khác).",
                    "Policy group \"\(text)\" not recognised (social protection, meritorious, poor, near-poor, other).")
            }
        } else if group == nil {
            b.reject(cols[.policyGroup].first?.column, "", "missing_policy_group",
                "Thiếu nhóm đối tượng và không có nhóm mặc định.",
                "No policy group, and no default group was given.")
        }

        // Amount.
        var amount: Int?
        if let (mapping, cell) = Self.firstFilled(row, cols[.monthlyAmount]) {
            switch Self.parseAmount(cell) {
            case .success(let value): amount = value
            case .failure(let problem): b.reject(mapping.column, cell.text, problem.code, problem.messageVI, problem.messageEN)
            }
        }

        // Commune code: five digits, zeros that a spreadsheet dropped put back.
        var communeCode: String?
        if let (mapping, cell) = Self.firstFilled(row, cols[.communeCode]) {
            if case .success(let digits) = IdentityScan.digits(of: cell.text), digits.count <= 5 {
                communeCode = String(repeating: "0", count: 5 - digits.count) + IdentityScan.string(digits)
            } else {
                b.warn(mapping.column, cell.text, "commune_code_invalid",
                    "Mã xã/phường \"\(cell.text)\" không phải 5 chữ số; bỏ qua.",
                    "Commune code \"\(cell.text)\" is not 5 digits; ignored.")
            }
        }

        // Account number.
        var accountNumber: String?
        if let (mapping, cell) = Self.firstFilled(row, cols[.accountNumber]) {
            let text = cell.text
            switch IdentityScan.digits(of: text) {
            case .success(let digits):
                accountNumber = IdentityScan.string(digits)
                if case .number = cell {
                    b.warn(mapping.column, text, "account_number_stored_as_number",
                        "Số tài khoản lưu dạng số trong Excel: có thể đã mất số 0 ở đầu hoặc chữ số cuối; cần kiểm tra.",
                        "The account number is stored as a number in Excel: leading zeros or final digits may be lost; check it.")
                }
            case .failure:
                b.warn(mapping.column, text, "account_number_invalid",
                    "Số tài khoản \"\(text)\" có ký tự không phải chữ số; bỏ qua.",
                    "Account number \"\(text)\" contains non-digits; ignored.")
            }
        }

        if !b.problems.isEmpty { return .rejected(b.problems) }
        return .person(
            ListRow(
                rowNumber: row.number,
                sequence: self.text(row, cols[.sequence]),
                fullName: name,
                foldedName: foldedName,
                birthDate: birthDate,
                gender: gender,
                personalID: personalID,
                oldID: oldID,
                address: self.text(row, cols[.address]).map(self.writtenText),
                communeCode: communeCode,
                communeName: self.text(row, cols[.communeName]).map(self.writtenText),
                policyGroup: group!,
                subGroup: subGroup,
                monthlyAmount: amount,
                accountNumber: accountNumber,
                bankName: self.text(row, cols[.bankName]),
                doubtfulPersonalID: doubtfulPersonalID,
                warnings: b.warnings))
    }

    /// The first filled cell of the columns, cleaned; nil when all are empty.
    func text(_ row: TableRow, _ mappings: [ListColumnMapping]) -> String? {
        guard let (_, cell) = Self.firstFilled(row, mappings) else { return nil }
        let text = IntakeFold.clean(cell.text)
        return text.isEmpty ? nil : text
    }

    static func firstFilled(_ row: TableRow, _ mappings: [ListColumnMapping]) -> (ListColumnMapping, Cell)? {
        for mapping in mappings {
            let cell = row[mapping.column.index]
            if !IntakeFold.isBlank(cell) { return (mapping, cell) }
        }
        return nil
    }

    /// A tick in a "Nam" / "Nữ" column: "x", "v", "✓", "1", "có".
    static func isMark(_ cell: Cell) -> Bool {
        switch cell {
        case .number(let value): return value == 1
        case .bool(let value): return value
        case .text(let text):
            switch IntakeFold.clean(text).lowercased() {
            case "x", "v", "✓", "✔", "☑", "1", "+", "có", "co", "yes": return true
            default: return false
            }
        default: return false
        }
    }

    /// What people write for "none": "-", "không", "chưa có", "0".
    static func isPlaceholder(_ cell: Cell) -> Bool {
        switch cell {
        case .number(let value): return value == 0
        case .text(let text):
            // Dates and ID numbers, the usual content, contain a digit 1–9: decided without allocating.
            if text.utf8.count > 24 || text.utf8.contains(where: { $0 >= 0x31 && $0 <= 0x39 }) { return false }
            let trimmed = IntakeFold.clean(text)
            switch IntakeFold.fold(trimmed) {
            case "", "0", "khong", "khong co", "chua co", "chua cap", "chua", "none", "n a", "na": return true
            default: return false
            }
        default: return false
        }
    }
}

/// Collects a row's fatal problems and warnings.
struct ListOutcomeBuilder {
    typealias Result = ListRowOutcome
    let row: Int
    var problems: [RowProblem] = []
    var warnings: [RowProblem] = []

    init(row: Int) {
        self.row = row
    }

    mutating func reject(_ column: ListColumn?, _ value: String, _ code: String, _ vi: String, _ en: String) {
        self.problems.append(RowProblem(row: self.row, column: column, value: value, code: code, messageVI: vi, messageEN: en))
    }

    mutating func warn(_ column: ListColumn?, _ value: String, _ code: String, _ vi: String, _ en: String) {
        self.warnings.append(RowProblem(row: self.row, column: column, value: value, code: code, messageVI: vi, messageEN: en))
    }
}
