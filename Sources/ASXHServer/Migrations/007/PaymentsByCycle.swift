import Fluent
import Foundation
import SQLKit

// Migration ledger 007: payments at city scale.

/// On PostgreSQL, payments are partitioned by cycle: a new cycle's batch is written into a table of its own with no
/// index, whose indexes are then built in one sorted pass when it is attached (`PaymentRuns.makeBatch`). A million
/// rows inserted into five live indexes and four reference checks took twice as long (psql on the benchmark's rows:
/// 19.5–20.6 s against 10.7 s). The primary key and the once-per-cycle constraint carry the cycle (PostgreSQL's rule
/// for a partitioned table); a cash hand-over's payment is checked by statement-level triggers, as the payments'
/// own references are (a foreign key cannot point at a partitioned table's `id` alone). SQLite keeps one table.
struct PaymentsByCycle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE cash_handovers DROP CONSTRAINT cash_handovers_payment_id_fkey").run()
        try await sql.raw("CREATE TABLE payments_by_cycle (LIKE payments INCLUDING DEFAULTS) PARTITION BY LIST (cycle_id)").run()
        for row in try await sql.raw("SELECT DISTINCT cycle_id FROM payments").all() {
            let cycle = try row.decode(column: "cycle_id", as: UUID.self)
            try await sql.raw("""
                CREATE TABLE \(ident: Self.partition(of: cycle)) PARTITION OF payments_by_cycle FOR VALUES IN (\(unsafeRaw: Self.literal(cycle))) WITH (fillfactor = 70)
                """).run()
        }
        try await sql.raw("INSERT INTO payments_by_cycle SELECT * FROM payments").run()
        try await sql.raw("DROP TABLE payments").run()
        try await sql.raw("ALTER TABLE payments_by_cycle RENAME TO payments").run()
        try await Self.constrain(sql, primaryKey: "id, cycle_id")
        for event in ["INSERT", "UPDATE"] {
            try await sql.raw("""
                CREATE TRIGGER cash_handovers_payment_id_\(unsafeRaw: event.lowercased())_ref AFTER \(unsafeRaw: event) ON cash_handovers
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asxh_check_reference('payment_id', 'payments')
                """).run()
        }
        try await sql.raw("""
            CREATE TRIGGER payments_cash_handovers_payment_id_ref AFTER DELETE ON payments
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asxh_check_unreferenced('cash_handovers', 'payment_id')
            """).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        for event in ["insert", "update"] {
            try await sql.raw("DROP TRIGGER cash_handovers_payment_id_\(unsafeRaw: event)_ref ON cash_handovers").run()
        }
        try await sql.raw("CREATE TABLE payments_one_table (LIKE payments INCLUDING DEFAULTS) WITH (fillfactor = 70)").run()
        try await sql.raw("INSERT INTO payments_one_table SELECT * FROM payments").run()
        try await sql.raw("DROP TABLE payments").run()
        try await sql.raw("ALTER TABLE payments_one_table RENAME TO payments").run()
        try await Self.constrain(sql, primaryKey: "id")
        try await sql.raw("ALTER TABLE cash_handovers ADD CONSTRAINT cash_handovers_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES payments (id)").run()
    }

    /// The table of one cycle's payments.
    static func partition(of cycle: UUID) -> String {
        "payments_" + cycle.uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// A cycle's id as an SQL literal, for the partition bounds (DDL takes no bound parameters; a UUID's text is safe).
    static func literal(_ cycle: UUID) -> String {
        "'\(cycle.uuidString)'"
    }

    /// The keys, indexes and reference checks of ledger 006, on the (new) `payments` table.
    private static func constrain(_ sql: any SQLDatabase, primaryKey: String) async throws {
        try await sql.raw("ALTER TABLE payments ADD CONSTRAINT payments_pkey PRIMARY KEY (\(unsafeRaw: primaryKey))").run()
        try await sql.raw(#"ALTER TABLE payments ADD CONSTRAINT "uq:payments.program_id+payments.cycle_id+payments.person_id" UNIQUE (program_id, cycle_id, person_id)"#).run()
        try await CreatePayments.createIndexes(sql)
        try await CreatePayments.createInsertChecks(sql)
    }
}
