import Vapor
import Fluent
import FluentSQLiteDriver
import FluentPostgresDriver
import Plot
import ASXHCore

public func configure(_ app: Application) async throws {
}
