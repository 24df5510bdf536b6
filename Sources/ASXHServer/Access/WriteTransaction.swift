import Fluent
import NIOConcurrencyHelpers
import SQLKit

/// SQLite lets one connection write at a time, and a transaction that read before it writes fails at once ("busy
/// in snapshot") when another connection committed in between: twenty phones syncing together would get errors.
/// So on SQLite write transactions take turns here (in arrival order); PostgreSQL runs them side by side.
final class WriteTurns: Sendable {
    static let shared = WriteTurns()
    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state = NIOLockedValueBox(State())

    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await withCheckedContinuation { (turn: CheckedContinuation<Void, Never>) in
            let enter = self.state.withLockedValue { state -> Bool in
                if state.busy { state.waiting.append(turn); return false }
                state.busy = true
                return true
            }
            if enter { turn.resume() }
        }
        defer {
            let next = self.state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
                if state.waiting.isEmpty { state.busy = false; return nil }
                return state.waiting.removeFirst()
            }
            next?.resume()
        }
        return try await body()
    }
}

extension Database {
    /// A transaction for writes; on SQLite it waits its turn (`WriteTurns`). Inside a transaction it simply runs.
    func writeTransaction<T: Sendable>(_ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        guard !self.inTransaction, (self as? any SQLDatabase)?.dialect.name == "sqlite" else { return try await self.transaction(body) }
        return try await WriteTurns.shared.run { try await self.transaction(body) }
    }
}

extension SQLDatabase {
    /// Runs `statements` (INSERT, UPDATE or DELETE without RETURNING) in order. PostgreSQL gets them as one statement
    /// (all but the last as data-modifying CTEs): one round trip instead of one each, which is what a visit's three
    /// writes cost on a busy server (`asxh bench visits`). A CTE's write is made whether or not anything reads it.
    func run(together statements: [SQLQueryString]) async throws {
        guard self.dialect.name == "postgresql", statements.count > 1 else {
            for statement in statements { try await self.raw(statement).run() }
            return
        }
        var combined: SQLQueryString = "WITH "
        for (index, statement) in statements.dropLast().enumerated() {
            combined += index == 0 ? "" : ", "
            combined += "w\(unsafeRaw: String(index)) AS (\(statement))"
        }
        combined += " "
        combined += statements.last!
        try await self.raw(combined).run()
    }

    /// Holds the lock named `key` until the transaction ends: exclusive, or `shared` with other shared holders. For
    /// work that reads before it writes and must not meet itself (two imports of a bank's result, two batches of a
    /// cycle). PostgreSQL only: SQLite's write transactions take turns anyway (`WriteTurns`).
    func lockUntilCommit(_ key: String, shared: Bool = false) async throws {
        guard self.dialect.name == "postgresql" else { return }
        try await self.raw(shared ? "SELECT pg_advisory_xact_lock_shared(hashtext(\(bind: key)))" : "SELECT pg_advisory_xact_lock(hashtext(\(bind: key)))").run()
    }
}
