extension MatchQuery {
    /// The identifying cells of a parsed list row. An ID whose leading zeros intake restored is passed without
    /// them, so the decision can say `id_leading_zero` (the list's cell must be corrected); twelve digits that
    /// break the ID's structure (a probable typo, `doubtfulPersonalID`) are passed too, for the typo search. A
    /// name still in a legacy encoding (TCVN3, VNI: "NguyÔn") is repaired first; repair leaves Unicode text as
    /// it is. The address goes along for the house comparison.
    public init(listRow row: ListRow) {
        func written(_ digits: String, restored: Bool) -> String {
            restored ? String(digits.drop(while: { $0 == "0" })) : digits
        }
        self.init(
            row: row.rowNumber,
            personalID: row.personalID.map { written($0.digits, restored: $0.restoredLeadingZero) } ?? row.doubtfulPersonalID,
            oldID: row.oldID.map { written($0.digits, restored: $0.restoredLeadingZero) },
            fullName: LegacyEncoding.repair(row.fullName).text, birthDate: row.birthDate, gender: row.gender, communeCode: row.communeCode,
            address: row.address)
    }
}
