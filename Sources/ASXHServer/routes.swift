import Vapor

/// The table of contents of asxh's HTTP surface, and the one place that says who may enter.
/// Open to anyone: `/health`, the log-in form and its POST, the page scripts under `/static/`. Nothing else. Every other route is declared by its
/// controller for the roles it serves (`allowing`, `signedIn`); `AccessMiddleware` refuses a route that
/// declares nothing, and `RouteSweepTests` walks every route to prove it.
func routes(_ app: Application) throws {
    let open = app.openToEveryone()
    open.get("health") { _ in "ok" }
    let login = LoginController()
    open.get("login", use: login.form)
    open.post("login", maxBody: "8kb", use: login.login)
    open.get("static", ":file", use: StaticFiles.serve)

    let signedIn = app.signedIn()
    signedIn.get { request in request.redirect(to: "/people") }
    signedIn.post("logout", use: login.logout)
    signedIn.get("api", "v1", "openapi.json", use: StaticFiles.openAPI)

    try app.register(collection: PeopleController())
    try app.register(collection: ImportController())
    try app.register(collection: ReviewController())
    try app.register(collection: AuditController())
    try app.register(collection: WorkingGroupController())
    try app.register(collection: VisitController())
    try app.register(collection: ProgressController())
    try app.register(collection: ClassListController())
    try app.register(collection: CampaignController())
    try app.register(collection: DeviceTokenController())
    try app.register(collection: CaseController())
    try app.register(collection: FollowUpController())
    try app.register(collection: QuestionnaireController())
    try app.register(collection: AccountController())
    try app.register(collection: PaymentController())
}

