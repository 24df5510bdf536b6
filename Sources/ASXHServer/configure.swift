import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOSSL
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

extension DatabaseChoice {
    /// A PostgreSQL URL's settings, TLS included, as libpq reads `sslmode`: `disable`; `allow`/`prefer` (the
    /// default: encrypted when the server offers it); `require` (encrypted, certificate not checked); `verify-ca`
    /// (certificate checked against `sslrootcert` or the system's roots); `verify-full` (and the host name).
    public static func postgresConfiguration(url: String) throws -> SQLPostgresConfiguration {
        guard var components = URLComponents(string: url) else { throw DatabaseURLError(detail: "not a URL") }
        let items = components.queryItems ?? []
        func value(_ names: String...) -> String? { items.last { names.contains($0.name.lowercased()) }?.value }
        let mode = value("sslmode", "tlsmode", "ssl", "tls") ?? "prefer"
        let rootCertificate = value("sslrootcert")
        components.queryItems = items.filter { !["sslmode", "tlsmode", "ssl", "tls", "sslrootcert"].contains($0.name.lowercased()) }
        if components.queryItems?.isEmpty == true { components.queryItems = nil }
        guard let stripped = components.string else { throw DatabaseURLError(detail: "not a URL") }
        var config = try SQLPostgresConfiguration(url: stripped)
        var tls = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate { tls.trustRoots = .file(rootCertificate) }
        switch mode {
        case "disable", "false":
            config.coreConfiguration.tls = .disable
        case "allow", "prefer", "true":
            tls.certificateVerification = .none
            config.coreConfiguration.tls = .prefer(try NIOSSLContext(configuration: tls))
        case "require":
            tls.certificateVerification = .none
            config.coreConfiguration.tls = .require(try NIOSSLContext(configuration: tls))
        case "verify-ca":
            tls.certificateVerification = .noHostnameVerification
            config.coreConfiguration.tls = .require(try NIOSSLContext(configuration: tls))
        case "verify-full":
            tls.certificateVerification = .fullVerification
            config.coreConfiguration.tls = .require(try NIOSSLContext(configuration: tls))
        default:
            throw DatabaseURLError(detail: "sslmode=\(mode) is not one of disable, allow, prefer, require, verify-ca, verify-full")
        }
        return config
    }
}

/// A `DATABASE_URL` that cannot be used; says why without repeating the URL (it may hold a password).
public struct DatabaseURLError: Error, CustomStringConvertible {
    var detail: String
    public var description: String { "DATABASE_URL: \(self.detail)" }
}

public func configure(_ app: Application, database: DatabaseChoice = .detect()) async throws {
    app.databaseChoice = database
    switch database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, sqlLogLevel: .debug), as: .sqlite)
    case .postgres(let url):
        let config = try DatabaseChoice.postgresConfiguration(url: url)
        app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: 2, sqlLogLevel: .debug), as: .psql)
    }
    app.registerMigrations()
    app.importJobs = ImportJobs()
    app.loginThrottle = LoginThrottle()
    app.sessionPolicy = SessionPolicy(secureCookies: app.environment == .production)

    // Forms and JSON are small; the one upload route raises its own limit, and only for users let in.
    app.routes.defaultMaxBodySize = "64kb"

    // Order matters: errors are rendered around everything; the user is known before the route's access rule
    // is checked; a body is collected (within the route's limit) only for a user the route admits; then CSRF.
    app.middleware = Middlewares()
    // Tests send thousands of requests; their log would drown the failures.
    app.middleware.use(RouteLoggingMiddleware(logLevel: app.environment == .testing ? .trace : .info))
    app.middleware.use(ErrorPageMiddleware(environment: app.environment))
    app.middleware.use(SessionMiddleware())
    app.middleware.use(DeviceTokenMiddleware())
    app.middleware.use(AccessMiddleware())
    app.middleware.use(BodyGuardMiddleware())
    app.middleware.use(CSRFMiddleware())

    app.asyncCommands.use(UserCommand(), as: "user")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(BenchCommand(), as: "bench")
    app.asyncCommands.use(GenerateCommand(), as: "generate")
    app.asyncCommands.use(MatchCommand(), as: "match")
    app.asyncCommands.use(VerifyCommand(), as: "verify")
    app.asyncCommands.use(CampaignCommand(), as: "campaign")
    app.asyncCommands.use(PayCommand(), as: "pay")
    app.asyncCommands.use(SyncCommand(), as: "sync")
    app.asyncCommands.use(VietQRCommand(), as: "vietqr")

    try routes(app)
}
