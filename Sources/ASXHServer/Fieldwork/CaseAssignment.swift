import ASXHCore
import Fluent
import Foundation
import SQLKit

/// Shares a commune's open cases among its working group (`Assignment.plan`) and writes the plan in a few
/// statements, with one audit event per case whose member or walk changed.
enum CaseAssignment {
    struct Row {
        var id: UUID
        var state: String
        var member: UUID?
        var order: Int?
        var address: String
        var place: PersonPlace
    }

    /// The group's commune's cases not yet visited (verified, or assigned and waiting), in `campaign`.
    static func openCases(of group: WorkingGroup, in campaign: Campaign, on sql: any SQLDatabase) async throws -> [Row] {
        let filters = group.commune.personFilters.map { "p.\($0.column) = \(bind: $0.code)" as SQLQueryString }
        let condition = filters.dropFirst().reduce(filters[0]) { "\($0) AND \($1)" }
        return try await sql.raw("""
            SELECT c.id, c.state, c.member_id, c.walk_order, p.address, p.province_code, p.district_code, p.commune_code, p.province2025_code, p.commune2025_code
            FROM campaign_cases c JOIN people p ON p.id = c.person_id
            WHERE c.campaign_id = \(bind: campaign.requireID()) AND c.state IN (\(bind: CaseState.verified.rawValue), \(bind: CaseState.assigned.rawValue))
              AND p.merged_into IS NULL AND \(condition)
            """).all().map { row in
                Row(id: try row.decode(column: "id", as: UUID.self), state: try row.decode(column: "state", as: String.self),
                    member: try row.decode(column: "member_id", as: UUID?.self), order: try row.decode(column: "walk_order", as: Int?.self),
                    address: try row.decode(column: "address", as: String?.self) ?? "",
                    place: try PersonPlace(row: row))
            }
    }

    /// Assigns every open case of the group's commune to a member; returns how many cases changed hands or order.
    @discardableResult
    static func assign(_ group: WorkingGroup, in campaign: Campaign, actor: User?, at now: Date = Date(), on database: any Database) async throws -> Int {
        let sql = database as! any SQLDatabase
        let members = try await WorkingGroupMember.query(on: database).filter(\.$group.$id == group.requireID()).with(\.$user).all()
            .map(\.user).sorted { $0.username < $1.username }.compactMap(\.id)
        guard !members.isEmpty else {
            throw ASXHError.invalidInput(field: "members", vi: "Tổ công tác chưa có thành viên.", en: "The working group has no members yet.")
        }
        let cases = try await Self.openCases(of: group, in: campaign, on: sql)
        let plan = Assignment.plan(cases.map { Assignment.Item(id: $0.id, address: $0.address) }, members: members)
        let changed = cases.filter { row in
            guard let planned = plan[row.id] else { return false }
            return row.member != planned.member || row.order != planned.order || row.state != CaseState.assigned.rawValue
        }
        let groupID = try group.requireID()
        // One UPDATE … FROM (VALUES …) per chunk: PostgreSQL and SQLite (3.33+) both read it, and both name the
        // columns of VALUES column1, column2, … (SQLite takes no column list after the alias).
        for chunk in stride(from: 0, to: changed.count, by: 500).map({ changed[$0..<min($0 + 500, changed.count)] }) {
            let values = chunk.map { row -> SQLQueryString in
                let planned = plan[row.id]!
                return "(\(bind: row.id), \(bind: planned.member), \(bind: planned.order), \(bind: Assignment.household(row.address)))"
            }
            let list = values.dropFirst().reduce(values[0]) { "\($0), \($1)" }
            try await sql.raw("""
                UPDATE campaign_cases SET group_id = \(bind: groupID), member_id = v.column2, walk_order = v.column3, household = v.column4,
                  state = \(bind: CaseState.assigned.rawValue), updated_at = \(bind: now)
                FROM (VALUES \(list)) AS v WHERE campaign_cases.id = v.column1
                """).run()
        }
        var ids = TimeOrderedUUIDs()
        let actorID = actor?.id.map(BulkValue.uuid) ?? .null, actorName = actor?.username ?? "system"
        try await BulkRows.insert(changed.map { row in
            let planned = plan[row.id]!
            return [.uuid(ids.next(now: now)), .date(now), actorID, .text(actorName), .text("case.assign"), .text("campaign_case"), .text(row.id.uuidString),
                    BulkValue(Audit.json(["state": row.state, "member_id": row.member?.uuidString ?? "", "walk_order": row.order.map(String.init) ?? ""])),
                    BulkValue(Audit.json(["state": CaseState.assigned.rawValue, "member_id": planned.member.uuidString, "walk_order": String(planned.order), "group_id": groupID.uuidString]))]
                + row.place.bulkValues
        }, into: AuditEvent.schema, columns: ["id", "at", "actor_id", "actor", "action", "entity_type", "entity_id", "before", "after"] + PersonPlace.columns, on: database)
        return changed.count
    }
}

extension QueryBuilder where Model == CampaignCase {
    /// Cases of people in `area` only, filtered in SQL through the person.
    func scoped(to area: Area) -> Self {
        area.personFilters.reduce(self.join(Person.self, on: \CampaignCase.$person.$id == \Person.$id)) { query, filter in
            query.filter(.sql(embed: "\(ident: Person.schema).\(ident: filter.column) = \(bind: filter.code)"))
        }
    }
}
