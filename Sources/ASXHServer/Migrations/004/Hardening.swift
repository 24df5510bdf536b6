import Fluent
import SQLKit

// Migration ledger 004: hardening before steps 2–5 (sessions, audit places, audit protection).

/// Server-side sessions with expiry, replacing Fluent's session table (which kept a row for every visitor).
struct CreateUserSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserSession.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("csrf", .string, .required)
            .field("created_at", .datetime, .required)
            .field("seen_at", .datetime, .required)
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .unique(on: "token_hash")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "user_sessions_seen_at_idx").on(UserSession.schema).column("seen_at").run()
        try await database.schema("_fluent_sessions").delete()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserSession.schema).delete()
        try await SessionRecord.migration.prepare(on: database).get()
    }
}
