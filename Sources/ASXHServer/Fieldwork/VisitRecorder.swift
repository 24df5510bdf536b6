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
        if let earlier = try await Self.earlier(submission, by: user, on: database) { return earlier }
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

    /// The receipt of a submission stored before under the same key; a key reused for another case is refused.
    private static func earlier(_ submission: VisitSubmission, by user: User, on database: any Database) async throws -> VisitReceipt? {
        guard let visit = try await Visit.query(on: database).filter(\.$clientKey == submission.clientKey).with(\.$campaignCase).first() else { return nil }
        guard visit.$member.id == user.id, visit.$campaignCase.id == submission.caseID else {
            throw Self.refuse("client_key_reused", "Mã lần gửi này đã dùng cho lần đến nhà khác.", "This client key belongs to another visit.", status: .conflict)
        }
        return VisitReceipt(visitID: try visit.requireID(), clientKey: visit.clientKey, status: visit.status, outcome: visit.outcome,
                            caseState: visit.campaignCase.state, caseClass: visit.campaignCase.caseClass, duplicate: true)
    }

    private static func write(_ submission: VisitSubmission, files: [(kind: VisitFile.Kind, contentType: String, data: Data)], by user: User,
                              questionnaires: QuestionnaireCache, now: Date, on db: any Database) async throws -> VisitReceipt {
        guard let campaignCase = try await CampaignCase.query(on: db).scoped(to: user.area).filter(\.$id == submission.caseID)
                .with(\.$person).with(\.$campaign).first() else { throw ASXHError.notFound }
        guard campaignCase.campaign.closedAt == nil else {
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
           let last = try await Visit.find(lastID, on: db), last.$member.id != user.id {
            status = .conflict
        }
        let visit = Visit()
        visit.id = UUID()
        visit.clientKey = submission.clientKey
        visit.$campaignCase.id = try campaignCase.requireID()
        visit.$member.id = try user.requireID()
        visit.questionnaireVersion = questionnaire.version
        visit.answers = Audit.json(answers) ?? "{}"
        visit.outcome = classification?.caseClass.rawValue ?? "revisit"
        visit.status = status
        visit.visitedAt = visitedAt
        visit.receivedAt = now
        visit.latitude = submission.latitude
        visit.longitude = submission.longitude
        try await visit.create(on: db)
        for file in files {
            let stored = VisitFile()
            stored.$visit.id = try visit.requireID()
            stored.kind = file.kind
            stored.contentType = file.contentType
            stored.size = file.data.count
            stored.data = file.data
            try await stored.create(on: db)
        }
        if status == .accepted {
            try await Self.apply(outcome, of: visit, to: campaignCase, by: user, now: now, on: db)
        } else {
            try await Audit.record(on: db, actor: user, action: "visit.conflict", entityType: "campaign_case", entityID: campaignCase.id?.uuidString,
                                   after: ["visit_id": visit.id?.uuidString ?? "", "outcome": visit.outcome], place: PersonPlace(campaignCase.person), at: now)
        }
        return VisitReceipt(visitID: try visit.requireID(), clientKey: visit.clientKey, status: status, outcome: visit.outcome,
                            caseState: campaignCase.state, caseClass: campaignCase.caseClass, duplicate: false)
    }

    /// Moves the case as the visit decided and records the change (state, class and what the class carries).
    static func apply(_ outcome: VisitOutcome, of visit: Visit, to campaignCase: CampaignCase, by user: User, now: Date, on db: any Database) async throws {
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
            campaignCase.lastVisitID = visit.id
        }
        try await campaignCase.save(on: db)
        try await Audit.record(on: db, actor: user, action: "case.visit", entityType: "campaign_case", entityID: campaignCase.id?.uuidString,
                               before: before, after: Self.snapshot(campaignCase).merging(["visit_id": visit.id?.uuidString ?? ""]) { $1 },
                               place: PersonPlace(campaignCase.person), at: now)
    }

    static func snapshot(_ campaignCase: CampaignCase) -> [String: String] {
        ["state": campaignCase.state, "case_class": campaignCase.caseClass?.rawValue ?? "", "classification": campaignCase.classification ?? "",
         "visit_count": String(campaignCase.visitCount ?? 0)]
    }
}
