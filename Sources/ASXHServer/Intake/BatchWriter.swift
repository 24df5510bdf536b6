import Fluent
import Foundation
import SQLKit
import ASXHCore

/// Writes parsed list rows in batches: one look-up of known people per batch, then multi-row inserts of new
/// people, enrolments, campaign cases and rejections. No per-row round trips.
struct BatchWriter {
    let database: any Database
    let listID: UUID
    let campaignID: UUID?
    private(set) var newPeople = 0
    private(set) var enrolments = 0
    private var pendingRejections: [[BulkValue]] = []

    init(database: any Database, listID: UUID, campaignID: UUID?) {
        self.database = database
        self.listID = listID
        self.campaignID = campaignID
    }

    private var sql: any SQLDatabase { self.database as! any SQLDatabase }

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

        var personRows: [[BulkValue]] = []
        var enrolmentRows: [[BulkValue]] = []
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
                personRows.append([.uuid(personID), .text(row.fullName), .text(row.foldedName),
                                   BulkValue(row.birthDate?.year), BulkValue(row.birthDate?.month), BulkValue(row.birthDate?.day),
                                   BulkValue(row.gender?.rawValue), BulkValue(personalID), BulkValue(row.oldID?.digits), BulkValue(row.address),
                                   BulkValue(placement.provinceCode), BulkValue(placement.districtCode), BulkValue(placement.communeCode),
                                   BulkValue(placement.province2025Code), BulkValue(placement.commune2025Code),
                                   .bool(placement.needsAddressDetail), .date(now), .date(now)])
                for key in keys { index[key] = (personID, personalID) }
                casePeople.append(personID)
            }
            enrolmentRows.append([.uuid(UUID()), .uuid(personID), .uuid(self.listID), .int(row.rowNumber), .text(row.policyGroup.rawValue),
                                  BulkValue(row.subGroup), BulkValue(row.monthlyAmount), BulkValue(row.accountNumber), BulkValue(row.bankName), .date(now)])
        }

        try await self.insert(into: Person.schema, columns: ["id", "full_name", "folded_name", "birth_year", "birth_month", "birth_day",
                                                             "gender", "personal_id", "old_id", "address",
                                                             "province_code", "district_code", "commune_code", "province2025_code", "commune2025_code",
                                                             "needs_address_detail", "created_at", "updated_at"], rows: personRows)
        try await self.insert(into: Enrolment.schema, columns: ["id", "person_id", "source_list_id", "source_row", "policy_group", "sub_group",
                                                                "monthly_amount", "listed_account_number", "listed_bank", "created_at"], rows: enrolmentRows)
        if let campaignID = self.campaignID {
            // New people only: a known person already has their case in this campaign.
            let caseRows: [[BulkValue]] = casePeople.map { [.uuid(UUID()), .uuid(campaignID), .uuid($0), .text(CaseState.imported.rawValue), .date(now)] }
            try await self.insert(into: CampaignCase.schema, columns: ["id", "campaign_id", "person_id", "state", "updated_at"], rows: caseRows)
        }
        self.newPeople += personRows.count
        self.enrolments += enrolmentRows.count
    }

    mutating func reject(_ problems: [RowProblem]) {
        for problem in problems {
            self.pendingRejections.append([.uuid(UUID()), .uuid(self.listID), .int(problem.row), .text(problem.column?.label ?? ""), .text(problem.value),
                                           .text(problem.code), .text(problem.messageVI), .text(problem.messageEN)])
        }
    }

    mutating func flushRejections() async throws {
        try await self.insert(into: ListRejection.schema, columns: ["id", "list_id", "row", "column_name", "value", "code", "message_vi", "message_en"], rows: self.pendingRejections)
        self.pendingRejections.removeAll()
    }

    /// Known people for a batch: one indexed IN-query per key (an OR across columns defeats the indexes).
    private func lookup(_ rows: [ListRow]) async throws -> [KnownPerson] {
        let keys: [(column: String, values: Set<String>)] = [
            ("personal_id", Set(rows.compactMap { $0.personalID?.digits })),
            ("old_id", Set(rows.compactMap { $0.oldID?.digits })),
            ("folded_name", Set(rows.map(\.foldedName))),
        ]
        var found: [UUID: KnownPerson] = [:]
        for (column, values) in keys where !values.isEmpty {
            let people = try await self.sql.select()
                .columns("id", "personal_id", "old_id", "folded_name", "birth_year", "birth_month", "birth_day", "commune_code", "commune2025_code")
                .from(Person.schema)
                .where(SQLIdentifier(column), .in, SQLBind.group(Array(values)))
                .all(decoding: KnownPerson.self)
            for person in people { found[person.id] = person }
        }
        return Array(found.values)
    }

    private func insert(into table: String, columns: [String], rows: [[BulkValue]]) async throws {
        try await BulkRows.insert(rows, into: table, columns: columns, on: self.database)
    }
}
