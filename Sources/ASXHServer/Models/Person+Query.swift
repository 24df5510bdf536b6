import Fluent
import SQLKit
import Vapor
import ASXHCore

/// The filters of the people list, shared by the page and the API.
struct PeopleSearch: Content {
    var q: String?
    var id: String?
    var commune: String?
    var group: String?
    var page: Int?

    static let pageSize = 50

    var pageNumber: Int { max(1, self.page ?? 1) }
}

extension Person {
    /// People in `area` matching `search`, newest first by name order; the area filter is part of the SQL.
    static func search(_ search: PeopleSearch, in area: Area, on database: any Database) async throws -> (people: [Person], total: Int) {
        var query = Person.query(on: database).scoped(to: area).filter(\.$mergedInto == nil)
        if let q = search.q.map(VietnameseText.fold), !q.isEmpty {
            // Folded names are stored, so "nguyen van duc" finds "Nguyễn Văn Đức" in the index-friendly column.
            query = query.filter(\.$foldedName, .custom("LIKE"), "%\(q.replacingOccurrences(of: "%", with: ""))%")
        }
        if let id = search.id?.filter(\.isNumber), !id.isEmpty {
            query = query.group(.or) { $0.filter(\.$personalID == id).filter(\.$oldID == id) }
        }
        if let commune = search.commune?.filter(\.isNumber), !commune.isEmpty {
            query = query.group(.or) { $0.filter(\.$communeCode == commune).filter(\.$commune2025Code == commune) }
        }
        if let group = search.group, PolicyGroup(rawValue: group) != nil {
            query = query.filter(.sql(embed: "\(ident: "id") IN (SELECT \(ident: "person_id") FROM \(ident: Enrolment.schema) WHERE \(ident: "policy_group") = \(bind: group))"))
        }
        let total = try await query.count()
        let people = try await query.sort(\.$foldedName).sort(\.$id)
            .range(((search.pageNumber - 1) * PeopleSearch.pageSize)..<(search.pageNumber * PeopleSearch.pageSize))
            .all()
        return (people, total)
    }

    /// One person, only if they are in `area`: reading or changing someone outside it looks like "not found".
    static func find(_ id: UUID?, in area: Area, on database: any Database) async throws -> Person {
        guard let id, let person = try await Person.query(on: database).scoped(to: area).filter(\.$id == id).first() else {
            throw ASXHError.notFound
        }
        return person
    }

    var birthText: String {
        guard let year = self.birthYear else { return "" }
        guard let month = self.birthMonth, let day = self.birthDay else { return String(year) }
        return String(format: "%02d/%02d/%04d", day, month, year)
    }
}

/// Personal data as a given role may see it.
enum Masking {
    static func id(_ value: String?, for role: Role) -> String {
        guard let value, !value.isEmpty else { return "" }
        return role.seesFullIDs ? value : IdentityScan.masked(value)
    }
}
