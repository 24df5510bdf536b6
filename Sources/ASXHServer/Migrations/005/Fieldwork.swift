import ASXHCore
import Fluent
import Foundation
import SQLKit

// Migration ledger 005: steps 2–4 (working groups, the survey, visits, classes, deadlines).

/// Campaigns open and close with a schedule of step deadlines; the existing one gets the Hanoi 2024 schedule.
struct AddCampaignSchedule: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Campaign.schema).field("deadlines", .string).update()
        try await database.schema(Campaign.schema).field("opened_at", .datetime).update()
        try await database.schema(Campaign.schema).field("closed_at", .datetime).update()
        let sql = database as! any SQLDatabase
        try await sql.update(Campaign.schema).set("deadlines", to: Campaign.encode(CampaignSchedule.hanoi2024)).set("opened_at", to: Date()).run()
    }

    func revert(on database: any Database) async throws {
        for field in ["deadlines", "opened_at", "closed_at"] {
            try await database.schema(Campaign.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}

/// Published survey versions; version 1 is the standard Vietnamese set.
struct CreateQuestionnaire: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StoredQuestionnaire.schema)
            .id()
            .field("version", .int, .required)
            .field("body", .string, .required)
            .field("published_at", .datetime, .required)
            .field("published_by", .uuid, .references(User.schema, "id"))
            .unique(on: "version")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.insert(into: StoredQuestionnaire.schema).columns("id", "version", "body", "published_at")
            .values(SQLBind(UUID()), SQLBind(Questionnaire.standard.version), SQLBind(StoredQuestionnaire.encode(Questionnaire.standard)), SQLBind(Date())).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StoredQuestionnaire.schema).delete()
    }
}

/// Working groups per commune and their members (a user belongs to at most one group).
struct CreateWorkingGroup: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WorkingGroup.schema)
            .id()
            .field("name", .string, .required)
            .field("area_scheme", .string, .required)
            .field("commune_code", .string, .required)
            .field("leader_id", .uuid, .references(User.schema, "id"))
            .field("created_at", .datetime)
            .unique(on: "area_scheme", "commune_code", "name")
            .create()
        try await database.schema(WorkingGroupMember.schema)
            .id()
            .field("group_id", .uuid, .required, .references(WorkingGroup.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .unique(on: "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorkingGroupMember.schema).delete()
        try await database.schema(WorkingGroup.schema).delete()
    }
}

/// What a case carries through steps 2–4: its group, member and place on the walk, its household, its class.
struct AddCaseFieldwork: AsyncMigration {
    static let fields: [(String, DatabaseSchema.DataType)] = [
        ("group_id", .uuid), ("member_id", .uuid), ("walk_order", .int), ("household", .string),
        ("case_class", .string), ("classification", .string), ("classified_at", .datetime),
        ("visit_count", .int), ("missed_visits", .int), ("last_visit_id", .uuid),
    ]

    func prepare(on database: any Database) async throws {
        for (name, type) in Self.fields {
            try await database.schema(CampaignCase.schema).field(FieldKey(stringLiteral: name), type).update()
        }
        let sql = database as! any SQLDatabase
        try await sql.update(CampaignCase.schema).set("visit_count", to: 0).set("missed_visits", to: 0).run()
        try await sql.create(index: "campaign_cases_member_idx").on(CampaignCase.schema).column("member_id").column("walk_order").run()
        try await sql.create(index: "campaign_cases_group_idx").on(CampaignCase.schema).column("group_id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "campaign_cases_member_idx").run()
        try await sql.drop(index: "campaign_cases_group_idx").run()
        for (name, _) in Self.fields {
            try await database.schema(CampaignCase.schema).deleteField(FieldKey(stringLiteral: name)).update()
        }
    }
}

/// Visits as submitted (one row per client key, so a retried submission is stored once) and their photos.
struct CreateVisit: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Visit.schema)
            .id()
            .field("client_key", .string, .required)
            .field("case_id", .uuid, .required, .references(CampaignCase.schema, "id"))
            .field("member_id", .uuid, .required, .references(User.schema, "id"))
            .field("questionnaire_version", .int, .required)
            .field("answers", .string, .required)
            .field("outcome", .string, .required)
            .field("status", .string, .required)
            .field("visited_at", .datetime, .required)
            .field("received_at", .datetime, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("resolved_by", .uuid, .references(User.schema, "id"))
            .field("resolved_at", .datetime)
            .unique(on: "client_key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "visits_case_idx").on(Visit.schema).column("case_id").run()
        try await database.schema(VisitFile.schema)
            .id()
            .field("visit_id", .uuid, .required, .references(Visit.schema, "id"))
            .field("kind", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("data", .data, .required)
            .create()
        try await sql.create(index: "visit_files_visit_idx").on(VisitFile.schema).column("visit_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(VisitFile.schema).delete()
        try await database.schema(Visit.schema).delete()
    }
}

/// The commune chair's sign-off of the commune's step-4 lists, with the counts signed for.
struct CreateCommuneSignoff: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CommuneSignoff.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id"))
            .field("area_scheme", .string, .required)
            .field("commune_code", .string, .required)
            .field("signed_by", .uuid, .required, .references(User.schema, "id"))
            .field("signed_at", .datetime, .required)
            .field("counts", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "commune_signoffs_commune_idx").on(CommuneSignoff.schema).column("campaign_id").column("commune_code").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CommuneSignoff.schema).delete()
    }
}

/// Tokens for phones and scripts calling `/api/v1`: issued and revoked per user; only a hash is stored.
struct CreateDeviceToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DeviceToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .field("revoked_by", .uuid, .references(User.schema, "id"))
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DeviceToken.schema).delete()
    }
}

/// Cases carry their person's place (a derived copy kept by the database itself), so progress for a city of
/// 300,000 cases is one scan of one table instead of a join with every person (`asxh bench visits`). Imports
/// write the copy with the case; triggers fill it for any other insert and follow every change of a person's place.
struct AddCasePlace: AsyncMigration {
    static let columns = PersonPlace.columns

    func prepare(on database: any Database) async throws {
        for column in Self.columns {
            try await database.schema(CampaignCase.schema).field(FieldKey(stringLiteral: column), .string).update()
        }
        let sql = database as! any SQLDatabase
        let copy = Self.columns.map { "\($0) = (SELECT p.\($0) FROM people p WHERE p.id = campaign_cases.person_id)" }.joined(separator: ", ")
        try await sql.raw("UPDATE campaign_cases SET \(unsafeRaw: copy)").run()
        try await sql.create(index: "campaign_cases_district_commune_idx").on(CampaignCase.schema).column("campaign_id").column("district_code").column("commune_code").run()
        try await sql.create(index: "campaign_cases_commune2025_idx").on(CampaignCase.schema).column("campaign_id").column("commune2025_code").run()
        let changed = Self.columns.map { "OLD.\($0) IS DISTINCT FROM NEW.\($0)" }.joined(separator: " OR ")
        let fromNew = Self.columns.map { "\($0) = NEW.\($0)" }.joined(separator: ", ")
        let list = Self.columns.joined(separator: ", ")
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE FUNCTION campaign_cases_follow_person() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE campaign_cases SET \(unsafeRaw: fromNew) WHERE person_id = NEW.id; RETURN NULL; END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER people_place_to_cases AFTER UPDATE OF \(unsafeRaw: list) ON people
                FOR EACH ROW WHEN (\(unsafeRaw: changed)) EXECUTE FUNCTION campaign_cases_follow_person()
                """).run()
            let fill = Self.columns.map { "NEW.\($0) := p.\($0);" }.joined(separator: " ")
            try await sql.raw("""
                CREATE FUNCTION campaign_cases_fill_place() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE p people%ROWTYPE;
                BEGIN SELECT * INTO p FROM people WHERE id = NEW.person_id; \(unsafeRaw: fill) RETURN NEW; END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER campaign_cases_place BEFORE INSERT ON campaign_cases
                FOR EACH ROW WHEN (NEW.province_code IS NULL AND NEW.province2025_code IS NULL) EXECUTE FUNCTION campaign_cases_fill_place()
                """).run()
        } else {
            let sqliteChanged = Self.columns.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
            try await sql.raw("""
                CREATE TRIGGER people_place_to_cases AFTER UPDATE OF \(unsafeRaw: list) ON people
                FOR EACH ROW WHEN \(unsafeRaw: sqliteChanged)
                BEGIN UPDATE campaign_cases SET \(unsafeRaw: fromNew) WHERE person_id = NEW.id; END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER campaign_cases_place AFTER INSERT ON campaign_cases
                FOR EACH ROW WHEN NEW.province_code IS NULL AND NEW.province2025_code IS NULL
                BEGIN UPDATE campaign_cases SET \(unsafeRaw: copy) WHERE id = NEW.id; END
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER people_place_to_cases ON people").run()
            try await sql.raw("DROP TRIGGER campaign_cases_place ON campaign_cases").run()
            try await sql.raw("DROP FUNCTION campaign_cases_follow_person()").run()
            try await sql.raw("DROP FUNCTION campaign_cases_fill_place()").run()
        } else {
            try await sql.raw("DROP TRIGGER people_place_to_cases").run()
            try await sql.raw("DROP TRIGGER campaign_cases_place").run()
        }
        try await sql.drop(index: "campaign_cases_district_commune_idx").run()
        try await sql.drop(index: "campaign_cases_commune2025_idx").run()
        for column in Self.columns {
            try await database.schema(CampaignCase.schema).deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}

/// PostgreSQL: leave a tenth of each case page free, so a visit's update of a case fits beside it and touches
/// none of the case's six indexes (a "HOT" update); with full pages almost half the updates rewrote every index.
struct CasePagesRoomForVisits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE campaign_cases SET (fillfactor = 90)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE campaign_cases RESET (fillfactor)").run()
    }
}

/// After the visit: an A2 opening (bank, day), a C plan's closure (when, what was done).
struct AddCaseFollowUp: AsyncMigration {
    static let fields: [(String, DatabaseSchema.DataType)] = [
        ("opened_bank", .string), ("opened_on", .string), ("support_closed_at", .datetime), ("support_note", .string),
    ]

    func prepare(on database: any Database) async throws {
        for (name, type) in Self.fields {
            try await database.schema(CampaignCase.schema).field(FieldKey(stringLiteral: name), type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (name, _) in Self.fields {
            try await database.schema(CampaignCase.schema).deleteField(FieldKey(stringLiteral: name)).update()
        }
    }
}

/// A class changed without a new visit: corrected answers proposed by one officer, decided by another.
struct CreateClassChange: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ClassChange.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CampaignCase.schema, "id"))
            .field("questionnaire_version", .int, .required)
            .field("answers", .string, .required)
            .field("from_class", .string)
            .field("to_class", .string, .required)
            .field("classification", .string, .required)
            .field("reason", .string, .required)
            .field("proposed_by", .uuid, .required, .references(User.schema, "id"))
            .field("proposed_at", .datetime, .required)
            .field("status", .string, .required)
            .field("decided_by", .uuid, .references(User.schema, "id"))
            .field("decided_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "class_changes_case_idx").on(ClassChange.schema).column("case_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ClassChange.schema).delete()
    }
}
