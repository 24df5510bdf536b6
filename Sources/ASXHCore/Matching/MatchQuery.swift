/// One list row as the matcher sees it: the identifying cells only, as the list wrote them.
///
/// Built from a parsed list row by the caller (intake keeps the rest of the row); the engine folds and
/// normalises the values itself, so the same query can be matched against any `PopulationRegister`.
public struct MatchQuery: Sendable, Hashable {
    /// The list's row number (STT or the spreadsheet row), echoed in the decision.
    public var row: Int
    /// The personal ID cell as written: 12 digits, or fewer when a spreadsheet dropped leading zeros, or an old
    /// 9-digit ID typed into the personal ID column. Separators and a leading apostrophe are ignored.
    public var personalID: String?
    /// The old ID (CMND) cell, when the list has one.
    public var oldID: String?
    public var fullName: String
    public var birthDate: BirthDate?
    public var gender: Gender?
    /// Commune code as written; leading zeros may be missing ("4" for "00004").
    public var communeCode: String?
    /// The address as written ("Số 12, ngõ 45 Kim Mã, P. Kim Mã, Q. Ba Đình"). Its house part (what comes before
    /// the commune) is compared with the register's when both are in the same commune.
    public var address: String?

    public init(
        row: Int, personalID: String? = nil, oldID: String? = nil, fullName: String, birthDate: BirthDate? = nil,
        gender: Gender? = nil, communeCode: String? = nil, address: String? = nil
    ) {
        self.row = row
        self.personalID = personalID
        self.oldID = oldID
        self.fullName = fullName
        self.birthDate = birthDate
        self.gender = gender
        self.communeCode = communeCode
        self.address = address
    }
}
