import Vapor

/// Synchronizer-token CSRF protection: every unsafe request must echo the token in the `_csrf` form field or the
/// `X-CSRF-Token` header. A logged-in session keeps its token on the server; before log-in (the log-in form
/// itself) the token is a double-submit cookie, so an anonymous visitor costs no session row.
/// Runs after `BodyGuardMiddleware`, which has collected the body within the route's limit.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // A device token is sent by the app itself, never added by a browser on another site's behalf.
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) && request.deviceToken == nil {
            let sent = request.headers.first(name: "X-CSRF-Token")
                ?? (try? request.content.get(String.self, at: "_csrf"))
            guard let sent, let expected = request.expectedCSRFToken, Self.constantTimeEqual(sent, expected) else {
                throw ASXHError.csrfMismatch
            }
        }
        return try await next.respond(to: request)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

extension Request {
    private struct AnonymousCSRFKey: StorageKey {
        typealias Value = String
    }

    /// The token an unsafe request must carry: the session's, or before log-in the double-submit cookie's.
    var expectedCSRFToken: String? {
        if let session = self.userSession { return session.csrf }
        return self.cookies[SessionPolicy.anonymousCSRFCookie]?.string
    }

    /// The token a page puts in its forms. Before log-in it is made once and sent back as a cookie.
    var csrfToken: String {
        if let expected = self.expectedCSRFToken, expected.utf8.count == Sessions.tokenLength { return expected }
        if let made = self.storage[AnonymousCSRFKey.self] { return made }
        let token = Sessions.randomToken()
        self.storage[AnonymousCSRFKey.self] = token
        self.pendingCookies[SessionPolicy.anonymousCSRFCookie] = self.application.sessionPolicy.cookie(token, maxAge: 2 * 3600, sameSite: .strict)
        return token
    }
}
