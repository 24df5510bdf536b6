import Foundation
import Vapor

/// The page scripts and the API description (`Public/`), read once at start and served by name; nothing else on
/// disk is reachable.
enum StaticFiles {
    static let files: [String: (type: String, body: String)] = {
        var files: [String: (String, String)] = [:]
        for name in ["visit.js", "accounts.js", "openapi.json"] {
            let parts = name.split(separator: ".")
            guard let url = Bundle.module.url(forResource: String(parts[0]), withExtension: String(parts[1]), subdirectory: "Public"),
                  let body = try? String(contentsOf: url, encoding: .utf8) else { continue }
            files[name] = (name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/json; charset=utf-8", body)
        }
        return files
    }()

    /// The page scripts, open to anyone (the log-in page has none; they hold no data).
    @Sendable static func serve(request: Request) async throws -> Response {
        guard let name = request.parameters.get("file"), name.hasSuffix(".js"), let file = Self.files[name] else { throw ASXHError.notFound }
        return Self.response(file)
    }

    /// `/api/v1/openapi.json`, for signed-in users and device tokens.
    @Sendable static func openAPI(request: Request) async throws -> Response {
        guard let file = Self.files["openapi.json"] else { throw ASXHError.notFound }
        return Self.response(file)
    }

    private static func response(_ file: (type: String, body: String)) -> Response {
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: file.type)
        headers.add(name: .cacheControl, value: "public, max-age=300")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(string: file.body))
    }
}
