import Vapor

/// Synchronizer-token CSRF protection: every session holds a random token; every unsafe request must echo it
/// in the `_csrf` form field or the `X-CSRF-Token` header.
struct CSRFMiddleware: AsyncMiddleware {
    static let sessionKey = "csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let token = request.csrfToken
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            if request.headers.first(name: "X-CSRF-Token") == nil && request.body.data == nil {
                // Uploads arrive streamed; the token is a form field inside, so collect the body first.
                _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
            }
            let sent = request.headers.first(name: "X-CSRF-Token")
                ?? (try? request.content.get(String.self, at: "_csrf"))
            guard let sent, Self.constantTimeEqual(sent, token) else {
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
    /// This session's CSRF token, created on first use.
    var csrfToken: String {
        if let token = self.session.data[CSRFMiddleware.sessionKey] { return token }
        let token = [UInt8].random(count: 24).base64
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        self.session.data[CSRFMiddleware.sessionKey] = token
        return token
    }
}
