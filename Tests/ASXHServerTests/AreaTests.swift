import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

/// Every read and write stays inside the actor's area: imports, duplicate checks, the audit log, ID search,
/// rejection reports.
@Suite("Area everywhere")
struct AreaTests {
    static let district001 = Area(scheme: .before2025, level: .district, code: "001")
    static let district003 = Area(scheme: .before2025, level: .district, code: "003")

    static func list(_ rows: [String]) -> String {
        (["STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Địa chỉ,Mã xã,Nhóm đối tượng,Mức hưởng"] + rows).joined(separator: "\n")
    }

    @Test("an import row whose person is known in another area is refused; nothing is added to that person")
    func importStaysInsideTheArea() async throws {
        try await withTestApp { app in
            // setup: a person of district 003, and a district-001 officer whose list carries their ID
            let other = try await app.db.makePerson("Hoàng Thị Em", commune: "00103", district: "003", personalID: "001150000103")
            let officer = try await app.db.makeUser("huyen.001", role: .districtOfficer, area: Self.district001)
            let path = try ImportTests.write(Self.list([
                "1,Hoàng Thị Em,1940,Nữ,001150000103,Số 1,00001,BTXH,500000",
                "2,Nguyễn Văn An,12/03/1940,Nam,001040000001,Số 1 Phúc Xá,00001,BTXH,500000",
            ]))
            // MUT
            let summary = try await ListImporter(database: app.db).run(path: path, options: ListImportOptions(fileName: "ba-dinh.csv", actor: officer))
            // validate
            #expect(summary.imported == 1 && summary.rejected == 1 && summary.new_people == 1)
            let rejection = try #require(try await ListRejection.query(on: app.db).first())
            #expect(rejection.code == "person_outside_area" && rejection.row == 2)
            #expect(!rejection.messageVI.contains("003") && !rejection.messageEN.contains("003"))
            #expect(try await Enrolment.query(on: app.db).filter(\.$person.$id == other.requireID()).count() == 0)
            let list = try #require(try await SourceList.find(summary.list_id, on: app.db))
            #expect(list.rowsRejected == 1 && list.rowsImported == 1)
            // the city may enrol the same person
            let city = try await app.db.makeUser("so", role: .cityOfficer, area: .hanoi)
            let again = try ImportTests.write(Self.list(["1,Hoàng Thị Em,1940,Nữ,001150000103,Số 1,00103,BTXH,500000"]))
            let citySummary = try await ListImporter(database: app.db).run(path: again, options: ListImportOptions(fileName: "tp.csv", actor: city))
            #expect(citySummary.imported == 1 && citySummary.new_people == 0)
            #expect(try await Enrolment.query(on: app.db).filter(\.$person.$id == other.requireID()).count() == 1)
        }
    }

    @Test("a merged-away record is never enrolled again; its survivor is")
    func mergedRecordsAreNotCandidates() async throws {
        try await withTestApp { app in
            let survivor = try await app.db.makePerson("Trần Văn Bảy", commune: "00001", personalID: "001040000777")
            let merged = try await app.db.makePerson("Trần Văn Bảy", commune: "00001", personalID: nil)
            merged.oldID = "012345678"
            merged.mergedInto = try survivor.requireID()
            try await merged.save(on: app.db)
            let city = try await app.db.makeUser("so", role: .cityOfficer, area: .hanoi)
            let path = try ImportTests.write(Self.list(["1,Trần Văn Bảy,1940,Nam,001040000777,Số 7,00001,BTXH,500000"]))
            let summary = try await ListImporter(database: app.db).run(path: path, options: ListImportOptions(fileName: "bay.csv", actor: city))
            #expect(summary.imported == 1 && summary.new_people == 0)
            #expect(try await Enrolment.query(on: app.db).filter(\.$person.$id == merged.requireID()).count() == 0)
            #expect(try await Enrolment.query(on: app.db).filter(\.$person.$id == survivor.requireID()).count() == 1)
        }
    }

    @Test("the same file from another area is a duplicate that names no list of theirs")
    func duplicateFileNamesNoOtherList() async throws {
        try await withTestApp { app in
            let a = try await app.db.makeUser("huyen.001", role: .districtOfficer, area: Self.district001)
            let b = try await app.db.makeUser("huyen.003", role: .districtOfficer, area: Self.district003)
            let text = Self.list(["1,Nguyễn Văn An,12/03/1940,Nam,001040000001,Số 1 Phúc Xá,00001,BTXH,500000"])
            let first = try await ListImporter(database: app.db).run(path: try ImportTests.write(text), options: ListImportOptions(fileName: "a.csv", actor: a))
            let second = try await ListImporter(database: app.db).run(path: try ImportTests.write(text), options: ListImportOptions(fileName: "b.csv", actor: b))
            #expect(second.duplicate_file && second.list_id == nil && second.rows == 0)
            let mine = try await ListImporter(database: app.db).run(path: try ImportTests.write(text), options: ListImportOptions(fileName: "a.csv", actor: a))
            #expect(mine.duplicate_file && mine.list_id == first.list_id)
        }
    }

    @Test("two imports of one file at the same moment: one list, one duplicate_file")
    func concurrentImportsOfOneFile() async throws {
        try await withTestApp { app in
            let city = try await app.db.makeUser("so", role: .cityOfficer, area: .hanoi)
            let rows = (1...3_000).map { "\($0),Người Thứ \($0),1940,Nam,,Số \($0),00001,BTXH,500000" }
            let text = Self.list(rows)
            let (pathA, pathB) = (try ImportTests.write(text), try ImportTests.write(text))
            async let a = ListImporter(database: app.db).run(path: pathA, options: ListImportOptions(fileName: "a.csv", actor: city))
            async let b = ListImporter(database: app.db).run(path: pathB, options: ListImportOptions(fileName: "a.csv", actor: city))
            let results = try await [a, b]
            #expect(results.filter(\.duplicate_file).count == 1)
            #expect(Set(results.map(\.list_id)).count == 1)
            #expect(try await SourceList.query(on: app.db).count() == 1)
            #expect(try await Person.query(on: app.db).count() == 3_000)
        }
    }

    @Test("an auditor bound to a district reads that district's audit events only; the city's reads all")
    func auditLogIsScoped() async throws {
        try await withTestApp { app in
            let mine = try await app.db.makePerson("Phạm Văn Dũng", commune: "00004")
            let theirs = try await app.db.makePerson("Hoàng Thị Em", commune: "00103", district: "003")
            _ = try await app.db.makeUser("congan.a", role: .communePolice, area: Area(scheme: .before2025, level: .commune, code: "00004"))
            _ = try await app.db.makeUser("congan.b", role: .communePolice, area: Area(scheme: .before2025, level: .commune, code: "00103"))
            _ = try await app.db.makeUser("kiemtoan.001", role: .auditor, area: Self.district001)
            _ = try await app.db.makeUser("kiemtoan", role: .auditor, area: .hanoi)
            let a = try await Browser.login(app, "congan.a"), b = try await Browser.login(app, "congan.b")
            #expect(try await a.request(.PATCH, "/api/v1/people/\(mine.requireID())", json: PersonChange(fullName: nil, address: "Tổ 1 mới")).status == .ok)
            #expect(try await b.request(.PATCH, "/api/v1/people/\(theirs.requireID())", json: PersonChange(fullName: nil, address: "Tổ 9 mới")).status == .ok)
            let district = try await Browser.login(app, "kiemtoan.001")
            let page = try await district.request(.GET, "/audit").body.string
            #expect(page.contains("Tổ 1 mới") && !page.contains("Tổ 9 mới"))
            #expect(page.contains("congan.a") && !page.contains("congan.b"))
            let city = try await Browser.login(app, "kiemtoan")
            let all = try await city.request(.GET, "/audit").body.string
            #expect(all.contains("Tổ 1 mới") && all.contains("Tổ 9 mới"))
        }
    }

    @Test("only roles that see full IDs may search by one; the others are told so")
    func idSearch() async throws {
        try await withTestApp { app in
            let commune = Area(scheme: .before2025, level: .commune, code: "00004")
            _ = try await app.db.makePerson("Vũ Thị Gấm", commune: "00004", personalID: "001150001234")
            _ = try await app.db.makeUser("totruong", role: .workingGroupMember, area: commune)
            _ = try await app.db.makeUser("congan", role: .communePolice, area: commune)
            let member = try await Browser.login(app, "totruong")
            let refused = try await member.request(.GET, "/api/v1/people?id=001150001234")
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("id_search_not_allowed"))
            #expect(!(try await member.request(.GET, "/people").body.string.contains("name=\"id\"")))
            let police = try await Browser.login(app, "congan")
            #expect(try await police.request(.GET, "/api/v1/people?id=001150001234").content.decode(PersonListDTO.self).total == 1)
        }
    }

    @Test("rejected cells that look like IDs are masked on the page and in the reports for roles that see masked IDs")
    func rejectionsAreMasked() async throws {
        #expect(Masking.cell("00104500000X", for: .cityOfficer) == "•••••••0000X")  // a mistyped ID is still nearly an ID
        #expect(Masking.cell("001 045 000 001", for: .cityOfficer) == "••••••••0001")
        #expect(Masking.cell("CCCD 001045000001 sai", for: .cityOfficer) == "CCCD ••••••••0001 sai")
        #expect(Masking.cell("1.500.000", for: .cityOfficer) == "1.500.000")
        #expect(Masking.cell("001045000001", for: .communePolice) == "001045000001")
        try await withTestApp { app in
            let city = try await ImportTests.city(app)
            let path = try ImportTests.write(Self.list(["1,Phạm Thị Dung,05/06/1945,Nữ,0010450000012,Số 5,00001,BTXH,500000"]))
            let summary = try await ListImporter(database: app.db).run(path: path, options: ListImportOptions(fileName: "dung.csv", actor: city))
            #expect(summary.rejected == 1)
            let browser = try await Browser.login(app, city.username)
            let page = try await browser.request(.GET, "/imports/\(try #require(summary.list_id))").body.string
            #expect(!page.contains("0010450000012") && page.contains("•••••••••0012"))
            let report = try await browser.request(.GET, "/imports/\(try #require(summary.list_id))/rejections.csv").body.string
            #expect(!report.contains("0010450000012") && report.contains("•••••••••0012"))
        }
    }

    @Test("placement and defaults follow the campaign's province and scheme, not Hà Nội's codes")
    func campaignPlace() async throws {
        try await withTestApp { app in
            let campaign = try #require(try await Campaign.current(on: app.db))
            #expect(campaign.province == .hanoi)  // the campaign that existed before ledger 004
            campaign.provinceCode = "79"
            campaign.scheme = .since2025
            try await campaign.save(on: app.db)
            let placer = try await RegisterLinks.placer(on: app.db)
            #expect(placer.importer == Area(scheme: .since2025, level: .province, code: "79") && placer.scheme == .since2025)
            let commune = try #require(AdministrativeUnits.shared.communes(inProvince: "79", scheme: .since2025).first)
            let placement = try #require(placer.placement(for: commune.code))
            #expect(placement.commune2025Code == commune.code && placement.province2025Code == "79" && placement.communeCode == nil)
            #expect(placer.placement(for: "99999") == nil)
        }
    }
}
