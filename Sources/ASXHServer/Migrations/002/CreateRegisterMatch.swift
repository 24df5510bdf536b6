import Fluent
import SQLKit

// Migration ledger 002: step 1 matching against the population register.

struct CreateRegisterMatch: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RegisterMatch.schema)
            .id()
            .field("enrolment_id", .uuid, .required, .references(Enrolment.schema, "id"))
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("source_list_id", .uuid, .required, .references(SourceList.schema, "id"))
            .field("status", .string, .required)
            .field("citizen_id", .string)
            .field("confidence", .double, .required)
            .field("reasons", .string, .required)
            .field("candidates", .string, .required)
            .field("review_state", .string)
            .field("decided_by", .uuid, .references(User.schema, "id"))
            .field("decided_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "enrolment_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "register_matches_review_idx").on(RegisterMatch.schema).column("review_state").column("person_id").run()
        try await sql.create(index: "register_matches_person_idx").on(RegisterMatch.schema).column("person_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RegisterMatch.schema).delete()
    }
}

/// A person found to be the same as another (same register identity) points to the record that is kept;
/// nothing is deleted, and lists hide merged records.
struct AddPersonMergedInto: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema).field("merged_into", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).deleteField("merged_into").update()
    }
}

/// Exact lookups of known people by name + birth date + commune during imports (see `PersonKey.storageKey`).
struct AddPersonIdentityKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema).field("identity_key", .string).update()
        try await (database as! any SQLDatabase).create(index: "people_identity_key_idx").on(Person.schema).column("identity_key").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "people_identity_key_idx").run()
        try await database.schema(Person.schema).deleteField("identity_key").update()
    }
}

/// Indexes that cost every import and serve no query: a leading-wildcard name search cannot use a b-tree, and a
/// province code is the same for every person of a city.
struct DropLowValuePeopleIndexes: AsyncMigration {
    static let indexes = ["people_folded_name_idx", "people_province_code_idx", "people_province2025_code_idx"]

    func prepare(on database: any Database) async throws {
        for index in Self.indexes { try await (database as! any SQLDatabase).drop(index: index).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (index, column) in zip(Self.indexes, ["folded_name", "province_code", "province2025_code"]) {
            try await sql.create(index: index).on(Person.schema).column(column).run()
        }
    }
}
