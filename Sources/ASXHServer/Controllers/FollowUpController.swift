import ASXHCore
import Fluent
import Vapor

/// After the visit: A2 openings, C support plans, D corrections, and classes changed without a visit (one officer
/// proposes, a second approves).
struct FollowUpController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.allowing(\.canReadFieldwork).get("followup", use: self.page)
        let visitors = routes.allowing(\.canVisit)
        visitors.post("cases", ":caseID", "opening", use: self.opening)
        visitors.post("cases", ":caseID", "support", "close", use: self.closeSupport)
        visitors.post("api", "v1", "class-changes", use: self.propose)
        routes.allowing(\.canDecideReviews).post("cases", ":caseID", "close", use: self.close)
        let approvers = routes.allowing(\.canApproveClassChanges)
        approvers.post("class-changes", ":changeID", "approve", use: self.approve)
        approvers.post("class-changes", ":changeID", "refuse", use: self.refuse)
    }

    func page(request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard let campaign = try await Campaign.current(on: request.db) else {
            throw ASXHError.refused(status: .conflict, code: "no_campaign", vi: "Chưa có đợt nào.", en: "No campaign yet.")
        }
        let lists = try await CaseFollowUp.load(in: user.area, campaign: campaign, today: CalendarDay(request.application.now()), on: request.db)
        return Layout.response(FollowUpView(context: PageContext(request), lists: lists).html)
    }

    private func done(_ request: Request) -> Response {
        request.wantsJSON ? Response(status: .noContent) : request.redirect(to: "/followup")
    }

    struct Opening: Content {
        var bank: String
        var openedOn: String
    }

    func opening(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("caseID")
        let form = try request.content.decode(Opening.self)
        guard let bank = try Request.bounded(form.bank, field: "bank", maxLength: 100) else {
            throw ASXHError.invalidInput(field: "bank", vi: "Chưa ghi ngân hàng.", en: "The bank is missing.")
        }
        guard form.openedOn.count <= 10, let day = CalendarDay(parsing: form.openedOn) else {
            throw ASXHError.invalidInput(field: "openedOn", vi: "Ngày mở tài khoản không đúng (YYYY-MM-DD).", en: "openedOn must be a date (YYYY-MM-DD).")
        }
        try await CaseFollowUp.recordOpening(id, bank: bank, openedOn: day, by: user, now: request.application.now(), on: request.db)
        return self.done(request)
    }

    struct Note: Content {
        var note: String
    }

    func closeSupport(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("caseID")
        let note = try Request.bounded(try request.content.decode(Note.self).note, field: "note", maxLength: FollowUp.maxNoteLength) ?? ""
        try await CaseFollowUp.closeSupport(id, note: note, by: user, now: request.application.now(), on: request.db)
        return self.done(request)
    }

    struct Closure: Content {
        var reason: String
    }

    func close(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("caseID")
        guard let reason: CaseClosedReason = try Request.choice(try request.content.decode(Closure.self).reason, field: "reason",
                                                                what: ("Lý do đóng hồ sơ", "closure reason")) else {
            throw ASXHError.invalidInput(field: "reason", vi: "Chưa chọn lý do đóng hồ sơ.", en: "No closure reason.")
        }
        try await CaseFollowUp.close(id, reason: reason, by: user, now: request.application.now(), on: request.db)
        return self.done(request)
    }

    struct Proposal: Content {
        var caseID: UUID
        var questionnaireVersion: Int
        var answers: [String: String]
        var reason: String
    }

    struct ProposalReceipt: Content {
        var id: UUID
        var fromClass: CaseClass?
        var toClass: CaseClass
        var status: String
    }

    func propose(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let proposal = try request.content.decode(Proposal.self)
        guard proposal.answers.count <= 64, proposal.answers.allSatisfy({ $0.key.count <= 64 && $0.value.count <= Questionnaire.maxTextLength }) else {
            throw ASXHError.invalidInput(field: "answers", vi: "Quá nhiều câu trả lời hoặc câu trả lời quá dài.", en: "Too many answers, or an answer too long.")
        }
        let reason = try Request.bounded(proposal.reason, field: "reason", maxLength: FollowUp.maxNoteLength) ?? ""
        let change = try await CaseFollowUp.propose(proposal.caseID, version: proposal.questionnaireVersion, answers: proposal.answers, reason: reason, by: user,
                                                    questionnaires: request.application.questionnaires, now: request.application.now(), on: request.db)
        return try await ProposalReceipt(id: change.requireID(), fromClass: change.fromClass, toClass: change.toClass, status: change.status.rawValue)
            .encodeResponse(status: .created, for: request)
    }

    func approve(request: Request) async throws -> Response {
        try await self.decide(request, approve: true)
    }

    func refuse(request: Request) async throws -> Response {
        try await self.decide(request, approve: false)
    }

    private func decide(_ request: Request, approve: Bool) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("changeID")
        try await CaseFollowUp.decide(id, approve: approve, by: user, now: request.application.now(), on: request.db)
        return self.done(request)
    }
}
