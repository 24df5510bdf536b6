import ASXHCore
import Fluent
import Foundation
import SQLKit

/// Opening the next campaign (next year's Lunar New Year payment, next month's cycle) without losing anything:
/// the previous one is kept, closed, with its cases and visits; every open case moves on into the new campaign
/// with what it has earned (step 1 and the class stay done; payment is owed again), one audit event per case.
enum CampaignOpening {
    struct Request {
        var name: String
        var province: Area
        var schedule: CampaignSchedule
    }

    static func open(_ request: Request, actor: User?, now: Date, on database: any Database) async throws -> Campaign {
        try await database.writeTransaction { db in
            let previous = try await Campaign.current(on: db)
            if let previous, previous.closedAt == nil {
                throw ASXHError.refused(status: .conflict, code: "campaign_open", vi: "Đợt “\(previous.name)” chưa kết thúc: hãy kết thúc trước khi mở đợt mới.",
                                        en: "Campaign “\(previous.name)” is still open: close it before opening the next.")
            }
            let campaign = Campaign(name: request.name, isCurrent: true)
            campaign.id = UUID()
            campaign.provinceCode = request.province.code
            campaign.scheme = request.province.scheme
            campaign.schedule = request.schedule
            campaign.openedAt = now
            if let previous {
                previous.isCurrent = false
                try await previous.save(on: db)
            }
            try await campaign.create(on: db)
            try await Audit.record(on: db, actor: actor, action: "campaign.open", entityType: "campaign", entityID: campaign.id?.uuidString,
                                   after: ["name": request.name, "province": request.province.description, "deadlines": Campaign.encode(request.schedule),
                                           "previous": previous?.id?.uuidString ?? ""], at: now)
            if let previous { try await Self.carryOver(from: previous, to: campaign, actor: actor, now: now, on: db) }
            return campaign
        }
    }

    static func close(_ campaign: Campaign, actor: User?, now: Date, on database: any Database) async throws {
        guard campaign.closedAt == nil else { return }
        try await database.writeTransaction { db in
            campaign.closedAt = now
            try await campaign.save(on: db)
            try await Audit.record(on: db, actor: actor, action: "campaign.close", entityType: "campaign", entityID: campaign.id?.uuidString,
                                   before: ["closed_at": ""], after: ["closed_at": ISO8601DateFormatter().string(from: now)], at: now)
        }
    }

    /// The state a case starts the next campaign in: payment (steps 5) is owed again, the rest stays earned.
    static func carried(_ state: CaseState) -> CaseState {
        state == .synced || state == .paid ? .accountRecorded : state
    }

    /// Copies open cases page by page (keyset on id), written in bulk with their audit events.
    private static func carryOver(from previous: Campaign, to campaign: Campaign, actor: User?, now: Date, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let previousID = try previous.requireID(), campaignID = try campaign.requireID()
        var after: UUID?
        var ids = TimeOrderedUUIDs()
        let actorID = actor?.id.map(BulkValue.uuid) ?? .null, actorName = actor?.username ?? "system"
        while true {
            let rows = try await sql.raw("""
                SELECT c.id, c.person_id, c.state, c.group_id, c.member_id, c.walk_order, c.household, c.case_class, c.classification, c.classified_at,
                       p.province_code, p.district_code, p.commune_code, p.province2025_code, p.commune2025_code
                FROM campaign_cases c JOIN people p ON p.id = c.person_id
                WHERE c.campaign_id = \(bind: previousID) AND c.state <> \(bind: CaseState.closed.rawValue)
                  \(after.map { "AND c.id > \(bind: $0)" as SQLQueryString } ?? "")
                ORDER BY c.id LIMIT 5000
                """).all()
            guard !rows.isEmpty else { return }
            var cases: [[BulkValue]] = [], events: [[BulkValue]] = []
            for row in rows {
                let id = ids.next(now: now)
                let state = Self.carried(CaseState(rawValue: try row.decode(column: "state", as: String.self)) ?? .imported)
                let place = try PersonPlace(row: row)
                func optional<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? { try row.decode(column: column, as: T?.self) }
                cases.append([.uuid(id), .uuid(campaignID), .uuid(try row.decode(column: "person_id", as: UUID.self)), .text(state.rawValue), .date(now),
                              try optional("group_id", UUID.self).map(BulkValue.uuid) ?? .null, try optional("member_id", UUID.self).map(BulkValue.uuid) ?? .null,
                              BulkValue(try optional("walk_order", Int.self)), BulkValue(try optional("household", String.self)),
                              BulkValue(try optional("case_class", String.self)), BulkValue(try optional("classification", String.self)),
                              try optional("classified_at", Date.self).map(BulkValue.date) ?? .null, .int(0), .int(0)])
                events.append([.uuid(ids.next(now: now)), .date(now), actorID, .text(actorName), .text("case.carry_over"), .text("campaign_case"), .text(id.uuidString),
                               BulkValue(Audit.json(["campaign_case": try row.decode(column: "id", as: UUID.self).uuidString])),
                               BulkValue(Audit.json(["campaign_id": campaignID.uuidString, "state": state.rawValue]))] + place.bulkValues)
            }
            try await BulkRows.insert(cases, into: CampaignCase.schema,
                                      columns: ["id", "campaign_id", "person_id", "state", "updated_at", "group_id", "member_id", "walk_order", "household",
                                                "case_class", "classification", "classified_at", "visit_count", "missed_visits"], on: db)
            try await BulkRows.insert(events, into: AuditEvent.schema,
                                      columns: ["id", "at", "actor_id", "actor", "action", "entity_type", "entity_id", "before", "after"] + PersonPlace.columns, on: db)
            after = try rows.last!.decode(column: "id", as: UUID.self)
        }
    }
}
