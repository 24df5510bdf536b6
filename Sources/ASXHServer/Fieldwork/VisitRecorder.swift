import ASXHCore
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// One visit as a phone sends it (page or API). The client key is made on the phone when the member saves the
/// visit, so a submission retried after a lost connection (or queued twice) is stored once.
struct VisitSubmission: Content {
    var clientKey: String
    var caseID: UUID
    var questionnaireVersion: Int
    var answers: [String: String]
    /// ISO 8601, the phone's clock when the member saved the visit.
    var visitedAt: String?
    var latitude: Double?
    var longitude: Double?
    var files: [SubmittedFile]?

    struct SubmittedFile: Content {
        var kind: String
        /// Base64 of a JPEG or PNG (the page shrinks photos before they are queued).
        var data: String
    }

    static let maxFiles = 4
    static let maxFileBytes = 2 * 1024 * 1024
    /// Room for the files in base64 and the answers.
    static let maxBody: ByteCount = "12mb"
}

/// What the phone gets back: enough to mark the queued visit done and show the class.
struct VisitReceipt: Content, Equatable {
    var visitID: UUID
    var clientKey: String
    var status: Visit.Status
    /// `A1` … `D`, or `revisit`.
    var outcome: String
    var caseState: String
    var caseClass: CaseClass?
    /// True when this client key had been stored before: nothing was written this time.
    var duplicate: Bool
}

/// Published survey versions by number, read once (a version never changes after it is published).
final class QuestionnaireCache: Sendable {
    private let versions = NIOLockedValueBox<[Int: Questionnaire]>([:])

    func version(_ version: Int, on database: any Database) async throws -> Questionnaire? {
        if let known = self.versions.withLockedValue({ $0[version] }) { return known }
        guard let loaded = try await StoredQuestionnaire.version(version, on: database) else { return nil }
        self.versions.withLockedValue { $0[version] = loaded }
        return loaded
    }
}

extension Application {
    private struct QuestionnaireCacheKey: StorageKey { typealias Value = QuestionnaireCache }

    var questionnaires: QuestionnaireCache {
        if let cache = self.storage[QuestionnaireCacheKey.self] { return cache }
        let cache = QuestionnaireCache()
        self.storage[QuestionnaireCacheKey.self] = cache
        return cache
    }
}

/// Records a visit: checks it, applies the class rules, writes the visit, its files, the case and the audit
/// event in one transaction. A second member's different outcome for a decided case is kept as a conflict for
/// the group leader instead of overwriting the first.
enum VisitRecorder {
    static func record(_ submission: VisitSubmission, by user: User, questionnaires: QuestionnaireCache, now: Date = Date(),
                       on database: any Database) async throws -> VisitReceipt {
        try Self.checkShape(submission, now: now)
        let files = try Self.decodeFiles(submission.files ?? [])
        do {
            return try await database.writeTransaction { db in
                try await Self.write(submission, files: files, by: user, questionnaires: questionnaires, now: now, on: db)
            }
        } catch {
            // The same key arrived twice at once: the other request stored it.
            if (error as? any DatabaseError)?.isConstraintFailure == true,
               let earlier = try await Self.earlier(submission, by: user, on: database) { return earlier }
            throw error
        }
    }

    private static func refuse(_ code: String, _ vi: String, _ en: String, status: HTTPResponseStatus = .unprocessableEntity) -> ASXHError {
        .refused(status: status, code: code, vi: vi, en: en)
    }

    private static func checkShape(_ submission: VisitSubmission, now: Date) throws {
        let key = submission.clientKey
        guard (8...64).contains(key.utf8.count), key.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw ASXHError.invalidInput(field: "clientKey", vi: "Mã lần gửi phải gồm 8–64 chữ, số hoặc dấu gạch ngang.", en: "clientKey must be 8–64 letters, digits or hyphens.")
        }
        guard submission.answers.count <= 100, submission.answers.allSatisfy({ $0.key.utf8.count <= 64 && $0.value.utf8.count <= 4 * Questionnaire.maxTextLength }) else {
            throw ASXHError.invalidInput(field: "answers", vi: "Quá nhiều câu trả lời hoặc câu trả lời quá dài.", en: "Too many answers, or an answer too long.")
        }
        if let latitude = submission.latitude, !(-90...90).contains(latitude) {
            throw ASXHError.invalidInput(field: "latitude", vi: "Vĩ độ phải trong khoảng −90…90.", en: "latitude must be within −90…90.")
        }
        if let longitude = submission.longitude, !(-180...180).contains(longitude) {
            throw ASXHError.invalidInput(field: "longitude", vi: "Kinh độ phải trong khoảng −180…180.", en: "longitude must be within −180…180.")
        }
        if (submission.files?.count ?? 0) > VisitSubmission.maxFiles {
            throw ASXHError.invalidInput(field: "files", vi: "Tối đa \(VisitSubmission.maxFiles) ảnh mỗi lần đến nhà.", en: "At most \(VisitSubmission.maxFiles) photos per visit.")
        }
        _ = try Self.visitedAt(submission, now: now)
    }

    /// The phone's time, if it is believable: not ahead of the server by more than a day, not older than 60 days
    /// (a queue left on a phone for longer is stale); the server's time otherwise.
    static func visitedAt(_ submission: VisitSubmission, now: Date) throws -> Date {
        guard let text = submission.visitedAt else { return now }
        guard text.utf8.count <= 40, let date = ISO8601DateFormatter().date(from: text)
                ?? { let f = ISO8601DateFormatter(); f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]; return f.date(from: text) }() else {
            throw ASXHError.invalidInput(field: "visitedAt", vi: "Thời điểm đến nhà không đúng dạng ISO 8601.", en: "visitedAt is not an ISO 8601 time.")
        }
        guard date <= now.addingTimeInterval(86_400), date >= now.addingTimeInterval(-60 * 86_400) else {
            throw ASXHError.invalidInput(field: "visitedAt", vi: "Thời điểm đến nhà nằm ngoài 60 ngày qua.", en: "visitedAt is outside the last 60 days.")
        }
        return date
    }

    private static func decodeFiles(_ files: [VisitSubmission.SubmittedFile]) throws -> [(kind: VisitFile.Kind, contentType: String, data: Data)] {
        try files.enumerated().map { index, file in
            guard let kind = VisitFile.Kind(rawValue: file.kind) else {
                throw ASXHError.invalidInput(field: "files[\(index)].kind", vi: "Loại ảnh “\(file.kind.prefix(30))” không hợp lệ.", en: "Unknown photo kind “\(file.kind.prefix(30))”.")
            }
            guard file.data.utf8.count <= VisitSubmission.maxFileBytes * 4 / 3 + 8, let data = Data(base64Encoded: file.data), !data.isEmpty else {
                throw ASXHError.invalidInput(field: "files[\(index)]", vi: "Ảnh thứ \(index + 1) lớn quá 2 MB hoặc hỏng.", en: "Photo \(index + 1) is over 2 MB or damaged.")
            }
            guard let type = Self.imageType(data) else {
                throw ASXHError.refused(status: .unsupportedMediaType, code: "photo_type", vi: "Ảnh thứ \(index + 1) không phải JPEG hoặc PNG.", en: "Photo \(index + 1) is not a JPEG or PNG.")
            }
            return (kind, type, data)
        }
    }

    /// The type by the file's first bytes, never by what the client claims.
    static func imageType(_ data: Data) -> String? {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        return nil
    }

    // The visit path is written in SQL, not through Fluent models: Fluent reads a model's fields by reflection on
    // every row and every save, which cost most of the CPU of a visit (`asxh bench visits`, README "Speed").

    /// The receipt of a submission stored before under the same key; a key reused for another case is refused.
    private static func earlier(_ submission: VisitSubmission, by user: User, on database: any Database) async throws -> VisitReceipt? {
        let sql = database as! any SQLDatabase
        guard let row = try await sql.raw("""
            SELECT v.id, v.member_id, v.case_id, v.status, v.outcome, c.state, c.case_class
            FROM visits v JOIN campaign_cases c ON c.id = v.case_id WHERE v.client_key = \(bind: submission.clientKey)
            """).first() else { return nil }
        guard try row.decode(column: "member_id", as: UUID.self) == user.id, try row.decode(column: "case_id", as: UUID.self) == submission.caseID else {
            throw Self.refuse("client_key_reused", "Mã lần gửi này đã dùng cho lần đến nhà khác.", "This client key belongs to another visit.", status: .conflict)
        }
        return VisitReceipt(visitID: try row.decode(column: "id", as: UUID.self), clientKey: submission.clientKey,
                            status: Visit.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .accepted,
                            outcome: try row.decode(column: "outcome", as: String.self), caseState: try row.decode(column: "state", as: String.self),
                            caseClass: try row.decode(column: "case_class", as: String?.self).flatMap(CaseClass.init(rawValue:)), duplicate: true)
    }

    /// A case in the user's area with what a visit needs: its state and class, its counters, its person's place.
    /// A visit stored before under the client key, found by the same query as the case (one round trip less per visit).
    private struct Earlier {
        var id: UUID
        var member: UUID
        var caseID: UUID
        var status: Visit.Status
        var outcome: String
    }

    private static func caseForVisit(_ id: UUID, clientKey: String, in area: Area, on sql: any SQLDatabase) async throws
        -> (record: CampaignCase, place: PersonPlace, campaignClosed: Bool, earlier: Earlier?)? {
        // The case's own copy of its person's place (AddCasePlace) scopes it: no join to people.
        let filters = area.personFilters.map { "c.\(ident: $0.column) = \(bind: $0.code)" as SQLQueryString }
        let inArea = filters.dropFirst().reduce(filters[0]) { "\($0) AND \($1)" }
        // Two members saving the same person at once: the second waits for the first, then sees its class (a conflict).
        let lock: SQLQueryString = sql.dialect.name == "postgresql" ? "FOR UPDATE OF c" : ""
        guard let row = try await sql.raw("""
            SELECT c.id, c.state, c.case_class, c.classification, c.visit_count, c.missed_visits, c.last_visit_id, k.closed_at,
                   c.province_code, c.district_code, c.commune_code, c.province2025_code, c.commune2025_code,
                   v.id AS earlier_id, v.member_id AS earlier_member, v.case_id AS earlier_case, v.status AS earlier_status, v.outcome AS earlier_outcome
            FROM campaign_cases c JOIN campaigns k ON k.id = c.campaign_id
              LEFT JOIN visits v ON v.client_key = \(bind: clientKey)
            WHERE c.id = \(bind: id) AND \(inArea)
            \(lock)
            """).first() else { return nil }
        let record = CampaignCase()
        record.id = id
        record.state = try row.decode(column: "state", as: String.self)
        record.caseClass = try row.decode(column: "case_class", as: String?.self).flatMap(CaseClass.init(rawValue:))
        record.classification = try row.decode(column: "classification", as: String?.self)
        record.visitCount = try row.decode(column: "visit_count", as: Int?.self)
        record.missedVisits = try row.decode(column: "missed_visits", as: Int?.self)
        record.lastVisitID = try row.decode(column: "last_visit_id", as: UUID?.self)
        var earlier: Earlier?
        if let earlierID = try row.decode(column: "earlier_id", as: UUID?.self) {
            earlier = Earlier(id: earlierID, member: try row.decode(column: "earlier_member", as: UUID.self), caseID: try row.decode(column: "earlier_case", as: UUID.self),
                              status: Visit.Status(rawValue: try row.decode(column: "earlier_status", as: String.self)) ?? .accepted,
                              outcome: try row.decode(column: "earlier_outcome", as: String.self))
        }
        return (record, try PersonPlace(row: row),
                try row.decode(column: "closed_at", as: Date?.self) != nil, earlier)
    }

    private static func write(_ submission: VisitSubmission, files: [(kind: VisitFile.Kind, contentType: String, data: Data)], by user: User,
                              questionnaires: QuestionnaireCache, now: Date, on db: any Database) async throws -> VisitReceipt {
        let sql = db as! any SQLDatabase
        guard let (campaignCase, place, closed, earlier) = try await Self.caseForVisit(submission.caseID, clientKey: submission.clientKey, in: user.area, on: sql) else {
            throw ASXHError.notFound
        }
        if let earlier {
            guard earlier.member == user.id, earlier.caseID == submission.caseID else {
                throw Self.refuse("client_key_reused", "Mã lần gửi này đã dùng cho lần đến nhà khác.", "This client key belongs to another visit.", status: .conflict)
            }
            return VisitReceipt(visitID: earlier.id, clientKey: submission.clientKey, status: earlier.status, outcome: earlier.outcome,
                                caseState: campaignCase.state, caseClass: campaignCase.caseClass, duplicate: true)
        }
        guard !closed else {
            throw Self.refuse("campaign_closed", "Đợt này đã kết thúc.", "This campaign is closed.", status: .conflict)
        }
        let state = CaseState(rawValue: campaignCase.state) ?? .imported
        guard state >= .assigned, state != .closed else {
            throw Self.refuse("case_not_assigned", "Trường hợp này chưa được giao cho tổ công tác hoặc đã đóng.",
                              "This case is not assigned to a working group yet, or is closed.", status: .conflict)
        }
        guard let questionnaire = try await questionnaires.version(submission.questionnaireVersion, on: db) else {
            throw ASXHError.invalidInput(field: "questionnaireVersion", vi: "Không có bộ câu hỏi phiên bản \(submission.questionnaireVersion).",
                                         en: "There is no questionnaire version \(submission.questionnaireVersion).")
        }
        let answers: SurveyAnswers
        switch questionnaire.validate(SurveyAnswers(submission.answers)) {
        case .success(let valid): answers = valid
        case .failure(let refusal):
            let problems = refusal.problems
            throw Self.refuse("invalid_answers", problems.map(\.vi).joined(separator: " "), problems.map(\.en).joined(separator: " "))
        }
        let kinds = Set(files.map(\.kind))
        let evidence = VisitEvidence(citizenConfirmation: kinds.contains(.confirmation), authorisation: kinds.contains(.authorisation))
        let visitedAt = try Self.visitedAt(submission, now: now)
        let outcome: VisitOutcome
        switch Classification.decide(answers, evidence: evidence, earlierMisses: campaignCase.missedVisits ?? 0, today: CalendarDay(visitedAt)) {
        case .success(let decided): outcome = decided
        case .failure(let refusal): throw Self.refuse(refusal.code, refusal.vi, refusal.en)
        }
        let classification: Classification? = if case .classified(let c) = outcome { c } else { nil }

        // Two members, two different classes for one person: the leader decides; the first stands meanwhile.
        var status = Visit.Status.accepted
        if let current = campaignCase.caseClass, let lastID = campaignCase.lastVisitID, let classification, classification.caseClass != current,
           let last = try await sql.raw("SELECT member_id FROM visits WHERE id = \(bind: lastID)").first()?.decode(column: "member_id", as: UUID.self),
           last != user.id {
            status = .conflict
        }
        let visitID = UUID()
        let outcomeName = classification?.caseClass.rawValue ?? "revisit"
        var writes: [SQLQueryString] = ["""
            INSERT INTO visits (id, client_key, case_id, member_id, questionnaire_version, answers, outcome, status, visited_at, received_at, latitude, longitude)
            VALUES (\(bind: visitID), \(bind: submission.clientKey), \(bind: submission.caseID), \(bind: try user.requireID()), \(bind: questionnaire.version),
                    \(bind: Audit.json(answers) ?? "{}"), \(bind: outcomeName), \(bind: status.rawValue), \(bind: visitedAt), \(bind: now),
                    \(bind: submission.latitude), \(bind: submission.longitude))
            """]
        for file in files {
            writes.append("""
                INSERT INTO visit_files (id, visit_id, kind, content_type, size, data)
                VALUES (\(bind: UUID()), \(bind: visitID), \(bind: file.kind.rawValue), \(bind: file.contentType), \(bind: file.data.count), \(bind: file.data))
                """)
        }
        if status == .accepted {
            writes += try Self.changes(outcome, visitID: visitID, to: campaignCase, place: place, by: user, now: now)
        } else {
            writes.append(Audit.event(actor: user, action: "visit.conflict", entityType: "campaign_case", entityID: submission.caseID.uuidString,
                                      after: ["visit_id": visitID.uuidString, "outcome": outcomeName], place: place, at: now))
        }
        try await sql.run(together: writes)
        return VisitReceipt(visitID: visitID, clientKey: submission.clientKey, status: status, outcome: outcomeName,
                            caseState: campaignCase.state, caseClass: campaignCase.caseClass, duplicate: false)
    }

    /// Moves the case as the visit decided and records the change (state, class and what the class carries).
    static func apply(_ outcome: VisitOutcome, visitID: UUID, to campaignCase: CampaignCase, place: PersonPlace, by user: User, now: Date, on db: any Database) async throws {
        try await (db as! any SQLDatabase).run(together: try Self.changes(outcome, visitID: visitID, to: campaignCase, place: place, by: user, now: now))
    }

    /// The writes of `apply`: the case's UPDATE and its audit event (`campaignCase` is changed to match).
    private static func changes(_ outcome: VisitOutcome, visitID: UUID, to campaignCase: CampaignCase, place: PersonPlace, by user: User,
                                now: Date) throws -> [SQLQueryString] {
        let before = Self.snapshot(campaignCase)
        campaignCase.visitCount = (campaignCase.visitCount ?? 0) + 1
        switch outcome {
        case .revisit:
            campaignCase.missedVisits = (campaignCase.missedVisits ?? 0) + 1
            if campaignCase.state == CaseState.assigned.rawValue { campaignCase.state = CaseState.visited.rawValue }
        case .classified(let classification):
            if let state = CaseState(rawValue: campaignCase.state), state < .classified { campaignCase.state = CaseState.classified.rawValue }
            campaignCase.caseClass = classification.caseClass
            campaignCase.classification = Audit.json(classification)
            campaignCase.classifiedAt = now
            campaignCase.lastVisitID = visitID
        }
        return ["""
            UPDATE campaign_cases SET state = \(bind: campaignCase.state), case_class = \(bind: campaignCase.caseClass?.rawValue),
              classification = \(bind: campaignCase.classification), classified_at = \(bind: campaignCase.classifiedAt), visit_count = \(bind: campaignCase.visitCount),
              missed_visits = \(bind: campaignCase.missedVisits), last_visit_id = \(bind: campaignCase.lastVisitID), updated_at = \(bind: now)
            WHERE id = \(bind: try campaignCase.requireID())
            """,
            Audit.event(actor: user, action: "case.visit", entityType: "campaign_case", entityID: campaignCase.id?.uuidString,
                        before: before, after: Self.snapshot(campaignCase).merging(["visit_id": visitID.uuidString]) { $1 }, place: place, at: now)]
    }

    static func snapshot(_ campaignCase: CampaignCase) -> [String: String] {
        ["state": campaignCase.state, "case_class": campaignCase.caseClass?.rawValue ?? "", "classification": campaignCase.classification ?? "",
         "visit_count": String(campaignCase.visitCount ?? 0)]
    }
}
