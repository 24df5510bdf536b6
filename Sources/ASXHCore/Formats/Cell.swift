/// One cell of a tabular file (CSV or XLSX), as the file stored it.
///
/// CSV yields only `.text` and `.empty`; XLSX also yields numbers, and `.date` for a number whose
/// cell style is a date format (an Excel serial day number, 1900 date system).
public enum Cell: Sendable, Hashable {
    case empty
    case text(String)
    case number(Double)
    case date(serial: Double)
    case bool(Bool)

    /// The cell as text, the way a person reading the sheet would see it (numbers without a trailing ".0").
    public var text: String {
        switch self {
        case .empty: return ""
        case .text(let s): return s
        case .number(let d), .date(serial: let d):
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        case .bool(let b): return b ? "TRUE" : "FALSE"
        }
    }

    public var isEmpty: Bool {
        if case .empty = self { return true }
        if case .text(let s) = self { return s.allSatisfy(\.isWhitespace) }
        return false
    }
}

/// One row of a tabular file: its 1-based row number in the file (the number a person sees in Excel) and its cells.
public struct TableRow: Sendable, Hashable {
    public var number: Int
    public var cells: [Cell]

    public init(number: Int, cells: [Cell]) {
        self.number = number
        self.cells = cells
    }

    public subscript(column: Int) -> Cell {
        column < self.cells.count ? self.cells[column] : .empty
    }
}
