/// A fault found in one row of a list: a reason to reject the row, or a warning attached to a parsed row.
public struct RowProblem: Error, Sendable, Hashable {
    /// The row number a person sees in Excel.
    public let row: Int
    /// The column the value came from; nil for a fault of the whole row.
    public let column: ListColumn?
    /// The cell as written.
    public let value: String
    /// Stable snake_case code, e.g. "missing_name", "personal_id_wrong_length", "id_birth_year_mismatch".
    public let code: String
    public let messageVI: String
    public let messageEN: String

    public init(row: Int, column: ListColumn?, value: String, code: String, messageVI: String, messageEN: String) {
        self.row = row
        self.column = column
        self.value = value
        self.code = code
        self.messageVI = messageVI
        self.messageEN = messageEN
    }
}
