/// Hands out the rows of one sheet of a tabular file, one at a time, without holding the file in memory.
///
/// Readers are single-consumer objects: create one where the rows are read and keep it there.
public protocol TableRowReader: AnyObject {
    /// The next row in file order, or `nil` after the last one. Rows that hold no value may be skipped,
    /// so row numbers can jump; they always are the numbers a person sees in Excel or a text editor.
    func next() throws -> TableRow?
}

extension TableRowReader {
    /// Calls `body` with every remaining row.
    public func forEach(_ body: (TableRow) throws -> Void) throws {
        while let row = try self.next() { try body(row) }
    }

    /// Every remaining row, in memory: for small files and tests only.
    public func readAll() throws -> [TableRow] {
        var rows: [TableRow] = []
        while let row = try self.next() { rows.append(row) }
        return rows
    }
}
