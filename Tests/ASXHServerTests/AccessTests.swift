import Fluent
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

@Suite("Access: log-in, CSRF, area scoping, masking, audit")
struct AccessTests {
    static let communeA = Area(scheme: .before2025, level: .commune, code: "00004")
    static let communeB = Area(scheme: .before2025, level: .commune, code: "00006")

    @Test("log-in with bcrypt passwords; a wrong password is refused")
    func login() async throws {
        try await withTestApp { app in
            // setup
            let user = try await app.db.makeUser("canbo", role: .cityOfficer, area: .hanoi)
            #expect(user.passwordHash.hasPrefix("$2"))
            // MUT
            var browser = Browser(app: app)
            try await browser.fetchCSRF()
            let wrong = try await browser.request(.POST, "/login", form: ["username": "canbo", "password": "sai-mat-khau"])
            // validate
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.string.contains("Sai tên đăng nhập hoặc mật khẩu"))
            let anonymous = try await browser.request(.GET, "/api/v1/people")
            #expect(anonymous.status == .unauthorized)
            let good = try await Browser.login(app, "canbo")
            let people = try await good.request(.GET, "/api/v1/people")
            #expect(people.status == .ok)
        }
    }

    @Test("a form posted without the session's CSRF token is refused and changes nothing")
    func csrf() async throws {
        try await withTestApp { app in
            // setup
            _ = try await app.db.makeUser("congan", role: .communePolice, area: Self.communeA)
            let person = try await app.db.makePerson("Nguyễn Văn An", commune: "00004")
            let browser = try await Browser.login(app, "congan")
            // MUT
            let forged = try await browser.request(.POST, "/people/\(person.id!)", form: ["fullName": "Kẻ Giả Mạo", "address": "x"], withCSRF: false)
            // validate
            #expect(forged.status == .forbidden)
            let unchanged = try await Person.find(person.id, on: app.db)
            #expect(unchanged?.fullName == "Nguyễn Văn An")
            let genuine = try await browser.request(.POST, "/people/\(person.id!)", form: ["fullName": "Nguyễn Văn Ân", "address": "Số 1 ngõ 2"])
            #expect(genuine.status == .seeOther)
        }
    }

    @Test("a commune user cannot read or change another commune's person, by page or by API")
    func areaScoping() async throws {
        try await withTestApp { app in
            // setup
            _ = try await app.db.makeUser("congan.a", role: .communePolice, area: Self.communeA)
            let mine = try await app.db.makePerson("Trần Thị Bình", commune: "00004", personalID: "001140000001")
            let theirs = try await app.db.makePerson("Lê Văn Cường", commune: "00006", personalID: "001040000002")
            let browser = try await Browser.login(app, "congan.a")
            // MUT + validate: lists only show the own commune
            let list = try await browser.request(.GET, "/api/v1/people")
            let dto = try list.content.decode(PersonListDTO.self)
            #expect(dto.total == 1)
            #expect(dto.people.map(\.fullName) == ["Trần Thị Bình"])
            // direct URLs to the other commune's person look like "not found"
            #expect(try await browser.request(.GET, "/api/v1/people/\(theirs.id!)").status == .notFound)
            #expect(try await browser.request(.GET, "/people/\(theirs.id!)").status == .notFound)
            let patch = try await browser.request(.PATCH, "/api/v1/people/\(theirs.id!)", json: PersonChange(fullName: "Đổi Tên", address: nil))
            #expect(patch.status == .notFound)
            #expect(try await browser.request(.POST, "/people/\(theirs.id!)", form: ["fullName": "Đổi Tên"]).status == .notFound)
            #expect(try await Person.find(theirs.id, on: app.db)?.fullName == "Lê Văn Cường")
            // searching by the other person's ID finds nothing either
            let byID = try await browser.request(.GET, "/api/v1/people?id=001040000002")
            #expect(try byID.content.decode(PersonListDTO.self).total == 0)
            // the own person is readable and editable
            #expect(try await browser.request(.GET, "/people/\(mine.id!)").status == .ok)
            #expect(try await browser.request(.PATCH, "/api/v1/people/\(mine.id!)", json: PersonChange(fullName: nil, address: "Tổ 5")).status == .ok)
        }
    }

    @Test("district and city users see their whole area; other districts stay hidden")
    func widerAreas() async throws {
        try await withTestApp { app in
            _ = try await app.db.makeUser("huyen", role: .districtOfficer, area: Area(scheme: .before2025, level: .district, code: "001"))
            _ = try await app.db.makeUser("thanhpho", role: .cityOfficer, area: .hanoi)
            _ = try await app.db.makePerson("Phạm Văn Dũng", commune: "00004")
            _ = try await app.db.makePerson("Hoàng Thị Em", commune: "00103", district: "003")
            let district = try await Browser.login(app, "huyen")
            #expect(try await district.request(.GET, "/api/v1/people").content.decode(PersonListDTO.self).total == 1)
            let city = try await Browser.login(app, "thanhpho")
            #expect(try await city.request(.GET, "/api/v1/people").content.decode(PersonListDTO.self).total == 2)
        }
    }

    @Test("IDs are masked to the last 4 digits unless the role needs them")
    func masking() async throws {
        try await withTestApp { app in
            _ = try await app.db.makeUser("totruong", role: .workingGroupMember, area: Self.communeA)
            _ = try await app.db.makeUser("congan", role: .communePolice, area: Self.communeA)
            let person = try await app.db.makePerson("Vũ Thị Gấm", commune: "00004", personalID: "001150001234")
            let member = try await Browser.login(app, "totruong")
            let masked = try await member.request(.GET, "/api/v1/people/\(person.id!)").content.decode(PersonDTO.self)
            #expect(masked.personalID == "••••••••1234")
            let page = try await member.request(.GET, "/people/\(person.id!)").body.string
            #expect(!page.contains("001150001234"))
            let police = try await Browser.login(app, "congan")
            #expect(try await police.request(.GET, "/api/v1/people/\(person.id!)").content.decode(PersonDTO.self).personalID == "001150001234")
        }
    }

    @Test("every write is audited with before and after, and the audit table refuses edits and deletes")
    func audit() async throws {
        try await withTestApp { app in
            _ = try await app.db.makeUser("congan", role: .communePolice, area: Self.communeA)
            let person = try await app.db.makePerson("Đỗ Văn Hải", commune: "00004")
            let browser = try await Browser.login(app, "congan")
            // MUT
            _ = try await browser.request(.PATCH, "/api/v1/people/\(person.id!)", json: PersonChange(fullName: "Đỗ Văn Hài", address: "Số 3"))
            // validate
            let events = try await AuditEvent.query(on: app.db).filter(\.$action == "person.update").all()
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event.actor == "congan")
            #expect(event.entityID == person.id?.uuidString)
            #expect(event.before?.contains("Đỗ Văn Hải") == true)
            #expect(event.after?.contains("Đỗ Văn Hài") == true)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "user.create").count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.login").count() == 1)
            let sql = app.db as! any SQLDatabase
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_events SET actor = 'x'").run() }
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_events").run() }
            if sql.dialect.name == "postgresql" {
                await #expect(throws: (any Error).self) { try await sql.raw("TRUNCATE audit_events").run() }
            }
            // reverting the foundation would drop the log: refused
            await #expect(throws: AuditLogIsPermanent.self) { try await CreateAuditEvent().revert(on: app.db) }
            #expect(try await AuditEvent.query(on: app.db).count() > 0)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$actor == "x").count() == 0)
            // only auditors and administrators read the log
            #expect(try await browser.request(.GET, "/audit").status == .forbidden)
        }
    }
}
