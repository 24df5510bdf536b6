import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import ASXHCore

/// Writes parsed list rows in batches: one look-up of known people per batch, then bulk writes (COPY on
/// PostgreSQL) of new people, enrolments, campaign cases and rejections. No per-row round trips.
struct BatchWriter {
    let database: any Database
    let listID: UUID
    let campaignID: UUID?
    /// The importer's area: a known person outside it is never enrolled from here.
    let area: Area
    private(set) var newPeople = 0
    private(set) var enrolments = 0
    /// Rows refused here (their person is known outside the importer's area), on top of intake's rejections.
    private(set) var rejectedRows = 0
    private var pendingRejections: [[BulkValue]] = []
    private var ids = TimeOrderedUUIDs()

    init(database: any Database, listID: UUID, campaignID: UUID?, area: Area) {
        self.database = database
        self.listID = listID
        self.campaignID = campaignID
        self.area = area
    }

    private var sql: any SQLDatabase { self.database as! any SQLDatabase }

    private struct KnownPerson {
        var id: UUID
        var personal_id: String?
        var old_id: String?
        var identity_key: String?
        var birth_month: Int?
        var birth_day: Int?
        var place: PersonPlace

        init(_ row: any SQLRow) throws {
            self.id = try row.decode(column: "id", as: UUID.self)
            self.personal_id = try row.decode(column: "personal_id", as: String?.self)
            self.old_id = try row.decode(column: "old_id", as: String?.self)
            self.identity_key = try row.decode(column: "identity_key", as: String?.self)
            self.birth_month = try row.decode(column: "birth_month", as: Int?.self)
            self.birth_day = try row.decode(column: "birth_day", as: Int?.self)
            self.place = try PersonPlace(row: row)
        }
    }

    static let knownPersonColumns = "id, personal_id, old_id, identity_key, birth_month, birth_day, province_code, district_code, commune_code, province2025_code, commune2025_code"

    /// What recognises a row's person, strongest first: personal ID, old ID, the name + birth year + commune key
    /// (with the month and day it must agree with).
    struct RowKeys: Sendable {
        var personalID: String?
        var oldID: String?
        var identity: String?
        var birthMonth: Int?
        var birthDay: Int?
    }

    /// The people a batch may be: those found in the database, then those its earlier rows created.
    private struct KnownPeople {
        typealias Known = (id: UUID, personalID: String?, birthMonth: Int?, birthDay: Int?)
        private var byPersonalID: [String: Known] = [:]
        private var byOldID: [String: Known] = [:]
        /// Several people can share a name, year and commune (born on different days): all are kept.
        private var byIdentity: [String: [Known]] = [:]
        /// People found outside the importer's area: a row that is one of them is refused.
        var outside: Set<UUID> = []

        mutating func add(_ id: UUID, _ keys: RowKeys) {
            let person: Known = (id: id, personalID: keys.personalID, birthMonth: keys.birthMonth, birthDay: keys.birthDay)
            if let key = keys.personalID { self.byPersonalID[key] = person }
            if let key = keys.oldID { self.byOldID[key] = person }
            if let key = keys.identity, !(self.byIdentity[key] ?? []).contains(where: { $0.id == id }) { self.byIdentity[key, default: []].append(person) }
        }

        /// The first key that finds someone wins, unless both records carry different personal IDs; by name, birth
        /// year and commune only someone whose month and day agree as far as both records give them.
        func find(_ keys: RowKeys) -> UUID? {
            if let key = keys.personalID, let person = self.byPersonalID[key] { return person.id }
            let compatible = { (person: Known) in
                keys.personalID == nil || person.personalID == nil || person.personalID == keys.personalID
            }
            if let key = keys.oldID, let person = self.byOldID[key], compatible(person) { return person.id }
            if let key = keys.identity {
                return self.byIdentity[key]?.first { person in
                    compatible(person) && PersonKey.birthDatesAgree(month: keys.birthMonth, day: keys.birthDay,
                                                                    otherMonth: person.birthMonth, otherDay: person.birthDay)
                }?.id
            }
            return nil
        }
    }

    /// A parsed row with what needs no database: where it belongs and the keys that recognise its person.
    /// Made on the parsing task, so the writer, which waits for the database, does as little as possible.
    struct PlacedRow: Sendable {
        var row: ListRow
        var placement: AreaCheck.Placement
        var keys: RowKeys

        init(_ row: ListRow, area: AreaCheck) {
            let placement = area.placement(for: row.communeCode) ?? AreaCheck.Placement()
            self.row = row
            self.placement = placement
            self.keys = RowKeys(personalID: row.personalID?.digits, oldID: row.oldID?.digits,
                                identity: Person.identityKey(foldedName: row.foldedName, birthYear: row.birthDate?.year,
                                                             communeCode: placement.communeCode, commune2025Code: placement.commune2025Code),
                                birthMonth: row.birthDate?.month, birthDay: row.birthDate?.day)
        }
    }

    mutating func write(_ batch: [PlacedRow]) async throws {
        guard !batch.isEmpty else { return }
        let now = Date()

        // Known people: one exact, indexed look-up per kind of key for the whole batch.
        var known = KnownPeople()
        for person in try await self.lookup(batch.lazy.map(\.keys)) {
            known.add(person.id, RowKeys(personalID: person.personal_id, oldID: person.old_id, identity: person.identity_key,
                                         birthMonth: person.birth_month, birthDay: person.birth_day))
            if !person.place.isInside(self.area) { known.outside.insert(person.id) }
        }

        // Decide who each row is (fast, in memory); the rows themselves are made while COPY streams them.
        // A row whose person is known in another area is refused: the importer cannot see that person, so it may
        // not enrol them (the city, or that area, does). The reason names no other area.
        var kept: [PlacedRow] = []
        var personIDs: [UUID] = []
        var isNew: [Bool] = []
        kept.reserveCapacity(batch.count)
        personIDs.reserveCapacity(batch.count)
        isNew.reserveCapacity(batch.count)
        var newRows: [Int] = []
        for placed in batch {
            if let found = known.find(placed.keys) {
                guard !known.outside.contains(found) else {
                    self.refuseOutsideArea(placed)
                    continue
                }
                personIDs.append(found)
                isNew.append(false)
            } else {
                let personID = self.ids.next(now: now)
                known.add(personID, placed.keys)
                newRows.append(personIDs.count)
                personIDs.append(personID)
                isNew.append(true)
            }
            kept.append(placed)
        }
        guard !kept.isEmpty else { return }
        let rows = kept
        let enrolmentIDs = rows.indices.map { _ in self.ids.next(now: now) }
        let caseIDs = newRows.map { _ in self.ids.next(now: now) }
        let (people, fresh, created, listID) = (personIDs, isNew, newRows, self.listID)
        // PostgreSQL fills the timestamps itself (migration ImportTimestampsByDefault); SQLite is sent them.
        let stamped = !(self.database is any PostgresDatabase)
        let stamps: [BulkValue] = stamped ? [.date(now)] : []

        try await BulkRows.insert(count: rows.count, into: Person.schema,
                                  columns: ["id", "full_name", "folded_name", "birth_year", "birth_month", "birth_day", "gender", "personal_id", "old_id", "address",
                                            "province_code", "district_code", "commune_code", "province2025_code", "commune2025_code",
                                            "needs_address_detail", "identity_key"] + (stamped ? ["created_at", "updated_at"] : []), on: self.database) { i in
            guard fresh[i] else { return nil }
            let row = rows[i].row, placement = rows[i].placement
            return [.uuid(people[i]), .text(row.fullName), .text(row.foldedName),
                    BulkValue(row.birthDate?.year), BulkValue(row.birthDate?.month), BulkValue(row.birthDate?.day),
                    BulkValue(row.gender?.rawValue), BulkValue(rows[i].keys.personalID), BulkValue(row.oldID?.digits), BulkValue(row.address),
                    BulkValue(placement.provinceCode), BulkValue(placement.districtCode), BulkValue(placement.communeCode),
                    BulkValue(placement.province2025Code), BulkValue(placement.commune2025Code),
                    .bool(placement.needsAddressDetail), BulkValue(rows[i].keys.identity)] + stamps + stamps
        }
        try await BulkRows.insert(count: rows.count, into: Enrolment.schema,
                                  columns: ["id", "person_id", "source_list_id", "source_row", "policy_group", "sub_group",
                                            "monthly_amount", "listed_account_number", "listed_bank"] + (stamped ? ["created_at"] : []), on: self.database) { i in
            let row = rows[i].row
            return [.uuid(enrolmentIDs[i]), .uuid(people[i]), .uuid(listID), .int(row.rowNumber), .text(row.policyGroup.rawValue),
                    BulkValue(row.subGroup), BulkValue(row.monthlyAmount), BulkValue(row.accountNumber), BulkValue(row.bankName)] + stamps
        }
        if let campaignID = self.campaignID {
            // New people only: a known person already has their case in this campaign.
            try await BulkRows.insert(count: created.count, into: CampaignCase.schema,
                                      columns: ["id", "campaign_id", "person_id", "state"] + PersonPlace.columns + (stamped ? ["updated_at"] : []), on: self.database) { i in
                // The case carries its person's place (progress reads one table); written here, the trigger need not look it up.
                [.uuid(caseIDs[i]), .uuid(campaignID), .uuid(people[created[i]]), .text(CaseState.imported.rawValue)] + rows[created[i]].placement.place.bulkValues + stamps
            }
        }
        self.newPeople += created.count
        self.enrolments += rows.count
    }

    private mutating func refuseOutsideArea(_ placed: PlacedRow) {
        self.reject([RowProblem(row: placed.row.rowNumber, column: nil, value: placed.keys.personalID ?? placed.keys.oldID ?? placed.row.fullName,
                                code: "person_outside_area",
                                messageVI: "Người này đã được quản lý ở địa bàn khác; không thể thêm từ địa bàn của bạn. Đề nghị cấp thành phố chuyển địa bàn.",
                                messageEN: "This person is already managed in another area and cannot be added from yours. Ask the city to transfer them.")])
        self.rejectedRows += 1
    }

    mutating func reject(_ problems: [RowProblem]) {
        for problem in problems {
            self.pendingRejections.append([.uuid(self.ids.next()), .uuid(self.listID), .int(problem.row), .text(problem.column?.label ?? ""), .text(problem.value),
                                           .text(problem.code), .text(problem.messageVI), .text(problem.messageEN)])
        }
    }

    /// Writes the rejections held so far, once there are at least `minimum` of them.
    mutating func flushRejections(ifAtLeast minimum: Int = 0) async throws {
        guard self.pendingRejections.count >= minimum else { return }
        try await BulkRows.insert(self.pendingRejections, into: ListRejection.schema,
                                  columns: ["id", "list_id", "row", "column_name", "value", "code", "message_vi", "message_en"], on: self.database)
        self.pendingRejections.removeAll()
    }

    /// Known people for a batch: one indexed look-up per kind of key (an OR across columns defeats the indexes).
    /// Merged-away records are not candidates: their survivor carries the person on.
    /// On PostgreSQL the three run as one statement, each key set bound as ONE array behind a sub-select: given the
    /// array's values, the planner would estimate each of thousands of elements, which took longer than the probes.
    private func lookup(_ keys: some Sequence<RowKeys>) async throws -> [KnownPerson] {
        var personalIDs = Set<String>(), oldIDs = Set<String>(), identities = Set<String>()
        for key in keys {
            if let id = key.personalID { personalIDs.insert(id) }
            if let id = key.oldID { oldIDs.insert(id) }
            if let identity = key.identity { identities.insert(identity) }
        }
        var found: [UUID: KnownPerson] = [:]
        if self.sql.dialect.name == "postgresql" {
            let people = try await self.sql.raw("""
                SELECT \(unsafeRaw: Self.knownPersonColumns) FROM people
                    WHERE personal_id = ANY((SELECT \(bind: Array(personalIDs)))::text[]) AND merged_into IS NULL
                UNION ALL SELECT \(unsafeRaw: Self.knownPersonColumns) FROM people
                    WHERE old_id = ANY((SELECT \(bind: Array(oldIDs)))::text[]) AND merged_into IS NULL
                UNION ALL SELECT \(unsafeRaw: Self.knownPersonColumns) FROM people
                    WHERE identity_key = ANY((SELECT \(bind: Array(identities)))::text[]) AND merged_into IS NULL
                """).all().map(KnownPerson.init)
            for person in people { found[person.id] = person }
        } else {
            for (column, values) in [("personal_id", personalIDs), ("old_id", oldIDs), ("identity_key", identities)] where !values.isEmpty {
                let people = try await self.sql.select()
                    .column(SQLRaw(Self.knownPersonColumns))
                    .from(Person.schema)
                    .where(SQLIdentifier(column), .in, SQLBind.group(Array(values)))
                    .where(SQLIdentifier("merged_into"), .is, SQLLiteral.null)
                    .all().map(KnownPerson.init)
                for person in people { found[person.id] = person }
            }
        }
        return Array(found.values)
    }
}
