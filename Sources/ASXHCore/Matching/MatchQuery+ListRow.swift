extension MatchQuery {
    /// The identifying cells of a parsed list row. An ID whose leading zeros intake restored is passed without
    /// them, so the decision can say `id_leading_zero` (the list's cell must be corrected). A name still in a
    /// legacy encoding (TCVN3, VNI: "NguyÔn") is repaired first; repair leaves Unicode text as it is.
    public init(listRow row: ListRow) {
        func written(_ digits: String, restored: Bool) -> String {
            restored ? String(digits.drop(while: { $0 == "0" })) : digits
        }
        self.init(
            row: row.rowNumber,
            personalID: row.personalID.map { written($0.digits, restored: $0.restoredLeadingZero) },
            oldID: row.oldID.map { written($0.digits, restored: $0.restoredLeadingZero) },
            fullName: LegacyEncoding.repair(row.fullName).text, birthDate: row.birthDate, gender: row.gender, communeCode: row.communeCode,
            address: row.address)
    }
}
