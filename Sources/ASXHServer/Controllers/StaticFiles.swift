import Foundation
import Vapor

/// The page scripts (`Public/`), read once at start and served by name; nothing else on disk is reachable.
enum StaticFiles {
    static let files: [String: (type: String, body: String)] = {
        var files: [String: (String, String)] = [:]
        for name in ["visit.js"] {
            let parts = name.split(separator: ".")
            guard let url = Bundle.module.url(forResource: String(parts[0]), withExtension: String(parts[1]), subdirectory: "Public"),
                  let body = try? String(contentsOf: url, encoding: .utf8) else { continue }
            files[name] = ("text/javascript; charset=utf-8", body)
        }
        return files
    }()

    @Sendable static func serve(request: Request) async throws -> Response {
        guard let name = request.parameters.get("file"), let file = Self.files[name] else { throw ASXHError.notFound }
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: file.type)
        headers.add(name: .cacheControl, value: "public, max-age=300")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(string: file.body))
    }
}
