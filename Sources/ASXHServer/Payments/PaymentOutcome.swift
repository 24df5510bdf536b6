import ASXHCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// A cycle's outcome in an area: how many wanted account payment and were paid through an account (goal 100%), paid
/// in cash, still pending, and who is not paid yet and why; plus the cash hand-over that closes a cash payment.
enum PaymentOutcome {
    struct Row: Content {
        var unit: String
        var name: String
        var entitled: Int
        var amount: Int64
        var wantedAccount: Int
        var paidAccount: Int
        var paidCash: Int
        var pending: Int
        var held: Int

        /// Share of those who wanted account payment paid through an account (the campaign's goal: 100%).
        var accountShare: Double { self.wantedAccount == 0 ? 1 : Double(self.paidAccount) / Double(self.wantedAccount) }
        var paidShare: Double { self.entitled == 0 ? 1 : Double(self.paidAccount + self.paidCash) / Double(self.entitled) }
    }

    struct Unpaid: Content {
        var paymentID: UUID
        var fullName: String
        var amount: Int64
        var channel: PaymentChannel
        var reasonVI: String
        var reasonEN: String
        var commune: String
    }

    struct Report: Content {
        var cycle: String
        var total: Row
        var rows: [Row]
        var unpaid: [Unpaid]
    }

    /// The column a report groups by: the units one level below the area (a commune reports itself).
    static func unitColumn(_ area: Area) -> String {
        switch (area.scheme, area.level) {
        case (.before2025, .province): return "district_code"
        case (.before2025, _): return "commune_code"
        case (.since2025, _): return "commune2025_code"
        }
    }

    static func unitLevel(_ area: Area) -> AdministrativeLevel {
        area.scheme == .before2025 && area.level == .province ? .district : .commune
    }

    static func areaCondition(_ area: Area) -> SQLQueryString {
        var condition: SQLQueryString = "1 = 1"
        for filter in area.personFilters { condition = "\(condition) AND \(ident: filter.column) = \(bind: filter.code)" }
        return condition
    }

    static func report(_ cycle: PaymentCycle, in area: Area, unpaidLimit: Int = 500, on database: any Database) async throws -> Report {
        let sql = database as! any SQLDatabase
        let cycleID = try cycle.requireID()
        let column = Self.unitColumn(area)
        let rows = try await sql.raw("""
            SELECT \(ident: column) AS unit, COUNT(*) AS entitled, CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS amount,
                   SUM(CASE WHEN first_channel = 'account' THEN 1 ELSE 0 END) AS wanted_account,
                   SUM(CASE WHEN channel = 'account' AND bank_status = 'paid' THEN 1 ELSE 0 END) AS paid_account,
                   SUM(CASE WHEN channel = 'cash' AND status = 'paid' THEN 1 ELSE 0 END) AS paid_cash,
                   SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
                   SUM(CASE WHEN held = \(bind: true) THEN 1 ELSE 0 END) AS held
            FROM payments WHERE cycle_id = \(bind: cycleID) AND \(Self.areaCondition(area))
            GROUP BY \(ident: column) ORDER BY \(ident: column)
            """).all().map { row in
            let unit = try row.optional("unit", as: String.self) ?? ""
            return Row(unit: unit, name: AdministrativeUnits.shared.unit(unit, scheme: area.scheme, level: Self.unitLevel(area))?.name ?? unit,
                       entitled: try row.decode(column: "entitled", as: Int.self), amount: try row.decode(column: "amount", as: Int64.self),
                       wantedAccount: try row.decode(column: "wanted_account", as: Int.self), paidAccount: try row.decode(column: "paid_account", as: Int.self),
                       paidCash: try row.decode(column: "paid_cash", as: Int.self), pending: try row.decode(column: "pending", as: Int.self),
                       held: try row.decode(column: "held", as: Int.self))
        }
        let total = rows.reduce(Row(unit: area.code, name: "", entitled: 0, amount: 0, wantedAccount: 0, paidAccount: 0, paidCash: 0, pending: 0, held: 0)) {
            Row(unit: $0.unit, name: $0.name, entitled: $0.entitled + $1.entitled, amount: $0.amount + $1.amount, wantedAccount: $0.wantedAccount + $1.wantedAccount,
                paidAccount: $0.paidAccount + $1.paidAccount, paidCash: $0.paidCash + $1.paidCash, pending: $0.pending + $1.pending, held: $0.held + $1.held)
        }
        var unpaid: [Unpaid] = []
        try await Self.eachUnpaid(cycleID, in: area, limit: unpaidLimit, on: sql) { unpaid.append($0) }
        // Laggards first: the lowest share paid through an account.
        return Report(cycle: cycle.name, total: total, rows: rows.sorted { ($0.accountShare, $0.unit) < ($1.accountShare, $1.unit) }, unpaid: unpaid)
    }

    /// Every entitled person of the cycle in the area not paid yet, with why (streamed: the download is the whole list).
    static func eachUnpaid(_ cycleID: UUID, in area: Area, limit: Int? = nil, on sql: any SQLDatabase, _ body: @escaping (Unpaid) throws -> Void) async throws {
        let limitClause: SQLQueryString = limit.map { "LIMIT \(literal: $0)" } ?? ""
        try await sql.raw("""
            SELECT id, full_name, amount, channel, held, bank_status, bank_reason, cash_reason, commune_code, commune2025_code,
                   (SELECT b.status FROM payment_batches b WHERE b.id = payments.batch_id) AS batch_status
            FROM payments WHERE cycle_id = \(bind: cycleID) AND status = 'pending' AND \(Self.areaCondition(area))
            ORDER BY commune2025_code, district_code, commune_code, full_name \(limitClause)
            """).forEachRow { row in
            let channel = PaymentChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .cash
            let (vi, en) = Self.reason(channel: channel, held: try row.decode(column: "held", as: Bool.self),
                                       sent: try row.decode(column: "batch_status", as: String.self) == PaymentBatch.Status.approved.rawValue,
                                       bankReason: try row.optional("bank_reason", as: String.self),
                                       cashReason: try row.optional("cash_reason", as: String.self))
            try body(Unpaid(paymentID: try row.decode(column: "id", as: UUID.self), fullName: try row.decode(column: "full_name", as: String.self),
                            amount: try row.decode(column: "amount", as: Int64.self), channel: channel, reasonVI: vi, reasonEN: en,
                            commune: try row.optional("commune2025_code", as: String.self) ?? row.optional("commune_code", as: String.self) ?? ""))
        }
    }

    /// Why a payment is not paid yet; `sent`: its batch is approved (its transfers can be in a bank file).
    static func reason(channel: PaymentChannel, held: Bool, sent: Bool, bankReason: String?, cashReason: String?) -> (String, String) {
        if held { return ("Tạm giữ: tài khoản vừa thay đổi, chờ cán bộ thứ hai", "Held: the account changed just before the batch; waiting for a second officer") }
        switch channel {
        case .account:
            return sent ? ("Ngân hàng đang xử lý", "The bank has not answered yet")
                : ("Chưa gửi ngân hàng: bảng kê chờ cán bộ thứ hai duyệt", "Not sent to the bank yet: the batch waits for a second officer")
        case .cash:
            if let bankReason {
                let reason = PaymentReason(code: bankReason)
                return ("Chờ chi tiền mặt — ngân hàng từ chối: \(reason.vietnamese)", "Waiting for cash — the bank refused: \(reason.english)")
            }
            return ("Chờ chi tiền mặt — \(PaymentFiles.cashReasonText(cashReason, bankReason: nil))", "Waiting for cash")
        }
    }

    /// The cash desk hands over the money of an approved batch: who received it and a photo or signature; the payment
    /// is then paid. Two desks recording the same payment at once take turns: the second is told it is paid already.
    static func handOver(_ paymentID: UUID, recipient: String, evidenceType: String, evidence: Data, by user: User, now: Date,
                         on database: any Database) async throws {
        try await database.writeTransaction { db in
            try await (db as! any SQLDatabase).lockUntilCommit("payment:\(paymentID.uuidString)")
            guard let payment = try await Payment.query(on: db).scoped(to: user.area).filter(\.$id == paymentID).with(\.$batch).first() else {
                throw ASXHError.notFound
            }
            guard payment.batch.status == .approved else {
                throw PaymentRuns.refused("batch_not_approved", "Bảng kê chưa được cán bộ thứ hai duyệt: chưa chi tiền.",
                                          "The batch is not approved by a second officer: nothing is paid out yet.", status: .conflict)
            }
            guard payment.channel == .cash, payment.status == .pending else {
                throw PaymentRuns.refused("not_cash_pending", "Khoản này không chờ chi tiền mặt.", "This payment is not waiting for cash.", status: .conflict)
            }
            let handover = CashHandover()
            handover.$payment.id = paymentID
            handover.$handedBy.id = try user.requireID()
            handover.handedAt = now
            handover.recipient = recipient
            handover.evidenceType = evidenceType
            handover.evidence = evidence
            try await handover.create(on: db)
            payment.status = .paid
            try await payment.save(on: db)
            try await Audit.record(on: db, actor: user, action: "payment.cash_handover", entityType: "payment", entityID: paymentID.uuidString,
                                   before: ["status": "pending"], after: ["status": "paid", "recipient": recipient, "evidence": evidenceType,
                                                                          "evidence_bytes": String(evidence.count)], place: payment.place, at: now)
        }
    }
}
