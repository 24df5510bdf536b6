import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

/// Step 1 in the database: `asxh verify` and the commune police's review queue.
@Suite("Verification against the population register and the review queue")
struct VerificationTests {
    /// A realistic small list and register (so the model has data to learn from), plus hand-made people
    /// whose outcome is known: an exact ID, a missing ID, a deceased person, two namesakes, someone absent.
    static func files() throws -> (list: String, register: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-verify-\(UUID().uuidString)")
        var config = DemoConfig(seed: 3, people: 400, registerSize: 3_000)
        config.lists = PolicyGroup.allCases.map { DemoListSpec(group: $0, format: .csv, fileName: "ds.csv") }
        try DemoDataset.generate(config).write(to: folder)
        let list = folder.appendingPathComponent("ds.csv").path
        let register = folder.appendingPathComponent(DemoDataset.registerFileName).path
        let listRows = [
            "9001,Nguyễn Văn Kiểm,12/03/1940,Nam,001040900001,Số 1 Phúc Xá,00001,Bảo trợ xã hội,Người cao tuổi,\"1.080.000\",,,",
            "9002,Trần Thị Thử,1938,Nữ,,Số 2 Phúc Xá,00001,Bảo trợ xã hội,Người cao tuổi,\"1.080.000\",,,",
            "9003,Lê Văn Quá,05/05/1930,Nam,001030900003,Số 3 Phúc Xá,00001,Người có công,Thương binh,\"2.500.000\",,,",
            "9004,Phạm Văn Trùng,1945,Nam,,Số 4 Phúc Xá,00001,Hộ nghèo,,\"500.000\",,,",
            "9005,Hoàng Văn Vắng,1950,Nam,,Số 5 Phúc Xá,00001,Hộ nghèo,,\"500.000\",,,",
            "9006,Đinh Văn Xa,04/04/1941,Nam,001041900006,Số 6 Phúc Xá,00001,Hộ nghèo,,\"500.000\",,,",
        ]
        let registerRows = [
            "001040900001,012345678,Nguyễn Văn Kiểm,1940-03-12,Nam,00001,\"Số 1, Phúc Xá\",alive,",
            "001138900002,,Trần Thị Thử,1938-07-01,Nữ,00001,\"Số 2, Phúc Xá\",alive,",
            "001030900003,,Lê Văn Quá,1930-05-05,Nam,00001,\"Số 3, Phúc Xá\",deceased,2024-12-01",
            "001045900004,,Phạm Văn Trùng,1945-02-02,Nam,00001,\"Số 4, Phúc Xá\",alive,",
            "001045900005,,Phạm Văn Trùng,1945-09-09,Nam,00001,\"Số 9, Phúc Xá\",alive,",
            "001041900006,,Đinh Văn Xa,1941-04-04,Nam,99999,\"Số 6, Phúc Xá\",alive,",
        ]
        try Self.append(listRows, to: list)
        try Self.append(registerRows, to: register)
        return (list, register)
    }

    static func append(_ lines: [String], to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((lines.joined(separator: "\n") + "\n").utf8))
        try handle.close()
    }

    static func person(_ name: String, on db: any Database) async throws -> Person {
        try #require(try await Person.query(on: db).filter(\.$fullName == name).first())
    }

    static func caseOf(_ person: Person, on db: any Database) async throws -> CampaignCase {
        try #require(try await CampaignCase.query(on: db).filter(\.$person.$id == person.requireID()).first())
    }

    @Test("verify links, fills and corrects people, closes the deceased, queues namesakes and the absent; review decisions are scoped and audited")
    func verifyAndReview() async throws {
        try await withTestApp { app in
            // setup
            let start = try await AuditedTables.take(app.db)
            let (listPath, registerPath) = try Self.files()
            let city = try await app.db.makeUser("so", role: .cityOfficer, area: .hanoi)
            let imported = try await ListImporter(database: app.db).run(path: listPath, options: ListImportOptions(fileName: "ds.csv", actor: city))
            let register = try RegisterIndex.load(contentsOf: URL(fileURLWithPath: registerPath))
            // MUT
            let summary = try await ListVerification(database: app.db).run(listID: try #require(imported.list_id), register: .extract(register), actor: city)
            // validate: every imported row has one decision
            #expect(summary.rows == imported.imported)
            #expect(summary.statuses.values.reduce(0, +) == summary.rows)
            #expect(try await RegisterMatch.query(on: app.db).count() == summary.rows)
            // exact ID: verified
            let kiem = try await Self.person("Nguyễn Văn Kiểm", on: app.db)
            #expect(try await Self.caseOf(kiem, on: app.db).state == CaseState.verified.rawValue)
            // missing ID: the register's ID fills in, the year-only list date becomes the register's full date
            let thu = try await Self.person("Trần Thị Thử", on: app.db)
            #expect(thu.personalID == "001138900002")
            #expect(thu.birthMonth == 7 && thu.birthDay == 1)
            let correction = try #require(try await AuditEvent.query(on: app.db).filter(\.$entityID == thu.id?.uuidString).filter(\.$action == "person.correct_from_register").first())
            #expect(correction.before?.contains("1938") == true && correction.after?.contains("01/07/1938") == true)
            // deceased: case closed with the reason, the person kept
            let qua = try await Self.person("Lê Văn Quá", on: app.db)
            let closed = try await Self.caseOf(qua, on: app.db)
            #expect(closed.state == CaseState.closed.rawValue && closed.closedReason == CaseClosedReason.deceased.rawValue)
            // namesakes born the same year in one ward, no ID: review with both candidates, never an automatic link
            let trung = try await Self.person("Phạm Văn Trùng", on: app.db)
            let trungMatch = try #require(try await RegisterMatch.query(on: app.db).filter(\.$person.$id == trung.requireID()).first())
            #expect(trungMatch.status == MatchStatus.review.rawValue)
            #expect(trungMatch.reviewState == ReviewState.open.rawValue)
            #expect(Set(trungMatch.decodedCandidates().prefix(2).map(\.citizenID)) == ["001045900004", "001045900005"])
            #expect(trung.personalID == nil)
            // absent from the register: not found, queued
            let vang = try await Self.person("Hoàng Văn Vắng", on: app.db)
            let vangMatch = try #require(try await RegisterMatch.query(on: app.db).filter(\.$person.$id == vang.requireID()).first())
            #expect(vangMatch.status == MatchStatus.notFound.rawValue)
            // the register places him in a commune code no list of units holds: not applied (he would fall out of
            // every area), queued with the reason
            let xa = try await Self.person("Đinh Văn Xa", on: app.db)
            let xaMatch = try #require(try await RegisterMatch.query(on: app.db).filter(\.$person.$id == xa.requireID()).first())
            #expect(xaMatch.status == MatchStatus.review.rawValue && xaMatch.reasons.contains(RegisterLinks.unplacedReason), "\(xaMatch.status) \(xaMatch.reasons)")
            #expect(xa.communeCode == "00001" && xa.districtCode == "001")

            // review: the commune police of Phúc Xá see the queue; another commune's police do not
            _ = try await app.db.makeUser("congan.phucxa", role: .communePolice, area: Area(scheme: .before2025, level: .commune, code: "00001"))
            _ = try await app.db.makeUser("congan.khac", role: .communePolice, area: Area(scheme: .before2025, level: .commune, code: "00004"))
            let other = try await Browser.login(app, "congan.khac")
            #expect(try await other.request(.GET, "/review/\(trungMatch.id!)").status == .notFound)
            #expect(try await other.request(.POST, "/review/\(trungMatch.id!)", form: ["action": "none"]).status == .notFound)
            #expect(!(try await other.request(.GET, "/review").body.string.contains("Phạm Văn Trùng")))
            let police = try await Browser.login(app, "congan.phucxa")
            let queue = try await police.request(.GET, "/review").body.string
            #expect(queue.contains("Phạm Văn Trùng") && queue.contains("Hoàng Văn Vắng"))
            let page = try await police.request(.GET, "/review/\(trungMatch.id!)").body.string
            #expect(page.contains("<mark>"))  // differing fields are highlighted
            #expect(!page.contains("001045900004") && !page.contains("001045900005"))  // IDs masked, even for police
            #expect(page.contains("••••••••0005"))
            // MUT: accept the namesake born in September
            let chosen = try #require(trungMatch.decodedCandidates().firstIndex { $0.citizenID == "001045900005" })
            let accept = try await police.request(.POST, "/review/\(trungMatch.id!)", form: ["action": "accept", "candidate": String(chosen)])
            #expect(accept.status == .seeOther)
            let decided = try #require(try await RegisterMatch.find(trungMatch.id, on: app.db))
            #expect(decided.reviewState == ReviewState.accepted.rawValue && decided.citizenID == "001045900005")
            let trungAfter = try #require(try await Person.find(trung.id, on: app.db))
            #expect(trungAfter.personalID == "001045900005" && trungAfter.birthMonth == 9)
            #expect(try await Self.caseOf(trungAfter, on: app.db).state == CaseState.verified.rawValue)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "review.accept").filter(\.$actor == "congan.phucxa").count() == 1)
            // deciding twice is refused
            #expect(try await police.request(.POST, "/review/\(trungMatch.id!)", form: ["action": "none"]).status == .badRequest)
            // send the absent person to the working group: the case moves to step 2
            _ = try await police.request(.POST, "/review/\(vangMatch.id!)", form: ["action": "field"])
            #expect(try await Self.caseOf(vang, on: app.db).state == CaseState.assigned.rawValue)
            // a working-group member may read but not decide
            _ = try await app.db.makeUser("totruong", role: .workingGroupMember, area: Area(scheme: .before2025, level: .commune, code: "00001"))
            let member = try await Browser.login(app, "totruong")
            #expect(try await member.request(.POST, "/review/\(vangMatch.id!)", form: ["action": "none"]).status == .forbidden)
            // every row created or changed on the way (import, verify, corrections, closures, decisions) is audited
            try await AuditedTables.expectEveryChangeAudited(since: start, on: app.db)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "case.close_deceased").filter(\.$entityID == closed.requireID().uuidString).count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "case.field_check").count() == 1)
        }
    }

    @Test("two records that the register shows to be one person are merged, nothing deleted")
    func mergeAcrossLists() async throws {
        try await withTestApp { app in
            let start = try await AuditedTables.take(app.db)
            let (listPath, registerPath) = try Self.files()
            let city = try await app.db.makeUser("so", role: .cityOfficer, area: .hanoi)
            let first = try await ListImporter(database: app.db).run(path: listPath, options: ListImportOptions(fileName: "ds.csv", actor: city))
            // the same man on a second list, moved to another commune, with only his old 9-digit ID: a second record at import
            let second = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-second-\(UUID().uuidString).csv").path
            try """
                STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Địa chỉ,Mã xã,Nhóm đối tượng,Mức hưởng
                1,Nguyễn Văn Kiểm,12/03/1940,Nam,012345678,Số 8 Trúc Bạch,00004,Hộ nghèo,500000
                """.write(toFile: second, atomically: true, encoding: .utf8)
            let secondList = try await ListImporter(database: app.db).run(path: second, options: ListImportOptions(fileName: "hn.csv", actor: city))
            #expect(secondList.new_people == 1)
            let register = try RegisterIndex.load(contentsOf: URL(fileURLWithPath: registerPath))
            _ = try await ListVerification(database: app.db).run(listID: try #require(first.list_id), register: .extract(register), actor: city)
            let summary = try await ListVerification(database: app.db).run(listID: try #require(secondList.list_id), register: .extract(register), actor: city)
            #expect(summary.merged_people == 1, "\(summary)")
            let secondMatch = try await RegisterMatch.query(on: app.db).filter(\.$sourceList.$id == secondList.list_id!).first()
            #expect(secondMatch?.status == "corrected", "\(String(describing: secondMatch?.reasons)) \(String(describing: secondMatch?.candidates))")
            let records = try await Person.query(on: app.db).filter(\.$foldedName == "nguyen van kiem").all()
            #expect(records.count == 2)  // kept, not deleted
            let kept = try #require(records.first { $0.mergedInto == nil })
            let merged = try #require(records.first { $0.mergedInto != nil })
            #expect(merged.mergedInto == kept.id)
            #expect(try await Enrolment.query(on: app.db).filter(\.$person.$id == kept.requireID()).count() == 2)
            #expect(try await Self.caseOf(merged, on: app.db).closedReason == CaseClosedReason.mergedDuplicate.rawValue)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "person.merge").count() == 1)
            try await AuditedTables.expectEveryChangeAudited(since: start, on: app.db)
        }
    }
}
