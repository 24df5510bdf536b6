/// Where a list's header is and which column holds which field.
public struct ListHeader: Sendable, Hashable {
    /// The rows that make up the header: one or two rows of titles, then possibly a row of column numbers
    /// ("(1) (2) (3)"). Empty when every column was given by letter and the file has no header row.
    public let headerRowNumbers: [Int]
    /// Mapped columns, in column order. A field may have several columns: name parts ("Họ đệm", "Tên")
    /// are joined; for other fields the first non-empty cell wins.
    public let mappings: [ListColumnMapping]
    /// Columns with a header text that no field matched: shown to the person importing, who may map them.
    public let unmappedColumns: [ListColumn]

    public init(headerRowNumbers: [Int], mappings: [ListColumnMapping], unmappedColumns: [ListColumn] = []) {
        self.headerRowNumbers = headerRowNumbers
        self.mappings = mappings.sorted { $0.column.index < $1.column.index }
        self.unmappedColumns = unmappedColumns
    }

    /// The last header row's number; rows up to it are not data. 0 without a header.
    public var lastHeaderRowNumber: Int { self.headerRowNumbers.max() ?? 0 }

    /// The columns read as `field`, in column order.
    public func mappings(for field: ListField) -> [ListColumnMapping] {
        self.mappings.filter { $0.field == field }
    }

    /// How many leading rows `detect` looks at.
    public static let scanLimit = 30
}
