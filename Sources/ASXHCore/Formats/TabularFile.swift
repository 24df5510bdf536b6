import Foundation

/// One entry point for the lists the department sends: a CSV or an .xlsx, told apart by content (the extension
/// is often wrong), with its sheet names and a streaming row reader.
///
/// ```swift
/// let file = try TabularFile.open(path: upload, sheet: nil)
/// let rows = try file.rows()
/// while let row = try rows.next() { … }
/// ```
public struct TabularFile: Sendable {
    public enum Format: String, Sendable, Hashable {
        case csv
        case xlsx
    }

    public let path: String
    public let format: Format
    /// The sheets of the workbook in tab order; a CSV has one, named after the file.
    public let sheetNames: [String]
    /// The sheet `rows()` reads: the one asked for, else the first visible one.
    public let sheet: String
    private let workbook: XLSXReader?

    /// Opens `path` and checks it can be read. `sheet` picks a worksheet of an .xlsx (matched exactly, then
    /// ignoring case and spacing); it is ignored for CSV.
    ///
    /// Throws `TabularFileError`: `.unreadable`, `.emptyFile`, `.legacyExcel` (.xls or password-protected),
    /// `.disguisedSpreadsheet` (HTML or XML 2003 saved as .xls), `.notTabular`, `.corruptWorkbook`, `.sheetNotFound`.
    public static func open(path: String, sheet: String? = nil) throws -> TabularFile {
        let file = try RawFile(path: path)
        var head = [UInt8](repeating: 0, count: 8192)
        let count = try head.withUnsafeMutableBytes { try file.read(into: $0) }
        head.removeSubrange(count...)
        switch try self.sniff(head) {
        case .xlsx:
            let workbook = try XLSXReader(path: path)
            guard !workbook.sheets.isEmpty else {
                throw TabularFileError.corruptWorkbook(detail: "không có trang tính / no worksheet")
            }
            let chosen = try workbook.sheet(named: sheet)
            return TabularFile(path: path, format: .xlsx, sheetNames: workbook.sheetNames, sheet: chosen.name,
                               workbook: workbook)
        case .csv:
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return TabularFile(path: path, format: .csv, sheetNames: [name], sheet: name, workbook: nil)
        }
    }

    /// A reader over the rows of `sheet`: a `CSVReader` (whose `detectedEncoding` and `delimiter` tell how the
    /// text was read) or an `XLSXRowReader`.
    public func rows() throws -> any TableRowReader {
        switch self.format {
        case .csv: return try CSVReader(path: self.path)
        case .xlsx: return try self.workbook!.rows(sheet: self.sheet)
        }
    }

    /// A reader over another sheet of the same workbook (CSV: the only sheet).
    public func rows(sheet: String) throws -> any TableRowReader {
        switch self.format {
        case .csv: return try CSVReader(path: self.path)
        case .xlsx: return try self.workbook!.rows(sheet: sheet)
        }
    }

    /// Decides the format from the first bytes; throws for formats we recognise but cannot read.
    static func sniff(_ head: [UInt8]) throws -> Format {
        guard !head.isEmpty else { throw TabularFileError.emptyFile }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return .xlsx
        }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw TabularFileError.legacyExcel
        }
        let binary: [(magic: [UInt8], kind: String)] = [
            (Array("%PDF".utf8), "PDF"),
            ([0x89, 0x50, 0x4E, 0x47], "ảnh PNG / a PNG image"),
            ([0xFF, 0xD8, 0xFF], "ảnh JPEG / a JPEG image"),
            (Array("GIF8".utf8), "ảnh GIF / a GIF image"),
            (Array("Rar!".utf8), "tệp nén RAR / a RAR archive"),
            ([0x37, 0x7A, 0xBC, 0xAF], "tệp nén 7z / a 7z archive"),
            ([0x1F, 0x8B], "tệp nén gzip / a gzip archive"),
        ]
        for entry in binary where head.starts(with: entry.magic) {
            throw TabularFileError.notTabular(detail: entry.kind)
        }
        let bom = CSVReader.byteOrderMark(head)
        let utf16 = bom == .utf16LittleEndian || bom == .utf16BigEndian ? bom : CSVReader.utf16WithoutBOM(head)
        if utf16 == nil {
            if head.contains(0) {
                throw TabularFileError.notTabular(detail: "tệp nhị phân / a binary file")
            }
            let text = String(decoding: head.prefix(4096), as: UTF8.self).lowercased()
            let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
            if trimmed.hasPrefix("<") {
                if text.contains("urn:schemas-microsoft-com:office:spreadsheet") {
                    throw TabularFileError.disguisedSpreadsheet(kind: "XML Spreadsheet 2003")
                }
                if text.contains("<html") || text.contains("<table") || text.contains("<!doctype html") {
                    throw TabularFileError.disguisedSpreadsheet(kind: "một trang HTML / an HTML page")
                }
            }
        }
        return .csv
    }
}
