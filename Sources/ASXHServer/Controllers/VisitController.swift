import ASXHCore
import Fluent
import SQLKit
import Vapor

/// Step 3 on a phone: the member's work list, the person card with the survey, visit submission (page and API
/// share one handler), the photos, and the leader's conflicts.
struct VisitController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let visitors = routes.allowing(\.canVisit)
        visitors.get("visits", use: self.workList)
        visitors.get("visits", "case", ":caseID", use: self.visitPage)
        visitors.get("api", "v1", "worklist", use: self.workListJSON)
        visitors.post("api", "v1", "visits", maxBody: VisitSubmission.maxBody, use: self.submit)
        routes.allowing(\.canReadFieldwork).get("visits", "files", ":fileID", use: self.file)
        let leaders = routes.allowing { $0.canVisit || $0.canManageGroups }
        leaders.get("visits", "conflicts", use: self.conflicts)
        leaders.post("visits", ":visitID", "resolve", use: self.resolve)
    }

    struct WorkItem: Content {
        var caseID: UUID
        var order: Int?
        var fullName: String
        var address: String
        var state: String
        var caseClass: CaseClass?
        var visits: Int
        /// Still to classify after the step 3 deadline.
        var overdue: Bool
    }

    /// The member's cases in walking order, in the open campaign.
    static func workItems(for user: User, today: CalendarDay, on database: any Database) async throws -> [WorkItem] {
        guard let campaign = try await Campaign.current(on: database), let userID = user.id else { return [] }
        let cases = try await CampaignCase.query(on: database).scoped(to: user.area)
            .filter(\.$campaign.$id == campaign.requireID()).filter(\.$member.$id == userID)
            .sort(\.$walkOrder).limit(2_000).all()
        let late = campaign.schedule.isOverdue(.visitAndClassify, on: today)
        return try cases.map { item in
            let person = try item.joined(Person.self)
            return WorkItem(caseID: try item.requireID(), order: item.walkOrder, fullName: person.fullName, address: person.address ?? "",
                            state: item.state, caseClass: item.caseClass, visits: item.visitCount ?? 0, overdue: late && item.caseClass == nil)
        }
    }

    func workList(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let items = try await Self.workItems(for: user, today: CalendarDay(request.application.now()), on: request.db)
        return Layout.response(WorkListView(context: PageContext(request), items: items).html)
    }

    func workListJSON(request: Request) async throws -> [WorkItem] {
        try await Self.workItems(for: try request.requireUser(), today: CalendarDay(request.application.now()), on: request.db)
    }

    func visitPage(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("caseID")
        guard let campaignCase = try await CampaignCase.query(on: request.db).scoped(to: user.area).filter(\.$id == id).with(\.$person).first() else {
            throw ASXHError.notFound
        }
        let person = campaignCase.person
        let enrolments = try await Enrolment.query(on: request.db).filter(\.$person.$id == person.requireID()).all()
        let fieldCheck = try await RegisterMatch.query(on: request.db).filter(\.$person.$id == person.requireID())
            .filter(\.$reviewState == ReviewState.fieldCheck.rawValue).count() > 0
        let questionnaire = try await StoredQuestionnaire.latest(on: request.db)
        return Layout.response(VisitView(context: PageContext(request), campaignCase: campaignCase, enrolments: enrolments,
                                         fieldCheck: fieldCheck, questionnaire: questionnaire).html)
    }

    func submit(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let submission = try request.content.decode(VisitSubmission.self)
        let receipt = try await VisitRecorder.record(submission, by: user, questionnaires: request.application.questionnaires,
                                                    now: request.application.now(), on: request.db)
        return try await receipt.encodeResponse(status: receipt.duplicate ? .ok : .created, for: request)
    }

    /// A visit photo, only for users whose area holds the person; never cached, never framed.
    func file(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("fileID")
        guard let file = try await VisitFile.find(id, on: request.db),
              let visit = try await Visit.find(file.$visit.id, on: request.db),
              try await CampaignCase.query(on: request.db).scoped(to: user.area).filter(\.$id == visit.$campaignCase.id).count() == 1 else {
            throw ASXHError.notFound
        }
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: file.contentType)
        headers.add(name: .cacheControl, value: "no-store")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(data: file.data))
    }

    /// Visits in conflict in the groups the user leads (or, for commune police and chair, in their area).
    func conflicts(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let visits = try await self.conflictQuery(for: user, on: request.db).with(\.$member).with(\.$campaignCase) { $0.with(\.$person) }
            .sort(\.$receivedAt).limit(200).all()
        return Layout.response(ConflictsView(context: PageContext(request), visits: visits).html)
    }

    private func conflictQuery(for user: User, on database: any Database) async throws -> QueryBuilder<Visit> {
        var query = Visit.query(on: database).filter(\.$status == .conflict)
            .join(CampaignCase.self, on: \Visit.$campaignCase.$id == \CampaignCase.$id)
            .join(Person.self, on: \CampaignCase.$person.$id == \Person.$id)
        for filter in user.area.personFilters {
            query = query.filter(.sql(embed: "\(ident: Person.schema).\(ident: filter.column) = \(bind: filter.code)"))
        }
        if !user.role.canManageGroups {
            let led = try await WorkingGroup.query(on: database).filter(\.$leader.$id == user.requireID()).all().compactMap(\.id)
            query = query.filter(CampaignCase.self, \.$group.$id ~~ led)
        }
        return query
    }

    struct Resolution: Content {
        /// `accept`: this visit's class replaces the case's; `overrule`: the case keeps its class.
        var choice: String
    }

    func resolve(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("visitID")
        let resolution = try request.content.decode(Resolution.self)
        guard ["accept", "overrule"].contains(resolution.choice) else {
            throw ASXHError.invalidInput(field: "choice", vi: "Lựa chọn không hợp lệ.", en: "Unknown choice.")
        }
        try await request.db.writeTransaction { db in
            guard let visit = try await self.conflictQuery(for: user, on: db).filter(\.$id == id).first(),
                  let campaignCase = try await CampaignCase.query(on: db).filter(\.$id == visit.$campaignCase.id).with(\.$person).first() else {
                throw ASXHError.notFound
            }
            visit.status = resolution.choice == "accept" ? .accepted : .overruled
            visit.$resolvedBy.id = user.id
            visit.resolvedAt = request.application.now()
            try await visit.save(on: db)
            if resolution.choice == "accept" {
                let answers = try JSONDecoder().decode(SurveyAnswers.self, from: Data(visit.answers.utf8))
                let kinds = Set(try await VisitFile.query(on: db).filter(\.$visit.$id == id).all().map(\.kind))
                let evidence = VisitEvidence(citizenConfirmation: kinds.contains(.confirmation), authorisation: kinds.contains(.authorisation))
                // The answers were validated when the visit arrived; the rules decide them again, as of the visit's day.
                if case .success(let outcome) = Classification.decide(answers, evidence: evidence, earlierMisses: 0, today: CalendarDay(visit.visitedAt)) {
                    try await VisitRecorder.apply(outcome, visitID: id, to: campaignCase, place: PersonPlace(campaignCase.person), by: user, now: request.application.now(), on: db)
                }
            }
            try await Audit.record(on: db, actor: user, action: "visit.\(resolution.choice)", entityType: "visit", entityID: id.uuidString,
                                   before: ["status": Visit.Status.conflict.rawValue], after: ["status": visit.status.rawValue], place: PersonPlace(campaignCase.person))
        }
        if request.wantsJSON { return Response(status: .noContent) }
        return request.redirect(to: "/visits/conflicts")
    }
}
