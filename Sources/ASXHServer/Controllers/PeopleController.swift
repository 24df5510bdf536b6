import Fluent
import Vapor
import ASXHCore

struct PeopleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // Everyone reads the people of their own area; correcting a record is for the roles that may.
        let readers = routes.signedIn(), editors = routes.allowing(\.canEditPeople)
        readers.get("people", use: self.list)
        readers.get("people", ":personID", use: self.show)
        editors.post("people", ":personID", use: self.update)

        readers.get("api", "v1", "people", use: self.apiList)
        readers.get("api", "v1", "people", ":personID", use: self.apiShow)
        editors.patch("api", "v1", "people", ":personID", use: self.apiUpdate)
    }

    // MARK: pages

    func list(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let search = try PeopleSearch(request, role: user.role)
        let (people, total) = try await Person.search(search, in: user.area, on: request.db)
        let model = PeopleListView.Model(search: search, people: people, total: total)
        return Layout.response(PeopleListView(context: PageContext(request), model: model).html)
    }

    func show(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let person = try await Person.find(request.uuidParameter("personID"), in: user.area, on: request.db)
        let model = try await PersonView.Model.load(person, on: request.db)
        return Layout.response(PersonView(context: PageContext(request), model: model, saved: request.query[String.self, at: "saved"] == "true").html)
    }

    func update(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let personID = try request.uuidParameter("personID")
        let change = try PersonChange.decode(request)
        _ = try await Self.apply(change, to: personID, by: user, on: request.db)
        return request.redirect(to: "/people/\(personID.uuidString)?saved=true")
    }

    // MARK: API (same scoping, same rules)

    func apiList(request: Request) async throws -> PersonListDTO {
        let user = try request.requireUser()
        let search = try PeopleSearch(request, role: user.role)
        let (people, total) = try await Person.search(search, in: user.area, on: request.db)
        return PersonListDTO(total: total, page: search.pageNumber, people: people.map { PersonDTO($0, for: user.role) })
    }

    func apiShow(request: Request) async throws -> PersonDTO {
        let user = try request.requireUser()
        let person = try await Person.find(request.uuidParameter("personID"), in: user.area, on: request.db)
        return PersonDTO(person, for: user.role)
    }

    func apiUpdate(request: Request) async throws -> PersonDTO {
        let user = try request.requireUser()
        let change = try PersonChange.decode(request)
        let person = try await Self.apply(change, to: request.uuidParameter("personID"), by: user, on: request.db)
        return PersonDTO(person, for: user.role)
    }

    /// One place where a person's record changes: scoped lookup, validation, write and audit in one transaction.
    static func apply(_ change: PersonChange, to id: UUID, by user: User, on database: any Database) async throws -> Person {
        try await database.writeTransaction { db in
            let person = try await Person.find(id, in: user.area, on: db)
            let before = PersonChange(fullName: person.fullName, address: person.address)
            if let name = change.fullName {
                let cleaned = VietnameseText.clean(name, toneStyle: nil)  // as the officer typed it
                guard !cleaned.isEmpty else {
                    throw ASXHError.invalidInput(field: "full_name", vi: "Họ và tên không được để trống.", en: "Full name must not be empty.")
                }
                person.fullName = cleaned
                person.foldedName = VietnameseText.fold(cleaned)
                person.refreshIdentityKey()
            }
            if let address = change.address {
                let cleaned = VietnameseText.clean(address, toneStyle: nil)
                person.address = cleaned.isEmpty ? nil : cleaned
            }
            let after = PersonChange(fullName: person.fullName, address: person.address)
            guard before != after else { return person }
            try await person.save(on: db)
            try await Audit.record(on: db, actor: user, action: "person.update", entityType: "person", entityID: person.id?.uuidString, before: before, after: after,
                                   place: PersonPlace(person))
            return person
        }
    }
}

/// The fields a person's record may be corrected in by hand.
struct PersonChange: Content, Equatable {
    var fullName: String?
    var address: String?

    /// The form or JSON body, with bounds on every field.
    static func decode(_ request: Request) throws -> PersonChange {
        let change = try request.content.decode(PersonChange.self)
        if let name = change.fullName { _ = try Request.bounded(name, field: "fullName", maxLength: 200) }
        if let address = change.address { _ = try Request.bounded(address, field: "address", maxLength: 500) }
        return change
    }
}

struct PersonDTO: Content {
    var id: UUID?
    var fullName: String
    var birth: String
    var gender: String?
    var personalID: String
    var oldID: String
    var address: String?
    var communeCode: String?
    var commune2025Code: String?

    init(_ person: Person, for role: Role) {
        self.id = person.id
        self.fullName = person.fullName
        self.birth = person.birthText
        self.gender = person.gender
        self.personalID = Masking.id(person.personalID, for: role)
        self.oldID = Masking.id(person.oldID, for: role)
        self.address = person.address
        self.communeCode = person.communeCode
        self.commune2025Code = person.commune2025Code
    }
}

struct PersonListDTO: Content {
    var total: Int
    var page: Int
    var people: [PersonDTO]
}
