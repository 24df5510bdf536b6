import ASXHCore
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

/// Audit events carry the place they concern, so an auditor bound to a district or commune reads only theirs.
struct AddAuditEventPlace: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for column in PersonPlace.columns {
            try await database.schema(AuditEvent.schema).field(FieldKey(stringLiteral: column), .string).update()
        }
        let sql = database as! any SQLDatabase
        try await sql.create(index: "audit_events_district_commune_idx").on(AuditEvent.schema).column("district_code").column("commune_code").run()
        try await sql.create(index: "audit_events_commune2025_idx").on(AuditEvent.schema).column("commune2025_code").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "audit_events_district_commune_idx").run()
        try await sql.drop(index: "audit_events_commune2025_idx").run()
        for column in PersonPlace.columns {
            try await database.schema(AuditEvent.schema).deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}

/// PostgreSQL: `TRUNCATE` skips row and statement triggers on UPDATE/DELETE, so it gets its own refusal.
struct BlockAuditTruncate: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }  // SQLite has no TRUNCATE; its DELETE is refused
        try await sql.raw("""
            CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
            """).run()
    }

    func revert(on database: any Database) async throws {
        throw AuditLogIsPermanent()
    }
}

/// Campaigns name their province and scheme, so placement and defaults follow them instead of Hà Nội's codes.
/// The campaign that exists already is Hà Nội's (the only province asxh has run in), pre-2025 codes.
struct AddCampaignPlace: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        try await database.schema(Campaign.schema).field("province_code", .string).update()
        try await database.schema(Campaign.schema).field("scheme", .string).update()
        let sql = database as! any SQLDatabase
        try await sql.update(Campaign.schema).set("province_code", to: "01").set("scheme", to: AdministrativeScheme.before2025.rawValue).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Campaign.schema).deleteField("province_code").update()
        try await database.schema(Campaign.schema).deleteField("scheme").update()
    }
}

/// Recognition keys become name + birth year + commune (the 2025 commune when known): a list's "1938" now meets
/// a record's "12/03/1938", and people imported under either scheme meet. Month and day are compared after the
/// look-up. Existing keys are rewritten in one statement, in the format `PersonKey.storageKey` writes.
struct IdentityKeyByBirthYear: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("""
            UPDATE people SET identity_key = CASE WHEN birth_year IS NULL OR COALESCE(commune2025_code, commune_code) IS NULL OR folded_name = '' THEN NULL
              ELSE folded_name || '|' || CAST(birth_year AS TEXT) || '|' || COALESCE(commune2025_code, commune_code) END
            """).run()
    }

    func revert(on database: any Database) async throws {
        // The old format carried month and day; the old commune came first.
        let sql = database as! any SQLDatabase
        try await sql.raw("""
            UPDATE people SET identity_key = CASE WHEN birth_year IS NULL OR COALESCE(commune_code, commune2025_code) IS NULL OR folded_name = '' THEN NULL
              ELSE folded_name || '|' || CAST(birth_year AS TEXT) || '|' || COALESCE(CAST(birth_month AS TEXT), '') || '|' || COALESCE(CAST(birth_day AS TEXT), '') || '|' || COALESCE(commune_code, commune2025_code) END
            """).run()
    }
}
