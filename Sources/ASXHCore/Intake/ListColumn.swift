/// A column of a list, as a person sees it: its letter in Excel and its header text.
public struct ListColumn: Sendable, Hashable {
    /// 0-based position.
    public let index: Int
    /// The header text (two-row headers give "Parent / Sub"); empty for a column without a header.
    public let headerText: String

    public init(index: Int, headerText: String) {
        self.index = index
        self.headerText = headerText
    }

    /// "A", "B", … "Z", "AA", …: the column's letter in Excel.
    public var letter: String { Self.letter(forIndex: self.index) }

    /// The Excel letter of a 0-based column index.
    public static func letter(forIndex index: Int) -> String {
        var n = index + 1
        var scalars: [Unicode.Scalar] = []
        while n > 0 {
            let r = (n - 1) % 26
            scalars.append(Unicode.Scalar(UInt8(65 + r)))
            n = (n - 1) / 26
        }
        return String(String.UnicodeScalarView(scalars.reversed()))
    }

    /// The 0-based index of an Excel column letter ("A" → 0, "AA" → 26), case-insensitive; nil if not letters.
    public static func index(forLetter letter: String) -> Int? {
        guard !letter.isEmpty, letter.utf8.count <= 3 else { return nil }
        var n = 0
        for byte in letter.utf8 {
            switch byte {
            case 0x41...0x5A: n = n * 26 + Int(byte - 0x40)
            case 0x61...0x7A: n = n * 26 + Int(byte - 0x60)
            default: return nil
            }
        }
        return n - 1
    }

    /// "C (Ngày sinh)", or "C" without a header: how messages name a column.
    public var label: String {
        self.headerText.isEmpty ? self.letter : "\(self.letter) (\(self.headerText))"
    }
}

/// A column read as a field.
public struct ListColumnMapping: Sendable, Hashable {
    public let column: ListColumn
    public let field: ListField
    /// Set for the sub-columns "Nam" / "Nữ" of a two-row header: a value written in this column also says the gender.
    public let impliedGender: Gender?

    public init(column: ListColumn, field: ListField, impliedGender: Gender? = nil) {
        self.column = column
        self.field = field
        self.impliedGender = impliedGender
    }
}

/// A person's instruction to read one column as one field (`--map "column=field"`), overriding detection.
public struct ListColumnOverride: Sendable, Hashable {
    /// How the column is named.
    public enum Target: Sendable, Hashable {
        /// By Excel letter (0-based index).
        case letter(Int)
        /// By header text, compared folded (case and diacritics ignored).
        case header(String)
    }

    public let target: Target
    /// Nil: ignore the column.
    public let field: ListField?

    public init(target: Target, field: ListField?) {
        self.target = target
        self.field = field
    }

    /// Parses "B=fullName", "Họ tên chủ hộ=fullName", "AA=personal_id", "Ghi chú 2=ignore".
    ///
    /// One or two ASCII letters name a column by letter unless the header row has a cell with that text
    /// (so "TT=sequence" still means the header "TT"); that choice is made in `ListHeader.detect`.
    /// The field is a code name, a known header text, or "ignore" / "none" / "bỏ qua".
    public init(parsing text: String) throws(ListHeaderError) {
        guard let equals = text.lastIndex(of: "=") else { throw .malformedOverride(text) }
        let column = IntakeFold.clean(String(text[..<equals]))
        let fieldText = IntakeFold.clean(String(text[text.index(after: equals)...]))
        guard !column.isEmpty, !fieldText.isEmpty else { throw .malformedOverride(text) }
        let foldedField = IntakeFold.fold(fieldText)
        if ["ignore", "none", "bo qua", "skip"].contains(foldedField) {
            self.field = nil
        } else if let field = ListField(overrideName: fieldText) {
            self.field = field
        } else {
            throw .unknownOverrideField(fieldText)
        }
        if column.utf8.count <= 2, let index = ListColumn.index(forLetter: column) {
            self.target = .letter(index)
        } else {
            self.target = .header(column)
        }
    }
}
