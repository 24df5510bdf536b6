import Fluent
import Vapor

struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.allowing(\.canReadAudit).get("audit", use: self.list)
    }

    /// The newest audit events, read-only: there is no route that edits or deletes them.
    func list(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let page = try request.queryPage()
        let events = try await AuditEvent.query(on: request.db).scoped(to: user.area).sort(\.$at, .descending).sort(\.$id)
            .range(((page - 1) * 100)..<(page * 100)).all()
        return Layout.response(AuditView(context: PageContext(request), events: events, page: page).html)
    }
}
