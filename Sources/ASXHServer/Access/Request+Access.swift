import Fluent
import Vapor

extension Request {
    /// The logged-in user, or `ASXHError.notLoggedIn`.
    func requireUser() throws -> User {
        guard let user = self.auth.get(User.self) else { throw ASXHError.notLoggedIn }
        return user
    }

    func require(_ allowed: (Role) -> Bool) throws -> User {
        let user = try self.requireUser()
        guard allowed(user.role) else { throw ASXHError.forbidden }
        return user
    }

    /// Vietnamese unless the user switched to English (`?lang=en`, remembered in the session).
    var lang: Lang {
        if let asked = self.query[String.self, at: "lang"].flatMap(Lang.init(rawValue:)) {
            self.session.data["lang"] = asked.rawValue
            return asked
        }
        return self.session.data["lang"].flatMap(Lang.init(rawValue:)) ?? .vi
    }

    var wantsJSON: Bool {
        self.url.path.hasPrefix("/api/") || (self.headers.accept.first?.mediaType == .json)
    }
}

/// The language of a page.
enum Lang: String, Sendable {
    case vi
    case en

    func t(_ vi: String, _ en: String) -> String { self == .vi ? vi : en }
}

extension QueryBuilder where Model == Person {
    /// Restricts a people query to an area, in the SQL itself: pages, API and exports all go through here.
    func scoped(to area: Area) -> Self {
        area.personFilters.reduce(self) { query, filter in query.filter(FieldKey(stringLiteral: filter.column), .equal, filter.code) }
    }
}
