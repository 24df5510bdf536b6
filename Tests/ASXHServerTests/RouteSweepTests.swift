import Fluent
import Foundation
import ZIPFoundation
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

/// Walks `app.routes.all`, so a route added later is covered without anyone writing a test for it.
@Suite("Route sweep: private by default, no request can crash the server")
struct RouteSweepTests {
    /// The only routes anyone may call without logging in (`routes.swift` names them).
    static let openRoutes: Set<String> = ["GET /health", "GET /login", "POST /login", "GET /static/:file"]

    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) /\(route.path.map(\.description).joined(separator: "/"))"
    }

    /// A concrete path for a route: parameters filled with `value`.
    static func path(_ route: Route, parameter value: String = UUID().uuidString) -> String {
        "/" + route.path.map { component in
            if case .parameter = component { return value }
            return component.description
        }.joined(separator: "/")
    }

    /// Every route, log-out last (it ends the session the other checks use).
    static func routes(_ app: Application) -> [Route] {
        app.routes.all.sorted { a, b in (a.path.last?.description == "logout" ? 1 : 0) < (b.path.last?.description == "logout" ? 1 : 0) }
    }

    /// One logged-in browser per role, all in Hà Nội (the widest area, so area rules never hide a refusal).
    static func browsers(_ app: Application) async throws -> [Role: Browser] {
        var browsers: [Role: Browser] = [:]
        for role in Role.allCases {
            _ = try await app.db.makeUser("sweep.\(role.rawValue)", role: role, area: .hanoi)
            browsers[role] = try await Browser.login(app, "sweep.\(role.rawValue)")
        }
        return browsers
    }

    @Test("every route declares who may enter; only /health, log-in and the page scripts are open")
    func everyRouteDeclaresAccess() async throws {
        try await withTestApp { app in
            let undeclared = app.routes.all.filter { $0.access == nil }.map(Self.key)
            #expect(undeclared.isEmpty, "routes without an access rule: \(undeclared)")
            let open = Set(app.routes.all.filter { $0.access == .open }.map(Self.key))
            #expect(open == Self.openRoutes)
        }
    }

    @Test("every private route refuses an anonymous request and every role without the right")
    func privateByDefault() async throws {
        try await withTestApp { app in
            let browsers = try await Self.browsers(app)
            let anonymous = Browser(app: app)
            var checked = 0
            for route in Self.routes(app) {
                guard case .roles(let allowed)? = route.access else { continue }
                let path = Self.path(route)
                // An API client is told 401; a page is sent to the log-in form.
                let api = try await anonymous.request(route.method, path, withCSRF: false, headers: ["Accept": "application/json"])
                #expect(api.status == .unauthorized, "\(Self.key(route)) anonymous (JSON): \(api.status)")
                if !path.hasPrefix("/api/") {
                    let page = try await anonymous.request(route.method, path, withCSRF: false)
                    #expect(page.status == .seeOther && page.headers.first(name: .location) == "/login", "\(Self.key(route)) anonymous: \(page.status)")
                }
                for role in Role.allCases {
                    let response = try await browsers[role]!.request(route.method, path, headers: ["Accept": "application/json"])
                    if allowed.contains(role) {
                        #expect(response.status != .forbidden && response.status != .unauthorized, "\(Self.key(route)) refused \(role)")
                        #expect(response.status.code < 500, "\(Self.key(route)) as \(role): \(response.status)")
                    } else {
                        #expect(response.status == .forbidden, "\(Self.key(route)) let \(role) in: \(response.status)")
                    }
                    checked += 1
                }
            }
            #expect(checked >= 8 * 12)
            print("route sweep: \(app.routes.all.count) routes, \(checked) role checks")
        }
    }

    /// Values no form would send.
    static let hostileValues: [String] = [
        "999999999999999999", "99999999999999999999999999", "-1", "-9223372036854775808", "0", "1e309", "NaN",
        String(repeating: "9", count: 10_000), String(repeating: "Đ", count: 10_000), "%FF%FE%C3%28", "%00", "../../../etc/passwd",
        "' OR 1=1 --", "<script>alert(1)</script>", "%E2%80%AE", "",
    ]

    static let queryNames = ["page", "q", "id", "commune", "group", "state", "lang", "saved"]

    /// Bodies with the wrong shape: content types, broken encodings, truncated multipart, a body over the limit.
    static let hostileBodies: [(contentType: String, body: ByteBuffer)] = [
        ("application/json", ByteBuffer(string: "{\"fullName\": ")),
        ("application/json", ByteBuffer(string: "{\"fullName\": \"\(String(repeating: "x", count: 10_000))\", \"candidate\": 99999999999999999999}")),
        ("application/json", ByteBuffer(string: "{\"candidate\": -9223372036854775808, \"action\": \"accept\"}")),
        ("application/json", ByteBuffer(bytes: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0xC3, 0x28, 0x22, 0x7D])),
        ("application/x-www-form-urlencoded", ByteBuffer(string: "fullName=%FF%FE&address=\(String(repeating: "a", count: 10_000))")),
        ("application/x-www-form-urlencoded", ByteBuffer(string: "action=accept&candidate=99999999999999999999999")),
        ("multipart/form-data; boundary=xyz", ByteBuffer(string: "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nho_ten")),
        ("multipart/form-data", ByteBuffer(string: "--xyz\r\n")),
        ("text/plain", ByteBuffer(string: "hello")),
        ("application/xml", ByteBuffer(string: "<?xml version=\"1.0\"?><a/>")),
        ("application/octet-stream", ByteBuffer(bytes: [UInt8](repeating: 0, count: 100_000))),
        ("application/x-www-form-urlencoded", ByteBuffer(string: String(repeating: "a=b&", count: 40_000))),
    ]

    @Test("hostile values in every parameter, query and body of every route: no 5xx, the process lives")
    func hostileInput() async throws {
        try await withTestApp { app in
            let browsers = try await Self.browsers(app)
            let anonymous = Browser(app: app)
            var sent = 0, serverErrors: [String] = []
            func check(_ response: TestingHTTPResponse, _ what: String) {
                sent += 1
                if response.status.code >= 500 { serverErrors.append("\(what): \(response.status)") }
            }
            for route in Self.routes(app) {
                let browser: Browser
                switch route.access {
                case .roles(let allowed)?: browser = browsers[Role.allCases.first { allowed.contains($0) }!]!
                default: browser = anonymous
                }
                for value in Self.hostileValues {
                    let escaped = value.contains("%") ? value : (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)
                    if route.path.contains(where: { if case .parameter = $0 { return true } else { return false } }) {
                        check(try await browser.request(route.method, Self.path(route, parameter: escaped)), "\(Self.key(route)) path \(value.prefix(20))")
                    }
                    let query = Self.queryNames.map { "\($0)=\(escaped)" }.joined(separator: "&")
                    check(try await browser.request(route.method, Self.path(route) + "?" + query), "\(Self.key(route)) query \(value.prefix(20))")
                }
                if route.method != .GET {
                    for (contentType, body) in Self.hostileBodies {
                        for csrf in [true, false] {
                            check(try await browser.request(route.method, Self.path(route), withCSRF: csrf, headers: ["Content-Type": contentType], body: body),
                                  "\(Self.key(route)) body \(contentType)")
                        }
                    }
                }
            }
            // An anonymous request may not make the server collect a large body, not even for the log-in form.
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 2 << 20)
            let login = try await anonymous.request(.POST, "/login", withCSRF: false, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: big)
            #expect(login.status == .payloadTooLarge || login.status == .forbidden)
            let upload = try await anonymous.request(.POST, "/imports", withCSRF: false, headers: ["Content-Type": "multipart/form-data; boundary=x"], body: big)
            #expect(upload.status == .seeOther)
            sent += 2
            #expect(serverErrors.isEmpty, "5xx answers: \(serverErrors.prefix(20))")
            #expect(try await anonymous.request(.GET, "/health").body.string == "ok")
            print("hostile input: \(app.routes.all.count) routes, \(sent) requests, \(serverErrors.count) answered 5xx")
        }
    }

    @Test("over real HTTP: an anonymous upload is refused before its body is read; a user past a route's limit gets 413")
    func bodyLimitsOverHTTP() async throws {
        try await withTestApp { app in
            _ = try await app.db.makeUser("so", role: .cityOfficer, area: .hanoi)
            let person = try await app.db.makePerson("Ngô Văn Lớn", commune: "00004")
            let browser = try await Browser.login(app, "so")
            let live = try app.testing(method: .running(hostname: "127.0.0.1", port: Int.random(in: 40_000...60_000)))
            var started = ContinuousClock.now
            let anonymous = try await live.sendRequest(.POST, "/imports", headers: ["Content-Type": "multipart/form-data; boundary=x", "Accept": "application/json"],
                                                       body: ByteBuffer(repeating: UInt8(ascii: "a"), count: 1 << 20))
            #expect(anonymous.status == .unauthorized)
            print("anonymous 1 MiB upload refused in \(ContinuousClock.now - started)")
            var headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": browser.csrf]
            headers.replaceOrAdd(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            started = ContinuousClock.now
            let tooBig = try await live.sendRequest(.POST, "/people/\(try person.requireID())", headers: headers,
                                                    body: ByteBuffer(string: "fullName=" + String(repeating: "a", count: 100_000)))
            #expect(tooBig.status == .payloadTooLarge)
            let fine = try await live.sendRequest(.POST, "/people/\(try person.requireID())", headers: headers, body: ByteBuffer(string: "address=T%E1%BB%95%201"))
            #expect(fine.status == .seeOther || fine.status == .ok)  // the live client follows the redirect
            #expect(try await live.sendRequest(.GET, "/health").body.string == "ok")
        }
    }

    @Test("a zip bomb uploaded as a list ends its import with a clear error; the server answers on")
    func zipBombUpload() async throws {
        try await withTestApp { app in
            _ = try await app.db.makeUser("so", role: .cityOfficer, area: .hanoi)
            let browser = try await Browser.login(app, "so")
            // A valid workbook whose one sheet is 16 MiB of blanks: about 16 KiB on the wire (a thousandfold).
            let bomb = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-bomb-\(UUID().uuidString).xlsx")
            let archive = try Archive(url: bomb, accessMode: .create)
            let parts = [
                "_rels/.rels": #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
                "xl/workbook.xml": #"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
                "xl/_rels/workbook.xml.rels": #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ]
            for (path, text) in parts {
                let data = Data(text.utf8)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            let head = Data(#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.utf8)
            let tail = Data("</sheetData></worksheet>".utf8)
            let size = 16 << 20
            try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { position, chunk in
                Data((Int(position)..<Int(position) + chunk).map { i in
                    i < head.count ? head[i] : (i >= size - tail.count ? tail[i - (size - tail.count)] : UInt8(ascii: " "))
                })
            }
            let zipped = try Data(contentsOf: bomb)
            #expect(zipped.count < size / 500)
            let response = try await browser.upload(ByteBuffer(data: zipped), named: "bom.xlsx")
            #expect(response.status == .seeOther)
            let page = try await browser.finishedJobPage(try #require(response.headers.first(name: .location)))
            #expect(page.contains("class=\"error\""), "\(page.suffix(600))")  // a clear, bilingual refusal
            #expect(!page.contains("/tmp/") && !page.contains("asxh-upload-"))
            #expect(try await SourceList.query(on: app.db).count() == 0)
            #expect(try await browser.request(.GET, "/health").body.string == "ok")
        }
    }
}
