import Foundation

/// Writes CSV with RFC 4180 quoting, to a file (buffered, streaming) or to a `String`.
///
/// Excel opens BOM-less UTF-8 CSV as ANSI (mojibake for Vietnamese), so files meant for Excel users should be
/// written with `byteOrderMark: true`. Excel also drops leading zeros from digit-only fields such as CCCD numbers;
/// prefer `XLSXWriter` for lists people open in Excel.
public final class CSVWriter {
    /// Line ending written after every row.
    public enum LineEnding: String, Sendable {
        case crlf = "\r\n"
        case lf = "\n"
    }

    public let delimiter: UInt8
    public let lineEnding: LineEnding
    /// When true, a field starting with `=`, `+`, `-` or `@` gets a leading `'` so spreadsheet programs do not run it
    /// as a formula (CSV injection); off by default because it changes the data.
    public let neutralisesFormulas: Bool

    private let handle: FileHandle
    private let ownsHandle: Bool
    private var pending: [UInt8] = []
    private var closed = false
    private static let flushThreshold = 256 * 1024

    /// Writes to `handle` (not closed by the writer); call `flush()` or `close()` at the end.
    public convenience init(
        handle: FileHandle,
        delimiter: UInt8 = UInt8(ascii: ","),
        lineEnding: LineEnding = .crlf,
        byteOrderMark: Bool = false,
        neutralisesFormulas: Bool = false
    ) {
        self.init(handle: handle, delimiter: delimiter, lineEnding: lineEnding, byteOrderMark: byteOrderMark,
                  neutralisesFormulas: neutralisesFormulas, owning: false)
    }

    /// Creates (or truncates) the file at `path` and writes to it; `close()` closes it.
    public convenience init(
        path: String,
        delimiter: UInt8 = UInt8(ascii: ","),
        lineEnding: LineEnding = .crlf,
        byteOrderMark: Bool = false,
        neutralisesFormulas: Bool = false
    ) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else {
            throw TabularFileError.writeFailed(detail: "cannot create \(path)")
        }
        self.init(handle: handle, delimiter: delimiter, lineEnding: lineEnding, byteOrderMark: byteOrderMark,
                  neutralisesFormulas: neutralisesFormulas, owning: true)
    }

    private init(handle: FileHandle, delimiter: UInt8, lineEnding: LineEnding, byteOrderMark: Bool,
                 neutralisesFormulas: Bool, owning: Bool) {
        self.handle = handle
        self.ownsHandle = owning
        self.delimiter = delimiter
        self.lineEnding = lineEnding
        self.neutralisesFormulas = neutralisesFormulas
        if byteOrderMark { self.pending.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    deinit {
        if self.ownsHandle && !self.closed { try? self.handle.close() }
    }

    /// Appends one row; written to the file in 256 KiB blocks.
    public func write(row: [String]) throws {
        Self.encode(row, delimiter: self.delimiter, lineEnding: self.lineEnding,
                    neutralisesFormulas: self.neutralisesFormulas, into: &self.pending)
        if self.pending.count >= Self.flushThreshold { try self.flush() }
    }

    /// Writes buffered rows to the file.
    public func flush() throws {
        guard !self.pending.isEmpty else { return }
        do {
            try self.handle.write(contentsOf: self.pending)
        } catch {
            throw TabularFileError.writeFailed(detail: "\(error)")
        }
        self.pending.removeAll(keepingCapacity: true)
    }

    /// Flushes, and closes the file if the writer opened it.
    public func close() throws {
        try self.flush()
        if self.ownsHandle && !self.closed { try self.handle.close() }
        self.closed = true
    }

    /// The CSV text of `rows` (a leading U+FEFF when `byteOrderMark` is true).
    public static func string(
        rows: [[String]],
        delimiter: UInt8 = UInt8(ascii: ","),
        lineEnding: LineEnding = .crlf,
        byteOrderMark: Bool = false,
        neutralisesFormulas: Bool = false
    ) -> String {
        var bytes: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
        for row in rows {
            self.encode(row, delimiter: delimiter, lineEnding: lineEnding, neutralisesFormulas: neutralisesFormulas,
                        into: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func encode(
        _ row: [String],
        delimiter: UInt8,
        lineEnding: LineEnding,
        neutralisesFormulas: Bool,
        into output: inout [UInt8]
    ) {
        for (index, field) in row.enumerated() {
            if index > 0 { output.append(delimiter) }
            var field = field
            if neutralisesFormulas, let first = field.utf8.first,
               first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                || first == UInt8(ascii: "@") {
                field = "'" + field
            }
            var needsQuotes = false
            for byte in field.utf8 where byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                needsQuotes = true
                break
            }
            if !needsQuotes {
                output.append(contentsOf: field.utf8)
                continue
            }
            output.append(0x22)
            for byte in field.utf8 {
                if byte == 0x22 { output.append(0x22) }
                output.append(byte)
            }
            output.append(0x22)
        }
        output.append(contentsOf: lineEnding.rawValue.utf8)
    }
}
