/// One beneficiary read from a list, cleaned but not yet matched against the population register.
public struct ListRow: Sendable, Hashable {
    /// The row number a person sees in Excel.
    public var rowNumber: Int
    /// "STT" as written.
    public var sequence: String?
    /// Trimmed, whitespace collapsed, NFC; name parts from several columns joined.
    public var fullName: String
    /// `VietnameseText.fold(fullName)`, for matching.
    public var foldedName: String
    public var birthDate: BirthDate?
    /// The gender the list gives (a gender column, or the "Nam" / "Nữ" column a birth date was written in);
    /// not inferred from the personal ID.
    public var gender: Gender?
    public var personalID: PersonalID?
    public var oldID: OldID?
    public var address: String?
    /// Five digits, leading zeros restored.
    public var communeCode: String?
    public var communeName: String?
    public var policyGroup: PolicyGroup
    public var subGroup: String?
    /// VND per month.
    public var monthlyAmount: Int?
    /// Digits only.
    public var accountNumber: String?
    public var bankName: String?
    /// Non-fatal notes: an ID that disagrees with the birth date, a restored leading zero, an assumed century…
    public var warnings: [RowProblem]
    /// Twelve digits in the ID column that are not a valid personal ID (province code, century or birth year
    /// impossible): most likely a typo of a real one, kept for matching to correct. Never stored as an ID.
    public var doubtfulPersonalID: String?

    public init(
        rowNumber: Int,
        sequence: String? = nil,
        fullName: String,
        foldedName: String? = nil,
        birthDate: BirthDate? = nil,
        gender: Gender? = nil,
        personalID: PersonalID? = nil,
        oldID: OldID? = nil,
        address: String? = nil,
        communeCode: String? = nil,
        communeName: String? = nil,
        policyGroup: PolicyGroup,
        subGroup: String? = nil,
        monthlyAmount: Int? = nil,
        accountNumber: String? = nil,
        bankName: String? = nil,
        doubtfulPersonalID: String? = nil,
        warnings: [RowProblem] = []
    ) {
        self.rowNumber = rowNumber
        self.sequence = sequence
        self.fullName = fullName
        self.foldedName = foldedName ?? VietnameseText.fold(fullName)
        self.birthDate = birthDate
        self.gender = gender
        self.personalID = personalID
        self.oldID = oldID
        self.address = address
        self.communeCode = communeCode
        self.communeName = communeName
        self.policyGroup = policyGroup
        self.subGroup = subGroup
        self.monthlyAmount = monthlyAmount
        self.accountNumber = accountNumber
        self.bankName = bankName
        self.doubtfulPersonalID = doubtfulPersonalID
        self.warnings = warnings
    }
}

/// What parsing one row gave.
public enum ListRowOutcome: Sendable, Hashable {
    case person(ListRow)
    /// Not a person and nothing to report (`case .skip:` matches whatever the reason).
    case skip(ListSkipReason)
    /// A person row that cannot be used; every fatal problem is listed.
    case rejected([RowProblem])
}

/// Why a row was skipped. A row with a person's name is never skipped: it parses or is rejected.
public enum ListSkipReason: Sendable, Hashable {
    /// Above or in the header.
    case header
    /// No content at all.
    case blank
    /// The header repeated (lists printed page by page repeat it).
    case repeatedHeader
    /// "(1) (2) (3) …" under the header.
    case columnNumbers
    /// "Tổng cộng", "Cộng phường …".
    case total
    /// "I. Phường Phúc Xá", "II. NGƯỜI CÓ CÔNG": a heading for the rows below it. When it names a policy
    /// group, a caller may set `ListRowParser.defaultGroup` to it for the following rows.
    case section(title: String, group: PolicyGroup?)
    /// Signatures and dates under the list: "Người lập biểu", "Hà Nội, ngày … tháng … năm …".
    case footer
    /// Content only in the sequence, notes or unmapped columns: nothing identifies a person.
    case noPersonData
}
