import Foundation
import ZIPFoundation

/// Writes .xlsx workbooks that Excel and LibreOffice open, streaming rows to temporary files so millions of rows
/// never sit in memory; `close()` zips the parts into the destination (written under a temporary name, then
/// renamed, so readers never see half a file).
///
/// Text is written as inline strings by default (memory stays flat); `.shared` writes a shared string table like
/// Excel does, smaller when values repeat, at the cost of keeping each distinct text in memory.
/// Dates (`Cell.date(serial:)`) are shown as dd/mm/yyyy. The first row of each sheet can be bold and frozen.
public final class XLSXWriter {
    /// How text cells are stored.
    public enum StringStorage: Sendable {
        case inline
        case shared
    }

    /// Excel's limits.
    public static let maximumRows = 1_048_576
    static let entryDate = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
    public static let maximumColumns = 16_384
    public static let maximumTextLength = 32_767

    public let path: String
    public let stringStorage: StringStorage

    private let workDirectory: URL
    private var sheets: [SheetPart] = []
    private var current: SheetPart?
    private var sharedStrings: [String: Int] = [:]
    private var sharedStringReferences = 0
    private var sharedStringsFile: BufferedFileWriter?
    private var columnNames: [[UInt8]] = []
    private var closed = false

    private final class SheetPart {
        let name: String
        let file: BufferedFileWriter
        let boldHeader: Bool
        let freezeHeader: Bool
        var columnWidths: [Double]
        var rowCount = 0

        init(name: String, file: BufferedFileWriter, boldHeader: Bool, freezeHeader: Bool, columnWidths: [Double]) {
            self.name = name
            self.file = file
            self.boldHeader = boldHeader
            self.freezeHeader = freezeHeader
            self.columnWidths = columnWidths
        }
    }

    /// Style indexes in `styles.xml`.
    private enum Style {
        static let bold = 1
        static let date = 2
        static let boldDate = 3
    }

    public init(path: String, stringStorage: StringStorage = .inline) throws {
        self.path = path
        self.stringStorage = stringStorage
        self.workDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("asxh-xlsx-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: self.workDirectory, withIntermediateDirectories: true)
        } catch {
            throw TabularFileError.writeFailed(detail: "\(error)")
        }
        if stringStorage == .shared {
            self.sharedStringsFile = try BufferedFileWriter(url: self.workDirectory.appendingPathComponent("sst.part"))
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: self.workDirectory)
    }

    /// Starts a new sheet; following rows go to it. Names are made valid for Excel (no `[]:*?/\`, at most 31
    /// characters, unique ignoring case). `columnWidths` are in Excel character units, first column first.
    @discardableResult
    public func addSheet(
        _ name: String,
        columnWidths: [Double] = [],
        boldHeader: Bool = true,
        freezeHeader: Bool = true
    ) throws -> String {
        try self.ensureOpen()
        let name = self.uniqueSheetName(name)
        let file = try BufferedFileWriter(url: self.workDirectory.appendingPathComponent("sheet\(self.sheets.count + 1).part"))
        let sheet = SheetPart(name: name, file: file, boldHeader: boldHeader, freezeHeader: freezeHeader,
                              columnWidths: columnWidths)
        self.sheets.append(sheet)
        self.current = sheet
        return name
    }

    /// Sets the column widths of the current sheet (Excel character units).
    public func setColumnWidths(_ widths: [Double]) throws {
        guard let sheet = self.current else { throw TabularFileError.writeFailed(detail: "no sheet") }
        sheet.columnWidths = widths
    }

    /// Appends a row of text cells to the current sheet (empty strings leave the cell empty).
    public func addRow(_ texts: [String]) throws {
        try self.addRow(texts.map { $0.isEmpty ? Cell.empty : Cell.text($0) })
    }

    /// Appends a row to the current sheet (a sheet named "Sheet1" is started if there is none).
    public func addRow(_ cells: [Cell]) throws {
        try self.ensureOpen()
        if self.current == nil { try self.addSheet("Sheet1") }
        guard let sheet = self.current else { return }
        guard sheet.rowCount < Self.maximumRows else {
            throw TabularFileError.writeFailed(
                detail: "trang tính \"\(sheet.name)\" vượt quá \(Self.maximumRows) dòng / sheet exceeds Excel's row limit")
        }
        guard cells.count <= Self.maximumColumns else {
            throw TabularFileError.writeFailed(detail: "more than \(Self.maximumColumns) columns")
        }
        sheet.rowCount += 1
        let rowNumber = sheet.rowCount
        let header = rowNumber == 1 && sheet.boldHeader
        let out = sheet.file
        out.append("<row r=\"")
        out.append(number: rowNumber)
        out.append("\">")
        for (column, cell) in cells.enumerated() {
            switch cell {
            case .empty:
                continue
            case .text(let text):
                if text.isEmpty { continue }
                self.beginCell(out, column: column, row: rowNumber, style: header ? Style.bold : 0)
                if self.stringStorage == .shared {
                    out.append(" t=\"s\"><v>")
                    out.append(number: try self.sharedStringIndex(text))
                    out.append("</v></c>")
                } else {
                    out.append(" t=\"inlineStr\"><is>")
                    Self.appendTextElement(text, to: out)
                    out.append("</is></c>")
                }
            case .number(let value):
                guard value.isFinite else { continue }
                self.beginCell(out, column: column, row: rowNumber, style: header ? Style.bold : 0)
                out.append("><v>")
                Self.appendNumber(value, to: out)
                out.append("</v></c>")
            case .date(let serial):
                guard serial.isFinite else { continue }
                self.beginCell(out, column: column, row: rowNumber, style: header ? Style.boldDate : Style.date)
                out.append("><v>")
                Self.appendNumber(serial, to: out)
                out.append("</v></c>")
            case .bool(let value):
                self.beginCell(out, column: column, row: rowNumber, style: header ? Style.bold : 0)
                out.append(value ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>")
            }
        }
        out.append("</row>")
        try out.flushIfNeeded()
    }

    /// Finishes the workbook and writes the file at `path`. The writer cannot be used afterwards.
    public func close() throws {
        try self.ensureOpen()
        self.closed = true
        defer { try? FileManager.default.removeItem(at: self.workDirectory) }
        if self.sheets.isEmpty { try self.addSheetAfterClose("Sheet1") }

        let destination = URL(fileURLWithPath: self.path)
        let partial = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        do {
            let archive = try Archive(url: partial, accessMode: .create)
            try self.addPart(archive, "[Content_Types].xml", [.bytes(self.contentTypes())])
            try self.addPart(archive, "_rels/.rels", [.bytes(Self.rootRelationships)])
            try self.addPart(archive, "xl/workbook.xml", [.bytes(self.workbook())])
            try self.addPart(archive, "xl/_rels/workbook.xml.rels", [.bytes(self.workbookRelationships())])
            try self.addPart(archive, "xl/styles.xml", [.bytes(Self.styles)])
            if let strings = self.sharedStringsFile {
                try strings.close()
                try self.addPart(archive, "xl/sharedStrings.xml", [
                    .bytes(Self.declaration + "<sst xmlns=\"\(Self.mainNamespace)\" count=\"\(self.sharedStringReferences)\" "
                        + "uniqueCount=\"\(self.sharedStrings.count)\">"),
                    .file(strings.url),
                    .bytes("</sst>"),
                ])
            }
            for (index, sheet) in self.sheets.enumerated() {
                try sheet.file.close()
                try self.addPart(archive, "xl/worksheets/sheet\(index + 1).xml", [
                    .bytes(self.worksheetHead(sheet, selected: index == 0)),
                    .file(sheet.file.url),
                    .bytes(Self.worksheetTail),
                ])
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            if let error = error as? TabularFileError { throw error }
            throw TabularFileError.writeFailed(detail: "\(error)")
        }
        if rename(partial.path, destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: partial)
            throw TabularFileError.writeFailed(detail: reason)
        }
    }

    // MARK: - Cells

    private func beginCell(_ out: BufferedFileWriter, column: Int, row: Int, style: Int) {
        out.append("<c r=\"")
        out.append(bytes: self.columnName(column))
        out.append(number: row)
        out.append("\"")
        if style != 0 {
            out.append(" s=\"")
            out.append(number: style)
            out.append("\"")
        }
    }

    private func columnName(_ column: Int) -> [UInt8] {
        while self.columnNames.count <= column {
            self.columnNames.append(Array(Self.columnLetters(self.columnNames.count).utf8))
        }
        return self.columnNames[column]
    }

    /// `A` for 0, `Z` for 25, `AA` for 26 …
    static func columnLetters(_ column: Int) -> String {
        var column = column + 1
        var letters: [Character] = []
        while column > 0 {
            let remainder = (column - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
            column = (column - 1) / 26
        }
        return String(letters)
    }

    private func sharedStringIndex(_ text: String) throws -> Int {
        self.sharedStringReferences += 1
        if let index = self.sharedStrings[text] { return index }
        let index = self.sharedStrings.count
        self.sharedStrings[text] = index
        if let file = self.sharedStringsFile {
            file.append("<si>")
            Self.appendTextElement(text, to: file)
            file.append("</si>")
            try file.flushIfNeeded()
        }
        return index
    }

    private static func appendNumber(_ value: Double, to out: BufferedFileWriter) {
        if value == value.rounded() && abs(value) < 1e15 {
            out.append(number: Int(value))
        } else {
            out.append(value.description)
        }
    }

    /// `<t>` with XML escapes and OOXML `_xHHHH_` escapes for characters XML 1.0 cannot carry (and for a literal
    /// `_xHHHH_`, whose underscore becomes `_x005F_`).
    static func appendTextElement(_ text: String, to out: BufferedFileWriter) {
        var text = text
        if text.utf16.count > self.maximumTextLength {
            while text.utf16.count > self.maximumTextLength { text.removeLast() }
        }
        let utf8 = text.utf8
        let preserve = utf8.first.map(Self.isXMLSpace) == true || utf8.last.map(Self.isXMLSpace) == true
        out.append(preserve ? "<t xml:space=\"preserve\">" : "<t>")
        var needsEscaping = false
        for byte in utf8 where byte < 0x20 || byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0x5F {
            needsEscaping = true
            break
        }
        if !needsEscaping {
            out.append(utf8: utf8)
        } else {
            let bytes = Array(utf8)
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                switch byte {
                case 0x3C: out.append("&lt;")
                case 0x3E: out.append("&gt;")
                case 0x26: out.append("&amp;")
                case 0x09, 0x0A: out.append(byte: byte)
                case 0x00..<0x20: out.append("_x00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true) + "_")
                case 0x5F:
                    if Self.looksLikeEscape(bytes, at: i) { out.append("_x005F_") } else { out.append(byte: byte) }
                default: out.append(byte: byte)
                }
                i += 1
            }
        }
        out.append("</t>")
    }

    private static func isXMLSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func looksLikeEscape(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index + 7 <= bytes.count, bytes[index + 1] == 0x78, bytes[index + 6] == 0x5F else { return false }
        return (2...5).allSatisfy { XMLBytes.hexValue(bytes[index + $0]) != nil }
    }

    static func escapeAttribute(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                if scalar.value < 0x20 { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    // MARK: - Sheets

    private func ensureOpen() throws {
        if self.closed { throw TabularFileError.writeFailed(detail: "the workbook is already closed") }
    }

    private func addSheetAfterClose(_ name: String) throws {
        let file = try BufferedFileWriter(url: self.workDirectory.appendingPathComponent("sheet1.part"))
        self.sheets.append(SheetPart(name: name, file: file, boldHeader: false, freezeHeader: false, columnWidths: []))
    }

    private func uniqueSheetName(_ proposed: String) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var name = String(proposed.precomposedStringWithCanonicalMapping.map { forbidden.contains($0) ? "_" : $0 })
            .trimmingCharacters(in: .whitespacesAndNewlines)
        while name.hasPrefix("'") { name.removeFirst() }
        while name.hasSuffix("'") { name.removeLast() }
        if name.isEmpty { name = "Sheet\(self.sheets.count + 1)" }
        name = String(name.prefix(31))
        let taken = Set(self.sheets.map { $0.name.lowercased() })
        var candidate = name
        var counter = 2
        while taken.contains(candidate.lowercased()) {
            let suffix = " (\(counter))"
            candidate = String(name.prefix(31 - suffix.count)) + suffix
            counter += 1
        }
        return candidate
    }

    private func worksheetHead(_ sheet: SheetPart, selected: Bool) -> String {
        var xml = Self.declaration
            + "<worksheet xmlns=\"\(Self.mainNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\">"
        xml += "<sheetViews><sheetView workbookViewId=\"0\"" + (selected ? " tabSelected=\"1\"" : "") + ">"
        if sheet.freezeHeader && sheet.rowCount > 0 {
            xml += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
                + "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>"
        }
        xml += "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
        let widths = sheet.columnWidths.prefix(Self.maximumColumns)
        if !widths.isEmpty {
            xml += "<cols>"
            for (index, width) in widths.enumerated() where width.isFinite && width > 0 {
                let clamped = min(width, 255)
                xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(clamped)\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        return xml + "<sheetData>"
    }

    private static let worksheetTail = "</sheetData>"
        + "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        + "</worksheet>"

    // MARK: - Package parts

    private static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    private static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let packageRelationshipNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"

    private static let rootRelationships = declaration
        + "<Relationships xmlns=\"\(packageRelationshipNamespace)\">"
        + "<Relationship Id=\"rId1\" Type=\"\(relationshipNamespace)/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>"

    private func contentTypes() -> String {
        var xml = Self.declaration
            + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" "
            + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
            + "<Override PartName=\"/xl/styles.xml\" "
            + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        if self.sharedStringsFile != nil {
            xml += "<Override PartName=\"/xl/sharedStrings.xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
        }
        for index in self.sheets.indices {
            xml += "<Override PartName=\"/xl/worksheets/sheet\(index + 1).xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return xml + "</Types>"
    }

    private func workbook() -> String {
        var xml = Self.declaration
            + "<workbook xmlns=\"\(Self.mainNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\">"
            + "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for (index, sheet) in self.sheets.enumerated() {
            xml += "<sheet name=\"\(Self.escapeAttribute(sheet.name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        return xml + "</sheets></workbook>"
    }

    private func workbookRelationships() -> String {
        var xml = Self.declaration + "<Relationships xmlns=\"\(Self.packageRelationshipNamespace)\">"
        for index in self.sheets.indices {
            xml += "<Relationship Id=\"rId\(index + 1)\" Type=\"\(Self.relationshipNamespace)/worksheet\" "
                + "Target=\"worksheets/sheet\(index + 1).xml\"/>"
        }
        let next = self.sheets.count + 1
        xml += "<Relationship Id=\"rId\(next)\" Type=\"\(Self.relationshipNamespace)/styles\" Target=\"styles.xml\"/>"
        if self.sharedStringsFile != nil {
            xml += "<Relationship Id=\"rId\(next + 1)\" Type=\"\(Self.relationshipNamespace)/sharedStrings\" "
                + "Target=\"sharedStrings.xml\"/>"
        }
        return xml + "</Relationships>"
    }

    /// Cell formats: 0 normal, 1 bold, 2 date dd/mm/yyyy, 3 bold date.
    private static let styles = declaration
        + "<styleSheet xmlns=\"\(mainNamespace)\">"
        + "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
        + "<fonts count=\"2\">"
        + "<font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
        + "</fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
        + "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"4\">"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"164\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\"/>"
        + "</cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"

    private enum PartSegment {
        case bytes(String)
        case file(URL)
    }

    /// Adds one deflated part made of in-memory pieces and temporary files, read in 256 KiB blocks.
    private func addPart(_ archive: Archive, _ name: String, _ segments: [PartSegment]) throws {
        var sources: [(data: Data?, handle: FileHandle?, size: Int)] = []
        defer { for source in sources { try? source.handle?.close() } }
        for segment in segments {
            switch segment {
            case .bytes(let text):
                let data = Data(text.utf8)
                sources.append((data, nil, data.count))
            case .file(let url):
                let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
                sources.append((nil, try FileHandle(forReadingFrom: url), size))
            }
        }
        let total = sources.reduce(0) { $0 + $1.size }
        var segmentIndex = 0
        var offsetInSegment = 0
        // A fixed entry date: the same rows give the same bytes (and so the same SHA-256 on re-import).
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(total), modificationDate: Self.entryDate, compressionMethod: .deflate,
                             bufferSize: 256 * 1024) { _, size -> Data in
            var chunk = Data()
            while chunk.count < size && segmentIndex < sources.count {
                let source = sources[segmentIndex]
                let wanted = min(size - chunk.count, source.size - offsetInSegment)
                if wanted <= 0 {
                    segmentIndex += 1
                    offsetInSegment = 0
                    continue
                }
                if let data = source.data {
                    chunk.append(data.subdata(in: offsetInSegment..<(offsetInSegment + wanted)))
                } else if let handle = source.handle {
                    let piece = try handle.read(upToCount: wanted) ?? Data()
                    if piece.isEmpty {
                        throw TabularFileError.writeFailed(detail: "temporary file shorter than expected")
                    }
                    chunk.append(piece)
                    offsetInSegment += piece.count
                    continue
                }
                offsetInSegment += wanted
            }
            return chunk
        }
    }
}

/// Appends bytes to a file through a 256 KiB buffer.
final class BufferedFileWriter {
    let url: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var closed = false
    private static let threshold = 256 * 1024

    init(url: URL) throws {
        self.url = url
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: url.path)
        else {
            throw TabularFileError.writeFailed(detail: "cannot create \(url.path)")
        }
        self.handle = handle
        self.buffer.reserveCapacity(Self.threshold + 4096)
    }

    deinit {
        if !self.closed { try? self.handle.close() }
    }

    @inline(__always)
    func append(_ text: StaticString) {
        self.buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    func append(_ text: String) {
        self.buffer.append(contentsOf: text.utf8)
    }

    func append(utf8: String.UTF8View) {
        self.buffer.append(contentsOf: utf8)
    }

    @inline(__always)
    func append(byte: UInt8) {
        self.buffer.append(byte)
    }

    func append(bytes: [UInt8]) {
        self.buffer.append(contentsOf: bytes)
    }

    /// Decimal digits of `number` without going through String.
    func append(number: Int) {
        if number < 0 {
            self.buffer.append(0x2D)
            self.append(number: -number)
            return
        }
        if number < 10 {
            self.buffer.append(UInt8(0x30 + number))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var value = number
        withUnsafeMutableBytes(of: &digits) { storage in
            while value > 0 {
                storage[19 - count] = UInt8(0x30 + value % 10)
                value /= 10
                count += 1
            }
            self.buffer.append(contentsOf: storage[(20 - count)...])
        }
    }

    func flushIfNeeded() throws {
        if self.buffer.count >= Self.threshold { try self.flush() }
    }

    func flush() throws {
        guard !self.buffer.isEmpty else { return }
        do {
            try self.handle.write(contentsOf: self.buffer)
        } catch {
            throw TabularFileError.writeFailed(detail: "\(error)")
        }
        self.buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        guard !self.closed else { return }
        try self.flush()
        self.closed = true
        try self.handle.close()
    }
}
