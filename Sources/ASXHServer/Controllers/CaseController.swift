import ASXHCore
import Fluent
import Vapor

/// `GET /api/v1/cases`: the open campaign's cases in the caller's area, filtered and paged.
struct CaseController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.allowing(\.canReadFieldwork).get("api", "v1", "cases", use: self.list)
    }

    struct CaseDTO: Content {
        var id: UUID
        var personID: UUID
        var fullName: String
        var personalID: String
        var address: String?
        var communeCode: String?
        var commune2025Code: String?
        var state: String
        var caseClass: CaseClass?
        var memberID: UUID?
        var walkOrder: Int?
        var visits: Int
        var classifiedAt: Date?
    }

    struct CaseListDTO: Content {
        var total: Int
        var page: Int
        var pageSize: Int
        var cases: [CaseDTO]
    }

    static let pageSize = 100

    func list(request: Request) async throws -> CaseListDTO {
        let user = try request.requireUser()
        let state: CaseState? = try request.queryChoice("state", what: ("Trạng thái", "state"))
        let caseClass: CaseClass? = try request.queryChoice("class", what: ("Phân loại", "class"))
        let page = try request.queryPage()
        let mine = try request.queryText("member", maxLength: 10)
        let commune = try request.queryText("commune", maxLength: 10)
        if let commune, !commune.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw ASXHError.invalidInput(field: "commune", vi: "Mã xã chỉ gồm chữ số.", en: "A commune code has digits only.")
        }
        guard let campaign = try await Campaign.current(on: request.db) else { return CaseListDTO(total: 0, page: page, pageSize: Self.pageSize, cases: []) }
        let campaignID = try campaign.requireID(), userID = try user.requireID()
        var query = CampaignCase.query(on: request.db).scoped(to: user.area).filter(\.$campaign.$id == campaignID)
        if let state { query = query.filter(\.$state == state.rawValue) }
        if let caseClass { query = query.filter(\.$caseClass == caseClass) }
        if mine == "me" { query = query.filter(\.$member.$id == userID) }
        if let commune { query = query.group(.or) { $0.filter(Person.self, \.$communeCode == commune).filter(Person.self, \.$commune2025Code == commune) } }
        let total = try await query.count()
        let cases = try await query.sort(\.$id).range(((page - 1) * Self.pageSize)..<(page * Self.pageSize)).all()
        return CaseListDTO(total: total, page: page, pageSize: Self.pageSize, cases: try cases.map { item in
            let person = try item.joined(Person.self)
            return CaseDTO(id: try item.requireID(), personID: try person.requireID(), fullName: person.fullName, personalID: Masking.id(person.personalID, for: user.role),
                           address: person.address, communeCode: person.communeCode, commune2025Code: person.commune2025Code, state: item.state,
                           caseClass: item.caseClass, memberID: item.$member.id, walkOrder: item.walkOrder, visits: item.visitCount ?? 0, classifiedAt: item.classifiedAt)
        })
    }
}
