import Crypto
import Fluent
import Vapor

/// How long a log-in lasts, and how its cookie is sent. Set in `configure`; tests move the clock.
struct SessionPolicy: Sendable {
    /// A phone left in a pocket between two houses stays logged in; a screen left for an hour does not.
    var idle: TimeInterval = 60 * 60
    /// A working day, whatever the activity.
    var absolute: TimeInterval = 12 * 60 * 60
    /// `Secure` cookies (sent over HTTPS only): on in production.
    var secureCookies = false
    var now: @Sendable () -> Date = { Date() }

    static let cookieName = "asxh_session"
    /// Before log-in the CSRF token lives in a cookie of its own (double submit), so no visitor costs a row.
    static let anonymousCSRFCookie = "asxh_csrf"
    static let langCookie = "asxh_lang"
    /// `seen_at` is written at most this often, so a busy user does not write on every request.
    static let touchInterval: TimeInterval = 60

    func cookie(_ value: String, maxAge: Int?, sameSite: HTTPCookies.SameSitePolicy = .lax) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: nil, maxAge: maxAge, path: "/", isSecure: self.secureCookies, isHTTPOnly: true, sameSite: sameSite)
    }
}

extension Application {
    private struct SessionPolicyKey: StorageKey {
        typealias Value = SessionPolicy
    }

    var sessionPolicy: SessionPolicy {
        get { self.storage[SessionPolicyKey.self] ?? SessionPolicy() }
        set { self.storage[SessionPolicyKey.self] = newValue }
    }
}

/// Log-in sessions: created at log-in only, looked up by the hash of the cookie's token, expired on the server.
enum Sessions {
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Characters of `randomToken()`: 32 random bytes, base64url without padding.
    static let tokenLength = 43

    static func randomToken() -> String {
        [UInt8].random(count: 32).base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Starts a session for `user` (a fresh token and CSRF token: one planted before log-in is worthless) and
    /// sweeps expired sessions of everyone, so the table holds live sessions only.
    static func start(for user: User, on request: Request) async throws -> (token: String, session: UserSession) {
        let policy = request.application.sessionPolicy
        let now = policy.now()
        try await self.deleteExpired(now: now, policy: policy, on: request.db)
        let token = self.randomToken()
        let session = UserSession()
        session.tokenHash = self.hash(token)
        session.csrf = self.randomToken()
        session.createdAt = now
        session.seenAt = now
        session.$user.id = try user.requireID()
        try await session.create(on: request.db)
        request.userSession = session
        return (token, session)
    }

    static func deleteExpired(now: Date, policy: SessionPolicy, on database: any Database) async throws {
        try await UserSession.query(on: database).group(.or) {
            $0.filter(\.$seenAt < now.addingTimeInterval(-policy.idle)).filter(\.$createdAt < now.addingTimeInterval(-policy.absolute))
        }.delete()
    }

    /// The live session behind a cookie token, nil when unknown or expired (an expired one is deleted).
    static func find(token: String, on request: Request) async throws -> UserSession? {
        // Anything but a token's length is no token: not worth hashing or looking up.
        guard token.utf8.count == self.tokenLength else { return nil }
        let policy = request.application.sessionPolicy
        let now = policy.now()
        guard let session = try await UserSession.query(on: request.db).filter(\.$tokenHash == self.hash(token)).with(\.$user).first() else {
            return nil
        }
        if now.timeIntervalSince(session.seenAt) > policy.idle || now.timeIntervalSince(session.createdAt) > policy.absolute {
            try await session.delete(on: request.db)
            return nil
        }
        if now.timeIntervalSince(session.seenAt) > SessionPolicy.touchInterval {
            session.seenAt = now
            try await session.save(on: request.db)
        }
        return session
    }
}

extension Request {
    private struct UserSessionKey: StorageKey {
        typealias Value = UserSession
    }

    private struct PendingCookiesKey: StorageKey {
        typealias Value = [String: HTTPCookies.Value]
    }

    /// The log-in session this request belongs to, if any.
    var userSession: UserSession? {
        get { self.storage[UserSessionKey.self] }
        set { self.storage[UserSessionKey.self] = newValue }
    }

    /// Cookies `SessionMiddleware` puts on the response (a handler's response may be built far from here).
    var pendingCookies: [String: HTTPCookies.Value] {
        get { self.storage[PendingCookiesKey.self] ?? [:] }
        set { self.storage[PendingCookiesKey.self] = newValue }
    }
}

/// Restores the logged-in user from the session cookie. Writes nothing for visitors who never log in.
struct SessionMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var stale = false
        if let token = request.cookies[SessionPolicy.cookieName]?.string {
            if let session = try await Sessions.find(token: token, on: request) {
                request.userSession = session
                request.auth.login(session.user)
            } else {
                stale = true
            }
        }
        let response = try await next.respond(to: request)
        if stale && request.userSession == nil && response.cookies[SessionPolicy.cookieName] == nil {
            response.cookies[SessionPolicy.cookieName] = .expired
        }
        for (name, cookie) in request.pendingCookies where response.cookies[name] == nil {
            response.cookies[name] = cookie
        }
        return response
    }
}
