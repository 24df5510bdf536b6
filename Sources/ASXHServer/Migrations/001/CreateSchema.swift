import Fluent
import Foundation
import SQLKit

// Migration ledger 001: the foundation schema. Append new migrations in new folders; never edit a shipped one.

struct CreateUser: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("area_scheme", .string, .required)
            .field("area_level", .string, .required)
            .field("area_code", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}

struct CreatePerson: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema)
            .id()
            .field("full_name", .string, .required)
            .field("folded_name", .string, .required)
            .field("birth_year", .int)
            .field("birth_month", .int)
            .field("birth_day", .int)
            .field("gender", .string)
            .field("personal_id", .string)
            .field("old_id", .string)
            .field("address", .string)
            .field("province_code", .string)
            .field("district_code", .string)
            .field("commune_code", .string)
            .field("province2025_code", .string)
            .field("commune2025_code", .string)
            .field("needs_address_detail", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        // Area scoping filters on these; import de-duplication looks people up by ID and by folded name.
        for column in ["personal_id", "old_id", "folded_name", "province_code", "district_code", "commune_code", "province2025_code", "commune2025_code"] {
            try await sql.create(index: "people_\(column)_idx").on(Person.schema).column(column).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).delete()
    }
}

struct CreateSourceList: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SourceList.schema)
            .id()
            .field("file_name", .string, .required)
            .field("sha256", .string, .required)
            .field("sheet", .string)
            .field("default_group", .string)
            .field("rows_total", .int, .required)
            .field("rows_imported", .int, .required)
            .field("rows_rejected", .int, .required)
            .field("rows_skipped", .int, .required)
            .field("new_people", .int, .required)
            .field("new_enrolments", .int, .required)
            .field("uploaded_by", .uuid, .references(User.schema, "id"))
            .field("imported_at", .datetime)
            .unique(on: "sha256")
            .create()
        try await database.schema(ListRejection.schema)
            .id()
            .field("list_id", .uuid, .required, .references(SourceList.schema, "id"))
            .field("row", .int, .required)
            .field("column_name", .string, .required)
            .field("value", .string, .required)
            .field("code", .string, .required)
            .field("message_vi", .string, .required)
            .field("message_en", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "list_rejections_list_idx").on(ListRejection.schema).column("list_id").column("row").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ListRejection.schema).delete()
        try await database.schema(SourceList.schema).delete()
    }
}

struct CreateEnrolment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Enrolment.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("source_list_id", .uuid, .required, .references(SourceList.schema, "id"))
            .field("source_row", .int, .required)
            .field("policy_group", .string, .required)
            .field("sub_group", .string)
            .field("monthly_amount", .int64)
            .field("listed_account_number", .string)
            .field("listed_bank", .string)
            .field("created_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "enrolments_person_idx").on(Enrolment.schema).column("person_id").run()
        try await sql.create(index: "enrolments_list_idx").on(Enrolment.schema).column("source_list_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Enrolment.schema).delete()
    }
}

struct CreateCampaign: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Campaign.schema)
            .id()
            .field("name", .string, .required)
            .field("is_current", .bool, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(CampaignCase.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id"))
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("state", .string, .required)
            .field("closed_reason", .string)
            .field("updated_at", .datetime)
            .unique(on: "campaign_id", "person_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "campaign_cases_person_idx").on(CampaignCase.schema).column("person_id").run()
        // The campaign every import feeds until an administrator opens another one. Written with the columns of this
        // ledger (not through the model, which has grown since: a migration must not depend on today's model).
        try await sql.insert(into: Campaign.schema).columns("id", "name", "is_current", "created_at")
            .values(SQLBind(UUID()), SQLBind("Chi trả không dùng tiền mặt – Tết"), SQLBind(true), SQLBind(Date())).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CampaignCase.schema).delete()
        try await database.schema(Campaign.schema).delete()
    }
}

struct CreateAuditEvent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string)
            .field("before", .string)
            .field("after", .string)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "audit_events_entity_idx").on(AuditEvent.schema).column("entity_type").column("entity_id").run()
        try await sql.create(index: "audit_events_at_idx").on(AuditEvent.schema).column("at").run()
        // Append-only in the database itself, so no code path (or role) can rewrite history.
        switch sql.dialect.name {
        case "sqlite":
            for operation in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER audit_events_no_\(unsafeRaw: operation.lowercased()) BEFORE \(unsafeRaw: operation) ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END
                    """).run()
            }
        case "postgresql":
            try await sql.raw("""
                CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
                """).run()
        default:
            break
        }
    }

    /// The audit log is never dropped, not even by reverting the foundation (a revert that would is refused, and
    /// the whole revert with it). Amended in ledger 004: it used to drop the table.
    func revert(on database: any Database) async throws {
        throw AuditLogIsPermanent()
    }
}

/// Refuses any migration step that would remove audit history.
struct AuditLogIsPermanent: Error, CustomStringConvertible {
    var description: String { "Nhật ký kiểm toán không bao giờ bị xoá / the audit log is never dropped: this revert is refused" }
}

/// SQLite only: write-ahead logging, so pages stay readable while a long import holds the write lock.
/// The mode is stored in the database file, so setting it once here is enough (and `asxh match`, which needs no
/// database, never creates one).
struct EnableSQLiteWAL: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" { try await sql.raw("PRAGMA journal_mode=WAL").run() }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" { try await sql.raw("PRAGMA journal_mode=DELETE").run() }
    }
}
