import Fluent
import Foundation
import SQLKit
import ASXHCore

/// The one place where a person takes on a register identity, for bulk verification and for a reviewer's
/// "accept" alike: the register's ID (and, when the list differed, its name, birth date, gender, commune and
/// address) replace the list's; the campaign case moves to `verified`, or is closed when the register says the
/// person died; two records of one register identity are merged (the newer points to the kept one; nothing is
/// deleted). Every changed person gets an audit event with the values before and after.
enum RegisterLinks {
    /// A person's identifying fields, as the audit records them before and after.
    struct Snapshot: Codable, Equatable, Sendable {
        var fullName: String
        var birth: String?
        var gender: String?
        var personalID: String?
        var communeCode: String?
        var address: String?

        init(_ row: ListVerification.Row) {
            self.fullName = row.full_name
            self.birth = row.birthDate?.description
            self.gender = row.gender
            self.personalID = row.personal_id
            self.communeCode = row.commune_code
            self.address = nil
        }

        init(_ person: Person) {
            self.fullName = person.fullName
            self.birth = person.birthYear.flatMap { BirthDate(year: $0, month: person.birthMonth, day: person.birthDay) }?.description
            self.gender = person.gender
            self.personalID = person.personalID
            self.communeCode = person.communeCode
            self.address = person.address
        }

        init(_ record: RegisterRecord, corrected: Bool, before: Snapshot?) {
            self.personalID = record.citizenID
            guard corrected else {
                self.fullName = before?.fullName ?? record.fullName
                self.birth = before?.birth
                self.gender = before?.gender
                self.communeCode = before?.communeCode
                self.address = before?.address
                return
            }
            self.fullName = record.fullName
            self.birth = record.birthDate?.description
            self.gender = record.gender?.rawValue
            self.communeCode = record.communeCode
            self.address = record.address.isEmpty ? before?.address : record.address
        }
    }

    struct Link: Sendable {
        var person: UUID
        var record: RegisterRecord
        var status: MatchStatus
        var before: Snapshot?
    }

    /// Places register communes as the current campaign says (its province, its scheme).
    static func placer(on database: any Database) async throws -> AreaCheck {
        guard let province = try await Campaign.current(on: database)?.province else {
            throw ASXHError.invalidInput(field: "campaign", vi: "Chưa có đợt vận động hiện hành với tỉnh và danh mục hành chính (asxh campaign).",
                                         en: "No current campaign with a province and scheme (asxh campaign).")
        }
        return AreaCheck(importer: province, scheme: province.scheme)
    }

    /// A correction would move the person to a commune this campaign's list of units does not hold: such a link is
    /// not applied (the person would fall out of every area); it goes to review with this reason.
    static let unplacedReason = "register_commune_unplaced"

    static func canPlace(_ link: Link, with placer: AreaCheck) -> Bool {
        link.status != .corrected || link.record.communeCode.isEmpty || placer.placement(for: link.record.communeCode) != nil
    }

    struct Outcome: Sendable {
        var corrected = 0
        var merged = 0
        var deceased = 0
    }

    /// `placer` places the register's communes in the campaign's province and scheme (see `placer(on:)`).
    static func apply(_ links: [Link], placer: AreaCheck, actor: User, on db: any Database) async throws -> Outcome {
        guard !links.isEmpty else { return Outcome() }
        let sql = db as! any SQLDatabase
        var outcome = Outcome()
        let now = Date()

        // Records that already carry one of these identities, or that share one within this batch, are merged.
        let citizenIDs = Array(Set(links.map(\.record.citizenID)))
        var keeper: [String: UUID] = [:]
        for chunk in stride(from: 0, to: citizenIDs.count, by: 5_000).map({ Array(citizenIDs[$0..<min($0 + 5_000, citizenIDs.count)]) }) {
            struct Holder: Decodable { var id: UUID; var personal_id: String }
            let holders = try await sql.select().columns("id", "personal_id").from(Person.schema)
                .where("personal_id", .in, chunk).where("merged_into", .is, SQLLiteral.null)
                .orderBy("created_at").all(decoding: Holder.self)
            for holder in holders where keeper[holder.personal_id] == nil { keeper[holder.personal_id] = holder.id }
        }
        var kept: [Link] = []
        var merges: [(duplicate: UUID, into: UUID)] = []
        for link in links {
            if let into = keeper[link.record.citizenID], into != link.person {
                merges.append((link.person, into))
            } else {
                keeper[link.record.citizenID] = link.person
                kept.append(link)
            }
        }
        for merge in merges {
            try await sql.update(Enrolment.schema).set("person_id", to: merge.into).where("person_id", .equal, merge.duplicate).run()
            try await sql.update(RegisterMatch.schema).set("person_id", to: merge.into).where("person_id", .equal, merge.duplicate).run()
            try await sql.update(Person.schema).set("merged_into", to: merge.into).set("updated_at", to: now).where("id", .equal, merge.duplicate).run()
            try await CampaignCase.transition(where: "person_id = \(bind: merge.duplicate) AND state NOT IN (\(bind: CaseState.paid.rawValue), \(bind: CaseState.closed.rawValue))",
                                              to: .closed, closedReason: .mergedDuplicate, action: "case.close_merged", actor: actor, at: now, on: db)
        }
        outcome.merged = merges.count

        // One bulk UPDATE … FROM a temporary table of the new values (PostgreSQL and SQLite ≥ 3.33 both speak it).
        let postgres = sql.dialect.name == "postgresql"
        try await sql.raw("DROP TABLE IF EXISTS register_links").run()
        try await sql.raw(postgres
            ? "CREATE TEMP TABLE register_links (person_id uuid, status text, personal_id text, full_name text, folded_name text, birth_year int, birth_month int, birth_day int, gender text, commune_code text, district_code text, province_code text, commune2025_code text, province2025_code text, address text, identity_key text)"
            : "CREATE TEMP TABLE register_links (person_id, status, personal_id, full_name, folded_name, birth_year, birth_month, birth_day, gender, commune_code, district_code, province_code, commune2025_code, province2025_code, address, identity_key)").run()
        var values: [[BulkValue]] = []
        var auditRows: [[BulkValue]] = []
        var ids = TimeOrderedUUIDs()
        let actorName = actor.username
        for link in kept {
            let record = link.record
            let placement = placer.placement(for: record.communeCode) ?? AreaCheck.Placement()
            let corrected = link.status == .corrected
            values.append([.uuid(link.person), .text(link.status.rawValue), .text(record.citizenID), .text(record.fullName),
                           .text(VietnameseText.fold(record.fullName)), BulkValue(record.birthDate?.year), BulkValue(record.birthDate?.month),
                           BulkValue(record.birthDate?.day), BulkValue(record.gender?.rawValue), BulkValue(placement.communeCode),
                           BulkValue(placement.districtCode), BulkValue(placement.provinceCode), BulkValue(placement.commune2025Code),
                           BulkValue(placement.province2025Code), BulkValue(record.address.isEmpty ? nil : record.address),
                           BulkValue(Person.identityKey(foldedName: VietnameseText.fold(record.fullName), birthYear: record.birthDate?.year,
                                                        communeCode: placement.communeCode, commune2025Code: placement.commune2025Code))])
            let after = Snapshot(record, corrected: corrected, before: link.before)
            if after != link.before {
                if corrected { outcome.corrected += 1 }
                let placedAt = corrected ? placement : (placer.placement(for: link.before?.communeCode) ?? AreaCheck.Placement())
                auditRows.append([.uuid(ids.next(now: now)), .date(now), actor.id.map(BulkValue.uuid) ?? .null, .text(actorName),
                                  .text(corrected ? "person.correct_from_register" : "person.link_register"), .text("person"),
                                  .text(link.person.uuidString), BulkValue(Audit.json(link.before)), BulkValue(Audit.json(after))]
                                 + placedAt.place.bulkValues)
            }
            if link.status == .deceased { outcome.deceased += 1 }
        }
        try await BulkRows.insert(values, into: "register_links",
                                  columns: ["person_id", "status", "personal_id", "full_name", "folded_name", "birth_year", "birth_month", "birth_day",
                                            "gender", "commune_code", "district_code", "province_code", "commune2025_code", "province2025_code", "address", "identity_key"], on: db)
        // Matched and deceased: the register's ID fills in; corrected: the register's values replace the list's.
        let corrected = "v.status = 'corrected'"
        func pick(_ column: String) -> String { "\(column) = CASE WHEN \(corrected) THEN v.\(column) ELSE \(Person.schema).\(column) END" }
        try await sql.raw(SQLQueryString("""
            UPDATE people SET personal_id = v.personal_id, updated_at = \(bind: now),
              \(unsafeRaw: ["full_name", "folded_name", "birth_year", "birth_month", "birth_day", "gender", "commune_code", "district_code",
                            "province_code", "commune2025_code", "province2025_code", "identity_key"].map(pick).joined(separator: ", ")),
              address = CASE WHEN \(unsafeRaw: corrected) AND v.address IS NOT NULL THEN v.address ELSE people.address END
            FROM register_links v WHERE people.id = v.person_id
            """)).run()
        try await CampaignCase.transition(
            where: "state = \(bind: CaseState.imported.rawValue) AND person_id IN (SELECT person_id FROM register_links WHERE status IN ('matched', 'corrected'))",
            to: .verified, action: "case.verify", actor: actor, at: now, on: db)
        try await CampaignCase.transition(
            where: "state NOT IN (\(bind: CaseState.paid.rawValue), \(bind: CaseState.closed.rawValue)) AND person_id IN (SELECT person_id FROM register_links WHERE status = 'deceased')",
            to: .closed, closedReason: .deceased, action: "case.close_deceased", actor: actor, at: now, on: db)
        try await sql.raw("DROP TABLE register_links").run()
        try await BulkRows.insert(auditRows, into: AuditEvent.schema,
                                  columns: ["id", "at", "actor_id", "actor", "action", "entity_type", "entity_id", "before", "after"] + PersonPlace.columns, on: db)
        for merge in merges {
            try await Audit.record(on: db, actor: actor, action: "person.merge", entityType: "person", entityID: merge.duplicate.uuidString,
                                   after: ["merged_into": merge.into.uuidString, "reason": CaseClosedReason.mergedDuplicate.rawValue])
        }
        return outcome
    }
}
