import Foundation

/// Turns the `sheetData` of a worksheet part into `TableRow`s as the bytes stream in.
///
/// Finished rows collect in `rows`; the driver takes them after every chunk, so at most one chunk's worth of rows
/// is held here.
struct XLSXSheetParser: XMLByteHandler {
    private enum ValueType {
        case number, sharedString, inlineString, formulaString, boolean, error, isoDate
    }

    /// Excel's last column is XFD.
    static let maximumColumns = 16_384

    let sharedStrings: [String]
    let dateStyles: [Bool]
    /// Days to add to date serials so they count in the 1900 date system.
    let dateOffset: Double
    var rows: [TableRow] = []

    private var rowNumber = 0
    private var cells: [Cell] = []
    private var nextColumn = 0
    private var expectedCells = 8

    private var inCell = false
    private var cellColumn = 0
    private var cellStyle = 0
    private var cellType = ValueType.number
    private var hasValue = false
    private var capturing = false
    private var inInlineString = false
    private var phoneticDepth = 0
    private var text: [UInt8] = []

    init(sharedStrings: [String], dateStyles: [Bool], uses1904Dates: Bool) {
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.dateOffset = uses1904Dates ? 1462 : 0
    }

    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws {
        switch name.count {
        case 1:
            switch name[0] {
            case UInt8(ascii: "c"):
                self.beginCell(attributes)
            case UInt8(ascii: "v"):
                if self.inCell {
                    self.capturing = true
                    self.hasValue = true
                    self.text.removeAll(keepingCapacity: true)
                }
            case UInt8(ascii: "t"):
                if self.inInlineString && self.phoneticDepth == 0 { self.capturing = true }
            default:
                break
            }
        case 2:
            if self.inCell && XMLBytes.equals(name, "is") {
                self.inInlineString = true
                self.hasValue = true
                self.text.removeAll(keepingCapacity: true)
            }
        case 3:
            if XMLBytes.equals(name, "row") {
                self.beginRow(attributes)
            } else if XMLBytes.equals(name, "rPh") {
                self.phoneticDepth += 1
            }
        default:
            break
        }
    }

    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws {
        switch name.count {
        case 1:
            switch name[0] {
            case UInt8(ascii: "c"): try self.endCell()
            case UInt8(ascii: "v"), UInt8(ascii: "t"): self.capturing = false
            default: break
            }
        case 2:
            if XMLBytes.equals(name, "is") { self.inInlineString = false }
        case 3:
            if XMLBytes.equals(name, "row") {
                self.endRow()
            } else if XMLBytes.equals(name, "rPh") {
                self.phoneticDepth -= 1
            }
        default:
            break
        }
    }

    mutating func characters(_ text: UnsafeBufferPointer<UInt8>, cdata: Bool) throws {
        guard self.capturing else { return }
        if cdata {
            self.text.append(contentsOf: text)
        } else {
            XMLBytes.appendResolvingEntities(text, to: &self.text)
        }
    }

    // MARK: - Rows and cells

    private mutating func beginRow(_ attributes: UnsafeBufferPointer<UInt8>) {
        var number: Int?
        XMLBytes.forEachAttribute(attributes) { key, value in
            if XMLBytes.equals(key, "r") { number = XLSXValueParsing.integer(value) }
        }
        self.rowNumber = number ?? self.rowNumber + 1
        self.cells = []
        self.cells.reserveCapacity(self.expectedCells)
        self.nextColumn = 0
    }

    private mutating func endRow() {
        while let last = self.cells.last, case .empty = last { self.cells.removeLast() }
        // Rows without a value (formatting only) are left out, like rows missing from the file.
        if !self.cells.isEmpty {
            self.expectedCells = max(self.expectedCells, self.cells.count)
            self.rows.append(TableRow(number: self.rowNumber, cells: self.cells))
        }
        self.cells = []
    }

    private mutating func beginCell(_ attributes: UnsafeBufferPointer<UInt8>) {
        var column: Int?
        var style = 0
        var type = ValueType.number
        XMLBytes.forEachAttribute(attributes) { key, value in
            guard key.count == 1 else { return }
            switch key[0] {
            case UInt8(ascii: "r"): column = Self.column(value)
            case UInt8(ascii: "s"): style = XLSXValueParsing.integer(value) ?? 0
            case UInt8(ascii: "t"): type = Self.valueType(value)
            default: break
            }
        }
        self.cellColumn = column ?? self.nextColumn
        self.cellStyle = style
        self.cellType = type
        self.inCell = true
        self.hasValue = false
        self.capturing = false
        self.text.removeAll(keepingCapacity: true)
    }

    private mutating func endCell() throws {
        self.inCell = false
        self.capturing = false
        let cell = try self.hasValue ? self.value() : .empty
        let column = self.cellColumn
        guard column < Self.maximumColumns else {
            throw TabularFileError.corruptWorkbook(detail: "column \(column + 1) beyond XFD in row \(self.rowNumber)")
        }
        if column >= self.cells.count {
            while self.cells.count < column { self.cells.append(.empty) }
            self.cells.append(cell)
        } else {
            self.cells[column] = cell
        }
        self.nextColumn = column + 1
    }

    private func value() throws -> Cell {
        switch self.cellType {
        case .number:
            guard !self.text.isEmpty else { return .empty }
            guard let number = self.text.withUnsafeBufferPointer({ XLSXValueParsing.number($0) }) else {
                return .text(String(decoding: self.text, as: UTF8.self))
            }
            if self.cellStyle < self.dateStyles.count && self.dateStyles[self.cellStyle] {
                return .date(serial: number + self.dateOffset)
            }
            return .number(number)
        case .sharedString:
            guard let index = self.text.withUnsafeBufferPointer({ XLSXValueParsing.integer($0) }),
                  index < self.sharedStrings.count
            else {
                throw TabularFileError.corruptWorkbook(
                    detail: "shared string \(String(decoding: self.text, as: UTF8.self)) missing, row \(self.rowNumber)")
            }
            let string = self.sharedStrings[index]
            return string.isEmpty ? .empty : .text(string)
        case .inlineString, .formulaString, .error:
            let string = XMLBytes.string(ooxmlText: self.text)
            return string.isEmpty ? .empty : .text(string)
        case .boolean:
            if self.text.isEmpty { return .empty }
            return .bool(self.text == [0x31] || self.text == Array("true".utf8))
        case .isoDate:
            if self.text.isEmpty { return .empty }
            if let serial = XLSXValueParsing.serial(iso: self.text) { return .date(serial: serial) }
            return .text(String(decoding: self.text, as: UTF8.self))
        }
    }

    /// Zero-based column of a cell reference such as `AB12`, or nil when it has no letters.
    @inline(__always)
    static func column(_ reference: UnsafeBufferPointer<UInt8>) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference {
            let upper = byte & 0xDF
            guard upper >= 0x41 && upper <= 0x5A else { break }
            column = column * 26 + Int(upper - 0x40)
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : column - 1
    }

    private static func valueType(_ value: UnsafeBufferPointer<UInt8>) -> ValueType {
        if XMLBytes.equals(value, "s") { return .sharedString }
        if XMLBytes.equals(value, "inlineStr") { return .inlineString }
        if XMLBytes.equals(value, "str") { return .formulaString }
        if XMLBytes.equals(value, "b") { return .boolean }
        if XMLBytes.equals(value, "e") { return .error }
        if XMLBytes.equals(value, "d") { return .isoDate }
        return .number
    }
}
