import ASXHCore
import Fluent
import Foundation
import SQLKit

// Migration ledger 006: step 5 (accounts, sync to the payment software, payments, results, cash).

/// Bank accounts money follows: one verified account per person at most (a partial unique index), every other row
/// kept as history (pending, refused, superseded, closed).
struct CreateBankAccount: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BankAccount.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("bin", .string, .required)
            .field("bank_name", .string, .required)
            .field("account_number", .string, .required)
            .field("holder_name", .string, .required)
            .field("representative", .string)
            .field("source", .string, .required)
            .field("status", .string, .required)
            .field("signals", .string)
            .field("recorded_by", .uuid, .required, .references(User.schema, "id"))
            .field("recorded_at", .datetime, .required)
            .field("decided_by", .uuid, .references(User.schema, "id"))
            .field("decided_at", .datetime)
            .field("verified_on", .string)
            .field("replaces_id", .uuid)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "bank_accounts_person_idx").on(BankAccount.schema).column("person_id").run()
        try await sql.create(index: "bank_accounts_number_idx").on(BankAccount.schema).column("bin").column("account_number").run()
        try await sql.raw("CREATE UNIQUE INDEX bank_accounts_one_verified ON bank_accounts (person_id) WHERE status = 'verified'").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BankAccount.schema).delete()
    }
}

/// Sync batches to the payment software and the rows each one carried (what makes the next sync incremental).
struct CreateAccountSync: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountSyncBatch.schema)
            .id()
            .field("sequence", .int, .required)
            .field("created_by", .uuid, .required, .references(User.schema, "id"))
            .field("created_at", .datetime, .required)
            .field("new_count", .int, .required)
            .field("changed_count", .int, .required)
            .field("closed_count", .int, .required)
            .field("sha256", .string, .required)
            .field("acknowledged_by", .uuid, .references(User.schema, "id"))
            .field("acknowledged_at", .datetime)
            .field("acknowledgement", .string)
            .field("area", .string, .required)
            .unique(on: "sequence")
            .create()
        try await database.schema(AccountSyncRow.schema)
            .id()
            .field("batch_id", .uuid, .required, .references(AccountSyncBatch.schema, "id"))
            .field("account_id", .uuid, .required, .references(BankAccount.schema, "id"))
            .field("change", .string, .required)
            .field("position", .int, .required)
            .unique(on: "account_id", "change")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "account_sync_rows_batch_idx").on(AccountSyncRow.schema).column("batch_id").column("position").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountSyncRow.schema).delete()
        try await database.schema(AccountSyncBatch.schema).delete()
    }
}

/// Programs, cycles, batches, payments (once per person per program and cycle: a unique constraint; each with its
/// enrolments itemised), the bank's result files and the cash hand-overs.
struct CreatePayments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PaymentProgram.schema)
            .id()
            .field("name", .string, .required)
            .field("amounts", .string, .required)
            .field("payer_name", .string, .required)
            .field("payer_account", .string, .required)
            .field("payer_bin", .string, .required)
            .field("created_by", .uuid, .references(User.schema, "id"))
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema(PaymentCycle.schema)
            .id()
            .field("program_id", .uuid, .required, .references(PaymentProgram.schema, "id"))
            .field("name", .string, .required)
            .field("pay_on", .string, .required)
            .field("cash_deadline", .string, .required)
            .field("province_code", .string, .required)
            .field("scheme", .string, .required)
            .field("created_by", .uuid, .references(User.schema, "id"))
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema(PaymentBatch.schema)
            .id()
            .field("cycle_id", .uuid, .required, .references(PaymentCycle.schema, "id"))
            .field("status", .string, .required)
            .field("payment_count", .int, .required)
            .field("payment_sum", .int64, .required)
            .field("message_id", .string, .required)
            .field("made_by", .uuid, .required, .references(User.schema, "id"))
            .field("made_at", .datetime, .required)
            .field("checked_by", .uuid, .references(User.schema, "id"))
            .field("checked_at", .datetime)
            .unique(on: "message_id")
            .create()
        try await database.schema(PaymentResultImport.schema)
            .id()
            .field("batch_id", .uuid, .required, .references(PaymentBatch.schema, "id"))
            .field("sha256", .string, .required)
            .field("file_name", .string, .required)
            .field("message_id", .string)
            .field("summary", .string, .required)
            .field("imported_by", .uuid, .required, .references(User.schema, "id"))
            .field("imported_at", .datetime, .required)
            .unique(on: "batch_id", "sha256")
            .create()
        // PostgreSQL checks the payments' references once per statement (as imports do, ledger 003): a city's batch
        // is a million rows, and a row-level foreign key costs a locked look-up per reference per row. Nothing in
        // asxh changes a payment's references after it is written.
        let postgres = (database as! any SQLDatabase).dialect.name == "postgresql"
        var payments = database.schema(Payment.schema).id()
        for (column, parent) in Self.references {
            payments = postgres ? payments.field(FieldKey(stringLiteral: column), .uuid, .required)
                : payments.field(FieldKey(stringLiteral: column), .uuid, .required, .references(parent, "id"))
        }
        try await payments
            .field("full_name", .string, .required)
            .field("amount", .int64, .required)
            .field("items", .string, .required)
            .field("first_channel", .string, .required)
            .field("channel", .string, .required)
            .field("status", .string, .required)
            .field("held", .bool, .required)
            .field("account_id", .uuid)
            .field("bin", .string)
            .field("account_number", .string)
            .field("holder_name", .string)
            .field("end_to_end_id", .string, .required)
            .field("bank_status", .string)
            .field("bank_reason", .string)
            .field("bank_reference", .string)
            .field("result_import_id", .uuid)
            .field("cash_reason", .string)
            .field("province_code", .string)
            .field("district_code", .string)
            .field("commune_code", .string)
            .field("province2025_code", .string)
            .field("commune2025_code", .string)
            .unique(on: "program_id", "cycle_id", "person_id")
            .create()
        try await database.schema(CashHandover.schema)
            .id()
            .field("payment_id", .uuid, .required, .references(Payment.schema, "id"))
            .field("handed_by", .uuid, .required, .references(User.schema, "id"))
            .field("handed_at", .datetime, .required)
            .field("recipient", .string, .required)
            .field("evidence_type", .string, .required)
            .field("evidence", .data, .required)
            .unique(on: "payment_id")
            .create()
        let sql = database as! any SQLDatabase
        try await Self.createIndexes(sql)
        guard postgres else { return }
        // Room on each page, so a result's update of a payment touches none of its indexes (a "HOT" update).
        try await sql.raw("ALTER TABLE payments SET (fillfactor = 70)").run()
        try await Self.createInsertChecks(sql)
        for (column, parent) in Self.references {
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: parent)_payments_\(unsafeRaw: column)_ref AFTER DELETE ON \(unsafeRaw: parent)
                REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asxh_check_unreferenced('payments', '\(unsafeRaw: column)')
                """).run()
        }
    }

    /// The payments' indexes besides the keys: a batch's rows by bank, a cycle's by place in either scheme.
    static func createIndexes(_ sql: any SQLDatabase) async throws {
        try await sql.create(index: "payments_batch_idx").on(Payment.schema).column("batch_id").column("bin").run()
        try await sql.create(index: "payments_place_idx").on(Payment.schema).column("cycle_id").column("district_code").column("commune_code").run()
        try await sql.create(index: "payments_place2025_idx").on(Payment.schema).column("cycle_id").column("commune2025_code").run()
    }

    /// PostgreSQL: the statement-level checks that an inserted payment's references exist.
    static func createInsertChecks(_ sql: any SQLDatabase) async throws {
        for (column, parent) in Self.references {
            try await sql.raw("""
                CREATE TRIGGER payments_\(unsafeRaw: column)_insert_ref AFTER INSERT ON payments
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asxh_check_reference('\(unsafeRaw: column)', '\(unsafeRaw: parent)')
                """).run()
        }
    }

    /// A payment's references to the records it pays under.
    static let references = [("batch_id", PaymentBatch.schema), ("cycle_id", PaymentCycle.schema), ("program_id", PaymentProgram.schema),
                             ("person_id", Person.schema)]

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            for (column, parent) in Self.references {
                try await sql.raw("DROP TRIGGER \(unsafeRaw: parent)_payments_\(unsafeRaw: column)_ref ON \(unsafeRaw: parent)").run()
            }
        }
        for schema in [CashHandover.schema, Payment.schema, PaymentResultImport.schema, PaymentBatch.schema, PaymentCycle.schema, PaymentProgram.schema] {
            try await database.schema(schema).delete()
        }
    }
}
