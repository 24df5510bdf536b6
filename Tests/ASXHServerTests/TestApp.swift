import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

/// Boots a fresh application for one test: a new SQLite file, or, when `DATABASE_URL` names PostgreSQL,
/// that server with an emptied schema (PostgreSQL tests take turns, SQLite tests run in parallel).
func withTestApp(_ body: @Sendable (Application) async throws -> Void) async throws {
    let choice = DatabaseChoice.detect(sqlitePath: FileManager.default.temporaryDirectory.appendingPathComponent("asxh-test-\(UUID().uuidString).sqlite").path)
    if case .postgres = choice {
        try await PostgresTurn.shared.run { try await runApp(choice, body) }
    } else {
        try await runApp(choice, body)
    }
}

private func runApp(_ choice: DatabaseChoice, _ body: @Sendable (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    do {
        try await configure(app, database: choice)
        if case .postgres = choice {
            let sql = app.db as! any SQLDatabase
            try await sql.raw("DROP SCHEMA public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        }
        try await app.autoMigrate()
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        if case .sqlite(let path) = choice { try? FileManager.default.removeItem(atPath: path) }
        throw error
    }
    try await app.asyncShutdown()
    if case .sqlite(let path) = choice { try? FileManager.default.removeItem(atPath: path) }
}

/// Serialises tests that share the one PostgreSQL database.
actor PostgresTurn {
    static let shared = PostgresTurn()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run(_ body: @Sendable () async throws -> Void) async throws {
        if self.busy {
            await withCheckedContinuation { self.waiting.append($0) }
        }
        self.busy = true
        defer {
            if self.waiting.isEmpty { self.busy = false } else { self.waiting.removeFirst().resume() }
        }
        try await body()
    }
}

// MARK: fixtures

extension Database {
    func makeUser(_ username: String, role: Role, area: Area, password: String = "mat-khau-123") async throws -> User {
        try await UserAccounts.create(username: username, password: password, role: role, area: area, displayName: username, by: nil, on: self)
    }

    func makePerson(_ name: String, commune: String, district: String = "001", personalID: String? = nil) async throws -> Person {
        let person = Person()
        person.fullName = name
        person.foldedName = ASXHCore.VietnameseText.fold(name)
        person.birthYear = 1940
        person.personalID = personalID
        person.provinceCode = "01"
        person.districtCode = district
        person.communeCode = commune
        person.needsAddressDetail = false
        try await person.create(on: self)
        return person
    }
}

/// A browser: keeps its cookies (session, pre-log-in CSRF, language) and the CSRF token like a real one does.
struct Browser {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf: String = ""

    static func login(_ app: Application, _ username: String, password: String = "mat-khau-123") async throws -> Browser {
        var browser = Browser(app: app)
        try await browser.fetchCSRF()
        let response = try await browser.request(.POST, "/login", form: ["username": username, "password": password])
        #expect(response.status == .seeOther, "log-in of \(username) failed: \(response.status)")
        browser.keep(response)
        try await browser.fetchCSRF()
        return browser
    }

    /// The session cookie, as the server set it.
    var sessionCookie: String? { self.cookies["asxh_session"] }

    /// Reads the CSRF token from a page's form, as a browser would submit it.
    mutating func fetchCSRF() async throws {
        let response = try await self.request(.GET, "/login")
        let body = response.body.string
        if let range = body.range(of: "name=\"_csrf\" value=\"") {
            self.csrf = String(body[range.upperBound...].prefix { $0 != "\"" })
        }
        self.keep(response)
    }

    /// Uploads `file` as a department list through the import page, as a browser's form does; returns the response
    /// (a redirect to the job's progress page).
    func upload(_ file: ByteBuffer, named name: String) async throws -> TestingHTTPResponse {
        let boundary = "asxhboundary"
        var body = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(self.csrf)\r\n"
                              + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeImmutableBuffer(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        return try await self.request(.POST, "/imports", withCSRF: false, headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"], body: body)
    }

    /// The import job's page once it stops refreshing (the import ended), or as it is after 20 s.
    func finishedJobPage(_ path: String) async throws -> String {
        var page = ""
        for _ in 0..<200 {
            page = try await self.request(.GET, path).body.string
            if !page.contains("http-equiv=\"refresh\"") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return page
    }

    /// Stores the cookies a response sets, forgets the ones it expires.
    mutating func keep(_ response: TestingHTTPResponse) {
        for (name, value) in response.headers.setCookie?.all ?? [:] {
            if let expires = value.expires, expires < Date() { self.cookies[name] = nil } else { self.cookies[name] = value.string }
        }
    }

    func request(_ method: HTTPMethod, _ path: String, json: (any Content)? = nil, form: [String: String]? = nil, withCSRF: Bool = true,
                 headers extra: HTTPHeaders = [:], body raw: ByteBuffer? = nil) async throws -> TestingHTTPResponse {
        let cookies = self.cookies
        let csrf = self.csrf
        return try await self.app.testing().sendRequest(method, path, beforeRequest: { req in
            if !cookies.isEmpty { req.headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
            if withCSRF { req.headers.replaceOrAdd(name: "X-CSRF-Token", value: csrf) }
            if let json { try req.content.encode(json, as: .json) }
            if var form {
                if withCSRF { form["_csrf"] = csrf }
                try req.content.encode(form, as: .urlEncodedForm)
            }
            for (name, value) in extra { req.headers.replaceOrAdd(name: name, value: value) }
            if let raw { req.body = raw }
        })
    }
}
