import Foundation
import ZIPFoundation

/// Reads .xlsx workbooks (Office Open XML spreadsheets, transitional or strict) without loading sheets in memory.
///
/// Opening reads only the package's table of contents (workbook, relationships). Reading a sheet loads the styles
/// and the shared string table, then streams the worksheet XML through a byte scanner chunk by chunk as
/// ZIPFoundation inflates it.
///
/// Cells: shared, inline (`inlineStr`, rich text runs) and formula (`str`) strings become `.text` (empty strings
/// `.empty`); numbers `.number`, or `.date(serial:)` when the cell style's number format shows a date (serials of
/// 1904-system workbooks are shifted into the 1900 system); booleans `.bool`; error values such as `#N/A` `.text`.
/// Gaps between cells become `.empty`; trailing empty cells are dropped, and rows holding no value are skipped.
public final class XLSXReader: Sendable {
    /// One sheet of the workbook.
    public struct Sheet: Sendable, Hashable {
        public let name: String
        /// Hidden or "very hidden" in Excel.
        public let isHidden: Bool
        /// Path of the worksheet part inside the package.
        let part: String
    }

    public let path: String
    /// The worksheets in workbook (tab) order; chart sheets are left out.
    public let sheets: [Sheet]
    let sharedStringsPart: String?
    let stylesPart: String?
    let uses1904Dates: Bool

    static let chunkSize = 256 * 1024

    /// How far one part may inflate. A worksheet of two million list rows is under 1 GiB of XML; the other parts
    /// (shared strings, styles, workbook) are loaded in memory, so they get less. Past these, the file is refused
    /// (a "zip bomb" would otherwise inflate for as long as it likes).
    public struct Limits: Sendable {
        public var sheetBytes: Int
        public var otherPartBytes: Int

        public init(sheetBytes: Int = 2 << 30, otherPartBytes: Int = 256 << 20) {
            self.sheetBytes = sheetBytes
            self.otherPartBytes = otherPartBytes
        }
    }

    public let limits: Limits

    /// The worksheet names in workbook (tab) order.
    public var sheetNames: [String] { self.sheets.map(\.name) }

    public init(path: String, limits: Limits = Limits()) throws {
        self.path = path
        self.limits = limits
        let archive = try Self.openArchive(path)
        var parts: [String: String] = [:]
        for entry in archive where entry.type == .file {
            parts[Self.normalisedPartName(entry.path)] = entry.path
        }
        func part(_ name: String) -> String? { parts[Self.normalisedPartName(name)] }

        var root = XLSXRelationshipsParser()
        if let rootRels = part("_rels/.rels") { try Self.scan(archive, rootRels, into: &root, limit: limits.otherPartBytes) }
        let workbookName = root.target(typeSuffix: "officeDocument").map { Self.resolve($0, from: "") }
            ?? "xl/workbook.xml"
        guard let workbookPart = part(workbookName) ?? part("xl/workbook.xml") else {
            throw TabularFileError.notTabular(detail: "tệp ZIP không có workbook / a ZIP file without a workbook")
        }
        let directory = Self.directory(of: workbookPart)
        var relationships = XLSXRelationshipsParser()
        if let relsPart = part(directory + "_rels/" + String(workbookPart.dropFirst(directory.count)) + ".rels") {
            try Self.scan(archive, relsPart, into: &relationships, limit: limits.otherPartBytes)
        }
        var workbook = XLSXWorkbookParser()
        try Self.scan(archive, workbookPart, into: &workbook, limit: limits.otherPartBytes)

        var sheets: [Sheet] = []
        for entry in workbook.sheets {
            guard let relationship = relationships.relationships.first(where: { $0.id == entry.relationshipID }),
                  relationship.type.hasSuffix("/worksheet"),
                  let sheetPart = part(Self.resolve(relationship.target, from: directory))
            else { continue }
            sheets.append(Sheet(name: entry.name, isHidden: entry.hidden, part: sheetPart))
        }
        if sheets.isEmpty && workbook.sheets.isEmpty {
            // No usable workbook.xml: fall back on the conventional part names.
            var index = 1
            while let sheetPart = part("xl/worksheets/sheet\(index).xml") {
                sheets.append(Sheet(name: "Sheet\(index)", isHidden: false, part: sheetPart))
                index += 1
            }
        }
        self.sheets = sheets
        self.sharedStringsPart = relationships.target(typeSuffix: "sharedStrings").flatMap {
            part(Self.resolve($0, from: directory))
        } ?? part("xl/sharedStrings.xml")
        self.stylesPart = relationships.target(typeSuffix: "styles").flatMap {
            part(Self.resolve($0, from: directory))
        } ?? part("xl/styles.xml")
        self.uses1904Dates = workbook.uses1904Dates
    }

    /// The sheet called `name` (exact, then ignoring case, Unicode normalisation and surrounding spaces), or the
    /// first visible sheet when `name` is nil.
    public func sheet(named name: String?) throws -> Sheet {
        guard let name else {
            guard let first = self.sheets.first(where: { !$0.isHidden }) ?? self.sheets.first else {
                throw TabularFileError.corruptWorkbook(detail: "không có trang tính / no worksheet")
            }
            return first
        }
        if let exact = self.sheets.first(where: { $0.name == name }) { return exact }
        let key = Self.sheetKey(name)
        if let loose = self.sheets.first(where: { Self.sheetKey($0.name) == key }) { return loose }
        throw TabularFileError.sheetNotFound(name: name, available: self.sheetNames)
    }

    /// A pull reader over the rows of `sheet` (first visible sheet when nil). The XML is parsed on a dedicated
    /// thread a few thousand rows ahead of the caller, so parsing overlaps with whatever the caller does per row.
    public func rows(sheet: String? = nil) throws -> XLSXRowReader {
        XLSXRowReader(reader: self, sheet: try self.sheet(named: sheet))
    }

    /// Calls `body` with every row of `sheet` (first visible sheet when nil), on the calling thread.
    public func forEachRow(sheet: String? = nil, _ body: (TableRow) throws -> Void) throws {
        let sheet = try self.sheet(named: sheet)
        try self.streamRows(of: sheet) { batch in
            for row in batch { try body(row) }
        }
    }

    /// Streams the rows of `sheet` in batches (one batch per inflated chunk).
    func streamRows(of sheet: Sheet, _ deliver: ([TableRow]) throws -> Void) throws {
        try Self.mappingErrors {
            let archive = try Self.openArchive(self.path)
            var sharedStrings = XLSXSharedStringsParser()
            if let part = self.sharedStringsPart { try Self.scan(archive, part, into: &sharedStrings, limit: self.limits.otherPartBytes) }
            var styles = XLSXStylesParser()
            if let part = self.stylesPart { try Self.scan(archive, part, into: &styles, limit: self.limits.otherPartBytes) }
            var parser = XLSXSheetParser(sharedStrings: sharedStrings.strings, dateStyles: styles.dateStyles,
                                         uses1904Dates: self.uses1904Dates)
            sharedStrings = XLSXSharedStringsParser()
            try Self.scan(archive, sheet.part, into: &parser, limit: self.limits.sheetBytes) { parser in
                if !parser.rows.isEmpty {
                    let batch = parser.rows
                    parser.rows = []
                    try deliver(batch)
                }
            }
            if !parser.rows.isEmpty { try deliver(parser.rows) }
        }
    }

    // MARK: - Package access

    static func openArchive(_ path: String) throws -> Archive {
        do {
            return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw TabularFileError.corruptWorkbook(detail: "ZIP: \(error)")
        }
    }

    /// Feeds the part at `path` through `handler`, chunk by chunk; `afterChunk` runs after each chunk.
    static func scan<Handler: XMLByteHandler>(
        _ archive: Archive,
        _ path: String,
        into handler: inout Handler,
        limit: Int,
        afterChunk: (inout Handler) throws -> Void = { _ in }
    ) throws {
        guard let entry = archive[path] else {
            throw TabularFileError.corruptWorkbook(detail: "missing part \(path)")
        }
        // The declared size can lie; the bytes actually inflated are what count.
        if entry.uncompressedSize > UInt64(limit) { throw TabularFileError.tooLarge(part: path, limitBytes: limit) }
        var scanner = XMLByteScanner()
        var checksum = ZipChecksum()
        var inflated = 0
        _ = try self.mappingErrors {
            try archive.extract(entry, bufferSize: self.chunkSize, skipCRC32: true) { data in
                inflated += data.count
                if inflated > limit { throw TabularFileError.tooLarge(part: path, limitBytes: limit) }
                data.withUnsafeBytes { checksum.update($0) }
                try scanner.feed(data, into: &handler)
                try afterChunk(&handler)
            }
        }
        try scanner.finish(into: &handler)
        try afterChunk(&handler)
        if checksum.value != entry.checksum {
            throw TabularFileError.corruptWorkbook(detail: "CRC mismatch in \(path)")
        }
    }

    /// ZIPFoundation and Foundation errors become `corruptWorkbook`; ours and cancellation pass through.
    static func mappingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TabularFileError {
            throw error
        } catch let error as XLSXReadCancelled {
            throw error
        } catch {
            throw TabularFileError.corruptWorkbook(detail: "\(error)")
        }
    }

    /// Part names are case-insensitive in OPC; some writers also use backslashes or a leading slash.
    static func normalisedPartName(_ name: String) -> String {
        var name = name.replacingOccurrences(of: "\\", with: "/")
        while name.hasPrefix("/") { name.removeFirst() }
        return name.lowercased()
    }

    static func directory(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[...slash])
    }

    /// Resolves a relationship target against the directory of its source part.
    static func resolve(_ target: String, from directory: String) -> String {
        let target = target.replacingOccurrences(of: "\\", with: "/")
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var components: [Substring] = directory.split(separator: "/")
        for component in target.split(separator: "/") {
            if component == ".." {
                if !components.isEmpty { components.removeLast() }
            } else if component != "." {
                components.append(component)
            }
        }
        return components.joined(separator: "/")
    }

    private static func sheetKey(_ name: String) -> String {
        name.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

/// Thrown inside the producer thread when the consumer went away.
struct XLSXReadCancelled: Error {}

/// Pull reader over one worksheet; see `XLSXReader.rows(sheet:)`.
///
/// `next()` blocks while the parsing thread catches up (at most four chunks of rows are buffered). Errors found
/// by the parser (a damaged part, a checksum mismatch at the end) are thrown by `next()` after the rows before
/// them. Dropping the reader before the end stops the parsing thread.
public final class XLSXRowReader: TableRowReader {
    /// The sheet being read.
    public let sheet: XLSXReader.Sheet
    private let channel: XLSXRowChannel
    private var batch: [TableRow] = []
    private var index = 0

    init(reader: XLSXReader, sheet: XLSXReader.Sheet) {
        self.sheet = sheet
        let channel = XLSXRowChannel(capacity: 4)
        self.channel = channel
        let thread = Thread {
            do {
                try reader.streamRows(of: sheet) { batch in try channel.push(batch) }
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        thread.name = "asxh.xlsx-reader"
        thread.start()
    }

    deinit {
        self.channel.cancel()
    }

    public func next() throws -> TableRow? {
        while self.index >= self.batch.count {
            guard let batch = try self.channel.pop() else { return nil }
            self.batch = batch
            self.index = 0
        }
        defer { self.index += 1 }
        return self.batch[self.index]
    }
}

/// A bounded hand-off of row batches from the parsing thread to the reader; the lock guards every field.
final class XLSXRowChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var queue: [[TableRow]] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Blocks while the queue is full; throws once the reader is gone.
    func push(_ batch: [TableRow]) throws {
        self.condition.lock()
        defer { self.condition.unlock() }
        while self.queue.count >= self.capacity && !self.cancelled { self.condition.wait() }
        if self.cancelled { throw XLSXReadCancelled() }
        self.queue.append(batch)
        self.condition.broadcast()
    }

    func finish(_ error: (any Error)?) {
        self.condition.lock()
        self.finished = true
        if !(error is XLSXReadCancelled) { self.failure = error }
        self.condition.broadcast()
        self.condition.unlock()
    }

    /// The next batch, nil at the end; rethrows the producer's error after the rows before it.
    func pop() throws -> [TableRow]? {
        self.condition.lock()
        defer { self.condition.unlock() }
        while self.queue.isEmpty && !self.finished { self.condition.wait() }
        if !self.queue.isEmpty {
            self.condition.broadcast()
            return self.queue.removeFirst()
        }
        if let failure = self.failure {
            self.failure = nil
            throw failure
        }
        return nil
    }

    func cancel() {
        self.condition.lock()
        self.cancelled = true
        self.queue.removeAll()
        self.condition.broadcast()
        self.condition.unlock()
    }
}
