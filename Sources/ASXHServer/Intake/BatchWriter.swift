import Foundation
import SQLKit
import ASXHCore

/// Writes parsed list rows in batches: one look-up of known people per batch, then multi-row inserts of new
/// people, enrolments, campaign cases and rejections. No per-row round trips.
struct BatchWriter {
    let sql: any SQLDatabase
    let listID: UUID
    let campaignID: UUID?
    private(set) var newPeople = 0
    private(set) var enrolments = 0
    private var pendingRejections: [[any Encodable & Sendable]] = []

    init(sql: any SQLDatabase, listID: UUID, campaignID: UUID?) {
        self.sql = sql
        self.listID = listID
        self.campaignID = campaignID
    }

    private struct KnownPerson: Decodable {
        var id: UUID
        var personal_id: String?
        var old_id: String?
        var folded_name: String
        var birth_year: Int?
        var birth_month: Int?
        var birth_day: Int?
        var commune_code: String?
        var commune2025_code: String?
    }

    mutating func write(_ rows: [ListRow], area: AreaCheck) async throws {
        guard !rows.isEmpty else { return }
        let now = Date()
        let placements = rows.map { area.placement(for: $0.communeCode) ?? AreaCheck.Placement() }
        let communeOf: (AreaCheck.Placement) -> String? = { area.scheme == .before2025 ? $0.communeCode : $0.commune2025Code }

        // Known people: one query for the whole batch, by every key the rows carry.
        var index: [PersonKey: (id: UUID, personalID: String?)] = [:]
        for known in try await self.lookup(rows) {
            let commune = area.scheme == .before2025 ? known.commune_code : known.commune2025_code
            for key in PersonKey.keys(personalID: known.personal_id, oldID: known.old_id, foldedName: known.folded_name,
                                      birthYear: known.birth_year, birthMonth: known.birth_month, birthDay: known.birth_day, commune: commune) {
                index[key] = (known.id, known.personal_id)
            }
        }

        var personRows: [[any Encodable & Sendable]] = []
        var enrolmentRows: [[any Encodable & Sendable]] = []
        var casePeople: [UUID] = []
        for (row, placement) in zip(rows, placements) {
            let personalID = row.personalID?.digits
            let keys = PersonKey.keys(personalID: personalID, oldID: row.oldID?.digits, foldedName: row.foldedName,
                                      birthYear: row.birthDate?.year, birthMonth: row.birthDate?.month, birthDay: row.birthDate?.day,
                                      commune: communeOf(placement))
            // The first key that finds someone wins, unless both records carry different personal IDs.
            let found = keys.lazy.compactMap { index[$0] }.first { known in
                personalID == nil || known.personalID == nil || known.personalID == personalID
            }
            let personID: UUID
            if let found {
                personID = found.id
            } else {
                personID = UUID()
                personRows.append([personID, row.fullName, row.foldedName, row.birthDate?.year, row.birthDate?.month, row.birthDate?.day,
                                   row.gender?.rawValue, personalID, row.oldID?.digits, row.address,
                                   placement.provinceCode, placement.districtCode, placement.communeCode,
                                   placement.province2025Code, placement.commune2025Code, placement.needsAddressDetail, now, now])
                for key in keys { index[key] = (personID, personalID) }
                casePeople.append(personID)
            }
            enrolmentRows.append([UUID(), personID, self.listID, row.rowNumber, row.policyGroup.rawValue, row.subGroup,
                                  row.monthlyAmount, row.accountNumber, row.bankName, now])
        }

        try await self.insert(into: Person.schema, columns: ["id", "full_name", "folded_name", "birth_year", "birth_month", "birth_day",
                                                             "gender", "personal_id", "old_id", "address",
                                                             "province_code", "district_code", "commune_code", "province2025_code", "commune2025_code",
                                                             "needs_address_detail", "created_at", "updated_at"], rows: personRows)
        try await self.insert(into: Enrolment.schema, columns: ["id", "person_id", "source_list_id", "source_row", "policy_group", "sub_group",
                                                                "monthly_amount", "listed_account_number", "listed_bank", "created_at"], rows: enrolmentRows)
        if let campaignID = self.campaignID {
            let caseRows: [[any Encodable & Sendable]] = casePeople.map { [UUID(), campaignID, $0, CaseState.imported.rawValue, now] }
            try await self.insert(into: CampaignCase.schema, columns: ["id", "campaign_id", "person_id", "state", "updated_at"], rows: caseRows, ignoringConflicts: true)
        }
        self.newPeople += personRows.count
        self.enrolments += enrolmentRows.count
    }

    mutating func reject(_ problems: [RowProblem]) {
        for problem in problems {
            self.pendingRejections.append([UUID(), self.listID, problem.row, problem.column?.label ?? "", problem.value, problem.code, problem.messageVI, problem.messageEN])
        }
    }

    mutating func flushRejections() async throws {
        try await self.insert(into: ListRejection.schema, columns: ["id", "list_id", "row", "column_name", "value", "code", "message_vi", "message_en"], rows: self.pendingRejections)
        self.pendingRejections.removeAll()
    }

    private func lookup(_ rows: [ListRow]) async throws -> [KnownPerson] {
        let ids = Set(rows.compactMap { $0.personalID?.digits })
        let oldIDs = Set(rows.compactMap { $0.oldID?.digits })
        let names = Set(rows.map(\.foldedName))
        let select = self.sql.select()
            .columns("id", "personal_id", "old_id", "folded_name", "birth_year", "birth_month", "birth_day", "commune_code", "commune2025_code")
            .from(Person.schema)
            .where(SQLLiteral.boolean(false))
        for (column, values) in [("personal_id", ids), ("old_id", oldIDs), ("folded_name", names)] where !values.isEmpty {
            select.orWhere(SQLIdentifier(column), .in, SQLBind.group(Array(values)))
        }
        return try await select.all(decoding: KnownPerson.self)
    }

    /// Multi-row INSERTs, split so no statement exceeds the bind-parameter limits (SQLite 32,766; PostgreSQL 65,535).
    private func insert(into table: String, columns: [String], rows: [[any Encodable & Sendable]], ignoringConflicts: Bool = false) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            let insert = self.sql.insert(into: table).columns(columns)
            for row in rows[start..<end] { insert.values(row) }
            if ignoringConflicts { insert.ignoringConflicts() }
            try await insert.run()
            start = end
        }
    }
}
