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

    /// People are read and written this many at a time, so a city's batch runs in flat memory.
    static let pageSize = 20_000

    private struct EnrolmentRow {
        var personID: UUID
        var fullName: String
        var place: PersonPlace
        var enrolmentID: UUID
        var policyGroup: String
        var monthly: Int?
        var accountID: UUID?
        var bin: String?
        var accountNumber: String?
        var holderName: String?
        var replacedOn: CalendarDay?
        var caseClass: CaseClass?
        var supportPlan: SupportPlanKind?
    }

    /// Makes a draft batch of everyone entitled in the cycle's province who is not yet in one of its batches: merged
    /// records and people whose case was closed (deceased, moved out, not entitled) are never in it.
    static func makeBatch(_ cycle: PaymentCycle, by user: User, now: Date, on database: any Database,
                          progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> PaymentBatch {
        let cycleID = try cycle.requireID()
        let amounts = cycle.program.amounts
        let programID = cycle.$program.id
        let groups = amounts.perGroup.keys.sorted()
        let maker = try user.requireID()
        return try await database.writeTransaction { db in
            let sql = db as! any SQLDatabase
            guard let campaign = try await Campaign.current(on: db) else {
                throw Self.refused("no_campaign", "Chưa có đợt vận động.", "No campaign yet.", status: .conflict)
            }
            let province = cycle.province.personFilters.map { "p.\($0.column) = \(Self.quote($0.code))" }.joined(separator: " AND ")
            let total = try await sql.raw("SELECT COUNT(*) AS n FROM people p WHERE \(unsafeRaw: province) AND p.merged_into IS NULL").first()?
                .decode(column: "n", as: Int.self) ?? 0
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
            var totals = ControlTotals.zero
            var last = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
            var seen = 0
            var ids = TimeOrderedUUIDs()
            let batchDay = CalendarDay(now)
            while true {
                // One page of people by id (keyset), then their enrolments, account and case in one statement.
                let page = try await sql.raw("""
                    SELECT p.id FROM people p WHERE \(unsafeRaw: province) AND p.merged_into IS NULL AND p.id > \(bind: last) ORDER BY p.id LIMIT \(literal: Self.pageSize)
                    """).all().map { try $0.decode(column: "id", as: UUID.self) }
                guard let first = page.first, let pageLast = page.last else { break }
                let rows = try await sql.raw("""
                    SELECT p.id AS person_id, p.full_name, p.province_code, p.district_code, p.commune_code, p.province2025_code, p.commune2025_code,
                           e.id AS enrolment_id, e.policy_group, e.monthly_amount,
                           a.id AS account_id, a.bin, a.account_number, a.holder_name, CASE WHEN a.replaces_id IS NULL THEN NULL ELSE a.verified_on END AS replaced_on,
                           c.case_class, c.classification
                    FROM people p
                    JOIN enrolments e ON e.person_id = p.id AND e.policy_group IN (\(binds: groups))
                    LEFT JOIN bank_accounts a ON a.person_id = p.id AND a.status = 'verified'
                    LEFT JOIN campaign_cases c ON c.person_id = p.id AND c.campaign_id = \(bind: campaign.requireID())
                    WHERE p.id >= \(bind: first) AND p.id <= \(bind: pageLast) AND \(unsafeRaw: province) AND p.merged_into IS NULL
                      AND (c.id IS NULL OR c.state <> 'closed')
                      AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.cycle_id = \(bind: cycleID) AND x.person_id = p.id)
                    ORDER BY p.id
                    """).all()
                let enrolments = try rows.map(Self.enrolmentRow)
                var payments: [[BulkValue]] = []
                var start = 0
                while start < enrolments.count {
                    var end = start
                    while end < enrolments.count && enrolments[end].personID == enrolments[start].personID { end += 1 }
                    let person = enrolments[start]
                    let paymentID = ids.next(now: now)
                    var sum: Int64 = 0
                    var items: [PaymentItem] = []
                    for row in enrolments[start..<end] {
                        guard let amount = amounts.amount(policyGroup: row.policyGroup, listedMonthly: row.monthly), amount > 0 else { continue }
                        sum += amount
                        items.append(PaymentItem(enrolment: row.enrolmentID, group: row.policyGroup, amount: amount))
                    }
                    start = end
                    guard sum > 0 else { continue }
                    let channel = PaymentChannel.decide(caseClass: person.caseClass, supportPlan: person.supportPlan, hasVerifiedAccount: person.accountID != nil)
                    let held = channel == .account && AccountReview.holdsPayment(replacedOn: person.replacedOn, batchDay: batchDay)
                    let onAccount = channel == .account
                    // Transfers are the bank's to answer from the start; a held one only once it is released.
                    payments.append([.uuid(paymentID), .uuid(batch.id!), .uuid(cycleID), .uuid(programID), .uuid(person.personID), .text(person.fullName),
                                     .int(Int(sum)), .text(PaymentItem.json(items)), .text(channel.rawValue), .text(channel.rawValue),
                                     .text(Payment.Status.pending.rawValue), .bool(held), onAccount ? .uuid(person.accountID!) : .null,
                                     BulkValue(onAccount ? person.bin : nil), BulkValue(onAccount ? person.accountNumber : nil),
                                     BulkValue(onAccount ? person.holderName : nil), .text(PaymentInstruction.endToEndID(for: paymentID)),
                                     BulkValue(onAccount && !held ? PaymentStatus.pending.rawValue : nil),
                                     BulkValue(onAccount ? nil : Self.cashReason(person))] + person.place.bulkValues)
                    totals.add(sum)
                }
                try await BulkRows.insert(payments, into: Payment.schema, columns: Self.paymentColumns, on: db)
                last = pageLast
                seen += page.count
                progress?(min(seen, total), total)
            }
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

    static let paymentColumns = ["id", "batch_id", "cycle_id", "program_id", "person_id", "full_name", "amount", "items", "first_channel", "channel",
                                 "status", "held", "account_id", "bin", "account_number", "holder_name", "end_to_end_id", "bank_status", "cash_reason"]
        + PersonPlace.columns

    /// Codes in this module's own SQL literals are digits only (`Area` parses them so); quoting keeps that true anyway.
    private static func quote(_ code: String) -> String {
        "'" + code.filter(\.isNumber) + "'"
    }

    private static func enrolmentRow(_ row: any SQLRow) throws -> EnrolmentRow {
        // Only a C case's plan matters here, and only C cases carry one: the JSON is decoded for them alone.
        let caseClass = try row.optional("case_class", as: String.self).flatMap(CaseClass.init(rawValue:))
        let classification = caseClass == .c ? try row.optional("classification", as: String.self)
            .flatMap { try? JSONDecoder().decode(Classification.self, from: Data($0.utf8)) } : nil
        return EnrolmentRow(
            personID: try row.decode(column: "person_id", as: UUID.self), fullName: try row.decode(column: "full_name", as: String.self),
            place: try PersonPlace(row: row),
            enrolmentID: try row.decode(column: "enrolment_id", as: UUID.self), policyGroup: try row.decode(column: "policy_group", as: String.self),
            monthly: try row.optional("monthly_amount", as: Int.self), accountID: try row.optional("account_id", as: UUID.self),
            bin: try row.optional("bin", as: String.self), accountNumber: try row.optional("account_number", as: String.self),
            holderName: try row.optional("holder_name", as: String.self),
            replacedOn: try row.optional("replaced_on", as: String.self).flatMap(CalendarDay.init(parsing:)),
            caseClass: caseClass, supportPlan: classification?.supportPlan)
    }

    /// Why a person is on the cash list, as the list prints it.
    private static func cashReason(_ person: EnrolmentRow) -> String {
        if person.caseClass == .b { return "declined" }
        if let plan = person.supportPlan, plan == .cashAtHome || plan == .cashAtOffice { return plan.rawValue }
        return person.accountID == nil ? "no_account" : "cash"
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
