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
        guard !rows.isEmpty else { return }
        if let postgres = database as? any PostgresDatabase {
            try await Self.copy(rows, into: table, columns: columns, on: postgres, logger: database.logger)
        } else {
            try await Self.insertStatements(rows, into: table, columns: columns, on: database as! any SQLDatabase)
        }
    }

    /// Multi-row INSERTs, split so no statement exceeds the bind-parameter limits (SQLite 32,766; PostgreSQL 65,535).
    private static func insertStatements(_ rows: [[BulkValue]], into table: String, columns: [String], on sql: any SQLDatabase) async throws {
        let perStatement = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            let insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<end] { insert.values(row.map(\.bind)) }
            try await insert.run()
            start = end
        }
    }

    private static func copy(_ rows: [[BulkValue]], into table: String, columns: [String], on database: any PostgresDatabase, logger: Logger) async throws {
        var buffer = ByteBufferAllocator().buffer(capacity: rows.count * columns.count * 16)
        let timestamps = TimestampText()
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                Self.writeCopyText(value, to: &buffer, timestamps: timestamps)
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        let data = buffer
        try await database.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    try await writer.write(data)
                }
            }
        }.get()
    }

    /// PostgreSQL COPY text format: tab-separated, `\N` for NULL, backslash escapes for tab, newline, CR, backslash.
    private static func writeCopyText(_ value: BulkValue, to buffer: inout ByteBuffer, timestamps: TimestampText) {
        switch value {
        case .null: buffer.writeStaticString("\\N")
        case .int(let int): buffer.writeString(String(int))
        case .double(let double): buffer.writeString(String(double))
        case .bool(let bool): buffer.writeStaticString(bool ? "t" : "f")
        case .uuid(let uuid): buffer.writeString(uuid.uuidString)
        case .date(let date): buffer.writeString(timestamps.text(date))
        case .text(let text):
            for byte in text.utf8 {
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
}

/// ISO timestamps for COPY, formatted once per distinct date (a batch shares one "now").
private final class TimestampText {
    private var last: (Date, String)?
    private let formatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    func text(_ date: Date) -> String {
        if let last, last.0 == date { return last.1 }
        let text = self.formatter.string(from: date)
        self.last = (date, text)
        return text
    }
}
