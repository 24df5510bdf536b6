/// Turns the data rows of a list into beneficiaries, skipping layout rows and rejecting unusable ones.
///
/// Stateless per row, so rows may be parsed in any order or in parallel. A caller that wants section
/// headings ("II. NGƯỜI CÓ CÔNG") to set the group of the rows below sets `defaultGroup` as it goes.
public struct ListRowParser: Sendable {
    public let header: ListHeader
    /// The group for rows whose group cell is empty or absent (and, with a warning, unrecognised).
    public var defaultGroup: PolicyGroup?
    /// Birth dates after this day are rejected; two-digit years pivot on it.
    public let today: BirthDate.ReferenceDay
    /// The legacy font encoding (TCVN3, VNI) the file's names were typed in, when the whole column says so;
    /// single cells are too short to tell reliably (see `LegacyEncoding.detect(column:)`).
    public var legacyHint: LegacyEncoding?

    /// Amounts above this per month are typing errors, not allowances.
    public static let maximumMonthlyAmount = 100_000_000

    let columns: FieldColumns
    /// Columns whose content identifies a person: IDs and birth dates (including "Nam"/"Nữ" columns).
    let personDataColumns: [Int]
    /// Birth-date then birth-year columns, the order in which a birth date is looked for.
    let birthColumns: [ListColumnMapping]
    /// Personal-ID then old-ID columns.
    let idColumns: [ListColumnMapping]

    public init(header: ListHeader, defaultGroup: PolicyGroup?, today: BirthDate.ReferenceDay = .current()) {
        self.header = header
        self.defaultGroup = defaultGroup
        self.today = today
        self.columns = FieldColumns(header.mappings)
        self.personDataColumns = header.mappings.filter { mapping in
            switch mapping.field {
            case .personalID, .oldID, .birthDate, .birthYear: return true
            case .gender: return mapping.impliedGender != nil
            default: return false
            }
        }.map(\.column.index)
        self.birthColumns = self.columns[.birthDate] + self.columns[.birthYear]
        self.idColumns = self.columns[.personalID] + self.columns[.oldID]
    }

    public func parse(_ row: TableRow) -> ListRowOutcome {
        if row.number <= self.header.lastHeaderRowNumber { return .skip(.header) }
        var anyContent = false
        for cell in row.cells where !IntakeFold.isBlank(cell) {
            anyContent = true
            break
        }
        if !anyContent { return .skip(.blank) }

        let name = self.name(in: row)
        let hasName = IntakeFold.letterCount(name, limit: 2) >= 2
        if !hasName && Self.isColumnNumbering(row) { return .skip(.columnNumbers) }
        var hasPersonData = false
        for c in self.personDataColumns where !IntakeFold.isBlank(row[c]) {
            hasPersonData = true
            break
        }

        if hasName {
            let folded = IntakeFold.fold(name)
            if Self.mayBeNameHeader(folded) && ListField.recognise(folded: folded) == .fullName { return .skip(.repeatedHeader) }
            if !hasPersonData, let reason = Self.layoutReason(name, folded: folded) { return .skip(reason) }
            return self.parsePerson(row, name: name, foldedName: folded)
        }

        if !hasPersonData {
            for cell in row.cells {
                guard case .text(let text) = cell, IntakeFold.letterCount(text, limit: 2) >= 2 else { continue }
                let clean = IntakeFold.clean(text)
                if let reason = Self.layoutReason(clean, folded: IntakeFold.fold(clean)) { return .skip(reason) }
            }
            if self.onlyNonIdentifyingContent(row) { return .skip(.noPersonData) }
        }
        let column = self.columns[.fullName].first?.column
        return .rejected([
            RowProblem(
                row: row.number, column: column, value: name, code: "missing_name",
                messageVI: "Dòng có dữ liệu nhưng thiếu họ và tên.",
                messageEN: "The row has data but no full name.")
        ])
    }

    /// Cheap filter before asking `ListField.recognise`, which most names would otherwise go through
    /// (names start with "h", "t", "n" as headers do): an exact header text, or a name-header prefix.
    static func mayBeNameHeader(_ folded: String) -> Bool {
        if let field = ListField.exactHeaders[folded] { return field == .fullName }
        return IntakeFold.startsWithPhrase(folded, "ho va ten") || IntakeFold.startsWithPhrase(folded, "ho ten")
            || IntakeFold.startsWithPhrase(folded, "full name")
    }

    /// The name columns' cells, cleaned and joined.
    func name(in row: TableRow) -> String {
        let nameColumns = self.columns[.fullName]
        if nameColumns.count == 1 {
            let cell = row[nameColumns[0].column.index]
            return IntakeFold.isBlank(cell) ? "" : self.writtenText(cell.text)
        }
        var parts: [String] = []
        for mapping in nameColumns {
            let cell = row[mapping.column.index]
            if !IntakeFold.isBlank(cell) { parts.append(self.writtenText(cell.text)) }
        }
        return parts.joined(separator: " ")
    }

    /// Names and addresses as people wrote them: legacy font encodings converted to Unicode, then NFC and spacing
    /// tidied; the typist's tone placement is kept ("Thủy" stays "Thủy"). Search and matching keys fold tone marks
    /// away, so "Thủy" and "Thuỷ" still find each other.
    func writtenText(_ raw: String) -> String {
        let repaired = self.legacyHint.map { LegacyEncoding.repair(raw, columnHint: $0) } ?? LegacyEncoding.repair(raw)
        return VietnameseText.clean(repaired.text, toneStyle: nil)
    }

    /// True when every filled cell is in a sequence, notes or unmapped column.
    func onlyNonIdentifyingContent(_ row: TableRow) -> Bool {
        for (c, cell) in row.cells.enumerated() where !IntakeFold.isBlank(cell) {
            switch self.columns.field(at: c) {
            case nil, .sequence?, .notes?: continue
            default: return false
            }
        }
        return true
    }
}

/// The mapped columns of each field, looked up without hashing on the per-row path.
struct FieldColumns: Sendable {
    private let byField: [[ListColumnMapping]]
    private let fieldByColumn: [ListField?]

    init(_ mappings: [ListColumnMapping]) {
        var byField = [[ListColumnMapping]](repeating: [], count: ListField.allCases.count)
        var fieldByColumn = [ListField?](repeating: nil, count: (mappings.map(\.column.index).max() ?? -1) + 1)
        for mapping in mappings {
            byField[mapping.field.ordinal].append(mapping)
            fieldByColumn[mapping.column.index] = mapping.field
        }
        self.byField = byField
        self.fieldByColumn = fieldByColumn
    }

    subscript(field: ListField) -> [ListColumnMapping] { self.byField[field.ordinal] }

    func field(at column: Int) -> ListField? {
        column < self.fieldByColumn.count ? self.fieldByColumn[column] : nil
    }
}

extension ListField {
    var ordinal: Int {
        switch self {
        case .sequence: return 0
        case .fullName: return 1
        case .birthDate: return 2
        case .birthYear: return 3
        case .gender: return 4
        case .personalID: return 5
        case .oldID: return 6
        case .address: return 7
        case .communeCode: return 8
        case .communeName: return 9
        case .policyGroup: return 10
        case .subGroup: return 11
        case .monthlyAmount: return 12
        case .accountNumber: return 13
        case .bankName: return 14
        case .notes: return 15
        }
    }
}
