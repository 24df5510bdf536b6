import Fluent
import SQLKit
import Vapor
import ASXHCore

/// The filters of the people list, shared by the page and the API, parsed with bounds.
struct PeopleSearch {
    var q: String?
    var id: String?
    var commune: String?
    var group: String?
    var pageNumber = 1

    static let pageSize = 50

    /// Only roles that see full IDs may search by one: otherwise a masked screen would still tell whose an ID is.
    init(_ request: Request, role: Role) throws {
        self.q = try request.queryText("q", maxLength: 200)
        self.id = try request.queryText("id", maxLength: 20)
        self.commune = try request.queryText("commune", maxLength: 10)
        self.group = try (request.queryChoice("group", what: ("Nhóm đối tượng", "policy group")) as PolicyGroup?)?.rawValue
        self.pageNumber = try request.queryPage()
        if let id = self.id {
            guard id.allSatisfy(\.isASCII), id.allSatisfy(\.isNumber) else {
                throw ASXHError.invalidInput(field: "id", vi: "Số CCCD / CMND chỉ gồm chữ số.", en: "A personal or old ID has digits only.")
            }
            guard role.seesFullIDs else {
                throw ASXHError.refused(status: .forbidden, code: "id_search_not_allowed",
                                        vi: "Vai trò của bạn không được tìm theo số CCCD / CMND.", en: "Your role may not search by personal or old ID.")
            }
        }
        if let commune = self.commune, !(commune.allSatisfy(\.isASCII) && commune.allSatisfy(\.isNumber)) {
            throw ASXHError.invalidInput(field: "commune", vi: "Mã xã chỉ gồm chữ số.", en: "A commune code has digits only.")
        }
    }
}

extension Person {
    /// People in `area` matching `search`, newest first by name order; the area filter is part of the SQL.
    static func search(_ search: PeopleSearch, in area: Area, on database: any Database) async throws -> (people: [Person], total: Int) {
        var query = Person.query(on: database).scoped(to: area).filter(\.$mergedInto == nil)
        if let q = search.q.map(VietnameseText.fold), !q.isEmpty {
            // Folded names are stored, so "nguyen van duc" finds "Nguyễn Văn Đức" in the index-friendly column.
            query = query.filter(\.$foldedName, .custom("LIKE"), "%\(q.replacingOccurrences(of: "%", with: ""))%")
        }
        if let id = search.id {
            query = query.group(.or) { $0.filter(\.$personalID == id).filter(\.$oldID == id) }
        }
        if let commune = search.commune {
            query = query.group(.or) { $0.filter(\.$communeCode == commune).filter(\.$commune2025Code == commune) }
        }
        if let group = search.group {
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

    /// A cell as a list held it (a rejected value): a number of 9 or more digits, alone with its separators or
    /// inside text, is taken for an ID or an account number and masked. Amounts stay readable (8 digits at most).
    static func cell(_ value: String, for role: Role) -> String {
        guard !role.seesFullIDs else { return value }
        let digits = value.filter { $0.isASCII && $0.isNumber }
        if digits.count >= 9 && value.allSatisfy({ ($0.isASCII && $0.isNumber) || $0.isWhitespace || ".-'".contains($0) }) {
            return IdentityScan.masked(digits)
        }
        return value.replacing(/[0-9]{9,}/) { IdentityScan.masked(String($0.output)) }
    }
}
