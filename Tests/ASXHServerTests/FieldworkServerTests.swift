import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

/// Steps 2–4 over HTTP: groups, assignment, visits (idempotent, refused, conflicting), photos, area scoping.
@Suite("Field work: groups, assignment and visits")
struct FieldworkServerTests {
    static let commune = Area(scheme: .before2025, level: .commune, code: "00004")
    static let otherCommune = Area(scheme: .before2025, level: .commune, code: "00103")

    /// A commune with `households` addresses (1–3 people each) and verified cases; its police, two members and a group.
    struct Fixture {
        var police: Browser
        var members: [Browser]
        var memberUsers: [User]
        var group: WorkingGroup
        var cases: [CampaignCase]
    }

    static func fixture(_ app: Application, households: Int = 6) async throws -> Fixture {
        let campaign = try #require(try await Campaign.current(on: app.db))
        var cases: [CampaignCase] = []
        for house in 1...households {
            for member in 0..<(house % 3 + 1) {
                let person = try await app.db.makePerson("Nguyễn Văn \(house)-\(member)", commune: "00004")
                person.address = "Số \(house) ngõ 12 phố Hàng Bạc"
                try await person.save(on: app.db)
                let item = CampaignCase()
                item.$campaign.id = try campaign.requireID()
                item.$person.id = try person.requireID()
                item.state = CaseState.verified.rawValue
                try await item.create(on: app.db)
                cases.append(item)
            }
        }
        _ = try await app.db.makeUser("cong.an", role: .communePolice, area: Self.commune)
        var memberUsers: [User] = []
        for name in ["to.vien.a", "to.vien.b"] { memberUsers.append(try await app.db.makeUser(name, role: .workingGroupMember, area: Self.commune)) }
        var police = try await Browser.login(app, "cong.an")
        #expect(try await police.request(.POST, "/groups", form: ["name": "Tổ 1"]).status == .seeOther)
        let group = try #require(try await WorkingGroup.query(on: app.db).first())
        for name in ["to.vien.a", "to.vien.b"] {
            let added = try await police.request(.POST, "/groups/\(group.id!.uuidString)/members", form: ["username": name])
            #expect(added.status == .seeOther)
        }
        try await police.fetchCSRF()
        let members = [try await Browser.login(app, "to.vien.a"), try await Browser.login(app, "to.vien.b")]
        return Fixture(police: police, members: members, memberUsers: memberUsers, group: group, cases: cases)
    }

    static func assign(_ app: Application, _ fixture: Fixture) async throws {
        let response = try await fixture.police.request(.POST, "/groups/\(fixture.group.id!.uuidString)/assign", headers: ["Accept": "application/json"])
        #expect(response.status == .ok, "\(response.body.string)")
    }

    static func submission(_ caseID: UUID, key: String = UUID().uuidString, _ answers: [String: String], files: [VisitSubmission.SubmittedFile] = []) -> VisitSubmission {
        VisitSubmission(clientKey: key, caseID: caseID, questionnaireVersion: 1, answers: answers, visitedAt: nil, latitude: 21.03, longitude: 105.85, files: files)
    }

    static let a1: [String: String] = ["found": "present", "identity": "matches", "ableToTransact": "yes", "hasAccount": "yes", "bank": "Vietcombank",
                                       "accountNumber": "0011002345678", "accountHolder": "NGUYEN VAN A", "wantsAccountPayment": "yes", "consent": "yes"]
    static let declines: [String: String] = ["found": "present", "identity": "matches", "ableToTransact": "yes", "hasAccount": "no",
                                             "wantsAccountPayment": "no", "declineReason": "prefersCash", "consent": "yes"]
    /// The smallest PNG: a signature as the page sends it.
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!

    static func reload(_ item: CampaignCase, _ app: Application) async throws -> CampaignCase {
        try #require(try await CampaignCase.find(item.id, on: app.db))
    }

    @Test("assignment gives every verified case to a member, households whole, balanced, audited, and is stable when repeated")
    func assignment() async throws {
        try await withTestApp { app in
            let fixture = try await Self.fixture(app, households: 12)
            let before = try await AuditedTables.take(app.db)
            try await Self.assign(app, fixture)
            try await AuditedTables.expectEveryChangeAudited(since: before, on: app.db)
            let cases = try await CampaignCase.query(on: app.db).with(\.$person).all()
            #expect(cases.allSatisfy { $0.state == CaseState.assigned.rawValue && $0.$member.id != nil && $0.$group.id == fixture.group.id })
            for (_, household) in Dictionary(grouping: cases, by: { $0.household ?? "" }) {
                #expect(Set(household.map { $0.$member.id }).count == 1)
            }
            let loads = Dictionary(grouping: cases, by: { $0.$member.id }).mapValues(\.count)
            #expect(loads.count == 2 && abs(loads.values.max()! - loads.values.min()!) <= 3)
            // Again: nothing moves, nothing is written.
            let events = try await AuditEvent.query(on: app.db).count()
            try await Self.assign(app, fixture)
            #expect(try await AuditEvent.query(on: app.db).count() == events)
            // The member's work list holds their cases in walking order.
            let list = try await fixture.members[0].request(.GET, "/api/v1/worklist")
            let items = try list.content.decode([VisitController.WorkItem].self)
            #expect(items.count == loads[fixture.memberUsers[0].id])
            #expect(items.map(\.order) == items.map(\.order).sorted { ($0 ?? 0) < ($1 ?? 0) })
            let page = try await fixture.members[0].request(.GET, "/visits")
            #expect(page.status == .ok && page.body.string.contains(items[0].fullName))
        }
    }

    @Test("a visit is stored once per client key; the key cannot be reused for another case")
    func idempotentVisits() async throws {
        try await withTestApp { app in
            let fixture = try await Self.fixture(app)
            try await Self.assign(app, fixture)
            let target = fixture.cases[0], other = fixture.cases[1]
            let submission = Self.submission(target.id!, key: "phone-key-0001", Self.a1)
            let before = try await AuditedTables.take(app.db)
            let first = try await fixture.members[0].request(.POST, "/api/v1/visits", json: submission)
            #expect(first.status == .created, "\(first.body.string)")
            let receipt = try first.content.decode(VisitReceipt.self)
            #expect(receipt.caseClass == .a1 && receipt.outcome == "A1" && !receipt.duplicate)
            try await AuditedTables.expectEveryChangeAudited(since: before, on: app.db)
            // The phone lost the answer and sends again: the same receipt, nothing new.
            let again = try await fixture.members[0].request(.POST, "/api/v1/visits", json: submission)
            #expect(again.status == .ok)
            #expect(try again.content.decode(VisitReceipt.self).visitID == receipt.visitID)
            #expect(try await Visit.query(on: app.db).count() == 1)
            let stored = try await Self.reload(target, app)
            #expect(stored.state == CaseState.classified.rawValue && stored.caseClass == .a1 && stored.visitCount == 1)
            let reused = try await fixture.members[0].request(.POST, "/api/v1/visits", json: Self.submission(other.id!, key: "phone-key-0001", Self.a1))
            #expect(reused.status == .conflict)
            // Malformed keys and coordinates are refused with a 400 naming the field.
            let badKey = try await fixture.members[0].request(.POST, "/api/v1/visits", json: Self.submission(other.id!, key: "x", Self.a1))
            #expect(badKey.status == .badRequest && badKey.body.string.contains("clientKey"))
            var far = Self.submission(other.id!, Self.a1)
            far.latitude = 1e308
            #expect(try await fixture.members[0].request(.POST, "/api/v1/visits", json: far).status == .badRequest)
        }
    }

    @Test("declining account payment without the citizen's confirmation is refused and writes nothing; with a signature it is recorded")
    func declineNeedsConfirmation() async throws {
        try await withTestApp { app in
            let fixture = try await Self.fixture(app)
            try await Self.assign(app, fixture)
            let target = fixture.cases[0]
            let refused = try await fixture.members[0].request(.POST, "/api/v1/visits", json: Self.submission(target.id!, Self.declines))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("citizen_confirmation_missing") && refused.body.string.contains("xác nhận của công dân"))
            #expect(try await Visit.query(on: app.db).count() == 0)
            #expect(try await Self.reload(target, app).caseClass == nil)
            // Answers that do not fit the survey: every wrong question named.
            var wrong = Self.declines
            wrong["declineReason"] = "other"
            let unexplained = try await fixture.members[0].request(.POST, "/api/v1/visits", json: Self.submission(target.id!, wrong))
            #expect(unexplained.status == .unprocessableEntity && unexplained.body.string.contains("Ghi rõ lý do"))
            // A file that is not a picture, or too big, is refused by its bytes.
            let notImage = VisitSubmission.SubmittedFile(kind: "confirmation", data: Data("%PDF-1.4 not an image".utf8).base64EncodedString())
            #expect(try await fixture.members[0].request(.POST, "/api/v1/visits", json: Self.submission(target.id!, Self.declines, files: [notImage])).status == .unsupportedMediaType)
            let huge = VisitSubmission.SubmittedFile(kind: "confirmation", data: (Self.png + Data(count: 3 * 1024 * 1024)).base64EncodedString())
            #expect(try await fixture.members[0].request(.POST, "/api/v1/visits", json: Self.submission(target.id!, Self.declines, files: [huge])).status == .badRequest)
            let signed = VisitSubmission.SubmittedFile(kind: "confirmation", data: Self.png.base64EncodedString())
            let accepted = try await fixture.members[0].request(.POST, "/api/v1/visits", json: Self.submission(target.id!, Self.declines, files: [signed]))
            #expect(accepted.status == .created, "\(accepted.body.string)")
            #expect(try await Self.reload(target, app).caseClass == .b)
            // The signature is kept privately: its owner's area may read it, another commune may not, nobody anonymous.
            let file = try #require(try await VisitFile.query(on: app.db).first())
            #expect(try await fixture.police.request(.GET, "/visits/files/\(file.id!.uuidString)").body.readableBytes == Self.png.count)
            _ = try await app.db.makeUser("cong.an.khac", role: .communePolice, area: Self.otherCommune)
            let stranger = try await Browser.login(app, "cong.an.khac")
            #expect(try await stranger.request(.GET, "/visits/files/\(file.id!.uuidString)").status == .notFound)
            #expect(try await Browser(app: app).request(.GET, "/visits/files/\(file.id!.uuidString)", withCSRF: false).status == .seeOther)
        }
    }

    @Test("nobody at home twice means revisit; the third time the person is unreachable (D)")
    func revisitsThenUnreachable() async throws {
        try await withTestApp { app in
            let fixture = try await Self.fixture(app)
            try await Self.assign(app, fixture)
            let target = fixture.cases[0]
            for expected in ["revisit", "revisit", "D"] {
                let response = try await fixture.members[0].request(.POST, "/api/v1/visits", json: Self.submission(target.id!, ["found": "notHome"]))
                #expect(try response.content.decode(VisitReceipt.self).outcome == expected)
            }
            let stored = try await Self.reload(target, app)
            #expect(stored.caseClass == .d && stored.visitCount == 3 && stored.missedVisits == 2)
        }
    }

    @Test("a second member's different class is a conflict for the leader; accepting it changes the class, audited")
    func conflicts() async throws {
        try await withTestApp { app in
            let fixture = try await Self.fixture(app)
            try await Self.assign(app, fixture)
            let target = fixture.cases[0]
            #expect(try await fixture.members[0].request(.POST, "/api/v1/visits", json: Self.submission(target.id!, Self.a1)).status == .created)
            var opening = Self.a1
            opening["hasAccount"] = "no"
            opening["openingBank"] = "Agribank"
            let second = try await fixture.members[1].request(.POST, "/api/v1/visits", json: Self.submission(target.id!, opening))
            #expect(try second.content.decode(VisitReceipt.self).status == .conflict)
            #expect(try await Self.reload(target, app).caseClass == .a1)
            let conflict = try #require(try await Visit.query(on: app.db).filter(\.$status == .conflict).first())
            let page = try await fixture.police.request(.GET, "/visits/conflicts")
            #expect(page.body.string.contains(conflict.id!.uuidString))
            // A plain member who leads nothing cannot settle it.
            let meddling = try await fixture.members[1].request(.POST, "/visits/\(conflict.id!.uuidString)/resolve", form: ["choice": "accept"])
            #expect(meddling.status == .notFound)
            let before = try await AuditedTables.take(app.db)
            let resolved = try await fixture.police.request(.POST, "/visits/\(conflict.id!.uuidString)/resolve", form: ["choice": "accept"])
            #expect(resolved.status == .seeOther)
            try await AuditedTables.expectEveryChangeAudited(since: before, on: app.db)
            #expect(try await Self.reload(target, app).caseClass == .a2)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "visit.accept").count() == 1)
        }
    }

    @Test("two members saving different classes for one person at the same moment: one decides, the other waits and is a conflict")
    func simultaneousVisits() async throws {
        try await withTestApp { app in
            let fixture = try await Self.fixture(app)
            try await Self.assign(app, fixture)
            var opening = Self.a1
            opening["hasAccount"] = "no"
            opening["openingBank"] = "Agribank"
            let (a, b) = (fixture.members[0], fixture.members[1])
            for target in fixture.cases.prefix(4) {
                async let first = a.request(.POST, "/api/v1/visits", json: Self.submission(target.id!, Self.a1))
                async let second = b.request(.POST, "/api/v1/visits", json: Self.submission(target.id!, opening))
                let receipts = try await [first, second].map { try $0.content.decode(VisitReceipt.self) }
                #expect(Set(receipts.map(\.status)) == [.accepted, .conflict])
                let accepted = try #require(receipts.first { $0.status == .accepted })
                #expect(try await Self.reload(target, app).lastVisitID == accepted.visitID)
            }
        }
    }

    @Test("cases, pages and visits stay inside the member's commune")
    func areaScoping() async throws {
        try await withTestApp { app in
            let fixture = try await Self.fixture(app)
            try await Self.assign(app, fixture)
            _ = try await app.db.makeUser("to.vien.khac", role: .workingGroupMember, area: Self.otherCommune)
            let outsider = try await Browser.login(app, "to.vien.khac")
            let target = fixture.cases[0]
            #expect(try await outsider.request(.GET, "/visits/case/\(target.id!.uuidString)").status == .notFound)
            #expect(try await outsider.request(.POST, "/api/v1/visits", json: Self.submission(target.id!, Self.a1)).status == .notFound)
            #expect(try await outsider.request(.GET, "/api/v1/worklist").content.decode([VisitController.WorkItem].self).isEmpty)
            // The member's own page: a masked ID, the survey, the script.
            let page = try await fixture.members[0].request(.GET, "/visits/case/\(target.id!.uuidString)")
            #expect(page.status == .ok && page.body.string.contains("data-q=\"declineReason\"") && page.body.string.contains("/static/visit.js"))
            let script = try await Browser(app: app).request(.GET, "/static/visit.js", withCSRF: false)
            #expect(script.status == .ok && script.body.string.contains("asxh.visitQueue"))
        }
    }
}

@Suite("Progress: counts, trend, forecast and deadlines")
struct ProgressTests {
    static func at(_ day: Int, hour: Int = 10) -> Date {
        CalendarDay(year: 2024, month: 1, day: day)!.start.addingTimeInterval(Double(hour) * 3600)
    }

    @Test("classified cases count at once; a commune on a slow pace is forecast after the deadline and flagged red")
    func progressAndForecast() async throws {
        try await withTestApp { app in
            app.now = { Self.at(12) }
            let fixture = try await FieldworkServerTests.fixture(app)
            try await FieldworkServerTests.assign(app, fixture)
            _ = try await app.db.makeUser("so.ldtbxh", role: .cityOfficer, area: .hanoi)
            let city = try await Browser.login(app, "so.ldtbxh")
            let empty = try await city.request(.GET, "/progress")
            #expect(empty.status == .ok && empty.body.string.contains("data-classified=\"0\""))
            for item in fixture.cases.prefix(2) {
                let response = try await fixture.members[0].request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(item.id!, FieldworkServerTests.a1))
                #expect(response.status == .created)
            }
            app.now = { Self.at(13) }
            #expect(try await fixture.members[0].request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[2].id!, FieldworkServerTests.a1)).status == .created)
            let page = try await city.request(.GET, "/progress")
            let html = page.body.string
            #expect(html.contains("data-classified=\"3\"") && html.contains("data-total=\"12\""))
            #expect(html.contains("<svg") && html.contains("trễ hạn"))
            let report = try await city.request(.GET, "/api/v1/progress").content.decode(ProgressController.ReportJSON.self)
            #expect(report.whole.classified == 3 && report.whole.classes["A1"] == 3 && report.whole.late)
            // 3 classified over the last 3 days: 1 a day, 9 left → 22 January, after the 15 January deadline.
            #expect(report.whole.forecast == "2024-01-22" && report.deadline == "2024-01-15")
            #expect(report.units.map(\.code) == ["001"])
            // Drilling down stays inside the user's area.
            let district = try await city.request(.GET, "/api/v1/progress?area=before2025:district:001").content.decode(ProgressController.ReportJSON.self)
            #expect(district.units.map(\.code) == ["00004"])
            #expect(try await fixture.police.request(.GET, "/progress?area=before2025:district:001").status == .badRequest)
            // A commune splits by member: who is behind in the group.
            let commune = try await city.request(.GET, "/api/v1/progress?area=before2025:commune:00004").content.decode(ProgressController.ReportJSON.self)
            let members = Dictionary(uniqueKeysWithValues: commune.units.map { ($0.code, $0) })
            let held = try await CampaignCase.query(on: app.db).filter(\.$caseClass != nil).all().map { $0.$member.id!.uuidString }
            #expect(Set(members.keys) == Set(fixture.memberUsers.map { $0.id!.uuidString }))
            for member in fixture.memberUsers.map({ $0.id!.uuidString }) {
                #expect(members[member]?.classified == held.filter { $0 == member }.count)
            }
            #expect(commune.units.map(\.total).reduce(0, +) == 12)
            #expect(try await fixture.police.request(.GET, "/progress").body.string.contains("to.vien.a"))
        }
    }
}

@Suite("Step 4: class lists, XLSX and the chair's sign-off")
struct ClassListTests {
    @Test("the commune's lists carry the official columns, one XLSX sheet per class, masked IDs, and the chair's sign-off goes stale on change")
    func listsAndSignoff() async throws {
        try await withTestApp { app in
            let fixture = try await FieldworkServerTests.fixture(app)
            try await FieldworkServerTests.assign(app, fixture)
            let person = try #require(try await Person.find(fixture.cases[0].$person.id, on: app.db))
            person.personalID = "001040012345"
            try await person.save(on: app.db)
            let png = VisitSubmission.SubmittedFile(kind: "confirmation", data: FieldworkServerTests.png.base64EncodedString())
            let member = fixture.members[0]
            #expect(try await member.request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[0].id!, FieldworkServerTests.a1)).status == .created)
            #expect(try await member.request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[1].id!, FieldworkServerTests.declines, files: [png])).status == .created)
            #expect(try await member.request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[2].id!, ["found": "moved", "newAddress": "Xã Sóc Sơn"])).status == .created)
            _ = try await app.db.makeUser("chu.tich", role: .communeChair, area: FieldworkServerTests.commune)
            let chair = try await Browser.login(app, "chu.tich")
            let page = try await chair.request(.GET, "/lists/00004")
            let html = page.body.string
            #expect(page.status == .ok)
            for column in ClassList.header { #expect(html.contains(column)) }
            #expect(html.contains("Muốn nhận tiền mặt") && html.contains("Đã chuyển đi: Xã Sóc Sơn") && html.contains("••••••••2345"))
            #expect(!html.contains("001040012345"))
            // XLSX: a sheet per class, the header on the third row, the people below it.
            let download = try await chair.request(.GET, "/lists/00004/xlsx")
            #expect(download.status == .ok)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("lists-\(UUID().uuidString).xlsx").path
            try Data(buffer: download.body).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let workbook = try XLSXReader(path: path)
            #expect(workbook.sheetNames.count == 5 && workbook.sheetNames[0].hasPrefix("A1"))
            let a1 = try workbook.rows(sheet: workbook.sheetNames[0]).readAll()
            #expect(a1[2].cells.map(\.text) == ClassList.header)
            #expect(a1.count == 4 && a1[3][1].text == person.fullName && a1[3][3].text == "••••••••2345" && a1[3][7].text.contains("Vietcombank"))
            let b = try workbook.rows(sheet: workbook.sheetNames[2]).readAll()
            #expect(b.count == 4 && b[3][7].text == "Muốn nhận tiền mặt")
            // The police see full IDs, on paper too.
            #expect(try await fixture.police.request(.GET, "/lists/00004").body.string.contains("001040012345"))
            // Sign-off: only the chair; recorded, audited; stale once a class changes after it.
            #expect(try await fixture.police.request(.POST, "/lists/00004/signoff").status == .forbidden)
            #expect(try await chair.request(.POST, "/lists/00004/signoff").status == .seeOther)
            #expect(try await CommuneSignoff.query(on: app.db).count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "lists.signoff").count() == 1)
            #expect(try await chair.request(.GET, "/lists/00004").body.string.contains("Chủ tịch UBND xã đã xác nhận"))
            app.now = { Date().addingTimeInterval(60) }
            #expect(try await member.request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[3].id!, FieldworkServerTests.a1)).status == .created)
            #expect(try await chair.request(.GET, "/lists/00004").body.string.contains("cần xác nhận lại"))
            // Another commune's lists are not theirs.
            #expect(try await chair.request(.GET, "/lists/00103").status == .notFound)
            #expect(try await chair.request(.GET, "/lists/abc").status == .badRequest)
        }
    }
}

@Suite("Campaigns as data: open, close, open the next, deadlines")
struct CampaignTests {
    @Test("the next campaign opens only after the last is closed; open cases carry over with their class, audited; the closed one keeps its history")
    func openCloseNext() async throws {
        try await withTestApp { app in
            app.now = { ProgressTests.at(16) }
            let fixture = try await FieldworkServerTests.fixture(app)
            try await FieldworkServerTests.assign(app, fixture)
            #expect(try await fixture.members[0].request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[0].id!, FieldworkServerTests.a1)).status == .created)
            // After the step 3 deadline (15 January) the member's unvisited cases are overdue.
            let work = try await fixture.members[0].request(.GET, "/api/v1/worklist").content.decode([VisitController.WorkItem].self)
            #expect(work.filter(\.overdue).count == work.filter { $0.caseClass == nil }.count && work.contains(where: \.overdue))
            _ = try await app.db.makeUser("quan.tri", role: .administrator, area: .hanoi)
            let admin = try await Browser.login(app, "quan.tri")
            let form = ["name": "Chi trả tháng 2/2024", "province": "01", "scheme": "before2025", "deadline1": "2024-02-01", "deadline2": "2024-02-02",
                        "deadline3": "2024-02-07", "deadline4": "2024-02-07", "deadline5": "2024-02-08"]
            #expect(try await admin.request(.POST, "/campaigns", form: form).status == .conflict)
            let first = try #require(try await Campaign.current(on: app.db))
            #expect(try await admin.request(.POST, "/campaigns/\(first.id!.uuidString)/close").status == .seeOther)
            // A closed campaign takes no visits.
            #expect(try await fixture.members[0].request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[1].id!, FieldworkServerTests.a1)).status == .conflict)
            var backwards = form
            backwards["deadline5"] = "2024-01-01"
            #expect(try await admin.request(.POST, "/campaigns", form: backwards).status == .badRequest)
            var badDay = form
            badDay["deadline2"] = "2024-02-31"
            #expect(try await admin.request(.POST, "/campaigns", form: badDay).status == .badRequest)
            let before = try await AuditedTables.take(app.db)
            #expect(try await admin.request(.POST, "/campaigns", form: form).status == .seeOther)
            try await AuditedTables.expectEveryChangeAudited(since: before, on: app.db)
            let next = try #require(try await Campaign.current(on: app.db))
            #expect(next.id != first.id && next.name == "Chi trả tháng 2/2024" && next.schedule.deadlines[.syncAndPay] == CalendarDay(year: 2024, month: 2, day: 8))
            let carried = try await CampaignCase.query(on: app.db).filter(\.$campaign.$id == next.requireID()).all()
            #expect(carried.count == fixture.cases.count)
            #expect(carried.filter { $0.caseClass == .a1 }.count == 1 && carried.allSatisfy { $0.$member.id != nil })
            #expect(try await CampaignCase.query(on: app.db).filter(\.$campaign.$id == first.requireID()).count() == fixture.cases.count)
            let page = try await admin.request(.GET, "/campaigns")
            #expect(page.body.string.contains("Chi trả tháng 2/2024") && page.body.string.contains("đã kết thúc"))
            #expect(try await fixture.police.request(.GET, "/campaigns").status == .forbidden)
        }
    }
}

@Suite("Pages escape what people typed")
struct EscapingTests {
    static let hostile = "Nguyễn \"Văn\"><h1 id=injected>x</h1>"

    @Test("a quote in a name, an address, a search or a log-in name cannot end an attribute and add markup")
    func attributesEscaped() async throws {
        try await withTestApp { app in
            let fixture = try await FieldworkServerTests.fixture(app)
            try await FieldworkServerTests.assign(app, fixture)
            let person = try #require(try await Person.find(fixture.cases[0].$person.id, on: app.db))
            person.fullName = Self.hostile
            person.address = Self.hostile
            try await person.save(on: app.db)
            let pages = [
                try await fixture.police.request(.GET, "/people/\(person.id!.uuidString)"),
                try await fixture.police.request(.GET, "/people?q=%22%3E%3Ch1%20id%3Dinjected%3E"),
                try await fixture.members[0].request(.GET, "/visits/case/\(fixture.cases[0].id!.uuidString)"),
                try await fixture.members[0].request(.GET, "/visits"),
                try await Browser(app: app).request(.POST, "/login", form: ["username": "a\"><h1 id=injected>x</h1>", "password": "x"], withCSRF: false),
            ]
            for page in pages {
                #expect(!page.body.string.contains("<h1 id=injected>"), "\(page.status): markup got through")
            }
            // The survey's conditions reach the script as valid JSON in their attribute.
            let visit = pages[2].body.string
            #expect(visit.contains("data-when=\"[{&quot;isOneOf&quot;:[&quot;present&quot;],&quot;question&quot;:&quot;found&quot;}]\""))
            // The page's CSS arrives as CSS.
            #expect(visit.contains(".progress>div") && !visit.contains(".progress&gt;div"))
        }
    }
}

@Suite("Moves between communes")
struct TransferTests {
    @Test("a person who moved goes to the new commune with the case and its history; the old commune no longer sees them")
    func transfer() async throws {
        try await withTestApp { app in
            let fixture = try await FieldworkServerTests.fixture(app)
            try await FieldworkServerTests.assign(app, fixture)
            let target = fixture.cases[0]
            let moved = try await fixture.members[0].request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(target.id!, ["found": "moved", "newAddress": "Số 9 phố Huế"]))
            #expect(try moved.content.decode(VisitReceipt.self).caseClass == .d)
            // A case classified A1 stays where it is.
            #expect(try await fixture.members[0].request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[1].id!, FieldworkServerTests.a1)).status == .created)
            #expect(try await fixture.police.request(.POST, "/cases/\(fixture.cases[1].id!.uuidString)/transfer", form: ["commune": "00103"]).status == .conflict)
            #expect(try await fixture.police.request(.POST, "/cases/\(target.id!.uuidString)/transfer", form: ["commune": "99999"]).status == .badRequest)
            let before = try await AuditedTables.take(app.db)
            let response = try await fixture.police.request(.POST, "/cases/\(target.id!.uuidString)/transfer", form: ["commune": "00103", "address": "Số 9 phố Huế"])
            #expect(response.status == .seeOther, "\(response.body.string)")
            try await AuditedTables.expectEveryChangeAudited(since: before, on: app.db)
            let stored = try await FieldworkServerTests.reload(target, app)
            #expect(stored.state == CaseState.assigned.rawValue && stored.caseClass == nil && stored.$member.id == nil)
            let person = try #require(try await Person.find(stored.$person.id, on: app.db))
            #expect(person.communeCode == "00103" && person.address == "Số 9 phố Huế")
            #expect(try await Visit.query(on: app.db).filter(\.$campaignCase.$id == target.id!).count() == 1)
            #expect(try await fixture.members[0].request(.GET, "/visits/case/\(target.id!.uuidString)").status == .notFound)
            _ = try await app.db.makeUser("cong.an.moi", role: .communePolice, area: FieldworkServerTests.otherCommune)
            let newPolice = try await Browser.login(app, "cong.an.moi")
            let cases = try await newPolice.request(.GET, "/api/v1/cases").content.decode(CaseController.CaseListDTO.self)
            #expect(cases.cases.map(\.id) == [target.id!])
            // Progress follows the move at once (cases carry their person's place, kept by the database).
            _ = try await app.db.makeUser("so.ldtbxh", role: .cityOfficer, area: .hanoi)
            let city = try await Browser.login(app, "so.ldtbxh")
            let report = try await city.request(.GET, "/api/v1/progress").content.decode(ProgressController.ReportJSON.self)
            #expect(report.units.first { $0.code == "003" }?.total == 1 && report.units.first { $0.code == "001" }?.total == fixture.cases.count - 1)
        }
    }
}
