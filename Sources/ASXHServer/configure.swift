import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

/// Where the data lives: a SQLite file (zero set-up) unless `DATABASE_URL` names a PostgreSQL server.
public enum DatabaseChoice: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// `DATABASE_URL=postgres://…` wins; otherwise the SQLite file given by `--db`, `ASXH_DB`, or `./asxh.sqlite`.
    public static func detect(sqlitePath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseChoice {
        if let url = environment["DATABASE_URL"], url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return .postgres(url: url)
        }
        return .sqlite(path: sqlitePath ?? environment["ASXH_DB"] ?? "asxh.sqlite")
    }
}

extension Application {
    private struct DatabaseChoiceKey: StorageKey {
        typealias Value = DatabaseChoice
    }

    /// The database this application was configured with.
    public var databaseChoice: DatabaseChoice? {
        get { self.storage[DatabaseChoiceKey.self] }
        set { self.storage[DatabaseChoiceKey.self] = newValue }
    }
}

public func configure(_ app: Application, database: DatabaseChoice = .detect()) async throws {
    app.databaseChoice = database
    switch database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, sqlLogLevel: .debug), as: .sqlite)
    case .postgres(let url):
        var config = try SQLPostgresConfiguration(url: url)
        config.coreConfiguration.tls = .disable
        app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: 2, sqlLogLevel: .debug), as: .psql)
    }
    app.registerMigrations()
    app.importJobs = ImportJobs()

    app.sessions.use(.fluent)
    app.sessions.configuration.cookieName = "asxh_session"
    app.sessions.configuration.cookieFactory = { sessionID in
        HTTPCookies.Value(string: sessionID.string, expires: Date(timeIntervalSinceNow: 8 * 3600), maxAge: nil, path: "/", isSecure: false, isHTTPOnly: true, sameSite: .lax)
    }
    app.routes.defaultMaxBodySize = "200mb"

    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(ErrorPageMiddleware(environment: app.environment))
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(User.sessionAuthenticator())
    app.middleware.use(CSRFMiddleware())

    app.asyncCommands.use(UserCommand(), as: "user")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(BenchCommand(), as: "bench")
    app.asyncCommands.use(GenerateCommand(), as: "generate")
    app.asyncCommands.use(MatchCommand(), as: "match")
    app.asyncCommands.use(VerifyCommand(), as: "verify")

    try routes(app)
}
