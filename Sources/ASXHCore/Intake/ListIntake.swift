/// Reads one department list end to end, for the importer and for `asxh match` alike: picks the sheet, finds the
/// header, then streams every row through `ListRowParser`. Nothing is held but the first rows of the header scan.
/// Single-consumer: read it from one task at a time (it is handed into a database transaction, hence Sendable).
public final class ListIntake: @unchecked Sendable {
    public let file: TabularFile
    /// The sheet read (an .xlsx may hold several).
    public let sheet: String
    public let header: ListHeader
    private let reader: any TableRowReader
    private var pending: ArraySlice<TableRow>
    private var parser: ListRowParser
    /// The row `next()` parsed last, as the file holds it (for callers that report on rejected rows).
    public private(set) var lastRow: TableRow?

    /// Opens `path` and recognises its header. Without `sheet`, the first sheet whose header is recognisable is
    /// read. Throws `ListIntakeError` with a Vietnamese and an English message; nothing has been read for good.
    public init(path: String, sheet: String? = nil, overrides: [String] = [], defaultGroup: PolicyGroup? = nil) throws(ListIntakeError) {
        do {
            let parsedOverrides = try overrides.map { text throws(ListHeaderError) in try ListColumnOverride(parsing: text) }
            let file = try TabularFile.open(path: path, sheet: sheet)
            let candidates = sheet == nil ? [file.sheet] + file.sheetNames.filter { $0 != file.sheet } : [file.sheet]
            var firstError: ListHeaderError?
            for name in candidates {
                let reader = try file.rows(sheet: name)
                var head: [TableRow] = []
                while head.count < ListHeader.scanLimit, let row = try reader.next() { head.append(row) }
                do {
                    let header = try ListHeader.detect(in: head, overrides: parsedOverrides)
                    self.file = file
                    self.sheet = name
                    self.header = header
                    self.reader = reader
                    self.pending = head[...]
                    self.parser = ListRowParser(header: header, defaultGroup: defaultGroup)
                    let names = header.mappings(for: .fullName).flatMap { mapping in
                        head.filter { $0.number > header.lastHeaderRowNumber }.map { $0[mapping.column.index].text }
                    }
                    let hint = LegacyEncoding.detect(column: names)
                    self.parser.legacyHint = hint == .unicode ? nil : hint
                    return
                } catch {
                    firstError = firstError ?? error
                }
            }
            throw ListIntakeError.header(firstError ?? .noHeaderRow(scanned: 0))
        } catch let error as ListIntakeError {
            throw error
        } catch let error as ListHeaderError {
            throw .header(error)
        } catch let error as TabularFileError {
            throw .file(error)
        } catch {
            throw .file(.unreadable(path: path, reason: "\(error)"))
        }
    }

    /// The next row's outcome, or nil at the end of the sheet. A section heading that names a policy group
    /// ("II. NGƯỜI CÓ CÔNG") sets the group of the rows below it.
    public func next() throws(ListIntakeError) -> ListRowOutcome? {
        let row: TableRow
        if let buffered = self.pending.popFirst() {
            row = buffered
        } else {
            do {
                guard let read = try self.reader.next() else { return nil }
                row = read
            } catch let error as TabularFileError {
                throw .file(error)
            } catch {
                throw .file(.unreadable(path: self.file.path, reason: "\(error)"))
            }
        }
        self.lastRow = row
        let outcome = self.parser.parse(row)
        if case .skip(.section(_, let group?)) = outcome {
            self.parser.defaultGroup = group
        }
        return outcome
    }
}

/// Why a list file cannot be read at all.
public enum ListIntakeError: Error, Sendable, Hashable, CustomStringConvertible {
    case file(TabularFileError)
    case header(ListHeaderError)

    public var code: String {
        switch self {
        case .file(let error): return error.code
        case .header(let error): return error.code
        }
    }

    public var messageVI: String {
        switch self {
        case .file(let error): return error.vietnamese
        case .header(let error): return error.messageVI
        }
    }

    public var messageEN: String {
        switch self {
        case .file(let error): return error.english
        case .header(let error): return error.messageEN
        }
    }

    public var description: String { "\(self.code): \(self.messageVI) / \(self.messageEN)" }
}
