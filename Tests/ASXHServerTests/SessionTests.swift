import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date()

    var now: Date { self.lock.withLock { self.current } }

    func advance(_ seconds: TimeInterval) { self.lock.withLock { self.current += seconds } }
}

@Suite("Sessions and log-in")
struct SessionTests {
    static let commune = Area(scheme: .before2025, level: .commune, code: "00004")

    @Test("visitors who never log in write no session: not /health, not the log-in page, not a refused page")
    func noSessionForVisitors() async throws {
        try await withTestApp { app in
            let visitor = Browser(app: app)
            for path in ["/health", "/login", "/login?lang=en", "/people", "/api/v1/people", "/nowhere"] {
                let response = try await visitor.request(.GET, path)
                #expect(response.headers.setCookie?["asxh_session"] == nil, "\(path) set a session cookie")
            }
            // A forged or stale session cookie is not turned into a new session either.
            var stale = Browser(app: app)
            stale.cookies["asxh_session"] = "not-a-session"
            let refused = try await stale.request(.GET, "/api/v1/people")
            #expect(refused.status == .unauthorized)
            #expect(try await UserSession.query(on: app.db).count() == 0)
        }
    }

    @Test("a session is stored as a hash, ends at log-out, and cannot be replayed")
    func logoutEndsTheSession() async throws {
        try await withTestApp { app in
            _ = try await app.db.makeUser("congan", role: .communePolice, area: Self.commune)
            let browser = try await Browser.login(app, "congan")
            let token = try #require(browser.sessionCookie)
            let stored = try #require(try await UserSession.query(on: app.db).first())
            #expect(stored.tokenHash != token && stored.tokenHash == Sessions.hash(token))
            #expect(try await browser.request(.GET, "/api/v1/people").status == .ok)
            let out = try await browser.request(.POST, "/logout", form: [:])
            #expect(out.status == .seeOther)
            #expect(try await UserSession.query(on: app.db).count() == 0)
            // The old cookie, replayed, opens nothing.
            #expect(try await browser.request(.GET, "/api/v1/people").status == .unauthorized)
        }
    }

    @Test("sessions expire on the server: idle and absolute; expired rows are swept at the next log-in")
    func expiry() async throws {
        try await withTestApp { app in
            let clock = TestClock()
            app.sessionPolicy.now = { clock.now }
            _ = try await app.db.makeUser("congan", role: .communePolice, area: Self.commune)
            _ = try await app.db.makeUser("canbo", role: .communeLabourOfficer, area: Self.commune)
            let idle = app.sessionPolicy.idle, absolute = app.sessionPolicy.absolute

            // Idle: one request just inside the limit keeps the session; past it, the session is gone.
            let browser = try await Browser.login(app, "congan")
            clock.advance(idle - 60)
            #expect(try await browser.request(.GET, "/api/v1/people").status == .ok)
            clock.advance(idle + 1)
            #expect(try await browser.request(.GET, "/api/v1/people").status == .unauthorized)
            #expect(try await UserSession.query(on: app.db).count() == 0)

            // Absolute: busy all day, still logged out at the end of it.
            let busy = try await Browser.login(app, "congan")
            var elapsed: TimeInterval = 0
            while elapsed + idle / 2 < absolute {
                clock.advance(idle / 2)
                elapsed += idle / 2
                #expect(try await busy.request(.GET, "/api/v1/people").status == .ok)
            }
            clock.advance(idle / 2 + 1)
            #expect(try await busy.request(.GET, "/api/v1/people").status == .unauthorized)

            // A session left behind is deleted when anyone next logs in.
            _ = try await Browser.login(app, "congan")
            clock.advance(idle + 1)
            _ = try await Browser.login(app, "canbo")
            #expect(try await UserSession.query(on: app.db).count() == 1)
        }
    }

    @Test("cookies are Secure and HttpOnly when the policy says so (production)")
    func secureCookies() async throws {
        try await withTestApp { app in
            app.sessionPolicy.secureCookies = true
            _ = try await app.db.makeUser("congan", role: .communePolice, area: Self.commune)
            var browser = Browser(app: app)
            let form = try await browser.request(.GET, "/login")
            let csrfCookie = try #require(form.headers.setCookie?["asxh_csrf"])
            #expect(csrfCookie.isSecure && csrfCookie.isHTTPOnly && csrfCookie.sameSite == .strict)
            browser.keep(form)
            try await browser.fetchCSRF()
            let login = try await browser.request(.POST, "/login", form: ["username": "congan", "password": "mat-khau-123"])
            let session = try #require(login.headers.setCookie?["asxh_session"])
            #expect(session.isSecure && session.isHTTPOnly)
        }
        let production = try await Application.make(.production)
        try await configure(production, database: .sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent("asxh-prod-\(UUID()).sqlite").path))
        #expect(production.sessionPolicy.secureCookies)
        try await production.asyncShutdown()
    }

    @Test("the log-in form refuses a post without its CSRF cookie")
    func loginNeedsCSRF() async throws {
        try await withTestApp { app in
            _ = try await app.db.makeUser("congan", role: .communePolice, area: Self.commune)
            let bare = Browser(app: app)
            let forged = try await bare.request(.POST, "/login", form: ["username": "congan", "password": "mat-khau-123"], withCSRF: false)
            #expect(forged.status == .forbidden)
            #expect(try await UserSession.query(on: app.db).count() == 0)
        }
    }

    @Test("failed log-ins are limited per user name, audited, and told plainly; the right password waits too")
    func throttle() async throws {
        try await withTestApp { app in
            _ = try await app.db.makeUser("congan", role: .communePolice, area: Self.commune)
            var browser = Browser(app: app)
            try await browser.fetchCSRF()
            let limit = await app.loginThrottle.limits.perUsername
            for _ in 0..<limit {
                let wrong = try await browser.request(.POST, "/login", form: ["username": "congan", "password": "sai-mat-khau-0"])
                #expect(wrong.status == .unauthorized)
            }
            let locked = try await browser.request(.POST, "/login", form: ["username": "congan", "password": "mat-khau-123"])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.string.contains("Đăng nhập sai quá nhiều lần"))
            let json = try await browser.request(.POST, "/login", form: ["username": "CongAn", "password": "mat-khau-123"], headers: ["Accept": "application/json"])
            #expect(json.status == .tooManyRequests)
            #expect(json.body.string.contains("too_many_attempts"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.login_failed").count() == limit - 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.locked").count() == 1)
            #expect(try await UserSession.query(on: app.db).count() == 0)
            // Another user from the same address is not locked out by someone else's mistakes.
            _ = try await app.db.makeUser("canbo", role: .communeLabourOfficer, area: Self.commune)
            _ = try await Browser.login(app, "canbo")
        }
    }

    @Test("the password rule holds wherever a password is set")
    func passwordRule() async throws {
        for (password, ok) in [("short", false), ("1234567890", false), ("aaaaaaaaaaaa", false), ("congan-12345", false),
                               (String(repeating: "Đ", count: 40), false), ("mat-khau-123", true), ("Ngõ 5 Phúc Xá!", true)] {
            #expect((PasswordRule.problem(password, username: "congan") == nil) == ok, "\(password)")
        }
        try await withTestApp { app in
            await #expect(throws: ASXHError.self) {
                _ = try await app.db.makeUser("congan", role: .communePolice, area: Self.commune, password: "12345678")
            }
            let users = try await User.query(on: app.db).count()
            #expect(users == 0)
        }
    }

    @Test("an internal error shows a reference, never its text; the log keeps the detail")
    func internalErrorsShowAReference() async throws {
        struct Leaky: Error, CustomStringConvertible { var description: String { "/srv/asxh/secret-path 001150001234" } }
        try await withTestApp { app in
            app.signedIn().get("boom") { _ -> String in throw Leaky() }
            _ = try await app.db.makeUser("congan", role: .communePolice, area: Self.commune)
            let browser = try await Browser.login(app, "congan")
            let page = try await browser.request(.GET, "/boom")
            #expect(page.status == .internalServerError)
            #expect(page.body.string.contains("Mã tra cứu"))
            #expect(!page.body.string.contains("secret-path") && !page.body.string.contains("001150001234"))
        }
    }

    @Test("TLS to PostgreSQL follows the URL's sslmode")
    func postgresTLS() throws {
        let base = "postgres://asxh:secret@db.example:5432/asxh"
        #expect(try !DatabaseChoice.postgresConfiguration(url: base + "?sslmode=disable").coreConfiguration.tls.isAllowed)
        let prefer = try DatabaseChoice.postgresConfiguration(url: base).coreConfiguration.tls
        #expect(prefer.isAllowed && !prefer.isEnforced)
        for mode in ["require", "verify-ca", "verify-full"] {
            #expect(try DatabaseChoice.postgresConfiguration(url: base + "?sslmode=\(mode)").coreConfiguration.tls.isEnforced, "\(mode)")
        }
        #expect(throws: DatabaseURLError.self) { try DatabaseChoice.postgresConfiguration(url: base + "?sslmode=sometimes") }
        let config = try DatabaseChoice.postgresConfiguration(url: base + "?sslmode=require&application_name=asxh")
        #expect(config.coreConfiguration.database == "asxh" && config.coreConfiguration.username == "asxh")
    }
}

@Suite("Import jobs")
struct ImportJobsTests {
    @Test("finished jobs are forgotten after a while; running ones never; at most a few run at once")
    func eviction() async throws {
        let clock = TestClock()
        let jobs = ImportJobs(keepFinished: 3600, now: { clock.now })
        let owner = User(username: "so", displayName: "so", passwordHash: "", role: .cityOfficer, area: .hanoi)
        owner.id = UUID()
        var started: [UUID] = []
        for index in 0..<ImportJobs.maxRunning { started.append(try #require(await jobs.start(fileName: "\(index).csv", owner: owner))) }
        #expect(await jobs.start(fileName: "one-too-many.csv", owner: owner) == nil)
        await jobs.update(started[0], .failed(vi: "x", en: "x"))
        await jobs.update(started[0], .running(ImportProgress(rowsRead: 5)))  // a late progress report
        if case .failed = await jobs.job(started[0])?.state {} else { Issue.record("a late progress report revived a finished job") }
        let next = try #require(await jobs.start(fileName: "next.csv", owner: owner))
        clock.advance(3601)
        #expect(await jobs.job(started[0]) == nil)
        #expect(await jobs.job(started[1]) != nil)
        #expect(await jobs.job(next) != nil)
        #expect(await jobs.count == ImportJobs.maxRunning)
    }
}
