import Foundation
import Testing
@testable import ASXHCore

@Suite struct PlacesTests {
    let units = AdministrativeUnits.shared

    // MARK: Counts

    @Test func countsBefore2025() {
        #expect(self.units.provinces(scheme: .before2025).count == 63)
        #expect(self.units.units(scheme: .before2025, level: .district).count == 696)
        #expect(self.units.units(scheme: .before2025, level: .commune).count == 10_051)
    }

    @Test func countsSince2025() {
        #expect(self.units.provinces(scheme: .since2025).count == 34)
        #expect(self.units.units(scheme: .since2025, level: .district).isEmpty)
        #expect(self.units.units(scheme: .since2025, level: .commune).count == 3_321)
        // Before 2025 Côn Đảo and the other islands were districts without communes; since, 13 are "Đặc khu".
        #expect(self.units.units(scheme: .since2025, level: .commune).filter { $0.type == "Đặc khu" }.count == 13)
    }

    @Test func hanoiCounts() {
        let districts = self.units.districts(inProvince: "01")
        #expect(districts.count == 30)
        let communes = self.units.communes(inProvince: "01", scheme: .before2025)
        #expect(communes.count == 526)
        #expect(districts.reduce(0) { $0 + self.units.communes(inDistrict: $1.code).count } == 526)
        #expect(self.units.communes(inProvince: "01", scheme: .since2025).count == 126)
    }

    @Test func hanoiCodeMeansDifferentSetsInEachScheme() throws {
        let old = try #require(self.units.unit("01", scheme: .before2025, level: .province))
        let new = try #require(self.units.unit("01", scheme: .since2025, level: .province))
        #expect(old.fullName == "Thành phố Hà Nội")
        #expect(new.fullName == "Thành phố Hà Nội")
        #expect(old != new)
        let oldCodes = Set(self.units.communes(inProvince: "01", scheme: .before2025).map(\.code))
        let newCodes = Set(self.units.communes(inProvince: "01", scheme: .since2025).map(\.code))
        #expect(oldCodes != newCodes)
        // Each new Hanoi commune reuses the code of one of the old communes it was made from, so the codes look
        // familiar while 96 of the 126 now name a different unit: never join the schemes by code.
        #expect(newCodes.isSubset(of: oldCodes))
        let renamed = newCodes.filter {
            self.units.unit($0, scheme: .before2025, level: .commune)?.name != self.units.unit($0, scheme: .since2025, level: .commune)?.name
        }
        #expect(renamed.count == 96)
        // The same code names different wards: 00004 was Trúc Bạch, is now Ba Đình.
        #expect(self.units.unit("00004", scheme: .before2025, level: .commune)?.name == "Trúc Bạch")
        #expect(self.units.unit("00004", scheme: .since2025, level: .commune)?.name == "Ba Đình")
    }

    // MARK: Lookup by code

    @Test func lookupByCode() throws {
        let phucXa = try #require(self.units.unit("00001", scheme: .before2025, level: .commune))
        #expect(phucXa == AdministrativeUnit(
            scheme: .before2025, level: .commune, code: "00001", type: "Phường", name: "Phúc Xá",
            parentCode: "001", provinceCode: "01"
        ))
        #expect(phucXa.fullName == "Phường Phúc Xá")
        let baDinh = try #require(self.units.unit("1", scheme: .before2025, level: .district))
        #expect(baDinh.fullName == "Quận Ba Đình")
        #expect(baDinh.parentCode == "01")
        let thuDuc = try #require(self.units.unit("769", scheme: .before2025, level: .district))
        #expect(thuDuc.type == "Thành phố")
        #expect(thuDuc.provinceCode == "79")
        let conDao = try #require(self.units.unit("26732", scheme: .since2025, level: .commune))
        #expect(conDao.fullName == "Đặc khu Côn Đảo")
        #expect(conDao.parentCode == "79")
        #expect(self.units.unit("001", scheme: .since2025, level: .district) == nil)
        #expect(self.units.unit("99999", scheme: .before2025, level: .commune) == nil)
    }

    @Test func typesComeFromTheNamePrefix() {
        let oldTypes = Set(self.units.units(scheme: .before2025, level: .commune).map(\.type))
        #expect(oldTypes == ["Phường", "Xã", "Thị trấn"])
        let districtTypes = Set(self.units.units(scheme: .before2025, level: .district).map(\.type))
        #expect(districtTypes == ["Quận", "Huyện", "Thị xã", "Thành phố"])
        let provinceTypes = Set(self.units.provinces(scheme: .since2025).map(\.type))
        #expect(provinceTypes == ["Tỉnh", "Thành phố"])
        #expect(self.units.unit("04", scheme: .since2025, level: .province)?.fullName == "Tỉnh Cao Bằng")
    }

    @Test(arguments: [
        ("1", AdministrativeLevel.commune, "00001"),
        ("00001", .commune, "00001"),
        ("'00028", .commune, "00028"),
        (" 26732 ", .commune, "26732"),
        ("1.0", .province, "01"),
        ("1", .province, "01"),
        ("1", .district, "001"),
        ("0001", .district, "001"),
        ("79", .province, "79"),
    ])
    func normalizedCode(raw: String, level: AdministrativeLevel, expected: String) {
        #expect(AdministrativeUnits.normalizedCode(raw, level: level) == expected)
    }

    @Test(arguments: ["", "abc", "123456", "1.5", "12a", "100", "-1"])
    func rejectedProvinceCodes(raw: String) {
        #expect(AdministrativeUnits.normalizedCode(raw, level: .province) == nil)
    }

    // MARK: Name search

    @Test(arguments: ["Phường Phúc Xá", "phuc xa", "P. Phuc Xa", "PHUONG PHUC XA", "p.phúc xá"])
    func findCommuneWithoutDiacriticsOrWithAbbreviations(query: String) {
        let found = self.units.find(name: query, level: .commune, scheme: .before2025)
        #expect(found.map(\.code) == ["00001"])
    }

    @Test func findWithinAProvinceOrDistrict() throws {
        let hcm = try #require(self.units.find(name: "TP.HCM", level: .province, scheme: .before2025).first)
        #expect(hcm.code == "79")
        let district3 = try #require(self.units.find(name: "Q.3", level: .district, scheme: .before2025, within: hcm).first)
        #expect(district3.code == "770")
        #expect(self.units.find(name: "quan 03", level: .district, scheme: .before2025, within: hcm) == [district3])
        for query in ["Phường 1", "Phường 01", "P1", "P.01", "F1", "phuong 1"] {
            let found = self.units.find(name: query, level: .commune, scheme: .before2025, within: district3)
            #expect(found.map(\.code) == ["27160"], "\(query)")
        }
        let hanoi = try #require(self.units.find(name: "Ha Noi", level: .province, scheme: .since2025).first)
        #expect(self.units.find(name: "ba dinh", level: .commune, scheme: .since2025, within: hanoi).map(\.code) == ["00004"])
        for query in ["TT Van Dien", "T.T. Văn Điển", "thi tran van dien"] {
            #expect(self.units.find(name: query, level: .commune, scheme: .before2025).map(\.code) == ["00640"], "\(query)")
        }
        #expect(self.units.find(name: "Tỉnh Thừa Thiên Huế", level: .province, scheme: .before2025).map(\.code) == ["46"])
        // A parent of the other scheme finds nothing rather than something wrong.
        #expect(self.units.find(name: "ba dinh", level: .commune, scheme: .before2025, within: hanoi).isEmpty)
    }

    @Test func typeInTheQueryPicksAmongSameNames() throws {
        let muongTe = try #require(self.units.unit("107", scheme: .before2025, level: .district))
        func codes(_ query: String) -> [String] {
            self.units.find(name: query, level: .commune, scheme: .before2025, within: muongTe).map(\.code)
        }
        #expect(codes("TT Mường Tè") == ["03433"])
        #expect(codes("xa muong te") == ["03445"])
        #expect(codes("Mường Tè") == ["03433", "03445"])
    }

    @Test func nameThatStartsLikeATypeWord() {
        // "Xa Lý" is a name, not "Xã Lý".
        #expect(self.units.find(name: "Xa Ly", level: .commune, scheme: .before2025).map(\.code) == ["07540"])
        #expect(self.units.find(name: "Xã Xa Lý", level: .commune, scheme: .before2025).map(\.code) == ["07540"])
    }

    @Test func foldedNamesCanCollide() throws {
        // Thái Nguyên has both Xã Văn Lang and Xã Văn Lăng since 2025: without diacritics both match.
        let thaiNguyen = try #require(self.units.unit("19", scheme: .since2025, level: .province))
        let found = self.units.find(name: "van lang", level: .commune, scheme: .since2025, within: thaiNguyen)
        #expect(Set(found.map(\.name)) == ["Văn Lang", "Văn Lăng"])
    }

    // MARK: Conversion

    @Test func phucXaWentWholeToHongHa() throws {
        let conversion = try #require(self.units.newCommunes(forOld: "00001"))
        #expect(conversion.newCodes == ["00097"])
        #expect(!conversion.needsStreetOrVillage)
        #expect(conversion.isUnambiguous)
        #expect(self.units.unit("00097", scheme: .since2025, level: .commune)?.fullName == "Phường Hồng Hà")
    }

    @Test func kimMaWasSplit() throws {
        #expect(self.units.unit("28", scheme: .before2025, level: .commune)?.fullName == "Phường Kim Mã")
        let conversion = try #require(self.units.newCommunes(forOld: "28"))
        #expect(conversion.needsStreetOrVillage)
        #expect(conversion.newCodes == ["00008", "00004", "00025"])  // Ngọc Hà (default), Ba Đình, Giảng Võ
    }

    @Test func islandDistrictAndUnknownCodes() throws {
        let conDao = try #require(self.units.newCommunes(forOld: "755", level: .district))
        #expect(conDao.newCodes == ["26732"])
        #expect(self.units.newCommunes(forOld: "755") == nil)  // "00755" is no commune code of the old list
        #expect(self.units.newCommunes(forOld: "99999") == nil)
        // A commune merged away in early 2025 that the source data cannot place.
        #expect(self.units.newCommunes(forOld: "16411")?.newCodes == [])
    }

    @Test func everyOldCommuneHasAConversionIntoExistingNewCommunes() {
        var unresolved: [String] = []
        for commune in self.units.units(scheme: .before2025, level: .commune) {
            guard let conversion = self.units.newCommunes(forOld: commune.code) else {
                Issue.record("no conversion for \(commune.code)")
                continue
            }
            if conversion.newCodes.isEmpty { unresolved.append(commune.code) }
            #expect(conversion.needsStreetOrVillage == (conversion.newCodes.count > 1))
            for code in conversion.newCodes {
                #expect(self.units.unit(code, scheme: .since2025, level: .commune) != nil, "\(commune.code) → \(code)")
            }
        }
        #expect(unresolved == ["16411", "25186"])
    }

    // MARK: Loading

    @Test func loadTime() throws {
        let directory = try AdministrativeUnits.bundledResourceDirectory()
        let clock = ContinuousClock()
        var loaded: AdministrativeUnits?
        let elapsed = try clock.measure { loaded = try AdministrativeUnits(resourceDirectory: directory) }
        print("AdministrativeUnits load time: \(elapsed)")
        #expect(loaded?.provinces(scheme: .since2025).count == 34)
    }

    @Test func missingFolderIsAnError() {
        #expect(throws: AdministrativeUnitsError.missingResource("units-before2025.tsv")) {
            try AdministrativeUnits(resourceDirectory: URL(fileURLWithPath: "/nonexistent"))
        }
    }
}
