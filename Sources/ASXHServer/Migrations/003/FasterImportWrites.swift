import Fluent
import SQLKit

// Migration ledger 003: the import write path at city scale (measured in README, "Speed").

/// Cheaper people indexes on the import path, with the same look-ups served:
/// - district and commune: one (district, commune) index instead of two; a commune's scope names its district too
///   (`Area.personFilters`), which the commune code determines anyway.
/// - old IDs: most people have none, and a b-tree entry per empty value cost every import; no query asks for one.
/// - personal IDs and identity keys, on PostgreSQL: only ever compared for equality, so hash indexes (a 4-byte hash
///   per entry instead of the key) are cheaper to insert into and to probe (1.5–2 s less per million rows imported).
///   SQLite has no hash index and keeps its b-trees.
struct LeanPeopleIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "people_district_code_idx").run()
        try await sql.drop(index: "people_commune_code_idx").run()
        try await sql.create(index: "people_district_commune_idx").on(Person.schema).column("district_code").column("commune_code").run()
        try await sql.drop(index: "people_old_id_idx").run()
        try await sql.raw("CREATE INDEX people_old_id_idx ON people (old_id) WHERE old_id IS NOT NULL").run()
        if sql.dialect.name == "postgresql" {
            try await sql.drop(index: "people_identity_key_idx").run()
            try await sql.raw("CREATE INDEX people_identity_key_idx ON people USING hash (identity_key)").run()
            try await sql.drop(index: "people_personal_id_idx").run()
            try await sql.raw("CREATE INDEX people_personal_id_idx ON people USING hash (personal_id)").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "people_district_commune_idx").run()
        try await sql.create(index: "people_district_code_idx").on(Person.schema).column("district_code").run()
        try await sql.create(index: "people_commune_code_idx").on(Person.schema).column("commune_code").run()
        try await sql.drop(index: "people_old_id_idx").run()
        try await sql.create(index: "people_old_id_idx").on(Person.schema).column("old_id").run()
        if sql.dialect.name == "postgresql" {
            try await sql.drop(index: "people_identity_key_idx").run()
            try await sql.create(index: "people_identity_key_idx").on(Person.schema).column("identity_key").run()
            try await sql.drop(index: "people_personal_id_idx").run()
            try await sql.create(index: "people_personal_id_idx").on(Person.schema).column("personal_id").run()
        }
    }
}

/// On PostgreSQL, the references of the two tables an import fills row by row (enrolments and campaign cases) are
/// checked once per statement over all its rows, instead of by a foreign-key trigger per row: PostgreSQL runs
/// one query and takes one row lock per row for a foreign key, which made up 40 % of a million-row import; the
/// statement-level check costs about a third of that (README, "Speed").
/// The guarantee is the same: no insert or update may point at a person, list or campaign that does not exist,
/// and no person, list or campaign may be deleted while something points at it. (Unlike a foreign key, the check
/// takes no row locks, so a delete racing an uncommitted import would pass; asxh never deletes these records:
/// people are merged, lists and campaigns kept.) SQLite keeps its foreign keys, plain index look-ups there.
struct StatementLevelReferences: AsyncMigration {
    /// child table, child column, parent table
    static let references = [
        (Enrolment.schema, "person_id", Person.schema),
        (Enrolment.schema, "source_list_id", SourceList.schema),
        (CampaignCase.schema, "person_id", Person.schema),
        (CampaignCase.schema, "campaign_id", Campaign.schema),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        // The statement's distinct IDs are looked up as one array: an index scan while the planner knows the parent
        // table, at worst one hashed pass over it when its statistics are stale (say, after a large import was rolled
        // back); never one scan of it per row, which a join could become. Only a failure looks for the culprit.
        try await sql.raw("""
            CREATE FUNCTION asxh_check_reference() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE wanted bigint; found bigint; missing text;
            BEGIN
                EXECUTE format('WITH d AS (SELECT array_agg(DISTINCT %1$I) AS ids FROM new_rows) '
                               'SELECT coalesce(cardinality(d.ids), 0), (SELECT count(*) FROM %2$I p WHERE p.id = ANY (d.ids)) FROM d',
                               TG_ARGV[0], TG_ARGV[1]) INTO wanted, found;
                IF wanted <> found THEN
                    EXECUTE format('SELECT n.%1$I::text FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM %2$I p WHERE p.id = n.%1$I) LIMIT 1',
                                   TG_ARGV[0], TG_ARGV[1]) INTO missing;
                    RAISE EXCEPTION '%.% = % is not in %', TG_TABLE_NAME, TG_ARGV[0], missing, TG_ARGV[1] USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NULL;
            END $$
            """).run()
        try await sql.raw("""
            CREATE FUNCTION asxh_check_unreferenced() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE used text;
            BEGIN
                EXECUTE format('SELECT o.id::text FROM old_rows o WHERE EXISTS (SELECT 1 FROM %1$I c WHERE c.%2$I = o.id) LIMIT 1',
                               TG_ARGV[0], TG_ARGV[1]) INTO used;
                IF used IS NOT NULL THEN
                    RAISE EXCEPTION '%.id = % is still referenced from %.%', TG_TABLE_NAME, used, TG_ARGV[0], TG_ARGV[1] USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NULL;
            END $$
            """).run()
        for (child, column, parent) in Self.references {
            try await sql.raw("ALTER TABLE \(unsafeRaw: child) DROP CONSTRAINT \(unsafeRaw: child)_\(unsafeRaw: column)_fkey").run()
            // PostgreSQL allows a transition table on one event per trigger, hence one trigger per event.
            for event in ["INSERT", "UPDATE"] {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: child)_\(unsafeRaw: column)_\(unsafeRaw: event.lowercased())_ref AFTER \(unsafeRaw: event) ON \(unsafeRaw: child)
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asxh_check_reference('\(unsafeRaw: column)', '\(unsafeRaw: parent)')
                    """).run()
            }
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: parent)_\(unsafeRaw: child)_\(unsafeRaw: column)_ref AFTER DELETE ON \(unsafeRaw: parent)
                REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asxh_check_unreferenced('\(unsafeRaw: child)', '\(unsafeRaw: column)')
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        for (child, column, parent) in Self.references {
            for event in ["insert", "update"] {
                try await sql.raw("DROP TRIGGER \(unsafeRaw: child)_\(unsafeRaw: column)_\(unsafeRaw: event)_ref ON \(unsafeRaw: child)").run()
            }
            try await sql.raw("DROP TRIGGER \(unsafeRaw: parent)_\(unsafeRaw: child)_\(unsafeRaw: column)_ref ON \(unsafeRaw: parent)").run()
            try await sql.raw("""
                ALTER TABLE \(unsafeRaw: child) ADD CONSTRAINT \(unsafeRaw: child)_\(unsafeRaw: column)_fkey FOREIGN KEY (\(unsafeRaw: column)) REFERENCES \(unsafeRaw: parent) (id)
                """).run()
        }
        try await sql.raw("DROP FUNCTION asxh_check_unreferenced()").run()
        try await sql.raw("DROP FUNCTION asxh_check_reference()").run()
    }
}

/// On PostgreSQL, one unique (person, campaign) index serves both "one case per person per campaign" and "the cases
/// of a person", where there were two indexes (campaign, person) and (person). SQLite keeps its table as created.
struct CampaignCasesByPerson: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw(#"ALTER TABLE campaign_cases DROP CONSTRAINT "uq:campaign_cases.campaign_id+campaign_cases.person_id""#).run()
        try await sql.drop(index: "campaign_cases_person_idx").run()
        try await sql.raw("ALTER TABLE campaign_cases ADD CONSTRAINT campaign_cases_person_campaign_key UNIQUE (person_id, campaign_id)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE campaign_cases DROP CONSTRAINT campaign_cases_person_campaign_key").run()
        try await sql.create(index: "campaign_cases_person_idx").on(CampaignCase.schema).column("person_id").run()
        try await sql.raw(#"ALTER TABLE campaign_cases ADD CONSTRAINT "uq:campaign_cases.campaign_id+campaign_cases.person_id" UNIQUE (campaign_id, person_id)"#).run()
    }
}

/// On PostgreSQL the import leaves its rows' timestamps to the database (the import transaction's start): parsing a
/// timestamp per row cost more than any other value. SQLite, without column defaults, is sent the time.
struct ImportTimestampsByDefault: AsyncMigration {
    static let columns = [(Person.schema, "created_at"), (Person.schema, "updated_at"), (Enrolment.schema, "created_at"), (CampaignCase.schema, "updated_at")]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        for (table, column) in Self.columns {
            try await sql.raw("ALTER TABLE \(unsafeRaw: table) ALTER COLUMN \(unsafeRaw: column) SET DEFAULT now()").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        for (table, column) in Self.columns {
            try await sql.raw("ALTER TABLE \(unsafeRaw: table) ALTER COLUMN \(unsafeRaw: column) DROP DEFAULT").run()
        }
    }
}
