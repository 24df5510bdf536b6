import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

/// Step 5 over HTTP and the database: accounts with their checks, signals and four eyes; batches made and checked by
/// two officers, once per person per cycle; bank files valid against the XSD; results with rejects moving to cash,
/// re-imports changing nothing, totals to the đồng; cash hand-overs; the outcome; the sync and the ID-account resolve.
@Suite("Step 5: accounts, payments, results, cash, sync")
struct PaymentServerTests {
    static let commune = Area(scheme: .before2025, level: .commune, code: "00004")
    static let otherCommune = Area(scheme: .before2025, level: .commune, code: "00006")
    static let city = Area(scheme: .before2025, level: .province, code: "01")

    struct Setup {
        var people: [Person]
        var cases: [CampaignCase]
        var police: Browser
        var labour: Browser
        var city: Browser
        var checker: Browser
    }

    /// Five people in one commune (p0–p2 share no household; p3, p4 too), each with an enrolment, p0 with two; a
    /// sixth in another commune. Police and labour officer of the commune, two city officers.
    static func setUp(_ app: Application) async throws -> Setup {
        let campaign = try #require(try await Campaign.current(on: app.db))
        campaign.provinceCode = "01"
        campaign.scheme = .before2025
        try await campaign.save(on: app.db)
        let list = SourceList()
        list.fileName = "ds.xlsx"
        list.sha256 = "x"
        list.rowsTotal = 7; list.rowsImported = 7; list.rowsRejected = 0; list.rowsSkipped = 0; list.newPeople = 6; list.newEnrolments = 7
        try await list.create(on: app.db)
        var people: [Person] = [], cases: [CampaignCase] = []
        let names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Đỗ Văn Phúc"]
        for (index, name) in names.enumerated() {
            let person = try await app.db.makePerson(name, commune: index == 5 ? "00006" : "00004", personalID: String(format: "0010380%05d", index + 1))
            person.address = "Số \(index + 1) phố Hàng Bạc"
            try await person.save(on: app.db)
            people.append(person)
            for group in index == 0 ? [PolicyGroup.meritorious, .poorHousehold] : [index % 2 == 0 ? .socialProtection : .meritorious] {
                let enrolment = Enrolment()
                enrolment.policyGroup = group.rawValue
                enrolment.sourceRow = index + 2
                enrolment.$person.id = try person.requireID()
                enrolment.$sourceList.id = try list.requireID()
                try await enrolment.create(on: app.db)
            }
            let item = CampaignCase()
            item.$campaign.id = try campaign.requireID()
            item.$person.id = try person.requireID()
            item.state = CaseState.classified.rawValue
            item.caseClass = .a1
            try await item.create(on: app.db)
            cases.append(item)
        }
        _ = try await app.db.makeUser("cong.an", role: .communePolice, area: Self.commune)
        _ = try await app.db.makeUser("can.bo.xa", role: .communeLabourOfficer, area: Self.commune)
        _ = try await app.db.makeUser("cong.an.khac", role: .communePolice, area: Self.otherCommune)
        _ = try await app.db.makeUser("so.lap", role: .cityOfficer, area: Self.city)
        _ = try await app.db.makeUser("so.duyet", role: .cityOfficer, area: Self.city)
        return Setup(people: people, cases: cases, police: try await Browser.login(app, "cong.an"), labour: try await Browser.login(app, "can.bo.xa"),
                     city: try await Browser.login(app, "so.lap"), checker: try await Browser.login(app, "so.duyet"))
    }

    struct Receipt: Content {
        var id: UUID
        var status: String
        var bin: String
        var bank: String
        var signals: [String]
    }

    static func record(_ browser: Browser, _ person: Person, bank: String, number: String, holder: String, representative: [String: String] = [:],
                       expect status: HTTPStatus = .created, sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        var body: [String: String] = ["personID": person.id!.uuidString, "bank": bank, "accountNumber": number, "holderName": holder]
        body.merge(representative) { $1 }
        let response = try await browser.request(.POST, "/api/v1/accounts", json: body)
        #expect(response.status == status, "\(response.body.string)", sourceLocation: sourceLocation)
        return response
    }

    @Test("accounts: bank names resolve or ask, numbers and holders are checked, signals wait for a second officer who is never the recorder")
    func accounts() async throws {
        try await withTestApp { app in
            let setup = try await Self.setUp(app)
            let before = try await AuditedTables.take(app.db)
            let (p0, p1, p2) = (setup.people[0], setup.people[1], setup.people[2])

            let spec = try OpenAPIConformance(Data(buffer: try await setup.police.request(.GET, "/api/v1/openapi.json").body))
            let recorded = try await Self.record(setup.police, p0, bank: "VCB", number: "0011 0023 45678", holder: "Nguyễn Văn An")
            spec.check(recorded, "POST", "/api/v1/accounts")
            let own = try recorded.content.decode(Receipt.self)
            #expect(own.status == "verified" && own.bin == "970436" && own.signals.isEmpty)
            let again = try await Self.record(setup.police, p0, bank: "Vietcombank", number: "0011002345678", holder: "NGUYEN VAN AN").content.decode(Receipt.self)
            #expect(again.id == own.id, "the same account recorded again changes nothing")
            #expect(try await CampaignCase.find(setup.cases[0].id, on: app.db)?.state == CaseState.accountRecorded.rawValue)

            #expect(try await Self.record(setup.police, p1, bank: "Ngân hàng Mặt Trăng", number: "123456789", holder: "TRAN THI BINH",
                                          expect: .unprocessableEntity).body.string.contains("bank_unknown"))
            #expect(try await Self.record(setup.police, p1, bank: "Viet", number: "123456789", holder: "TRAN THI BINH",
                                          expect: .unprocessableEntity).body.string.contains("bank_ambiguous"))
            #expect(try await Self.record(setup.police, p1, bank: "Agribank", number: "12345678", holder: "TRAN THI BINH", expect: .badRequest)
                .body.string.contains("accountNumber"), "Agribank numbers have 13 digits")
            #expect(try await Self.record(setup.police, p1, bank: "ACB", number: "12a45678", holder: "TRAN THI BINH", expect: .badRequest).status == .badRequest)
            #expect(try await Self.record(setup.police, p1, bank: "ACB", number: "257678859", holder: "LE VAN KHAC", expect: .unprocessableEntity)
                .body.string.contains("holder_differs"))

            // A representative's account: recorded, waits; the recorder cannot approve; a second officer can.
            let authorisation = ["representativeName": "Lê Văn Khắc", "relationship": "con", "authorisationReference": "UQ-12/2024",
                                 "authorisationExpires": CalendarDay(app.now()).adding(days: 365).iso]
            let representative = try await Self.record(setup.police, p1, bank: "ACB", number: "257678859", holder: "LE VAN KHAC", representative: authorisation)
                .content.decode(Receipt.self)
            #expect(representative.status == "pending" && representative.signals == ["representative"])
            let selfApproval = try await setup.police.request(.POST, "/accounts/\(representative.id)/approve", headers: ["Accept": "application/json"])
            #expect(selfApproval.status == .forbidden && selfApproval.body.string.contains("four_eyes"))
            #expect(try await setup.labour.request(.POST, "/accounts/\(representative.id)/approve", headers: ["Accept": "application/json"]).status == .noContent)
            let approved = try #require(try await BankAccount.find(representative.id, on: app.db))
            #expect(approved.status == .verified && approved.authorisation?.approvedBy != nil)

            // Changing a verified account waits for a second officer; the old one stays until then.
            let change = try await Self.record(setup.labour, p0, bank: "970415", number: "101010101010", holder: "NGUYEN VAN AN").content.decode(Receipt.self)
            #expect(change.status == "pending" && change.signals == ["replacesVerified"])
            #expect(try await BankAccount.find(own.id, on: app.db)?.status == .verified)
            #expect(try await setup.labour.request(.POST, "/accounts/\(change.id)/approve", headers: ["Accept": "application/json"]).status == .forbidden)
            #expect(try await setup.police.request(.POST, "/accounts/\(change.id)/approve", headers: ["Accept": "application/json"]).status == .noContent)
            #expect(try await BankAccount.find(own.id, on: app.db)?.status == .superseded)

            // The same account for someone outside the household is a signal.
            let shared = try await Self.record(setup.police, p2, bank: "VietinBank", number: "101010101010", holder: "LE VAN CUONG").content.decode(Receipt.self)
            #expect(shared.status == "pending" && shared.signals.contains("sharedAccount"))
            #expect(try await setup.labour.request(.POST, "/accounts/\(shared.id)/refuse", headers: ["Accept": "application/json"]).status == .noContent)

            // Another commune's police cannot see or write these people.
            let outsider = try await Browser.login(app, "cong.an.khac")
            _ = try await Self.record(outsider, p2, bank: "ACB", number: "257678859", holder: "LE VAN CUONG", expect: .notFound)
            #expect(try await outsider.request(.GET, "/accounts/\(change.id)/vietqr.svg").status == .notFound)

            // The citizen's VietQR, parsed (the issue's vector; a bad CRC refused) and made for a recorded account.
            let vector = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN62150811Chuyen tien6304BBB8"
            let parsed = try await setup.police.request(.POST, "/api/v1/vietqr/parse", json: ["payload": vector])
            #expect(parsed.status == .ok)
            spec.check(parsed, "POST", "/api/v1/vietqr/parse")
            let fields = try parsed.content.decode(AccountController.ParsedQR.self)
            #expect(fields.bin == "970416" && fields.account == "257678859" && fields.amount == 1000 && fields.bank == "ACB" && fields.accountProblem == nil)
            #expect(try await setup.police.request(.POST, "/api/v1/vietqr/parse", json: ["payload": String(vector.dropLast(4)) + "0000"]).status == .badRequest)
            let svg = try await setup.police.request(.GET, "/accounts/\(change.id)/vietqr.svg")
            #expect(svg.status == .ok && svg.body.string.hasPrefix("<svg") && svg.headers.contentType?.subType == "svg+xml")

            let page = try await setup.police.request(.GET, "/accounts?person=\(p0.id!.uuidString)")
            #expect(page.status == .ok && page.body.string.contains("101010101010"), "police see account numbers in full")
            let labourPage = try await setup.labour.request(.GET, "/accounts?person=\(p0.id!.uuidString)").body.string
            #expect(!labourPage.contains("101010101010"), "other roles see them masked")

            // Two officers record two accounts for one person at once: one is verified, the other waits as a change of it.
            let p3 = setup.people[3]
            let police = try #require(try await User.query(on: app.db).filter(\.$username == "cong.an").first())
            func recordAccount(_ number: String) async -> String {
                let entry = AccountRegistry.Entry(bank: "VCB", accountNumber: number, holderName: p3.fullName, representative: nil, source: .police)
                do {
                    return try await AccountRegistry.record(p3.id!, entry, by: police, directory: app.bankDirectory, now: app.now(), on: app.db).status.rawValue
                } catch { return "\(error)" }
            }
            async let first = recordAccount("0011001111111")
            async let second = recordAccount("0011002222222")
            let recordedTogether = await [first, second]
            #expect(recordedTogether.sorted() == ["pending", "verified"], "\(recordedTogether)")
            try await AuditedTables.expectEveryChangeAudited(since: before, on: app.db)
        }
    }

    /// Runs xmllint against the committed official schema.
    static func validate(_ path: String, schema: String) throws {
        let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schemas/iso20022/\(schema)").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        process.arguments = ["--noout", "--schema", schemaPath, path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "xmllint rejects \(path)")
    }

    static func upload(_ browser: Browser, _ path: String, _ data: Data, field: String, name: String, extra: [String: String] = [:]) async throws -> TestingHTTPResponse {
        let boundary = "asxhboundary"
        var body = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf)\r\n")
        for (key, value) in extra { body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n") }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(data)
        body.writeString("\r\n--\(boundary)--\r\n")
        return try await browser.request(.POST, path, withCSRF: false, headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)", "Accept": "application/json"], body: body)
    }

    @Test("payments: a batch once per person per cycle, maker and checker, bank files valid, results to the đồng, rejects to cash, re-import inert, cash handed over, outcome by area")
    func payments() async throws {
        try await withTestApp { app in
            let setup = try await Self.setUp(app)
            let p = setup.people
            // p0 account (A1), p1 account but declined (B: cash), p2 no account (cash), p3 deceased (never paid),
            // p4 account changed just now (held), p5 another commune, account.
            _ = try await Self.record(setup.police, p[0], bank: "VCB", number: "0011002345678", holder: p[0].fullName)
            _ = try await Self.record(setup.police, p[1], bank: "ACB", number: "257678859", holder: p[1].fullName)
            _ = try await Self.record(setup.police, p[4], bank: "BIDV", number: "12010000123456", holder: p[4].fullName)
            let changed = try await Self.record(setup.police, p[4], bank: "BIDV", number: "12010000999999", holder: p[4].fullName).content.decode(Receipt.self)
            #expect(try await setup.labour.request(.POST, "/accounts/\(changed.id)/approve", headers: ["Accept": "application/json"]).status == .noContent)
            let outsider = try await Browser.login(app, "cong.an.khac")
            _ = try await Self.record(outsider, p[5], bank: "VCB", number: "0011009999999", holder: p[5].fullName)
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE campaign_cases SET case_class = \(bind: CaseClass.b.rawValue) WHERE person_id = \(bind: p[1].id!)").run()
            try await sql.raw("UPDATE campaign_cases SET state = 'closed', closed_reason = 'deceased' WHERE person_id = \(bind: p[3].id!)").run()

            let before = try await AuditedTables.take(app.db)
            let amounts = ["name": "Quà Tết 2024", "kind": "gift", "amount_meritorious": "1000000", "amount_socialProtection": "500000", "amount_poorHousehold": "300000"]
            #expect(try await setup.city.request(.POST, "/payments/programs", form: amounts).status == .seeOther)
            #expect(try await setup.police.request(.POST, "/payments/programs", form: amounts).status == .forbidden)
            let program = try #require(try await PaymentProgram.query(on: app.db).first())
            let cycleForm = ["programID": program.id!.uuidString, "name": "tet-2024", "payOn": "2024-02-01", "cashDeadline": "2024-02-08"]
            #expect(try await setup.city.request(.POST, "/payments/cycles", form: cycleForm).status == .seeOther)
            let cycle = try #require(try await PaymentCycle.query(on: app.db).first())

            let made = try await setup.city.request(.POST, "/payments/cycles/\(cycle.id!)/batches", headers: ["Accept": "application/json"])
            #expect(made.status == .created, "\(made.body.string)")
            let batch = try made.content.decode(PaymentController.BatchReceipt.self)
            // p0 1,000,000 + 300,000 (two enrolments, itemised); p1 1,000,000; p2 500,000; p4 500,000; p5 1,000,000. p3 never.
            #expect(batch.count == 5 && batch.sum == 4_300_000)
            let payments = try await Payment.query(on: app.db).all()
            let byPerson = Dictionary(uniqueKeysWithValues: payments.map { ($0.$person.id, $0) })
            #expect(payments.allSatisfy { $0.endToEndID == PaymentInstruction.endToEndID(for: $0.id!) }, "each end-to-end id is its payment's id")
            let ids = PaymentIDs(base: try #require(payments.first?.id))
            #expect(Set(payments.map(\.id)) == Set((1...5).map(ids.id)), "the batch's ids count up from one time-ordered base")
            let items = try JSONDecoder().decode([PaymentItem].self, from: Data(try #require(byPerson[p[0].id!]).items.utf8))
            #expect(items.map(\.amount).sorted() == [300_000, 1_000_000] && Set(items.map(\.group)) == ["meritorious", "poorHousehold"], "two enrolments, itemised")
            #expect(byPerson[p[3].id!] == nil, "a deceased person is never in a batch")
            #expect(byPerson[p[0].id!]?.channel == .account && byPerson[p[0].id!]?.amount == 1_300_000)
            #expect(byPerson[p[1].id!]?.channel == .cash, "declined account payment: cash")
            #expect(byPerson[p[2].id!]?.channel == .cash && byPerson[p[2].id!]?.cashReason == "no_account")
            #expect(byPerson[p[4].id!]?.held == true, "an account changed just before the batch is held")

            // Once per person per cycle: a second batch finds nobody, and the database refuses a duplicate row.
            let second = try await setup.city.request(.POST, "/payments/cycles/\(cycle.id!)/batches", headers: ["Accept": "application/json"])
            #expect(second.status == .conflict && second.body.string.contains("nobody_to_pay"))
            await #expect(throws: (any Error).self) {
                try await sql.raw("""
                    INSERT INTO payments (id, batch_id, cycle_id, program_id, person_id, full_name, amount, items, first_channel, channel, status, held, end_to_end_id)
                    VALUES (\(bind: UUID()), \(bind: batch.id), \(bind: cycle.id!), \(bind: program.id!), \(bind: p[0].id!), 'x', 1, '[]', 'cash', 'cash', 'pending', \(bind: false), 'DUP')
                    """).run()
            }

            await #expect(throws: (any Error).self, "a payment to nobody is refused (a reference check on both databases)") {
                try await sql.raw("""
                    INSERT INTO payments (id, batch_id, cycle_id, program_id, person_id, full_name, amount, items, first_channel, channel, status, held, end_to_end_id)
                    VALUES (\(bind: UUID()), \(bind: batch.id), \(bind: cycle.id!), \(bind: program.id!), \(bind: UUID()), 'x', 1, '[]', 'cash', 'cash', 'pending', \(bind: false), 'X')
                    """).run()
            }

            // Maker and checker.
            let denied = try await setup.city.request(.POST, "/payments/batches/\(batch.id)/approve", headers: ["Accept": "application/json"])
            #expect(denied.status == .forbidden && denied.body.string.contains("four_eyes"))
            #expect(try await setup.checker.request(.GET, "/payments/batches/\(batch.id)/files/manifest.json").status == .conflict, "no file before approval")
            #expect(try await setup.checker.request(.POST, "/payments/batches/\(batch.id)/approve", headers: ["Accept": "application/json"]).status == .noContent)

            // Files: per bank pain.001 (XSD-valid) and CSV, the cash list, the manifest.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-files-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let checker = try #require(try await User.query(on: app.db).filter(\.$username == "so.duyet").first())
            let manifest = try await PaymentFiles.write(batch.id, to: directory, by: checker, now: app.now(), on: app.db)
            #expect(manifest.transfers == ControlTotals(count: 2, sum: 2_300_000), "p0 and p5; p4 held")
            #expect(manifest.cash == ControlTotals(count: 2, sum: 1_500_000) && manifest.held == ControlTotals(count: 1, sum: 500_000))
            #expect(manifest.batch.sum == manifest.transfers.sum + manifest.cash.sum + manifest.held.sum)
            let xmls = manifest.files.filter { $0.kind == "pain.001" }
            #expect(Set(xmls.compactMap(\.bin)) == ["970436"])
            for file in xmls { try Self.validate(directory.appendingPathComponent(file.name).path, schema: "pain.001.001.09.xsd") }
            #expect(try PaymentFiles.sha256(of: directory.appendingPathComponent(xmls[0].name)) == xmls[0].sha256)
            let cashList = try String(contentsOf: directory.appendingPathComponent("cash-list.csv"), encoding: .utf8)
            #expect(cashList.contains(p[1].fullName) && cashList.contains(p[2].fullName) && !cashList.contains(p[1].personalID!), "IDs masked on the cash list")

            // The bank answers: rejects every second transfer.
            let resultPath = directory.appendingPathComponent("result.xml").path
            try BankSimulator(rejectEvery: 2).respond(toPain001At: directory.appendingPathComponent(xmls[0].name).path, writingTo: resultPath,
                                                      messageID: "VCB-RESULT-1", createdAt: app.now())
            try Self.validate(resultPath, schema: "pain.002.001.12.xsd")
            let resultData = try Data(contentsOf: URL(fileURLWithPath: resultPath))
            let imported = try await Self.upload(setup.city, "/payments/batches/\(batch.id)/results", resultData, field: "file", name: "result.xml")
            #expect(imported.status == .created, "\(imported.body.string)")
            let summary = try imported.content.decode(PaymentResults.Summary.self)
            #expect(summary.recorded == 2 && summary.movedToCash == 1 && summary.unknownEndToEndIDs == 0)
            #expect(summary.issued == ControlTotals(count: 2, sum: 2_300_000) && summary.difference == .zero)
            #expect(summary.paid.count == 1 && summary.failed.count == 1 && summary.pending.count == 0)
            let again = try await Self.upload(setup.city, "/payments/batches/\(batch.id)/results", resultData, field: "file", name: "result.xml")
            #expect(try again.content.decode(PaymentResults.Summary.self).alreadyImported, "the same file again changes nothing")
            let rejected = try #require(try await Payment.query(on: app.db).filter(\.$bankStatus == .rejected).first())
            #expect(rejected.channel == .cash && rejected.status == .pending && rejected.bankReason != nil)

            // Two result lists (CSV) imported at once say the paid one came back: imports of a batch take turns, so it
            // moves to cash once and the later list finds it returned already.
            let paid = try #require(try await Payment.query(on: app.db).filter(\.$bankStatus == .paid).first())
            var lists: [(url: URL, batch: UUID)] = []
            for reason in ["AC06", "AC01"] {
                let url = directory.appendingPathComponent("ket-qua-\(reason).csv")
                try Data("Mã giao dịch,Trạng thái,Mã lý do\n\(paid.endToEndID),Hoàn trả,\(reason)\n".utf8).write(to: url)
                lists.append((url, batch.id))
            }
            let together = try await PaymentResults.importFiles(lists, by: checker, now: app.now(), on: app.db)
            #expect(together.map(\.fileName) == ["ket-qua-AC06.csv", "ket-qua-AC01.csv"])
            #expect(together.map(\.movedToCash).reduce(0, +) == 1 && together.map(\.recorded).sorted() == [0, 1], "\(together)")
            #expect(together.allSatisfy { $0.failed == ControlTotals(count: 2, sum: 2_300_000) && $0.difference == .zero })

            // The same through the page: nothing new.
            let csv = "Mã giao dịch,Trạng thái,Mã lý do\n\(paid.endToEndID),Hoàn trả,AC04\n"
            let returned = try await Self.upload(setup.city, "/payments/batches/\(batch.id)/results", Data(csv.utf8), field: "file", name: "ket-qua.csv")
            #expect(returned.status == .created, "\(returned.body.string)")
            #expect(try returned.content.decode(PaymentResults.Summary.self).failed.count == 2)
            #expect(try await Payment.find(paid.id, on: app.db)?.channel == .cash)

            // Cash handed over with a signature photo; the held payment released by someone other than its account's officers.
            let cashPayment = try #require(byPerson[p[2].id!])
            #expect(try await Self.upload(setup.police, "/payments/\(cashPayment.id!)/cash", Data("not an image".utf8), field: "evidence", name: "x.txt",
                                          extra: ["recipient": p[2].fullName]).status == .badRequest)
            let handed = try await Self.upload(setup.police, "/payments/\(cashPayment.id!)/cash", FieldworkServerTests.png, field: "evidence", name: "ky.png",
                                               extra: ["recipient": p[2].fullName])
            #expect(handed.status == .noContent, "\(handed.body.string)")
            #expect(try await Payment.find(cashPayment.id, on: app.db)?.status == .paid)
            let heldID = byPerson[p[4].id!]!.id!
            #expect(try await setup.labour.request(.POST, "/payments/\(heldID)/release", headers: ["Accept": "application/json"]).status == .forbidden,
                    "the officer who approved the changed account cannot release its payment")
            #expect(try await setup.checker.request(.POST, "/payments/\(heldID)/release", headers: ["Accept": "application/json"]).status == .noContent)

            // Outcome: the city sees both communes, the commune only itself.
            let cityResponse = try await setup.city.request(.GET, "/api/v1/cycles/\(cycle.id!)/outcome")
            try OpenAPIConformance(Data(buffer: try await setup.city.request(.GET, "/api/v1/openapi.json").body)).check(cityResponse, "GET", "/api/v1/cycles/{cycleID}/outcome")
            let cityOutcome = try cityResponse.content.decode(PaymentOutcome.Report.self)
            #expect(cityOutcome.total.entitled == 5 && cityOutcome.total.paidCash == 1 && cityOutcome.total.wantedAccount == 3)
            let communeOutcome = try await setup.police.request(.GET, "/api/v1/cycles/\(cycle.id!)/outcome").content.decode(PaymentOutcome.Report.self)
            #expect(communeOutcome.total.entitled == 4 && !communeOutcome.unpaid.contains { $0.fullName == p[5].fullName })
            #expect(try await setup.police.request(.GET, "/payments").body.string.contains("tet-2024"), "a commune reads its province's cycles")
            let page = try await setup.police.request(.GET, "/payments/cycles/\(cycle.id!)/outcome")
            #expect(page.status == .ok && page.body.string.contains("<svg"))
            let unpaidCSV = try await setup.police.request(.GET, "/payments/cycles/\(cycle.id!)/outcome?format=csv")
            #expect(unpaidCSV.status == .ok && unpaidCSV.body.string.contains(p[1].fullName))

            // Two officers make the next cycle's batch at once: one batch; the other waits, then finds nobody left to pay.
            #expect(try await setup.city.request(.POST, "/payments/cycles", form: ["programID": program.id!.uuidString, "name": "tet-2024-b",
                                                                                   "payOn": "2024-02-02", "cashDeadline": "2024-02-09"]).status == .seeOther)
            let next = try #require(try await PaymentCycle.query(on: app.db).filter(\.$name == "tet-2024-b").with(\.$program).first())
            let maker = try #require(try await User.query(on: app.db).filter(\.$username == "so.lap").first())
            func attempt(_ user: User) async -> String {
                do { return "made \(try await PaymentRuns.makeBatch(next, by: user, now: app.now(), on: app.db).paymentCount)" } catch { return "\(error)" }
            }
            async let one = attempt(maker)
            async let other = attempt(checker)
            let outcomes = await [one, other]
            #expect(outcomes.filter { $0 == "made 5" }.count == 1 && outcomes.filter { $0.contains("nobody_to_pay") }.count == 1, "\(outcomes)")
            if sql.dialect.name == "postgresql" {
                // The cycle's first batch filled a table of its own, attached to `payments` with its indexes (ledger 007).
                let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: PaymentsByCycle.partition(of: next.id!))").first()
                #expect(try row?.decode(column: "n", as: Int.self) == 5)
            }

            // No cash leaves before a second officer approves the batch; two desks handing over one payment at once
            // record it once.
            let nextBatch = try #require(try await PaymentBatch.query(on: app.db).filter(\.$cycle.$id == next.id!).first())
            let cashDue = try #require(try await Payment.query(on: app.db).filter(\.$batch.$id == nextBatch.id!).filter(\.$channel == .cash).first())
            func handOver() async -> String {
                do {
                    try await PaymentOutcome.handOver(cashDue.id!, recipient: cashDue.fullName, evidenceType: "photo", evidence: FieldworkServerTests.png,
                                                      by: checker, now: app.now(), on: app.db)
                    return "handed"
                } catch { return "\(error)" }
            }
            #expect(await handOver().contains("batch_not_approved"))
            try await PaymentRuns.approve(nextBatch.id!, by: nextBatch.$madeBy.id == maker.id ? checker : maker, now: app.now(), on: app.db)
            async let desk = handOver()
            async let otherDesk = handOver()
            let handovers = await [desk, otherDesk]
            #expect(handovers.filter { $0 == "handed" }.count == 1 && handovers.filter { $0.contains("not_cash_pending") }.count == 1, "\(handovers)")
            // A hand-over of no payment is refused: a foreign key on SQLite, a reference check on PostgreSQL (ledger 007).
            do {
                try await sql.raw("""
                    INSERT INTO cash_handovers (id, payment_id, handed_by, handed_at, recipient, evidence_type, evidence)
                    VALUES (\(bind: UUID()), \(bind: UUID()), \(bind: checker.id!), \(bind: app.now()), 'x', 'photo', \(bind: Data([1])))
                    """).run()
                Issue.record("a hand-over of no payment was stored")
            } catch {
                let detail = String(reflecting: error)
                #expect(detail.contains("FOREIGN KEY constraint failed") || detail.contains("cash_handovers.payment_id"), "\(detail)")
            }

            // A list naming a transfer twice, paid and then returned: its latest word stands, and it moves to cash.
            let transfer = try #require(try await Payment.query(on: app.db).filter(\.$batch.$id == nextBatch.id!).filter(\.$channel == .account)
                .filter(\.$held == false).first())
            let twice = directory.appendingPathComponent("hai-lan.csv")
            var rows = "Mã giao dịch,Trạng thái,Mã lý do\n\(transfer.endToEndID),Thành công,\n"
            for _ in 0..<50 { rows += "\(transfer.endToEndID),Đang xử lý,\n" }  // outdated words in between change nothing
            rows += "\(transfer.endToEndID),Hoàn trả,AC04\n"
            try Data(rows.utf8).write(to: twice)
            let answered = try await PaymentResults.importFile(at: twice, named: "hai-lan.csv", batch: nextBatch.id!, by: checker, now: app.now(), on: app.db)
            #expect(answered.movedToCash == 1 && answered.recorded == 2, "\(answered)")
            let after = try #require(try await Payment.find(transfer.id, on: app.db))
            #expect(after.bankStatus == .returned && after.channel == .cash && after.status == .pending)
            try await AuditedTables.expectEveryChangeAudited(since: before, on: app.db)

            if sql.dialect.name == "postgresql" {
                // Ledger 007 over a database that already holds payments: back to one table and forward again, every row
                // as it was, each cycle in a table of its own.
                func census() async throws -> (rows: Int, digest: String, kind: String, partitions: Int) {
                    let row = try #require(try await sql.raw("""
                        SELECT COUNT(*) AS n, md5(string_agg(p::text, ',' ORDER BY p.id)) AS digest,
                               (SELECT relkind::text FROM pg_class WHERE relname = 'payments') AS kind,
                               (SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'payments'::regclass) AS partitions
                        FROM payments p
                        """).first())
                    return (try row.decode(column: "n", as: Int.self), try row.decode(column: "digest", as: String.self),
                            try row.decode(column: "kind", as: String.self), try row.decode(column: "partitions", as: Int.self))
                }
                let partitioned = try await census()
                #expect(partitioned.kind == "p" && partitioned.partitions == 2 && partitioned.rows > 0)
                try await PaymentsByCycle().revert(on: app.db)
                let oneTable = try await census()
                #expect(oneTable.kind == "r" && oneTable.partitions == 0 && (oneTable.rows, oneTable.digest) == (partitioned.rows, partitioned.digest))
                try await PaymentsByCycle().prepare(on: app.db)
                let again = try await census()
                #expect(again.kind == "p" && again.partitions == 2 && (again.rows, again.digest) == (partitioned.rows, partitioned.digest))
            }
        }
    }

    @Test("the batch statement's channel is PaymentChannel.decide, for every account, class and support plan")
    func channelRuleInSQL() async throws {
        try await withTestApp { app in
            let sql = app.db as! any SQLDatabase
            for hasAccount in [false, true] {
                for caseClass in [nil] + CaseClass.allCases {
                    for plan in [nil] + SupportPlanKind.allCases {
                        let row = try await sql.raw("""
                            SELECT \(PaymentRuns.channelSQL) AS channel FROM (SELECT \(bind: hasAccount ? "x" : nil) AS account_id,
                                   \(bind: caseClass?.rawValue) AS case_class, \(bind: plan?.rawValue) AS support_plan) t
                            """).first()
                        let expected = PaymentChannel.decide(caseClass: caseClass, supportPlan: caseClass == .c ? plan : nil, hasVerifiedAccount: hasAccount)
                        #expect(try row?.decode(column: "channel", as: String.self) == expected.rawValue, "\(hasAccount) \(String(describing: caseClass)) \(String(describing: plan))")
                    }
                }
            }
        }
    }

    @Test("sync: only what changed since the last one, closed accounts included, recorded, reproducible; the ID-account resolve answers active / not linked / not found")
    func syncAndResolve() async throws {
        try await withTestApp { app in
            let setup = try await Self.setUp(app)
            let p = setup.people
            _ = try await Self.record(setup.police, p[0], bank: "VCB", number: "0011002345678", holder: p[0].fullName)
            _ = try await Self.record(setup.police, p[1], bank: "ACB", number: "257678859", holder: p[1].fullName)
            // Two syncs at once: one carries the changes, the other waits its turn and finds nothing left.
            let police = try #require(try await User.query(on: app.db).filter(\.$username == "cong.an").first())
            async let one = AccountSync.export(by: police, now: app.now(), on: app.db)
            async let other = AccountSync.export(by: police, now: app.now(), on: app.db)
            #expect(try await [one, other].compactMap { $0?.sequence } == [1])
            #expect(try await setup.police.request(.POST, "/sync", headers: ["Accept": "application/json"]).status == .noContent, "nothing changed: no sync")
            let batch = try #require(try await AccountSyncBatch.query(on: app.db).first())
            #expect(batch.newCount == 2 && batch.sequence == 1)
            let csv1 = try await setup.police.request(.GET, "/sync/\(batch.id!)/csv")
            let csv2 = try await setup.police.request(.GET, "/sync/\(batch.id!)/csv")
            #expect(csv1.status == .ok && csv1.body.string == csv2.body.string && csv1.body.string.contains("0011002345678"))
            let manifest = try await setup.police.request(.GET, "/sync/\(batch.id!)/manifest").content.decode(AccountSync.Manifest.self)
            #expect(manifest.total == 2 && manifest.files.first { $0.kind == "csv" }?.sha256 == batch.sha256)
            #expect(try await setup.police.request(.GET, "/sync/\(batch.id!)/xlsx").status == .ok)

            // p0 dies: their account is closed, and the next sync says so.
            // Only a D case is closed by the police (as a visit that found the person deceased leaves it).
            try await (app.db as! any SQLDatabase).raw("UPDATE campaign_cases SET case_class = \(bind: CaseClass.d.rawValue) WHERE id = \(bind: setup.cases[0].id!)").run()
            #expect(try await setup.police.request(.POST, "/cases/\(setup.cases[0].id!)/close", form: ["reason": "deceased"]).status == .seeOther)
            #expect(try await BankAccount.query(on: app.db).filter(\.$person.$id == p[0].id!).first()?.status == .closed)
            let second = try await setup.police.request(.POST, "/sync", headers: ["Accept": "application/json"])
            #expect(second.status == .created)
            let next = try #require(try await AccountSyncBatch.query(on: app.db).filter(\.$sequence == 2).first())
            #expect(next.closedCount == 1 && next.newCount == 0)
            #expect(try await setup.police.request(.POST, "/sync/\(next.id!)/acknowledge", form: ["reference": "PM-123"]).status == .seeOther)
            #expect(try await setup.police.request(.POST, "/sync/\(next.id!)/acknowledge", form: ["reference": "PM-123"]).status == .conflict)
            let outsider = try await Browser.login(app, "cong.an.khac")
            #expect(try await outsider.request(.GET, "/sync/\(next.id!)/csv").status == .notFound)

            struct Item: Content { var reference_id: String; var id: String }
            struct Message: Content { var transaction_id: String; var resolve_request: [Item] }
            struct Body: Content { var message: Message }
            let body = Body(message: Message(transaction_id: "T1", resolve_request: [
                Item(reference_id: "1", id: p[1].personalID!), Item(reference_id: "2", id: p[2].personalID!),
                Item(reference_id: "3", id: "001099999999"), Item(reference_id: "4", id: "abc")]))
            let resolved = try await setup.city.request(.POST, "/api/v1/mapper/resolve", json: body)
            #expect(resolved.status == .ok, "\(resolved.body.string)")
            let spec = try OpenAPIConformance(Data(buffer: try await setup.city.request(.GET, "/api/v1/openapi.json").body))
            spec.check(resolved, "POST", "/api/v1/mapper/resolve")
            let answer = try resolved.content.decode(AccountController.ResolveResponse.self).message.resolve_response
            #expect(answer.map(\.id_status) == [.active, .notLinked, .notFound, .notFound])
            #expect(answer[0].fa == "account:257678859@970416" && answer[0].status == "succ" && answer[3].status_reason_code == "rjct.id.invalid")
            #expect(try await setup.police.request(.POST, "/api/v1/mapper/resolve", json: body).status == .forbidden)
        }
    }
}
