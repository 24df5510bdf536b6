import Vapor

/// Renders every error once: as JSON for the API, as a bilingual page for people, and a log-in redirect when
/// a page needs a user. Internal errors never leak details (they may carry personal data) outside development.
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
            if status == .internalServerError {
                request.logger.report(error: error)
                if !self.environment.isRelease { vi += " (\(error))"; en += " (\(error))" }
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

    struct ErrorBody: Content {
        var error: String
        var message_vi: String
        var message_en: String
    }
}
