import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

@Suite("Importing department lists")
struct ImportTests {
    static func write(_ text: String, name: String = "danh-sach.csv") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-\(UUID().uuidString)-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let csv = """
        DANH SÁCH ĐỐI TƯỢNG BẢO TRỢ XÃ HỘI PHƯỜNG PHÚC XÁ
        STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Địa chỉ,Mã xã,Nhóm đối tượng,Mức hưởng
        1,Nguyễn Văn An,12/03/1940,Nam,001040000001,Số 1 Phúc Xá,00001,Bảo trợ xã hội,"1.080.000"
        2,Trần Thị Bình,1938,Nữ,,Số 2 Phúc Xá,00001,BTXH,"720.000"
        3,,01/01/1950,Nam,,Số 3,00001,BTXH,500000
        4,Lê Văn Cường,31/02/1950,Nam,,Số 4,00001,BTXH,500000
        5,Phạm Thị Dung,05/06/1945,Nữ,00104500000X,Số 5,00001,BTXH,500000
        6,Hoàng Văn Em,05/06/1945,Nam,,Số 6,99999,BTXH,500000
        7,Vũ Văn Phong,05/06/1945,Nam,,Số 7,00118,BTXH,500000
        Tổng cộng,,,,,,,,
        """

    static func city(_ app: Application) async throws -> User {
        try await app.db.makeUser("so.ldtbxh", role: .cityOfficer, area: .hanoi)
    }

    @Test("good rows import; each bad row is rejected with row, column, value and a reason in both languages")
    func badRows() async throws {
        try await withTestApp { app in
            // setup
            let user = try await Self.city(app)
            let path = try Self.write(Self.csv)
            // MUT
            let summary = try await ListImporter(database: app.db).run(path: path, options: ListImportOptions(fileName: "phuc-xa.csv", actor: user))
            // validate
            #expect(summary.imported == 3)  // An, Bình, and Phong (00118 Phường Trúc Bạch… whichever Hanoi commune)
            #expect(summary.rejected == 4)
            #expect(summary.new_people == 3)
            #expect(!summary.duplicate_file)
            let rejections = try await ListRejection.query(on: app.db).sort(\.$row).all()
            let byRow = Dictionary(grouping: rejections, by: \.row)
            #expect(byRow.keys.sorted() == [5, 6, 7, 8])
            #expect(byRow[5]?.first?.code.contains("name") == true)
            #expect(byRow[6]?.first?.value == "31/02/1950")
            #expect(byRow[7]?.first?.value == "00104500000X")
            #expect(byRow[8]?.first?.code == "unknown_commune")
            for rejection in rejections {
                #expect(!rejection.messageVI.isEmpty && !rejection.messageEN.isEmpty && rejection.messageVI != rejection.messageEN)
                #expect(!rejection.column.isEmpty)
            }
            // the report downloads as CSV and XLSX with the same content
            let list = try #require(try await SourceList.find(summary.list_id, on: app.db))
            let csvPath = try await RejectionReport.write(list: list, format: .csv, for: .cityOfficer, on: app.db)
            let rows = try CSVReader(path: csvPath).readAll()
            #expect(rows.count == 1 + rejections.count)
            #expect(rows[1][0].text == "5")
            let xlsxPath = try await RejectionReport.write(list: list, format: .xlsx, for: .cityOfficer, on: app.db)
            let sheet = try TabularFile.open(path: xlsxPath).rows().readAll()
            #expect(sheet.map { $0.cells.map(\.text) } == rows.map { $0.cells.map(\.text) })
            // every person has a campaign case in the current campaign, state "imported"
            #expect(try await CampaignCase.query(on: app.db).filter(\.$state == CaseState.imported.rawValue).count() == 3)
            // the import itself is audited
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "list.import").first())
            #expect(audit.actor == "so.ldtbxh")
            #expect(audit.after?.contains("\"imported\":3") == true)
        }
    }

    @Test("with batches smaller than the rejections, every rejection and every good row is still written once")
    func smallBatches() async throws {
        try await withTestApp { app in
            let user = try await Self.city(app)
            var importer = ListImporter(database: app.db)
            importer.batchSize = 2
            let summary = try await importer.run(path: try Self.write(Self.csv), options: ListImportOptions(fileName: "btxh.csv", actor: user))
            #expect(summary.imported == 3)
            #expect(summary.rejected == 4)
            #expect(try await ListRejection.query(on: app.db).count() == 4)
            #expect(try await Enrolment.query(on: app.db).count() == 3)
        }
    }

    @Test("text that looks like bulk-write syntax is stored exactly (backslashes, \\N, quotes)")
    func bulkWriteEscaping() async throws {
        try await withTestApp { app in
            let user = try await Self.city(app)
            let list = #"""
                STT,Họ và tên,Năm sinh,Giới tính,Địa chỉ,Mã xã,Nhóm đối tượng,Mức hưởng
                1,Đỗ Văn Hải,1950,Nam,"Số 5\7, ngõ \N ""Cây Đa""",00001,BTXH,500000
                """#
            _ = try await ListImporter(database: app.db).run(path: try Self.write(list), options: ListImportOptions(fileName: "x.csv", actor: user))
            let person = try #require(try await Person.query(on: app.db).first())
            #expect(person.address == ##"Số 5\7, ngõ \N "Cây Đa""##)
            // bulk-written rows carry their timestamps (sent on SQLite, the column default on PostgreSQL)
            #expect(person.createdAt != nil)
            #expect(try await Enrolment.query(on: app.db).first()?.createdAt != nil)
            #expect(try await CampaignCase.query(on: app.db).first()?.updatedAt != nil)
        }
    }

    @Test("the same file twice is a no-op that says so")
    func idempotent() async throws {
        try await withTestApp { app in
            let user = try await Self.city(app)
            let path = try Self.write(Self.csv)
            let first = try await ListImporter(database: app.db).run(path: path, options: ListImportOptions(fileName: "a.csv", actor: user))
            let second = try await ListImporter(database: app.db).run(path: path, options: ListImportOptions(fileName: "a-copy.csv", actor: user))
            #expect(second.duplicate_file)
            #expect(second.list_id == first.list_id)
            #expect(try await SourceList.query(on: app.db).count() == 1)
            #expect(try await Person.query(on: app.db).count() == 3)
            #expect(try await Enrolment.query(on: app.db).count() == 3)
        }
    }

    @Test("a person already known gets a new enrolment, not a second person")
    func knownPeople() async throws {
        try await withTestApp { app in
            let user = try await Self.city(app)
            _ = try await ListImporter(database: app.db).run(path: try Self.write(Self.csv), options: ListImportOptions(fileName: "btxh.csv", actor: user))
            // a second list: An by ID (name written without diacritics), Bình by name + birth year + commune, one newcomer
            let second = """
                STT,Ho ten,Nam sinh,Gioi tinh,So CCCD,Dia chi,Ma xa,Doi tuong,So tien
                1,NGUYEN VAN AN,1940,Nam,001040000001,So 1,00001,Ho ngheo,"500.000"
                2,Trần  Thị Bình,1938,Nữ,,Số 2,1,Hộ nghèo,"500.000"
                3,Đặng Văn Giang,1950,Nam,,Số 9,00001,Hộ nghèo,"500.000"
                """
            let summary = try await ListImporter(database: app.db).run(path: try Self.write(second), options: ListImportOptions(fileName: "ho-ngheo.csv", actor: user))
            #expect(summary.imported == 3)
            #expect(summary.new_people == 1)
            #expect(try await Person.query(on: app.db).count() == 4)
            let an = try #require(try await Person.query(on: app.db).filter(\.$personalID == "001040000001").first())
            let groups = try await Enrolment.query(on: app.db).filter(\.$person.$id == an.requireID()).all().map(\.policyGroup).sorted()
            #expect(groups == [PolicyGroup.poorHousehold.rawValue, PolicyGroup.socialProtection.rawValue].sorted())
            // cases stay one per person per campaign
            #expect(try await CampaignCase.query(on: app.db).count() == 4)
        }
    }

    @Test("recognition: a year-only date meets a full one, different full dates do not, an old ID finds its person")
    func recognitionByBirthPrecisionAndOldID() async throws {
        try await withTestApp { app in
            let user = try await Self.city(app)
            let first = """
                STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Địa chỉ,Mã xã,Nhóm đối tượng,Mức hưởng
                1,Lý Thị Hạnh,12/03/1938,Nữ,,Số 1,00001,BTXH,500000
                2,Mai Văn Cũ,1944,Nam,012345678,Số 2,00001,BTXH,500000
                """
            _ = try await ListImporter(database: app.db).run(path: try Self.write(first), options: ListImportOptions(fileName: "a.csv", actor: user))
            let second = """
                STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Địa chỉ,Mã xã,Nhóm đối tượng,Mức hưởng
                1,Lý Thị Hạnh,1938,Nữ,,Số 1,00001,Hộ nghèo,500000
                2,Lý Thị Hạnh,15/07/1938,Nữ,,Số 8,00001,Hộ nghèo,500000
                3,Mai Van Cu,1944,Nam,012345678,Số 2,00001,Hộ nghèo,500000
                """
            let summary = try await ListImporter(database: app.db).run(path: try Self.write(second), options: ListImportOptions(fileName: "b.csv", actor: user))
            #expect(summary.imported == 3 && summary.new_people == 1)  // only the Hạnh born in July is someone new
            let hanh = try await Person.query(on: app.db).filter(\.$foldedName == "ly thi hanh").sort(\.$birthMonth).all()
            #expect(hanh.map(\.birthMonth) == [3, 7])
            #expect(try await Enrolment.query(on: app.db).filter(\.$person.$id == hanh[0].requireID()).count() == 2)
            let cu = try #require(try await Person.query(on: app.db).filter(\.$oldID == "012345678").first())
            #expect(try await Enrolment.query(on: app.db).filter(\.$person.$id == cu.requireID()).count() == 2)
        }
    }

    @Test("names and addresses are stored as the department wrote them; search and recognition ignore tone placement")
    func namesAsWritten() async throws {
        try await withTestApp { app in
            let user = try await Self.city(app)
            let header = "STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Địa chỉ,Mã xã,Nhóm đối tượng,Mức hưởng"
            _ = try await ListImporter(database: app.db).run(path: try Self.write(header + "\n1,Bùi Thị  Thủy,1940,Nữ,,Xóm Hòa  Bình,00001,BTXH,500000"),
                                                             options: ListImportOptions(fileName: "a.csv", actor: user))
            let person = try #require(try await Person.query(on: app.db).first())
            #expect(person.fullName == "Bùi Thị Thủy" && person.address == "Xóm Hòa Bình")  // spaces tidied, tone kept
            // another list writes the modern placement: the same person
            let summary = try await ListImporter(database: app.db).run(path: try Self.write(header + "\n1,Bùi Thị Thuỷ,1940,Nữ,,Xóm Hoà Bình,00001,Hộ nghèo,500000"),
                                                                       options: ListImportOptions(fileName: "b.csv", actor: user))
            #expect(summary.new_people == 0)
            let browser = try await Browser.login(app, user.username)
            let found = try await browser.request(.GET, "/api/v1/people?q=thuỷ").content.decode(PersonListDTO.self)
            #expect(found.people.map(\.fullName) == ["Bùi Thị Thủy"])
        }
    }

    @Test("recognition across schemes: a person imported with a pre-2025 commune is met by a list in 2025 codes")
    func recognitionAcrossSchemes() async throws {
        try await withTestApp { app in
            let user = try await Self.city(app)
            let units = AdministrativeUnits.shared
            let old = try #require(units.communes(inProvince: "01", scheme: .before2025).first { unit in
                units.newCommunes(forOld: unit.code).map { $0.isUnambiguous && !$0.needsStreetOrVillage } ?? false
            })
            let new = try #require(units.newCommunes(forOld: old.code)?.newCodes.first)
            let header = "STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Địa chỉ,Mã xã,Nhóm đối tượng,Mức hưởng"
            _ = try await ListImporter(database: app.db).run(path: try Self.write(header + "\n1,Tạ Văn Đông,1939,Nam,,Số 1,\(old.code),BTXH,500000"),
                                                             options: ListImportOptions(fileName: "cu.csv", scheme: .before2025, actor: user))
            let since = Area(scheme: .since2025, level: .province, code: "01")
            let city2025 = try await app.db.makeUser("so.2025", role: .cityOfficer, area: since)
            let summary = try await ListImporter(database: app.db).run(path: try Self.write(header + "\n1,Tạ Văn Đông,1939,Nam,,Số 1,\(new),Hộ nghèo,500000"),
                                                                       options: ListImportOptions(fileName: "moi.csv", scheme: .since2025, actor: city2025))
            #expect(summary.imported == 1 && summary.new_people == 0)
            #expect(try await Person.query(on: app.db).count() == 1)
        }
    }

    @Test("a list row outside the importer's area is rejected, not imported")
    func outsideArea() async throws {
        try await withTestApp { app in
            let district = try await app.db.makeUser("quan.badinh", role: .districtOfficer, area: Area(scheme: .before2025, level: .district, code: "001"))
            let csv = """
                STT,Họ và tên,Năm sinh,Mã xã,Nhóm đối tượng
                1,Nguyễn Văn An,1940,00001,BTXH
                2,Trần Văn Bảo,1941,00103,BTXH
                """
            let summary = try await ListImporter(database: app.db).run(path: try Self.write(csv), options: ListImportOptions(fileName: "x.csv", actor: district))
            #expect(summary.imported == 1)
            #expect(try await ListRejection.query(on: app.db).first()?.code == "outside_area")
        }
    }

    @Test("a file without a recognisable header writes nothing and says why in both languages")
    func noHeader() async throws {
        try await withTestApp { app in
            let user = try await Self.city(app)
            let path = try Self.write("a,b,c\n1,2,3\n")
            await #expect(throws: ListImportError.self) {
                try await ListImporter(database: app.db).run(path: path, options: ListImportOptions(fileName: "x.csv", actor: user))
            }
            #expect(try await SourceList.query(on: app.db).count() == 0)
        }
    }

    @Test("upload page: a city officer uploads a list and sees its progress and summary")
    func uploadPage() async throws {
        try await withTestApp { app in
            _ = try await Self.city(app)
            let browser = try await Browser.login(app, "so.ldtbxh")
            let response = try await browser.upload(ByteBuffer(string: Self.csv), named: "phuc-xa.csv")
            #expect(response.status == .seeOther)
            let page = try await browser.finishedJobPage(try #require(response.headers.first(name: .location)))
            #expect(page.contains("Đã nhập 3/"))
            let lists = try await browser.request(.GET, "/imports").body.string
            #expect(lists.contains("phuc-xa.csv"))
            // a commune user cannot reach the import pages
            _ = try await app.db.makeUser("congan", role: .communePolice, area: AccessTests.communeA)
            let police = try await Browser.login(app, "congan")
            #expect(try await police.request(.GET, "/imports").status == .forbidden)
        }
    }
}

@Suite("Import durability")
struct ImportDurabilityTests {
    @Test("references hold on both databases: no enrolment or case without its person, no deleting a referenced person")
    func references() async throws {
        try await withTestApp { app in
            let user = try await ImportTests.city(app)
            _ = try await ListImporter(database: app.db).run(path: try ImportTests.write(ImportTests.csv), options: ListImportOptions(fileName: "btxh.csv", actor: user))
            let sql = app.db as! any SQLDatabase
            let enrolment = try #require(try await Enrolment.query(on: app.db).first())
            let nobody = UUID()
            // an insert pointing at nobody
            await #expect(throws: (any Error).self) {
                try await sql.insert(into: Enrolment.schema).columns("id", "person_id", "source_list_id", "source_row", "policy_group")
                    .values(SQLBind(UUID()), SQLBind(nobody), SQLBind(enrolment.$sourceList.id), SQLBind(99), SQLBind("other")).run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.insert(into: CampaignCase.schema).columns("id", "campaign_id", "person_id", "state")
                    .values(SQLBind(UUID()), SQLBind(UUID()), SQLBind(enrolment.$person.id), SQLBind("imported")).run()
            }
            // an update pointing at nobody
            await #expect(throws: (any Error).self) {
                try await sql.update(Enrolment.schema).set("person_id", to: SQLBind(nobody)).where("id", .equal, SQLBind(enrolment.requireID())).run()
            }
            // deleting someone still referenced
            await #expect(throws: (any Error).self) {
                try await sql.delete(from: Person.schema).where("id", .equal, SQLBind(enrolment.$person.id)).run()
            }
            #expect(try await Enrolment.query(on: app.db).filter(\.$person.$id == nobody).count() == 0)
            #expect(try await Person.find(enrolment.$person.id, on: app.db) != nil)
        }
    }

    /// The real `asxh` binary, built next to this test bundle.
    static var executable: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("asxh").path
    }

    @Test("a process killed mid-import leaves no list, no people and no rejections behind")
    func killedImport() async throws {
        try await withTestApp { app in
            // setup: a list large enough to still be importing when it is killed
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-kill-\(UUID().uuidString).csv").path
            var text = "STT,Họ và tên,Năm sinh,Giới tính,Địa chỉ,Mã xã,Nhóm đối tượng,Mức hưởng\n"
            for i in 1...150_000 {
                text += "\(i),Nguyễn Văn Người \(i),\(1930 + i % 60),Nam,Số \(i),00001,BTXH,500000\n"
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.executable)
            var arguments = ["import", path]
            if case .sqlite(let db) = app.databaseChoice { arguments += ["--db", db] }
            process.arguments = arguments
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            // MUT: start, wait until rows are being written, kill -9
            try process.run()
            var seen = ""
            let deadline = Date().addingTimeInterval(120)
            while !seen.contains("rows"), Date() < deadline, process.isRunning {
                seen += String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            }
            #expect(process.isRunning, "the import finished before it could be killed: \(seen)")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // validate
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(try await SourceList.query(on: app.db).count() == 0)
            #expect(try await Person.query(on: app.db).count() == 0)
            #expect(try await Enrolment.query(on: app.db).count() == 0)
            #expect(try await ListRejection.query(on: app.db).count() == 0)
            // and the same file then imports in full
            let user = try await app.db.makeUser("so", role: .cityOfficer, area: .hanoi)
            let summary = try await ListImporter(database: app.db).run(path: path, options: ListImportOptions(fileName: "k.csv", actor: user))
            #expect(summary.imported == 150_000)
        }
    }
}
