import Foundation

/// Streams the records of a CSV (or tab-separated) file as `TableRow`s, reading it in chunks.
///
/// - RFC 4180 quoting: quoted fields may hold delimiters, doubled quotes and line breaks. Stray quotes inside
///   unquoted fields are kept as text, the way Excel reads them.
/// - Line breaks: CRLF, LF or a lone CR. A blank line is a row with no cells.
/// - Encoding: UTF-8 with or without BOM, UTF-16 LE/BE with BOM, otherwise Windows-1258 when the bytes are not
///   UTF-8 (the whole file is checked first, in a streaming pass). Text with combining marks is normalised to NFC.
/// - Delimiter: `,`, `;` or tab, guessed from the first lines unless given.
///
/// Row numbers are record numbers, 1-based: a record holding a quoted line break is still one row.
public final class CSVReader: TableRowReader {
    public let path: String
    /// The encoding the file was decoded with.
    public let detectedEncoding: CSVEncoding
    /// The field delimiter used (given or detected): `,`, `;` or `\t` as an ASCII byte.
    public let delimiter: UInt8

    private let file: RawFile
    private var readBuffer: [UInt8]
    /// Decoded UTF-8 bytes not yet parsed start at `start`.
    private var buffer: [UInt8] = []
    private var start = 0
    private var reachedEnd = false
    private var transcoder: UTF16Transcoder?
    private var parser: CSVRecordParser
    private var rowNumber = 0

    /// Opens `path`. `delimiter` and `encoding` override the detection; `chunkSize` is the read size in bytes.
    public init(path: String, delimiter: UInt8? = nil, encoding: CSVEncoding? = nil, chunkSize: Int = 256 * 1024) throws {
        self.path = path
        let chunkSize = max(chunkSize, 16)
        let file = try RawFile(path: path)
        self.file = file
        var readBuffer = [UInt8](repeating: 0, count: chunkSize)
        let firstCount = try readBuffer.withUnsafeMutableBytes { try file.read(into: $0) }
        let first = Array(readBuffer[0..<firstCount])

        let bom = Self.byteOrderMark(first)
        let encoding = try encoding ?? bom ?? Self.guessEncoding(first: first, file: file, chunkSize: chunkSize)
        self.detectedEncoding = encoding
        var transcoder: UTF16Transcoder?
        switch encoding {
        case .utf16LittleEndian: transcoder = UTF16Transcoder(bigEndian: false)
        case .utf16BigEndian: transcoder = UTF16Transcoder(bigEndian: true)
        default: transcoder = nil
        }
        let skip = bom == encoding || (bom == .utf8BOM && encoding == .utf8) ? Self.byteOrderMarkLength(bom) : 0

        var decoded: [UInt8] = []
        first.withUnsafeBufferPointer { raw in
            Self.decode(UnsafeBufferPointer(rebasing: raw[skip...]), encoding: encoding, transcoder: &transcoder,
                        into: &decoded)
        }
        var atEnd = firstCount < chunkSize
        // The delimiter guess wants a few lines: with small chunks, read on (at most 64 KiB) before guessing.
        var lineBreaks = decoded.lazy.filter { $0 == 0x0A }.count
        while !atEnd && decoded.count < 64 * 1024 && lineBreaks < 30 {
            let before = decoded.count
            let count = try readBuffer.withUnsafeMutableBytes { try file.read(into: $0) }
            readBuffer.withUnsafeBufferPointer { raw in
                Self.decode(UnsafeBufferPointer(rebasing: raw[0..<count]), encoding: encoding,
                            transcoder: &transcoder, into: &decoded)
            }
            lineBreaks += decoded[before...].lazy.filter { $0 == 0x0A }.count
            atEnd = count < chunkSize
        }
        if atEnd {
            // A short read means the file ended: settle a dangling UTF-16 byte now.
            self.reachedEnd = true
            transcoder?.finish(to: &decoded)
        }
        self.transcoder = transcoder
        let delimiter = delimiter ?? Self.guessDelimiter(decoded)
        self.delimiter = delimiter
        self.parser = CSVRecordParser(delimiter: delimiter)
        self.buffer = decoded
        self.readBuffer = readBuffer
    }

    public func next() throws -> TableRow? {
        while true {
            if self.reachedEnd && self.start >= self.buffer.count { return nil }
            let eof = self.reachedEnd
            let begin = self.start
            let parsed = try self.buffer.withUnsafeBufferPointer { bytes in
                try self.parser.parse(bytes, from: begin, atEnd: eof, row: self.rowNumber + 1)
            }
            if let (cells, end) = parsed {
                self.start = end
                self.rowNumber += 1
                return TableRow(number: self.rowNumber, cells: cells)
            }
            try self.refill()
        }
    }

    private func refill() throws {
        if self.start > 0 {
            self.buffer.removeSubrange(0..<self.start)
            self.start = 0
        }
        let count = try self.readBuffer.withUnsafeMutableBytes { try self.file.read(into: $0) }
        var transcoder = self.transcoder
        self.readBuffer.withUnsafeBufferPointer { raw in
            Self.decode(UnsafeBufferPointer(rebasing: raw[0..<count]), encoding: self.detectedEncoding,
                        transcoder: &transcoder, into: &self.buffer)
        }
        if count < self.readBuffer.count {
            self.reachedEnd = true
            transcoder?.finish(to: &self.buffer)
        }
        self.transcoder = transcoder
    }

    // MARK: - Detection

    static func byteOrderMark(_ bytes: [UInt8]) -> CSVEncoding? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8BOM }
        if bytes.starts(with: [0xFF, 0xFE]) { return .utf16LittleEndian }
        if bytes.starts(with: [0xFE, 0xFF]) { return .utf16BigEndian }
        return nil
    }

    private static func byteOrderMarkLength(_ encoding: CSVEncoding?) -> Int {
        switch encoding {
        case .utf8BOM: return 3
        case .utf16LittleEndian, .utf16BigEndian: return 2
        default: return 0
        }
    }

    /// UTF-16 without a BOM shows as NUL bytes in every other position; otherwise check the whole file for UTF-8.
    private static func guessEncoding(first: [UInt8], file: RawFile, chunkSize: Int) throws -> CSVEncoding {
        if let utf16 = self.utf16WithoutBOM(first) { return utf16 }
        var census = UTF8Census()
        first.withUnsafeBufferPointer { census.scan($0) }
        if first.count == chunkSize {
            var offset = first.count
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            while true {
                let count = try chunk.withUnsafeMutableBytes { try file.read(at: offset, into: $0) }
                if count == 0 { break }
                chunk.withUnsafeBufferPointer { census.scan(UnsafeBufferPointer(rebasing: $0[0..<count])) }
                offset += count
            }
        }
        census.finish()
        return census.looksLikeUTF8 ? .utf8 : .windows1258
    }

    static func utf16WithoutBOM(_ bytes: [UInt8]) -> CSVEncoding? {
        let sample = bytes.prefix(4096)
        guard sample.count >= 4 else { return nil }
        var evenZeros = 0
        var oddZeros = 0
        for (offset, byte) in sample.enumerated() where byte == 0 {
            if offset % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 }
        }
        let pairs = sample.count / 2
        if oddZeros * 10 > pairs * 3 && evenZeros * 10 < pairs { return .utf16LittleEndian }
        if evenZeros * 10 > pairs * 3 && oddZeros * 10 < pairs { return .utf16BigEndian }
        return nil
    }

    /// Picks the candidate whose count per line (outside quotes) is the same on the most lines of the first 30.
    static func guessDelimiter(_ bytes: [UInt8]) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        var perLine: [[Int]] = []
        var counts = [0, 0, 0]
        var inQuotes = false
        var sawContent = false
        for byte in bytes.prefix(64 * 1024) {
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
                sawContent = true
            } else if !inQuotes && (byte == 0x0A || byte == 0x0D) {
                if sawContent { perLine.append(counts) }
                counts = [0, 0, 0]
                sawContent = false
                if perLine.count >= 30 { break }
            } else {
                sawContent = true
                if !inQuotes, let index = candidates.firstIndex(of: byte) { counts[index] += 1 }
            }
        }
        if sawContent && perLine.count < 30 { perLine.append(counts) }

        var best: (delimiter: UInt8, lines: Int, count: Int) = (candidates[0], 0, 0)
        for (index, candidate) in candidates.enumerated() {
            var frequency: [Int: Int] = [:]
            for line in perLine where line[index] > 0 { frequency[line[index], default: 0] += 1 }
            guard let mode = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { continue }
            if (mode.value, mode.key) > (best.lines, best.count) { best = (candidate, mode.value, mode.key) }
        }
        return best.delimiter
    }

    // MARK: - Decoding

    private static func decode(
        _ raw: UnsafeBufferPointer<UInt8>,
        encoding: CSVEncoding,
        transcoder: inout UTF16Transcoder?,
        into output: inout [UInt8]
    ) {
        switch encoding {
        case .utf8, .utf8BOM: output.append(contentsOf: raw)
        case .windows1258: Windows1258.appendUTF8(of: raw, to: &output)
        case .utf16LittleEndian, .utf16BigEndian: transcoder?.append(raw, to: &output)
        }
    }
}

/// Splits one record off a UTF-8 buffer. Kept apart from the reader so the hot loop touches no class storage.
struct CSVRecordParser {
    let delimiter: UInt8
    private var field: [UInt8] = []
    private var expectedCells = 8

    init(delimiter: UInt8) {
        self.delimiter = delimiter
    }

    /// The cells of the record starting at `begin` and the index after its line break, or `nil` when the buffer
    /// ends before the record does and more bytes may come (`atEnd == false`).
    mutating func parse(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from begin: Int,
        atEnd: Bool,
        row: Int
    ) throws -> ([Cell], Int)? {
        let count = bytes.count
        let delimiter = self.delimiter
        var i = begin
        guard i < count else { return atEnd ? ([], count) : nil }

        let first = bytes[i]
        if first == 0x0A { return ([], i + 1) }
        if first == 0x0D {
            if i + 1 < count { return ([], bytes[i + 1] == 0x0A ? i + 2 : i + 1) }
            return atEnd ? ([], i + 1) : nil
        }

        var cells: [Cell] = []
        cells.reserveCapacity(self.expectedCells)
        while true {
            if i < count && bytes[i] == 0x22 {
                // Quoted field: copy segments between quotes, a doubled quote stands for one.
                i += 1
                self.field.removeAll(keepingCapacity: true)
                var segment = i
                while true {
                    var quote = i
                    while quote < count && bytes[quote] != 0x22 { quote += 1 }
                    if quote == count {
                        if atEnd { throw TabularFileError.unterminatedQuote(row: row) }
                        return nil
                    }
                    self.field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment..<quote]))
                    if quote + 1 < count && bytes[quote + 1] == 0x22 {
                        self.field.append(0x22)
                        i = quote + 2
                        segment = i
                        continue
                    }
                    if quote + 1 == count && !atEnd { return nil }
                    i = quote + 1
                    break
                }
                // Text after the closing quote (`"a"b,`) is kept, as Excel does.
                let end = Self.fieldEnd(bytes, from: i, delimiter: delimiter)
                if end == count && !atEnd { return nil }
                if end > i { self.field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end])) }
                cells.append(self.field.withUnsafeBufferPointer { Self.cell($0) })
                i = end
            } else {
                let end = Self.fieldEnd(bytes, from: i, delimiter: delimiter)
                if end == count && !atEnd { return nil }
                cells.append(Self.cell(UnsafeBufferPointer(rebasing: bytes[i..<end])))
                i = end
            }

            if i >= count { break }
            let terminator = bytes[i]
            if terminator == delimiter {
                i += 1
                continue
            }
            if terminator == 0x0D {
                if i + 1 < count {
                    i += bytes[i + 1] == 0x0A ? 2 : 1
                } else if atEnd {
                    i += 1
                } else {
                    return nil
                }
            } else {
                i += 1
            }
            break
        }
        self.expectedCells = cells.count
        return (cells, i)
    }

    @inline(__always)
    private static func fieldEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> Int {
        var i = start
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if byte == delimiter || byte == 0x0A || byte == 0x0D { return i }
            i += 1
        }
        return count
    }

    @inline(__always)
    static func cell(_ bytes: UnsafeBufferPointer<UInt8>) -> Cell {
        if bytes.isEmpty { return .empty }
        let text = String(decoding: bytes, as: UTF8.self)
        // 0xCC/0xCD lead bytes are U+0300...U+037F: combining marks (Windows-1258 tones, or NFD text).
        for byte in bytes where byte & 0xFE == 0xCC {
            return .text(text.precomposedStringWithCanonicalMapping)
        }
        return .text(text)
    }
}
