import Fluent
import Foundation
import SQLKit
import ASXHCore

extension CampaignCase {
    /// Moves every case matching `condition` (SQL over `campaign_cases`) to `state`, and writes one audit event
    /// per case moved, with its state before and after and the person's place, in the caller's transaction.
    /// Bulk paths (verification, merges) and single decisions alike go through here, so no case changes unrecorded.
    /// Returns how many cases moved.
    @discardableResult
    static func transition(where condition: SQLQueryString, to state: CaseState, closedReason: CaseClosedReason? = nil,
                           action: String, actor: User?, at now: Date = Date(), on database: any Database) async throws -> Int {
        let sql = database as! any SQLDatabase
        let moving = try await sql.raw("""
            SELECT c.id, c.state, p.province_code, p.district_code, p.commune_code, p.province2025_code, p.commune2025_code
            FROM campaign_cases c JOIN people p ON p.id = c.person_id
            WHERE c.id IN (SELECT id FROM campaign_cases WHERE \(condition))
            """).all().map { row in
                (id: try row.decode(column: "id", as: UUID.self), state: try row.decode(column: "state", as: String.self),
                 place: try PersonPlace(row: row))
            }
        guard !moving.isEmpty else { return 0 }
        try await sql.raw("""
            UPDATE campaign_cases SET state = \(bind: state.rawValue), closed_reason = \(bind: closedReason?.rawValue), updated_at = \(bind: now)
            WHERE \(condition)
            """).run()
        var ids = TimeOrderedUUIDs()
        let after = Audit.json(["state": state.rawValue, "closed_reason": closedReason?.rawValue ?? ""])
        let actorID = actor?.id.map(BulkValue.uuid) ?? .null, actorName = actor?.username ?? "system"
        let rows: [[BulkValue]] = moving.map { row in
            [.uuid(ids.next(now: now)), .date(now), actorID, .text(actorName), .text(action), .text("campaign_case"), .text(row.id.uuidString),
             BulkValue(Audit.json(["state": row.state])), BulkValue(after)] + row.place.bulkValues
        }
        try await BulkRows.insert(rows, into: AuditEvent.schema,
                                  columns: ["id", "at", "actor_id", "actor", "action", "entity_type", "entity_id", "before", "after"] + PersonPlace.columns, on: database)
        return moving.count
    }
}
