import ASXHCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// After the visit (see `FollowUp` for the rules): A2 openings, C plans and D corrections still open in an area,
/// and the writes that settle them, each with its audit event in the same transaction.
enum CaseFollowUp {
    struct Item {
        var campaignCase: CampaignCase
        var classification: Classification?
        var pending: FollowUp.Pending
        /// C: the plan's due date has passed.
        var overdue: Bool
    }

    struct Lists {
        var items: [Item]
        var changes: [ClassChange]

        func items(_ pending: FollowUp.Pending) -> [Item] { self.items.filter { $0.pending == pending } }
    }

    /// The most rows one page shows per kind (the area's officers work the oldest first).
    static let pageSize = 500

    static func load(in area: Area, campaign: Campaign, today: CalendarDay, on database: any Database) async throws -> Lists {
        let cases = try await CampaignCase.query(on: database).scoped(to: area)
            .filter(\.$campaign.$id == campaign.requireID()).filter(\.$state != CaseState.closed.rawValue)
            .group(.or) { open in
                open.group(.and) { $0.filter(\.$caseClass == .a2).filter(\.$openedOn == nil) }
                open.group(.and) { $0.filter(\.$caseClass == .c).filter(\.$supportClosedAt == nil) }
                open.filter(\.$caseClass == .d)
            }
            .with(\.$person).with(\.$member)
            .sort(\.$classifiedAt).limit(Self.pageSize * 3).all()
        let items: [Item] = cases.compactMap { campaignCase in
            guard let caseClass = campaignCase.caseClass, let pending = FollowUp.pending(for: caseClass) else { return nil }
            let classification = campaignCase.classification.flatMap { try? JSONDecoder().decode(Classification.self, from: Data($0.utf8)) }
            let overdue = pending == .supportPlan && (classification?.supportDue.map { $0 < today } ?? false)
            return Item(campaignCase: campaignCase, classification: classification, pending: pending, overdue: overdue)
        }
        let changes = try await ClassChange.query(on: database)
            .join(CampaignCase.self, on: \ClassChange.$campaignCase.$id == \CampaignCase.$id)
            .join(Person.self, on: \CampaignCase.$person.$id == \Person.$id)
            .filter(\.$status == .pending).filter(CampaignCase.self, \.$campaign.$id == campaign.requireID())
            .group(.and) { group in
                for filter in area.personFilters { group.filter(.sql(embed: "\(ident: Person.schema).\(ident: filter.column) = \(bind: filter.code)")) }
            }
            .with(\.$proposedBy).with(\.$campaignCase) { $0.with(\.$person) }
            .sort(\.$proposedAt).limit(Self.pageSize).all()
        return Lists(items: items, changes: changes)
    }

    /// The case, in the actor's area and the open campaign, locked for this transaction's change.
    static func openCase(_ id: UUID, for user: User, on db: any Database) async throws -> CampaignCase {
        guard let campaignCase = try await CampaignCase.query(on: db).scoped(to: user.area).filter(\.$id == id).with(\.$person).with(\.$campaign).first(),
              campaignCase.state != CaseState.closed.rawValue else { throw ASXHError.notFound }
        guard campaignCase.campaign.closedAt == nil else {
            throw ASXHError.refused(status: .conflict, code: "campaign_closed", vi: "Đợt này đã kết thúc.", en: "This campaign is closed.")
        }
        return campaignCase
    }

    static func refused(_ refusal: ClassificationRefusal) -> ASXHError {
        ASXHError.refused(status: .unprocessableEntity, code: refusal.code, vi: refusal.vi, en: refusal.en)
    }

    static func recordOpening(_ id: UUID, bank: String, openedOn: CalendarDay, by user: User, now: Date, on database: any Database) async throws {
        try await database.writeTransaction { db in
            let campaignCase = try await Self.openCase(id, for: user, on: db)
            if let refusal = FollowUp.checkOpening(caseClass: campaignCase.caseClass, bank: bank, openedOn: openedOn, today: CalendarDay(now)) {
                throw Self.refused(refusal)
            }
            let before = ["opened_bank": campaignCase.openedBank ?? "", "opened_on": campaignCase.openedOn ?? ""]
            campaignCase.openedBank = bank
            campaignCase.openedOn = openedOn.iso
            try await campaignCase.save(on: db)
            try await Audit.record(on: db, actor: user, action: "case.opening", entityType: "campaign_case", entityID: id.uuidString,
                                   before: before, after: ["opened_bank": bank, "opened_on": openedOn.iso], place: PersonPlace(campaignCase.person), at: now)
        }
    }

    static func closeSupport(_ id: UUID, note: String, by user: User, now: Date, on database: any Database) async throws {
        try await database.writeTransaction { db in
            let campaignCase = try await Self.openCase(id, for: user, on: db)
            if let refusal = FollowUp.checkSupportClosure(caseClass: campaignCase.caseClass, note: note) { throw Self.refused(refusal) }
            guard campaignCase.supportClosedAt == nil else {
                throw ASXHError.refused(status: .conflict, code: "plan_closed", vi: "Phương án hỗ trợ này đã xong.", en: "This support plan is already closed.")
            }
            campaignCase.supportClosedAt = now
            campaignCase.supportNote = note
            try await campaignCase.save(on: db)
            try await Audit.record(on: db, actor: user, action: "case.support_closed", entityType: "campaign_case", entityID: id.uuidString,
                                   before: ["support_closed_at": ""], after: ["support_closed_at": now.formatted(.iso8601), "support_note": note],
                                   place: PersonPlace(campaignCase.person), at: now)
        }
    }

    /// Police confirm a D case left the campaign (deceased, moved out of the province): the case is closed, kept.
    static func close(_ id: UUID, reason: CaseClosedReason, by user: User, now: Date, on database: any Database) async throws {
        try await database.writeTransaction { db in
            let campaignCase = try await Self.openCase(id, for: user, on: db)
            if let refusal = FollowUp.checkClosure(caseClass: campaignCase.caseClass, reason: reason) { throw Self.refused(refusal) }
            try await CampaignCase.transition(where: "id = \(bind: id)", to: .closed, closedReason: reason, action: "case.close", actor: user, at: now, on: db)
            try await AccountRegistry.closeAccounts(ofCase: id, by: user, now: now, on: db)
        }
    }

    /// One officer proposes corrected answers; the rules derive the class with the evidence the case's visits
    /// already hold (a citizen's signed confirmation cannot be made at a desk).
    static func propose(_ id: UUID, version: Int, answers given: [String: String], reason: String, by user: User, questionnaires: QuestionnaireCache,
                        now: Date, on database: any Database) async throws -> ClassChange {
        if let refusal = FollowUp.checkProposal(reason: reason) { throw Self.refused(refusal) }
        return try await database.writeTransaction { db in
            let campaignCase = try await Self.openCase(id, for: user, on: db)
            guard campaignCase.caseClass != nil else {
                throw ASXHError.refused(status: .conflict, code: "not_classified", vi: "Trường hợp chưa được phân loại: cần đến nhà.",
                                        en: "This case has no class yet: it needs a visit.")
            }
            guard let questionnaire = try await questionnaires.version(version, on: db) else {
                throw ASXHError.invalidInput(field: "questionnaireVersion", vi: "Không có bộ câu hỏi phiên bản \(version).", en: "There is no questionnaire version \(version).")
            }
            let answers: SurveyAnswers
            switch questionnaire.validate(SurveyAnswers(given)) {
            case .success(let valid): answers = valid
            case .failure(let refusal):
                throw ASXHError.refused(status: .unprocessableEntity, code: "invalid_answers", vi: refusal.problems.map(\.vi).joined(separator: " "),
                                        en: refusal.problems.map(\.en).joined(separator: " "))
            }
            let kinds = try await VisitFile.query(on: db).join(Visit.self, on: \VisitFile.$visit.$id == \Visit.$id)
                .filter(Visit.self, \.$campaignCase.$id == id).filter(Visit.self, \.$status == .accepted).all(\.$kind)
            let evidence = VisitEvidence(citizenConfirmation: kinds.contains(.confirmation), authorisation: kinds.contains(.authorisation))
            let classification: Classification
            switch Classification.decide(answers, evidence: evidence, earlierMisses: campaignCase.missedVisits ?? 0, today: CalendarDay(now)) {
            case .success(.classified(let decided)): classification = decided
            case .success(.revisit):
                throw ASXHError.refused(status: .unprocessableEntity, code: "revisit", vi: "“Không có nhà” cần một lần đến nhà, không sửa tại bàn.",
                                        en: "“Not at home” is a visit's outcome, not a desk correction.")
            case .failure(let refusal): throw Self.refused(refusal)
            }
            let change = ClassChange()
            change.$campaignCase.id = id
            change.questionnaireVersion = questionnaire.version
            change.answers = Audit.json(answers) ?? "{}"
            change.fromClass = campaignCase.caseClass
            change.toClass = classification.caseClass
            change.classification = Audit.json(classification) ?? "{}"
            change.reason = reason
            change.status = .pending
            change.$proposedBy.id = try user.requireID()
            change.proposedAt = now
            try await change.create(on: db)
            try await Audit.record(on: db, actor: user, action: "class_change.propose", entityType: "class_change", entityID: change.id?.uuidString,
                                   after: ["case_id": id.uuidString, "from_class": change.fromClass?.rawValue ?? "", "to_class": change.toClass.rawValue, "reason": reason],
                                   place: PersonPlace(campaignCase.person), at: now)
            return change
        }
    }

    /// A second officer approves (the case takes the proposed class) or refuses (nothing changes).
    static func decide(_ changeID: UUID, approve: Bool, by user: User, now: Date, on database: any Database) async throws {
        try await database.writeTransaction { db in
            guard let change = try await ClassChange.find(changeID, on: db), change.status == .pending else { throw ASXHError.notFound }
            let campaignCase = try await Self.openCase(change.$campaignCase.id, for: user, on: db)
            if let refusal = FollowUp.checkApproval(proposer: change.$proposedBy.id, approver: try user.requireID()) {
                throw ASXHError.refused(status: .forbidden, code: refusal.code, vi: refusal.vi, en: refusal.en)
            }
            guard campaignCase.caseClass == change.fromClass else {
                throw ASXHError.refused(status: .conflict, code: "case_changed", vi: "Phân loại đã thay đổi từ khi đề nghị; hãy đề nghị lại.",
                                        en: "The class changed since the proposal; propose again.")
            }
            change.status = approve ? .approved : .refused
            change.$decidedBy.id = user.id
            change.decidedAt = now
            try await change.save(on: db)
            let place = PersonPlace(campaignCase.person)
            try await Audit.record(on: db, actor: user, action: approve ? "class_change.approve" : "class_change.refuse", entityType: "class_change",
                                   entityID: changeID.uuidString, before: ["status": ClassChange.Status.pending.rawValue], after: ["status": change.status.rawValue],
                                   place: place, at: now)
            guard approve else { return }
            let before = VisitRecorder.snapshot(campaignCase)
            campaignCase.caseClass = change.toClass
            campaignCase.classification = change.classification
            campaignCase.classifiedAt = now
            try await campaignCase.save(on: db)
            try await Audit.record(on: db, actor: user, action: "case.class_change", entityType: "campaign_case", entityID: campaignCase.id?.uuidString,
                                   before: before, after: VisitRecorder.snapshot(campaignCase).merging(["class_change_id": changeID.uuidString]) { $1 },
                                   place: place, at: now)
        }
    }
}
