import ASXHCore
import Fluent
import Vapor

extension Request {
    /// The logged-in user, or `ASXHError.notLoggedIn`.
    func requireUser() throws -> User {
        guard let user = self.auth.get(User.self) else { throw ASXHError.notLoggedIn }
        return user
    }

    /// Vietnamese unless the user switched to English (`?lang=en`, remembered in a cookie, not a session).
    var lang: Lang {
        if let asked = self.query[String.self, at: "lang"].flatMap(Lang.init(rawValue:)) {
            self.pendingCookies[SessionPolicy.langCookie] = self.application.sessionPolicy.cookie(asked.rawValue, maxAge: 365 * 24 * 3600)
            return asked
        }
        return self.cookies[SessionPolicy.langCookie].flatMap { Lang(rawValue: $0.string) } ?? .vi
    }

    /// Streams a file made for this request as an attachment named `name` (folded to ASCII), then deletes
    /// `temporary` (the file, or the folder it was made in).
    func download(_ path: String, name: String, contentType: HTTPMediaType, temporary: String? = nil) async throws -> Response {
        let response = try await self.fileio.asyncStreamFile(at: path, mediaType: contentType) { _ in
            try? FileManager.default.removeItem(atPath: temporary ?? path)
        }
        let ascii = VietnameseText.fold(name).replacingOccurrences(of: " ", with: "-")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
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

extension HTTPMediaType {
    static let csvUTF8 = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
    static let xlsx = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
}
