import ASXHCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Programs, cycles and batches (step 5): who is paid, how much, by which channel. A batch is made by one officer
/// and checked by another before any file is written; each person is in a cycle once (a unique constraint).
enum PaymentRuns {
    static func refused(_ code: String, _ vi: String, _ en: String, status: HTTPResponseStatus = .unprocessableEntity) -> ASXHError {
        ASXHError.refused(status: status, code: code, vi: vi, en: en)
    }

    /// The department's account the program pays from.
    struct Payer: Sendable {
        var name: String
        var account: String
        var bin: String

        /// The default of a fresh installation: the Hanoi department's account at the State Treasury's bank (edit per program).
        static let hanoiDepartment = Payer(name: "SO LAO DONG THUONG BINH VA XA HOI HA NOI", account: "3713000000001", bin: "970415")
    }

    static func createProgram(name: String, amounts: ProgramAmounts, payer: Payer, by user: User, now: Date, on database: any Database) async throws -> PaymentProgram {
        if let refusal = ProgramAmounts.check(amounts.perGroup) { throw Self.refused(refusal.code, refusal.vi, refusal.en) }
        guard (try? AccountNumber(payer.account)) != nil, payer.bin.count == 6, payer.bin.allSatisfy(\.isNumber) else {
            throw ASXHError.invalidInput(field: "payer", vi: "Tài khoản chi của Sở không hợp lệ.", en: "The paying account is not valid.")
        }
        return try await database.writeTransaction { db in
            guard try await PaymentProgram.query(on: db).filter(\.$name == name).count() == 0 else {
                throw Self.refused("program_exists", "Đã có chương trình “\(name)”.", "A program named “\(name)” exists.", status: .conflict)
            }
            let program = PaymentProgram()
            program.name = name
            program.amounts = amounts
            program.payerName = payer.name
            program.payerAccount = payer.account
            program.payerBIN = payer.bin
            program.$createdBy.id = user.id
            program.createdAt = now
            try await program.create(on: db)
            try await Audit.record(on: db, actor: user, action: "payment_program.create", entityType: "payment_program", entityID: program.id?.uuidString,
                                   after: ["name": name, "amounts": program.amountsJSON, "payer_account": payer.account, "payer_bin": payer.bin], at: now)
            return program
        }
    }

    /// A program's amounts change only before its cycles have batches (a batch's money is fixed once made).
    static func editAmounts(_ programID: UUID, amounts: ProgramAmounts, by user: User, now: Date, on database: any Database) async throws {
        if let refusal = ProgramAmounts.check(amounts.perGroup) { throw Self.refused(refusal.code, refusal.vi, refusal.en) }
        try await database.writeTransaction { db in
            guard let program = try await PaymentProgram.find(programID, on: db) else { throw ASXHError.notFound }
            let before = program.amountsJSON
            program.amounts = amounts
            try await program.save(on: db)
            try await Audit.record(on: db, actor: user, action: "payment_program.amounts", entityType: "payment_program", entityID: programID.uuidString,
                                   before: ["amounts": before], after: ["amounts": program.amountsJSON], at: now)
        }
    }

    static func createCycle(programID: UUID, name: String, payOn: CalendarDay, cashDeadline: CalendarDay, province: Area, by user: User,
                            now: Date, on database: any Database) async throws -> PaymentCycle {
        guard name.count <= 40, !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw ASXHError.invalidInput(field: "name", vi: "Tên đợt chỉ gồm chữ, số và dấu gạch (vd. tet-2024).", en: "A cycle name is letters, digits and dashes (e.g. tet-2024).")
        }
        guard cashDeadline >= payOn else {
            throw ASXHError.invalidInput(field: "cashDeadline", vi: "Hạn chi tiền mặt phải từ ngày chi trả trở đi.", en: "The cash deadline cannot be before the pay day.")
        }
        return try await database.writeTransaction { db in
            guard try await PaymentProgram.find(programID, on: db) != nil else { throw ASXHError.notFound }
            guard try await PaymentCycle.query(on: db).filter(\.$name == name).count() == 0 else {
                throw Self.refused("cycle_exists", "Đã có đợt chi trả “\(name)”.", "A payment cycle named “\(name)” exists.", status: .conflict)
            }
            let cycle = PaymentCycle()
            cycle.$program.id = programID
            cycle.name = name
            cycle.payOn = payOn.iso
            cycle.cashDeadline = cashDeadline.iso
            cycle.provinceCode = province.code
            cycle.scheme = province.scheme
            cycle.$createdBy.id = user.id
            cycle.createdAt = now
            try await cycle.create(on: db)
            try await Audit.record(on: db, actor: user, action: "payment_cycle.create", entityType: "payment_cycle", entityID: cycle.id?.uuidString,
                                   after: ["name": name, "pay_on": payOn.iso, "cash_deadline": cashDeadline.iso, "province": province.description], at: now)
            return cycle
        }
    }

    /// The cycle, if the user's area is its province (batches are the province department's work).
    static func cycle(named name: String, for user: User, on db: any Database) async throws -> PaymentCycle {
        guard let cycle = try await PaymentCycle.query(on: db).filter(\.$name == name).with(\.$program).first(),
              user.area.level == .province, cycle.province == user.area else { throw ASXHError.notFound }
        return cycle
    }

    static func cycle(_ id: UUID, readableBy user: User, on db: any Database) async throws -> PaymentCycle {
        guard let cycle = try await PaymentCycle.query(on: db).filter(\.$id == id).with(\.$program).first(),
              cycle.province.contains(user.area) else { throw ASXHError.notFound }
        return cycle
    }

    // MARK: batches

    /// Makes a draft batch of everyone entitled in the cycle's province who is not yet in one of its batches, in one
    /// statement (the database builds a city's million payments without sending them to asxh and back): each person
    /// once, their enrolments summed and itemised, the channel and the hold decided by `PaymentChannel.decide` and
    /// `AccountReview.holdsPayment` as rendered in SQL below. Merged records and people whose case was closed
    /// (deceased, moved out, not entitled) are never in it.
    static func makeBatch(_ cycle: PaymentCycle, by user: User, now: Date, on database: any Database,
                          progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> PaymentBatch {
        let cycleID = try cycle.requireID()
        let amounts = cycle.program.amounts
        let programID = cycle.$program.id
        let maker = try user.requireID()
        return try await database.writeTransaction { db in
            let sql = db as! any SQLDatabase
            // Two officers making the cycle's batch at once: the second waits and then finds nobody left to pay,
            // rather than failing on the once-per-cycle constraint.
            try await sql.lockUntilCommit("payment-batch:\(cycleID.uuidString)")
            guard let campaign = try await Campaign.current(on: db) else {
                throw Self.refused("no_campaign", "Chưa có đợt vận động.", "No campaign yet.", status: .conflict)
            }
            let batch = PaymentBatch()
            batch.id = UUID()
            batch.$cycle.id = cycleID
            batch.status = .draft
            batch.paymentCount = 0
            batch.paymentSum = 0
            batch.messageID = "ASXH-" + String(PaymentInstruction.endToEndID(for: batch.id!).prefix(16))
            batch.$madeBy.id = maker
            batch.madeAt = now
            try await batch.create(on: db)
            progress?(0, 1)
            let dialect = BatchSQL(postgres: sql.dialect.name == "postgresql")
            let province = cycle.province.personFilters.map { filter -> SQLQueryString in "p.\(ident: filter.column) = \(bind: filter.code)" }.joined(separator: " AND ")
            let amount = dialect.amount(amounts)
            let place = PersonPlace.columns.map { "p.\($0)" }.joined(separator: ", ")
            let cutoff = CalendarDay(now).adding(days: -AccountReview.holdWindowDays).iso
            // Enrolments are summed per person first, so the grouping key is one id, not a wide row. Payment ids count
            // up from a time-ordered base: each row lands at the end of the primary key, where random ids would touch a
            // page anywhere in it (a third of the insert's time on a million rows).
            let ids = PaymentIDs(now: now)
            // A cycle's first batch on PostgreSQL fills a table of its own, indexed in bulk when it is attached (ledger
            // 007); later batches of the cycle go through `payments`, its indexes and reference checks. The first batch's
            // references hold by construction: its people come from `people` in the statement, its batch, cycle and
            // program were read in this transaction (and none of them is ever deleted while payments refer to it).
            var target = Payment.schema
            var partition: String?
            if dialect.postgres {
                // The planner would repeat the enrolments' aggregation in every parallel worker (`string_agg` has no
                // partial form in PostgreSQL 15): one backend does it once.
                try await sql.raw("SET LOCAL max_parallel_workers_per_gather = 0").run()
                let name = PaymentsByCycle.partition(of: cycleID)
                let exists = try await sql.raw("SELECT to_regclass(\(bind: name)) IS NOT NULL AS found").first()?.decode(column: "found", as: Bool.self) ?? false
                if !exists {
                    try await sql.raw("CREATE TABLE \(ident: name) (LIKE payments INCLUDING DEFAULTS) WITH (fillfactor = 70)").run()
                    (target, partition) = (name, name)
                }
            }
            // The ids are made once (a materialised CTE): SQLite would otherwise number the rows again for every use.
            try await sql.raw("""
                WITH g AS MATERIALIZED (
                    SELECT \(dialect.newID(ids)) AS id, p.id AS person_id, p.full_name, \(unsafeRaw: place), s.amount, s.items,
                           a.id AS account_id, a.bin, a.account_number, a.holder_name, a.replaces_id, a.verified_on,
                           k.case_class, CASE WHEN k.case_class = 'C' THEN \(dialect.supportPlan("k.classification")) END AS support_plan
                    FROM (SELECT e.person_id, CAST(SUM(e.amount) AS BIGINT) AS amount, \(dialect.items) AS items
                          FROM (SELECT e.person_id, e.id, e.policy_group, \(amount) AS amount FROM enrolments e) e
                          GROUP BY e.person_id) s
                    JOIN people p ON p.id = s.person_id
                    LEFT JOIN bank_accounts a ON a.person_id = p.id AND a.status = 'verified'
                    LEFT JOIN campaign_cases k ON k.person_id = p.id AND k.campaign_id = \(bind: campaign.requireID())
                    WHERE s.amount > 0 AND \(province) AND p.merged_into IS NULL AND (k.id IS NULL OR k.state <> 'closed')
                      AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.program_id = \(bind: programID) AND x.cycle_id = \(bind: cycleID) AND x.person_id = p.id)
                )
                INSERT INTO \(ident: target) (id, batch_id, cycle_id, program_id, person_id, full_name, amount, items, first_channel, channel, status, held,
                                      account_id, bin, account_number, holder_name, end_to_end_id, bank_status, cash_reason, \(unsafeRaw: PersonPlace.columns.joined(separator: ", ")))
                SELECT id, \(bind: batch.id!), \(bind: cycleID), \(bind: programID), person_id, full_name, amount, items, channel, channel, 'pending', held,
                       CASE WHEN channel = 'account' THEN account_id END, CASE WHEN channel = 'account' THEN bin END,
                       CASE WHEN channel = 'account' THEN account_number END, CASE WHEN channel = 'account' THEN holder_name END,
                       \(dialect.endToEndID("id")), CASE WHEN channel = 'account' AND NOT held THEN 'pending' END,
                       CASE WHEN channel = 'cash' THEN (CASE WHEN case_class = 'B' THEN 'declined' WHEN support_plan IN ('cashAtHome', 'cashAtOffice') THEN support_plan
                                                             WHEN account_id IS NULL THEN 'no_account' ELSE 'cash' END) END,
                       \(unsafeRaw: PersonPlace.columns.joined(separator: ", "))
                FROM (
                    SELECT c.*, (c.channel = 'account' AND c.replaces_id IS NOT NULL AND c.verified_on >= \(bind: cutoff)) AS held
                    FROM (SELECT g.*, \(Self.channelSQL) AS channel FROM g) c
                ) s
                """).run()
            if let partition {
                // Checks the bound (one pass) and builds the partition's indexes, each from one sort.
                try await sql.raw("SET LOCAL maintenance_work_mem = '256MB'").run()
                try await sql.raw("ALTER TABLE payments ATTACH PARTITION \(ident: partition) FOR VALUES IN (\(unsafeRaw: PaymentsByCycle.literal(cycleID)))").run()
            }
            let totals = try await PaymentFiles.totals(sql, "batch_id = \(bind: batch.id!)")
            progress?(1, 1)
            guard totals.count > 0 else {
                throw Self.refused("nobody_to_pay", "Không còn ai cần chi trả trong đợt này.", "Nobody is left to pay in this cycle.", status: .conflict)
            }
            batch.paymentCount = totals.count
            batch.paymentSum = totals.sum
            try await batch.save(on: db)
            try await Audit.record(on: db, actor: user, action: "payment_batch.make", entityType: "payment_batch", entityID: batch.id?.uuidString,
                                   after: ["cycle": cycle.name, "count": String(totals.count), "sum": String(totals.sum), "message_id": batch.messageID], at: now)
            return batch
        }
    }

    /// `PaymentChannel.decide` over a row with `account_id` (a verified account), `case_class` and `support_plan`
    /// (a C case's plan): `PaymentSQLTests` checks it gives the rule's answer for every combination.
    static let channelSQL: SQLQueryString = """
        CASE WHEN account_id IS NULL THEN 'cash' WHEN case_class = 'B' THEN 'cash'
             WHEN case_class = 'C' AND support_plan IN ('cashAtHome', 'cashAtOffice') THEN 'cash' ELSE 'account' END
        """

    /// The pieces of the batch statement each database spells its own way.
    struct BatchSQL {
        var postgres: Bool

        /// The row's payment id: `ids`' base with the row's number in its last 48 bits (SQLite stores UUIDs as text).
        func newID(_ ids: PaymentIDs) -> SQLQueryString {
            self.postgres ? "(\(bind: ids.prefix) || lpad(to_hex(row_number() OVER ()), 12, '0'))::uuid"
                : "\(bind: ids.prefix) || printf('%012X', row_number() OVER ())"
        }

        /// `PaymentInstruction.endToEndID(for:)`: the id's 32 hexadecimal digits, upper case.
        func endToEndID(_ column: String) -> SQLQueryString {
            self.postgres ? "upper(replace(\(ident: column)::text, '-', ''))" : "upper(replace(\(ident: column), '-', ''))"
        }

        /// One enrolment's amount (`ProgramAmounts.amount`) for `e`, 0 when the program pays nothing for it.
        func amount(_ amounts: ProgramAmounts) -> SQLQueryString {
            var byGroup: SQLQueryString = "CASE e.policy_group"
            for (group, amount) in amounts.perGroup.sorted(by: { $0.key < $1.key }) { byGroup += " WHEN \(bind: group) THEN \(literal: amount)" }
            byGroup += " ELSE 0 END"
            return amounts.kind == .monthly ? "COALESCE(e.monthly_amount, \(byGroup))" : byGroup
        }

        /// The items (`[PaymentItem]` as JSON) of a person's enrolments `e` with their `amount`, those the program pays
        /// only. PostgreSQL concatenates text: `json_agg` of `json_build_object` took three times as long on a million.
        /// Group names are `PolicyGroup` raw values (letters only), so nothing needs escaping.
        var items: SQLQueryString {
            self.postgres
                ? "'[' || string_agg('{\"amount\":' || e.amount || ',\"enrolment\":\"' || e.id || '\",\"group\":\"' || e.policy_group || '\"}', ',') FILTER (WHERE e.amount > 0) || ']'"
                : "json_group_array(json_object('amount', e.amount, 'enrolment', e.id, 'group', e.policy_group)) FILTER (WHERE e.amount > 0)"
        }

        /// A classification's support plan.
        func supportPlan(_ column: String) -> SQLQueryString {
            self.postgres ? "(\(unsafeRaw: column)::jsonb ->> 'supportPlan')" : "json_extract(\(unsafeRaw: column), '$.supportPlan')"
        }
    }

    /// The checker approves a draft batch; the maker never can (`four_eyes`).
    static func approve(_ batchID: UUID, by user: User, now: Date, on database: any Database) async throws {
        try await database.writeTransaction { db in
            guard let batch = try await PaymentBatch.query(on: db).filter(\.$id == batchID).with(\.$cycle).first(),
                  batch.cycle.province == user.area else { throw ASXHError.notFound }
            guard batch.status == .draft else {
                throw Self.refused("batch_approved", "Bảng kê đã được duyệt.", "The batch is already approved.", status: .conflict)
            }
            guard batch.$madeBy.id != user.id else {
                throw Self.refused("four_eyes", "Người lập bảng kê không tự duyệt; cần cán bộ thứ hai.", "The maker of a batch cannot approve it; a second officer must.",
                                   status: .forbidden)
            }
            batch.status = .approved
            batch.$checkedBy.id = user.id
            batch.checkedAt = now
            try await batch.save(on: db)
            try await Audit.record(on: db, actor: user, action: "payment_batch.approve", entityType: "payment_batch", entityID: batchID.uuidString,
                                   before: ["status": PaymentBatch.Status.draft.rawValue], after: ["status": batch.status.rawValue,
                                   "count": String(batch.paymentCount), "sum": String(batch.paymentSum)], at: now)
        }
    }

    /// A payment held because its account changed just before the batch goes to the bank once a second officer
    /// releases it; whoever recorded or approved that account cannot.
    static func release(_ paymentID: UUID, by user: User, now: Date, on database: any Database) async throws {
        try await database.writeTransaction { db in
            guard let payment = try await Payment.query(on: db).scoped(to: user.area).filter(\.$id == paymentID).filter(\.$held == true).first() else {
                throw ASXHError.notFound
            }
            let account = try await BankAccount.query(on: db).filter(\.$person.$id == payment.$person.id).filter(\.$status == .verified).first()
            if let account, account.$recordedBy.id == user.id || account.$decidedBy.id == user.id {
                throw Self.refused("four_eyes", "Người đã ghi hoặc duyệt tài khoản này không được giải phóng khoản chi.",
                                   "Whoever recorded or approved this account cannot release its payment.", status: .forbidden)
            }
            payment.held = false
            if payment.channel == .account { payment.bankStatus = .pending }  // the next file written carries it
            try await payment.save(on: db)
            try await Audit.record(on: db, actor: user, action: "payment.release", entityType: "payment", entityID: paymentID.uuidString,
                                   before: ["held": "true"], after: ["held": "false"], place: payment.place, at: now)
        }
    }
}
