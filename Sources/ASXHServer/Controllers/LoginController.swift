import Fluent
import Vapor

struct LoginController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: self.form)
        routes.post("login", use: self.login)
        routes.post("logout", use: self.logout)
    }

    func form(request: Request) async throws -> Response {
        Layout.response(LoginView(context: PageContext(request), failed: false, username: "").html)
    }

    private static let unknownUserHash = try! Bcrypt.hash("asxh-no-such-user")

    struct Credentials: Content {
        var username: String
        var password: String
    }

    func login(request: Request) async throws -> Response {
        let credentials = try request.content.decode(Credentials.self)
        let user = try await User.query(on: request.db).filter(\.$username == credentials.username).first()
        // Verify even when the user does not exist, so timing does not reveal which usernames exist.
        let hash = user?.passwordHash ?? Self.unknownUserHash
        let valid = (try? Bcrypt.verify(credentials.password, created: hash)) ?? false
        guard let user, valid else {
            if request.wantsJSON { throw ASXHError.badLogin }
            return Layout.response(LoginView(context: PageContext(request), failed: true, username: credentials.username).html, status: .unauthorized)
        }
        // A fresh session id and CSRF token on log-in, so a session planted before log-in is worthless.
        request.session.id = nil
        request.session.data[CSRFMiddleware.sessionKey] = nil
        request.auth.login(user)
        try await Audit.record(on: request.db, actor: user, action: "auth.login", entityType: "user", entityID: user.id?.uuidString)
        if request.wantsJSON { return Response(status: .noContent) }
        return request.redirect(to: "/people")
    }

    func logout(request: Request) async throws -> Response {
        if let user = request.auth.get(User.self) {
            try await Audit.record(on: request.db, actor: user, action: "auth.logout", entityType: "user", entityID: user.id?.uuidString)
        }
        request.auth.logout(User.self)
        request.session.destroy()
        return request.redirect(to: "/login")
    }
}
