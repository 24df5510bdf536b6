import Foundation
import Fluent
import FluentPostgresDriver
import NIOCore
import SQLKit

/// One value of a bulk-written row, typed so it can go out as a bind (SQLite) or as COPY text (PostgreSQL).
enum BulkValue: Sendable {
    case null
    case text(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case uuid(UUID)
    case date(Date)

    init(_ text: String?) { self = text.map(BulkValue.text) ?? .null }
    init(_ int: Int?) { self = int.map(BulkValue.int) ?? .null }

    var bind: any Encodable & Sendable {
        switch self {
        case .null: return String?.none
        case .text(let value): return value
        case .int(let value): return value
        case .double(let value): return value
        case .bool(let value): return value
        case .uuid(let value): return value
        case .date(let value): return value
        }
    }
}

/// Writes many rows into one table in as few round trips as the database allows: `COPY … FROM STDIN` on
/// PostgreSQL (several times faster than INSERT), multi-row INSERTs within the bind limit on SQLite.
enum BulkRows {
    static func insert(_ rows: [[BulkValue]], into table: String, columns: [String], on database: any Database) async throws {
        try await Self.insert(count: rows.count, into: table, columns: columns, on: database) { rows[$0] }
    }

    /// The rows `row(0)`, `row(1)`, … `row(count - 1)` (nil leaves one out), made while they are written: PostgreSQL
    /// starts on the first rows of a COPY while later ones are still being made, so the two cores work together.
    static func insert(count: Int, into table: String, columns: [String], on database: any Database,
                       row: @escaping @Sendable (Int) -> [BulkValue]?) async throws {
        guard count > 0 else { return }
        if let postgres = database as? any PostgresDatabase {
            try await Self.copy(count: count, into: table, columns: columns, on: postgres, logger: database.logger, row: row)
        } else {
            try await Self.insertStatements(count: count, into: table, columns: columns, on: database as! any SQLDatabase, row: row)
        }
    }

    /// Multi-row INSERTs, split so no statement exceeds the bind-parameter limits (SQLite 32,766; PostgreSQL 65,535).
    private static func insertStatements(count: Int, into table: String, columns: [String], on sql: any SQLDatabase,
                                         row: (Int) -> [BulkValue]?) async throws {
        let perStatement = max(1, 30_000 / columns.count)
        var pending: [[BulkValue]] = []
        pending.reserveCapacity(min(count, perStatement))
        for index in 0..<count {
            if let values = row(index) { pending.append(values) }
            if pending.count == perStatement || (index == count - 1 && !pending.isEmpty) {
                let insert = sql.insert(into: table).columns(columns)
                for values in pending { insert.values(values.map(\.bind)) }
                try await insert.run()
                pending.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Streams the rows in 64 KiB messages, so PostgreSQL works through the first ones while the rest are encoded.
    private static func copy(count: Int, into table: String, columns: [String], on database: any PostgresDatabase, logger: Logger,
                             row: @escaping @Sendable (Int) -> [BulkValue]?) async throws {
        try await database.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    var encoder = CopyTextEncoder()
                    var buffer = ByteBufferAllocator().buffer(capacity: 1 << 16 + 4096)
                    for index in 0..<count {
                        guard let values = row(index) else { continue }
                        encoder.write(values, to: &buffer)
                        if buffer.readableBytes >= 1 << 16 {
                            try await writer.write(buffer)
                            buffer.clear()
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
            }
        }.get()
    }
}

/// PostgreSQL COPY text format: tab-separated, `\N` for NULL, backslash escapes for tab, newline, CR, backslash.
/// Bytes are written directly (no intermediate strings): a million-row import encodes some 30 million values.
private struct CopyTextEncoder {
    private var timestamp: (date: Date, text: String)?
    private let formatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    mutating func write(_ row: [BulkValue], to buffer: inout ByteBuffer) {
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            self.write(value, to: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    private mutating func write(_ value: BulkValue, to buffer: inout ByteBuffer) {
        switch value {
        case .null: buffer.writeStaticString("\\N")
        case .int(let int): Self.write(int, to: &buffer)
        case .double(let double): buffer.writeString(String(double))
        case .bool(let bool): buffer.writeStaticString(bool ? "t" : "f")
        case .uuid(let uuid): Self.write(uuid, to: &buffer)
        case .date(let date):
            // A batch shares one "now": format it once.
            if self.timestamp?.date != date { self.timestamp = (date, self.formatter.string(from: date)) }
            buffer.writeString(self.timestamp!.text)
        case .text(let text): Self.write(text, to: &buffer)
        }
    }

    private static func write(_ text: String, to buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
                buffer.writeBytes(bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    private static func write(_ int: Int, to buffer: inout ByteBuffer) {
        guard int != Int.min else {
            buffer.writeString(String(int))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { out in
            var magnitude = int.magnitude
            var start = out.count
            repeat {
                start -= 1
                out[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if int < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: out[start...]))
        }
    }

    private static func write(_ uuid: UUID, to buffer: inout ByteBuffer) {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 36) { out in
                var position = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    out[position] = Self.hexDigit(byte >> 4)
                    out[position + 1] = Self.hexDigit(byte & 0x0F)
                    position += 2
                }
                return 36
            }
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

extension SQLRawBuilder {
    /// Calls `body` with each row as the database delivers it (one at a time, in order), so a large result is never
    /// held whole; the first error `body` throws skips the remaining rows and is rethrown here.
    func forEachRow(_ body: @escaping (any SQLRow) throws -> Void) async throws {
        let sink = RowHandler(body)
        try await self.run { row in
            guard sink.failure == nil else { return }
            do { try sink.body(row) } catch { sink.failure = error }
        }
        if let failure = sink.failure { throw failure }
    }
}

extension SQLRow {
    /// An optional column on a bulk path: PostgresKit decodes `String?`, `Int?`, `UUID?` through a generic `Decoder`
    /// several times slower than the plain type, so NULL is checked first and the plain type decoded.
    @inline(__always)
    func optional<T: Decodable>(_ column: String, as type: T.Type) throws -> T? {
        try self.decodeNil(column: column) ? nil : self.decode(column: column, as: T.self)
    }
}

extension Database {
    /// Calls `body` with each row of `query`, its columns decoded by position as `Column…`, in order and one at a time
    /// (a large result is never held whole). On PostgreSQL the rows are decoded by PostgresNIO directly: SQLKit's row
    /// decodes each value by name through a generic `Decoder`, which took most of the time of writing a city's bank files.
    func forEachRow<each Column: PostgresDecodable & Decodable>(_ query: SQLQueryString, as types: (repeat each Column).Type,
                                                                _ body: @escaping ((repeat each Column)) throws -> Void) async throws {
        let sql = self as! any SQLDatabase
        guard let postgres = self as? any PostgresDatabase else {
            try await sql.raw(query).forEachRow { row in
                let columns = row.allColumns
                var index = 0
                func next<Value: Decodable>(_ type: Value.Type) throws -> Value {
                    defer { index += 1 }
                    guard index < columns.count else { throw ColumnCountMismatch(expected: index + 1, found: columns.count) }
                    return try row.decode(column: columns[index], as: Value.self)
                }
                try body((repeat try next((each Column).self)))
            }
            return
        }
        var serializer = SQLSerializer(database: sql)
        query.serialize(to: &serializer)
        var binds = PostgresBindings()
        for bind in serializer.binds {
            switch bind {
            case let value as UUID: binds.append(value)
            case let value as String: binds.append(value)
            case let value as Bool: binds.append(value)
            case let value as Int: binds.append(value)
            case let value as Int64: binds.append(value)
            default: throw UnsupportedBind(type: "\(type(of: bind))")
            }
        }
        let handler = RowHandler(body)
        let statement = PostgresQuery(unsafeSQL: serializer.sql, binds: binds)
        let logger = self.logger
        try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                for try await row in try await connection.query(statement, logger: logger) {
                    try handler.body(try row.decode((repeat each Column).self))
                }
            }
        }.get()
    }
}

private struct UnsupportedBind: Error { var type: String }
private struct ColumnCountMismatch: Error { var expected: Int; var found: Int }

/// A row handler that may cross to the task or event loop that delivers the rows: they arrive serially, one at a time.
private final class RowHandler<Row>: @unchecked Sendable {
    let body: (Row) throws -> Void
    var failure: (any Error)?
    init(_ body: @escaping (Row) throws -> Void) { self.body = body }
}
