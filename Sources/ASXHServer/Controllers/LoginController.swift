import Fluent
import Vapor

/// Log-in and log-out. `routes.swift` names the log-in form and its POST as the only open pages.
struct LoginController {
    func form(request: Request) async throws -> Response {
        Layout.response(LoginView(context: PageContext(request), failed: nil, username: "").html)
    }

    private static let unknownUserHash = try! Bcrypt.hash("asxh-no-such-user")

    struct Credentials: Content {
        var username: String
        var password: String
    }

    func login(request: Request) async throws -> Response {
        let credentials = try request.content.decode(Credentials.self)
        guard credentials.username.utf8.count <= 100, credentials.password.utf8.count <= 1_000 else {
            throw ASXHError.invalidInput(field: "username", vi: "Tên đăng nhập hoặc mật khẩu quá dài.", en: "Username or password too long.")
        }
        let throttle = request.application.loginThrottle
        let address = request.clientAddress
        let now = request.application.sessionPolicy.now()
        if let until = await throttle.lockedUntil(username: credentials.username, address: address, now: now) {
            let minutes = max(1, Int(until.timeIntervalSince(now) / 60 + 0.999))
            let error = ASXHError.refused(status: .tooManyRequests, code: "too_many_attempts",
                                          vi: "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau \(minutes) phút hoặc liên hệ quản trị.",
                                          en: "Too many failed log-ins. Try again in \(minutes) minutes or contact the administrator.")
            return try self.refuse(request, error, username: credentials.username)
        }
        let user = try await User.query(on: request.db).filter(\.$username == credentials.username).first()
        // Verify even when the user does not exist, so timing does not reveal which usernames exist.
        let hash = user?.passwordHash ?? Self.unknownUserHash
        let valid = (try? Bcrypt.verify(credentials.password, created: hash)) ?? false
        guard let user, valid else {
            let reachedLimit = await throttle.fail(username: credentials.username, address: address, now: now)
            try await Audit.record(on: request.db, actor: nil, action: reachedLimit ? "auth.locked" : "auth.login_failed", entityType: "user",
                                   entityID: user?.id?.uuidString, after: ["username": credentials.username, "address": address])
            return try self.refuse(request, .badLogin, username: credentials.username)
        }
        await throttle.succeed(username: credentials.username)
        let (token, _) = try await Sessions.start(for: user, on: request)
        request.auth.login(user)
        try await Audit.record(on: request.db, actor: user, action: "auth.login", entityType: "user", entityID: user.id?.uuidString)
        let response = request.wantsJSON ? Response(status: .noContent) : request.redirect(to: "/people")
        let policy = request.application.sessionPolicy
        response.cookies[SessionPolicy.cookieName] = policy.cookie(token, maxAge: Int(policy.absolute))
        response.cookies[SessionPolicy.anonymousCSRFCookie] = .expired
        return response
    }

    private func refuse(_ request: Request, _ error: ASXHError, username: String) throws -> Response {
        if request.wantsJSON { throw error }
        return Layout.response(LoginView(context: PageContext(request), failed: error, username: username).html, status: error.status)
    }

    func logout(request: Request) async throws -> Response {
        let user = try request.requireUser()
        try await request.db.writeTransaction { db in
            try await request.userSession?.delete(on: db)
            try await Audit.record(on: db, actor: user, action: "auth.logout", entityType: "user", entityID: user.id?.uuidString)
        }
        request.userSession = nil
        request.auth.logout(User.self)
        let response = request.redirect(to: "/login")
        response.cookies[SessionPolicy.cookieName] = .expired
        return response
    }
}
