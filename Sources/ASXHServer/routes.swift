import Vapor

/// The table of contents of asxh's HTTP surface.
func routes(_ app: Application) throws {
    app.get("health") { _ in "ok" }
    app.get { request in request.redirect(to: "/people") }

    try app.register(collection: LoginController())
    try app.register(collection: PeopleController())
    try app.register(collection: ImportController())
    try app.register(collection: ReviewController())
    try app.register(collection: AuditController())
}
