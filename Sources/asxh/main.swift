import ASXHServer
import Vapor

// `--db PATH` picks the SQLite file before Vapor parses the command (the database is chosen at configure time).
var arguments = CommandLine.arguments
var sqlitePath: String?
if let index = arguments.firstIndex(of: "--db"), index + 1 < arguments.count {
    sqlitePath = arguments[index + 1]
    arguments.removeSubrange(index...(index + 1))
}

// Production unless told otherwise (`--env development`): users see reference numbers, never internal errors,
// and cookies are `Secure`.
if !arguments.contains(where: { $0 == "--env" || $0 == "-e" || $0.hasPrefix("--env=") }) {
    arguments += ["--env", "production"]
}
var environment = try Environment.detect(arguments: arguments)
try LoggingSystem.bootstrap(from: &environment)
let app = try await Application.make(environment)
do {
    try await configure(app, database: .detect(sqlitePath: sqlitePath))
    try await app.execute()
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
