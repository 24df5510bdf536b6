import Fluent
import SQLKit
import Vapor
import ASXHCore

/// Step 1 review queue: rows the matcher could not decide, for the commune police to settle.
struct ReviewController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let readers = routes.allowing(\.canReadReviews)
        readers.get("review", use: self.queue)
        readers.get("review", ":matchID", use: self.show)
        routes.allowing(\.canDecideReviews).post("review", ":matchID", use: self.decide)
    }

    func queue(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let state: ReviewState = try request.queryChoice("state", what: ("Trạng thái", "review state")) ?? .open
        let page = try request.queryPage()
        let query = RegisterMatch.query(on: request.db).scoped(to: user.area).filter(\.$reviewState == state.rawValue)
        let total = try await query.count()
        let matches = try await query.with(\.$person).with(\.$sourceList).with(\.$enrolment)
            .sort(\.$confidence, .descending).sort(\.$id).range(((page - 1) * 50)..<(page * 50)).all()
        return Layout.response(ReviewQueueView(context: PageContext(request), state: state, matches: matches, total: total, page: page).html)
    }

    func show(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let match = try await self.match(request, for: user)
        return Layout.response(ReviewView(context: PageContext(request), match: match).html)
    }

    struct Decision: Content {
        var action: String
        /// The chosen candidate's position in the match's candidate list (the page never carries full IDs).
        var candidate: Int?
    }

    func decide(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let decision = try request.content.decode(Decision.self)
        let matchID = try await request.db.writeTransaction { db in
            let match = try await self.match(request, for: user, on: db)
            guard match.review == .open || match.review == .fieldCheck else {
                throw ASXHError.invalidInput(field: "review", vi: "Dòng này đã được quyết định.", en: "This row has already been decided.")
            }
            let before = ["status": match.status, "review_state": match.reviewState ?? ""]
            switch decision.action {
            case "accept":
                let candidates = match.decodedCandidates()
                guard let index = decision.candidate, candidates.indices.contains(index) else {
                    throw ASXHError.invalidInput(field: "candidate", vi: "Chưa chọn người trong CSDL dân cư.", en: "No register candidate chosen.")
                }
                let record = candidates[index].registerRecord
                let person = match.person
                let status: MatchStatus = record.status == .deceased ? .deceased : (Self.sameIdentity(person, record) ? .matched : .corrected)
                let link = RegisterLinks.Link(person: try person.requireID(), record: record, status: status, before: RegisterLinks.Snapshot(person))
                let placer = try await RegisterLinks.placer(on: db)
                guard RegisterLinks.canPlace(link, with: placer) else {
                    throw ASXHError.invalidInput(field: "candidate",
                                                 vi: "Mã xã \(record.communeCode) trong CSDL dân cư không có trong danh mục của đợt này; không thể nhận. Hãy chuyển tổ công tác xác minh.",
                                                 en: "The register's commune code \(record.communeCode) is not in this campaign's list of units; it cannot be accepted. Send the case to the working group.")
                }
                _ = try await RegisterLinks.apply([link], placer: placer, actor: user, on: db)
                match.status = status.rawValue
                match.citizenID = record.citizenID
                match.reviewState = ReviewState.accepted.rawValue
            case "none":
                match.status = MatchStatus.notFound.rawValue
                match.citizenID = nil
                match.reviewState = ReviewState.noneOfThese.rawValue
            case "field":
                // Step 2: the working group verifies this person at the door.
                match.reviewState = ReviewState.fieldCheck.rawValue
                try await CampaignCase.transition(where: "person_id = \(bind: match.$person.id) AND state = \(bind: CaseState.imported.rawValue)",
                                                  to: .assigned, action: "case.field_check", actor: user, on: db)
            default:
                throw ASXHError.invalidInput(field: "action", vi: "Thao tác không hợp lệ.", en: "Unknown action.")
            }
            match.$decidedBy.id = user.id
            match.decidedAt = Date()
            try await match.save(on: db)
            try await Audit.record(on: db, actor: user, action: "review.\(decision.action)", entityType: "register_match", entityID: match.id?.uuidString,
                                   before: before, after: ["status": match.status, "review_state": match.reviewState ?? "", "citizen_id": match.citizenID ?? ""],
                                   place: PersonPlace(match.person))
            return try match.requireID()
        }
        if request.wantsJSON { return Response(status: .noContent) }
        return request.redirect(to: "/review/\(matchID.uuidString)")
    }

    private func match(_ request: Request, for user: User, on database: (any Database)? = nil) async throws -> RegisterMatch {
        let id = try request.uuidParameter("matchID")
        guard let match = try await RegisterMatch.query(on: database ?? request.db).scoped(to: user.area).filter(\.$id == id)
                .with(\.$person).with(\.$sourceList).with(\.$enrolment).first()
        else { throw ASXHError.notFound }
        return match
    }

    /// Name, birth date and gender already as the register has them: accepting only fills in the ID.
    static func sameIdentity(_ person: Person, _ record: RegisterRecord) -> Bool {
        VietnameseText.fold(person.fullName) == VietnameseText.fold(record.fullName)
            && person.birthYear == record.birthDate?.year && person.birthMonth == record.birthDate?.month && person.birthDay == record.birthDate?.day
            && person.gender == record.gender?.rawValue && person.communeCode == record.communeCode
    }
}

extension QueryBuilder where Model == RegisterMatch {
    /// Review rows of people in `area` only, filtered in SQL through the person.
    func scoped(to area: Area) -> Self {
        area.personFilters.reduce(self.join(Person.self, on: \RegisterMatch.$person.$id == \Person.$id)) { query, filter in
            query.filter(.sql(embed: "\(ident: Person.schema).\(ident: filter.column) = \(bind: filter.code)"))
        }
    }
}

extension ReviewCandidate {
    var registerRecord: RegisterRecord {
        RegisterRecord(citizenID: self.citizenID, oldID: self.oldID, fullName: self.fullName,
                       birthDate: try? BirthDate(parsing: self.birth), gender: self.gender.flatMap(Gender.init(rawValue:)),
                       communeCode: self.communeCode, address: self.address, status: self.deceased ? .deceased : .alive)
    }
}
