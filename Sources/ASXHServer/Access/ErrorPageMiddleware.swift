import Vapor

/// Renders every error once: as JSON for the API, as a bilingual page for people, and a log-in redirect when
/// a page needs a user. An internal error shows the user a reference number and nothing else (its text may
/// hold personal data or server paths); the log holds the detail under the same reference. Only the
/// development environment (`--env development`) adds the detail to the page.
struct ErrorPageMiddleware: AsyncMiddleware {
    let environment: Environment

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let asxh = error as? ASXHError
            if asxh == .notLoggedIn && !request.wantsJSON {
                return request.redirect(to: "/login")
            }
            let status = asxh?.status ?? (error as? any AbortError)?.status ?? .internalServerError
            let code = asxh?.code ?? (status == .internalServerError ? "internal" : "http_\(status.code)")
            var vi = asxh?.messageVI ?? (status == .internalServerError ? "Lỗi hệ thống." : ((error as? any AbortError)?.reason ?? "Lỗi."))
            var en = asxh?.messageEN ?? (status == .internalServerError ? "Internal error." : ((error as? any AbortError)?.reason ?? "Error."))
            if status.code >= 500 {
                let reference = Self.reference()
                request.logger.error("error \(reference): \(String(reflecting: error))")
                vi += " Mã tra cứu: \(reference)."
                en += " Reference: \(reference)."
                if self.environment == .development { vi += " (\(error))"; en += " (\(error))" }
            }
            if request.wantsJSON {
                let body = ErrorBody(error: code, message_vi: vi, message_en: en)
                let response = Response(status: status)
                try response.content.encode(body)
                return response
            }
            let page = ErrorView(lang: request.lang, status: status, code: code, vi: vi, en: en)
            return page.response(status: status)
        }
    }

    /// A short reference a user can read out over the phone and an administrator can find in the log.
    static func reference() -> String {
        String(UInt32.random(in: 0...UInt32.max), radix: 16, uppercase: true).leftPadded(to: 8)
    }

    struct ErrorBody: Content {
        var error: String
        var message_vi: String
        var message_en: String
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - self.count)) + self }
}
