import Fluent
import Vapor

struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit", use: self.list)
    }

    /// The newest audit events, read-only: there is no route that edits or deletes them.
    func list(request: Request) async throws -> Response {
        _ = try request.require(\.canReadAudit)
        let page = max(1, request.query[Int.self, at: "page"] ?? 1)
        let events = try await AuditEvent.query(on: request.db).sort(\.$at, .descending).sort(\.$id)
            .range(((page - 1) * 100)..<(page * 100)).all()
        return Layout.response(AuditView(context: PageContext(request), events: events, page: page).html)
    }
}
