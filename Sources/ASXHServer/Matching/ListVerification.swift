import Fluent
import Foundation
import SQLKit
import ASXHCore

/// The outcome of verifying one imported list against the population register.
struct VerificationSummary: Codable, Sendable {
    var list_id: UUID
    var rows: Int
    var statuses: [String: Int]
    var corrected_people: Int
    var merged_people: Int
    var closed_deceased: Int
    var review: Int
    var seconds: Double
}

/// Step 1 inside the database: matches every row of an imported list against the register (the same
/// `MatchEngine` as `asxh match`), then in one transaction records each decision, writes the register's values
/// over the list's for certain links (old values into the audit), merges records that turn out to be one person,
/// closes the cases of deceased people (never deleting them) and queues the uncertain rows for the commune police.
struct ListVerification: Sendable {
    let database: any Database
    static let rowsToEstimate = 200

    struct Row: Decodable {
        var enrolment_id: UUID
        var source_row: Int
        var person_id: UUID
        var full_name: String
        var birth_year: Int?
        var birth_month: Int?
        var birth_day: Int?
        var gender: String?
        var personal_id: String?
        var old_id: String?
        var commune_code: String?
        var policy_group: String
        var monthly_amount: Int?

        var birthDate: BirthDate? { self.birth_year.flatMap { BirthDate(year: $0, month: self.birth_month, day: self.birth_day) } }
    }

    func run(listID: UUID, register: RegisterSource, actor: User, progress: (@Sendable (Int) -> Void)? = nil) async throws -> VerificationSummary {
        let started = Date()
        let sql = self.database as! any SQLDatabase
        let rows = try await sql.raw("""
            SELECT e.id AS enrolment_id, e.source_row, p.id AS person_id, p.full_name, p.birth_year, p.birth_month, p.birth_day,
                   p.gender, p.personal_id, p.old_id, p.commune_code, e.policy_group, e.monthly_amount
            FROM enrolments e JOIN people p ON p.id = e.person_id
            WHERE e.source_list_id = \(bind: listID)
              AND NOT EXISTS (SELECT 1 FROM register_matches m WHERE m.enrolment_id = e.id)
            ORDER BY e.source_row
            """).all(decoding: Row.self)
        // No house address here (yet): its weight is learnt on lists whose addresses match the register's text
        // almost exactly, and hand-typed addresses would then wrongly push true links to review.
        let queries = rows.enumerated().map { index, row in
            MatchQuery(row: index, personalID: row.personal_id, oldID: row.old_id, fullName: row.full_name,
                       birthDate: row.birthDate,
                       gender: row.gender.flatMap(Gender.init(rawValue:)), communeCode: row.commune_code)
        }
        let register = try await register.index(for: queries)
        // The model is learnt from the list itself; a list too short to learn from uses the prior.
        let model = queries.count >= Self.rowsToEstimate ? LinkageModel.estimate(register: register, queries: queries) : .prior
        let decisions = MatchEngine(register: register, model: model).match(queries, progress: progress)

        // Rows of this list that the register says are one person, and conflicts among them, go to review.
        let entries = zip(rows, decisions).map { row, decision in
            CrossListEntry(list: listID.uuidString, row: row.source_row, status: decision.status, citizenID: decision.citizenID,
                           listedID: row.personal_id ?? row.old_id, fullName: row.full_name,
                           birthDate: row.birthDate, communeCode: row.commune_code,
                           policyGroup: PolicyGroup(rawValue: row.policy_group) ?? .other, monthlyAmount: row.monthly_amount)
        }
        let conflicted = Set(CrossListDeduplicator.group(entries).filter(\.needsReview).flatMap(\.members))

        let placer = try await RegisterLinks.placer(on: self.database)
        return try await self.database.writeTransaction { db in
            try await self.apply(rows: rows, decisions: decisions, conflicted: conflicted, listID: listID, placer: placer,
                                 actor: actor, started: started, on: db)
        }
    }

    private func apply(rows: [Row], decisions: [MatchDecision], conflicted: Set<Int>, listID: UUID, placer: AreaCheck,
                       actor: User, started: Date, on db: any Database) async throws -> VerificationSummary {
        let now = Date()
        // First pass: the register identity certainly linked to each person; a person linked to two different
        // identities (or in a cross-list conflict) is not linked at all and goes to review.
        var links: [UUID: (record: RegisterRecord, status: MatchStatus)] = [:]
        var conflictingPeople = Set<UUID>(), unplaced = Set<UUID>()
        for (index, (row, decision)) in zip(rows, decisions).enumerated() where decision.status.isAutomaticLink {
            guard let record = decision.record, !conflicted.contains(index) else {
                conflictingPeople.insert(row.person_id)
                continue
            }
            guard RegisterLinks.canPlace(RegisterLinks.Link(person: row.person_id, record: record, status: decision.status), with: placer) else {
                unplaced.insert(row.person_id)
                continue
            }
            if let existing = links[row.person_id], existing.record.citizenID != record.citizenID {
                conflictingPeople.insert(row.person_id)
            }
            links[row.person_id] = links[row.person_id] ?? (record, decision.status)
        }
        for person in conflictingPeople.union(unplaced) { links[person] = nil }

        var matchRows: [[BulkValue]] = []
        var ids = TimeOrderedUUIDs()
        var statuses: [String: Int] = [:]
        var review = 0
        for (row, decision) in zip(rows, decisions) {
            var status = decision.status
            var reasons = MatchReason.joined(decision.reasons)
            if status.isAutomaticLink && links[row.person_id] == nil {
                status = .review
                let reason = unplaced.contains(row.person_id) ? RegisterLinks.unplacedReason : "cross_list_conflict"
                reasons += reasons.isEmpty ? reason : ";" + reason
            }
            let needsReview = status == .review || status == .notFound
            if needsReview { review += 1 }
            statuses[status.rawValue, default: 0] += 1
            let candidates = Audit.json(decision.candidates.map(ReviewCandidate.init)) ?? "[]"
            matchRows.append([.uuid(ids.next(now: now)), .uuid(row.enrolment_id), .uuid(row.person_id), .uuid(listID), .text(status.rawValue),
                              BulkValue(status.isAutomaticLink ? decision.citizenID : nil), .double(decision.confidence), .text(reasons),
                              .text(candidates), BulkValue(needsReview ? ReviewState.open.rawValue : nil), .date(now)])
        }
        try await BulkRows.insert(matchRows, into: RegisterMatch.schema,
                                  columns: ["id", "enrolment_id", "person_id", "source_list_id", "status", "citizen_id", "confidence",
                                            "reasons", "candidates", "review_state", "created_at"], on: db)

        let byPerson = Dictionary(rows.map { ($0.person_id, $0) }, uniquingKeysWith: { first, _ in first })
        let outcome = try await RegisterLinks.apply(
            links.map { RegisterLinks.Link(person: $0.key, record: $0.value.record, status: $0.value.status,
                                           before: byPerson[$0.key].map { RegisterLinks.Snapshot($0) }) },
            placer: placer, actor: actor, on: db)
        let summary = VerificationSummary(list_id: listID, rows: rows.count, statuses: statuses, corrected_people: outcome.corrected,
                                          merged_people: outcome.merged, closed_deceased: outcome.deceased, review: review,
                                          seconds: Date().timeIntervalSince(started))
        try await Audit.record(on: db, actor: actor, action: "list.verify", entityType: "source_list", entityID: listID.uuidString, after: summary)
        return summary
    }
}
