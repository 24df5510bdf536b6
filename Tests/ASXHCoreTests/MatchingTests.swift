import Foundation
import Testing

@testable import ASXHCore

@Suite struct MatchingQualityTests {
    @Test(arguments: [(UInt64(1), "standard"), (UInt64(2), "heavy"), (UInt64(3), "standard")])
    func qualityOverGeneratedData(seed: UInt64, mix: String) {
        let population = MatchingPopulation(
            seed: seed, registerSize: 20_000, listSize: 5_000, noise: mix == "heavy" ? .heavy : .standard)
        let register = RegisterIndex(records: population.register)
        let (model, decisions) = MatchEngine.match(population.queries, register: register)
        let quality = MatchingQuality(decisions: decisions, truth: population.truth)
        print("seed \(seed) \(mix): \(quality)")
        print("model: \(model.m.map { String(format: "%.3f", $0) }.joined(separator: " ")) pi0 \(model.notInRegister) rho \(model.idCollision) it \(model.iterations)")
        print("missed: \(quality.missed.sorted { $0.value > $1.value }) clustering \(register.statistics.namesakeClustering)")
        for w in quality.wrong.prefix(10) { print("WRONG row \(w.row) \(w.noise) \(w.status) \(w.reasons)") }
        #expect(quality.precision >= 0.9999)
        if mix == "heavy" {
            // Twice the noise of real lists and three times the namesakes: certainty is rarer, never wrong.
            #expect(quality.recall >= 0.95)
            #expect(quality.reviewRate <= 0.05)
        } else {
            #expect(quality.recall >= 0.98)
            #expect(quality.reviewRate <= 0.03)
        }
    }
}

@Suite struct MatchingDemoQualityTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func qualityOnDemoData(seed: UInt64) throws {
        let bed = try MatchingDemoBed(seed: seed, people: 4_000)
        defer { bed.removeFiles() }
        let (model, decisions) = MatchEngine.match(bed.queries, register: bed.register)
        let quality = MatchingQuality(decisions: decisions, truth: bed.truth)
        print("demo seed \(seed): register \(bed.register.count) skipped \(bed.register.skippedRows) \(quality) pi0 \(model.notInRegister) rho \(model.idCollision)")
        print("missed: \(quality.missed.sorted { $0.value > $1.value }) clustering \(bed.register.statistics.namesakeClustering) \(bed.register.statistics.sameDayNamesakeClustering)")
        for w in quality.wrong.prefix(10) { print("WRONG row \(w.row) \(w.noise) \(w.status) \(w.reasons)") }
        #expect(quality.precision >= 0.9999)
        #expect(quality.recall >= 0.98)
        #expect(quality.reviewRate <= 0.03)
    }
}

/// A small register with hand-made people among generated residents, matched with the prior model.
private enum Fixture {
    static let people: [RegisterRecord] = [
        RegisterRecord(citizenID: "001055012345", oldID: "012345678", fullName: "Nguyễn Văn Hùng", birthDate: BirthDate(year: 1955, month: 3, day: 12), gender: .male, communeCode: "00004"),
        RegisterRecord(citizenID: "001148000111", fullName: "Trần Thị Lan", birthDate: BirthDate(year: 1948, month: 5, day: 6), gender: .female, communeCode: "00025"),
        RegisterRecord(citizenID: "001148000222", fullName: "Trần Thị Lan", birthDate: BirthDate(year: 1948, month: 9, day: 21), gender: .female, communeCode: "00025"),
        RegisterRecord(citizenID: "001040777888", fullName: "Lê Văn Bình", birthDate: BirthDate(year: 1940, month: 2, day: 2), gender: .male, communeCode: "00011", status: .deceased, deathDate: "2024-03-01"),
        RegisterRecord(citizenID: "001160123456", fullName: "Phạm Thị Hoa", birthDate: BirthDate(year: 1960, month: 7, day: 8), gender: .female, communeCode: "00018"),
        RegisterRecord(citizenID: "001160123457", fullName: "Đỗ Thị Mơ", birthDate: BirthDate(year: 1960, month: 11, day: 30), gender: .female, communeCode: "00039"),
        RegisterRecord(citizenID: "001135246810", fullName: "Vũ Thị Hoà", birthDate: BirthDate(year: 1935, month: 1, day: 1), gender: .female, communeCode: "00004"),
        RegisterRecord(citizenID: "001038135790", fullName: "Hoàng Văn Khoa", birthDate: BirthDate(year: 1938), gender: .male, communeCode: "00032"),
    ]

    static let register: RegisterIndex = {
        var records = MatchingPopulation(seed: 9, registerSize: 3_000, listSize: 300, noise: .clean).register
        records.append(contentsOf: Self.people)
        return RegisterIndex(records: records)
    }()

    static let engine = MatchEngine(register: Self.register, model: .prior)
}

@Suite struct MatchingEngineTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var query: MatchQuery
        var status: MatchStatus
        var citizenID: String?
        var reasons: [MatchReason]
        var testDescription: String { self.label }
    }

    static let hung = (name: "Nguyễn Văn Hùng", birth: BirthDate(year: 1955, month: 3, day: 12), commune: "00004")

    static let cases: [Case] = [
        Case(label: "exact ID", query: MatchQuery(row: 1, personalID: "001055012345", fullName: hung.name, birthDate: hung.birth, gender: .male, communeCode: hung.commune), status: .matched, citizenID: "001055012345", reasons: [.idExact]),
        Case(label: "ID missing", query: MatchQuery(row: 2, fullName: hung.name, birthDate: hung.birth, gender: .male, communeCode: hung.commune), status: .matched, citizenID: "001055012345", reasons: [.idMissing]),
        Case(label: "old ID", query: MatchQuery(row: 3, personalID: "012345678", fullName: hung.name, birthDate: hung.birth, communeCode: hung.commune), status: .corrected, citizenID: "001055012345", reasons: [.oldID]),
        Case(label: "leading zeros lost", query: MatchQuery(row: 4, personalID: "1055012345", fullName: hung.name, birthDate: hung.birth, communeCode: "4"), status: .corrected, citizenID: "001055012345", reasons: [.idExact, .idLeadingZero]),
        Case(label: "one-digit typo", query: MatchQuery(row: 5, personalID: "001055012845", fullName: hung.name, birthDate: hung.birth, communeCode: hung.commune), status: .corrected, citizenID: "001055012345", reasons: [.idTypo]),
        Case(label: "transposition", query: MatchQuery(row: 6, personalID: "001055013245", fullName: hung.name, birthDate: hung.birth, communeCode: hung.commune), status: .corrected, citizenID: "001055012345", reasons: [.idTransposed]),
        Case(label: "no diacritics", query: MatchQuery(row: 7, personalID: "001055012345", fullName: "NGUYEN VAN HUNG", birthDate: hung.birth, communeCode: hung.commune), status: .corrected, citizenID: "001055012345", reasons: [.nameNoDiacritics]),
        Case(label: "decomposed Unicode", query: MatchQuery(row: 8, fullName: hung.name.decomposedStringWithCanonicalMapping, birthDate: hung.birth, communeCode: hung.commune), status: .matched, citizenID: "001055012345", reasons: [.idMissing]),
        Case(label: "tone placement", query: MatchQuery(row: 9, personalID: "001135246810", fullName: "Vũ Thị Hòa", birthDate: BirthDate(year: 1935, month: 6, day: 7), communeCode: "00004"), status: .matched, citizenID: "001135246810", reasons: [.idExact, .dobJan1]),
        Case(label: "name typo", query: MatchQuery(row: 10, personalID: "001055012345", fullName: "Nguyễn Văn Hùg", birthDate: hung.birth, communeCode: hung.commune), status: .corrected, citizenID: "001055012345", reasons: [.nameTypo]),
        Case(label: "year only", query: MatchQuery(row: 11, personalID: "001055012345", fullName: hung.name, birthDate: BirthDate(year: 1955), communeCode: hung.commune), status: .corrected, citizenID: "001055012345", reasons: [.dobYearOnly]),
        Case(label: "day and month swapped", query: MatchQuery(row: 12, personalID: "001055012345", fullName: hung.name, birthDate: BirthDate(year: 1955, month: 12, day: 3), communeCode: hung.commune), status: .corrected, citizenID: "001055012345", reasons: [.dobSwapped]),
        Case(label: "register year only", query: MatchQuery(row: 13, personalID: "001038135790", fullName: "Hoàng Văn Khoa", birthDate: BirthDate(year: 1938, month: 4, day: 9), communeCode: "00032"), status: .matched, citizenID: "001038135790", reasons: [.dobRegisterYearOnly]),
        Case(label: "moved", query: MatchQuery(row: 14, personalID: "001055012345", fullName: hung.name, birthDate: hung.birth, communeCode: "00011"), status: .corrected, citizenID: "001055012345", reasons: [.moved]),
        Case(label: "namesakes in one ward", query: MatchQuery(row: 15, fullName: "Trần Thị Lan", birthDate: BirthDate(year: 1948), gender: .female, communeCode: "00025"), status: .review, citizenID: nil, reasons: [.namesakeAmbiguous]),
        Case(label: "deceased", query: MatchQuery(row: 16, personalID: "001040777888", fullName: "Lê Văn Bình", birthDate: BirthDate(year: 1940, month: 2, day: 2), communeCode: "00011"), status: .deceased, citizenID: "001040777888", reasons: [.deceased]),
        Case(label: "not found", query: MatchQuery(row: 17, fullName: "Khuất Văn Xyz", birthDate: BirthDate(year: 1901), communeCode: "00099"), status: .notFound, citizenID: nil, reasons: [.noCandidate]),
        Case(label: "typo hits another person's ID", query: MatchQuery(row: 18, personalID: "001160123457", fullName: "Phạm Thị Hoa", birthDate: BirthDate(year: 1960, month: 7, day: 8), communeCode: "00018"), status: .corrected, citizenID: "001160123456", reasons: [.idTypo, .idOtherPerson]),
        Case(label: "ID of someone else, nothing else agrees", query: MatchQuery(row: 19, personalID: "001160123457", fullName: "Bùi Văn Long", birthDate: BirthDate(year: 1971, month: 1, day: 5), communeCode: "00060"), status: .notFound, citizenID: nil, reasons: []),
        Case(label: "typo ID but birth date disagrees", query: MatchQuery(row: 20, personalID: "001055012845", fullName: hung.name, birthDate: BirthDate(year: 1957, month: 8, day: 20), communeCode: hung.commune), status: .review, citizenID: nil, reasons: []),
    ]

    @Test(arguments: cases)
    func decides(_ c: Case) {
        let decision = Fixture.engine.match(c.query)
        #expect(decision.status == c.status, "\(decision.reasons) \(decision.confidence)")
        #expect(decision.citizenID == c.citizenID)
        for reason in c.reasons { #expect(decision.reasons.contains(reason), "\(decision.reasons)") }
        #expect(decision.row == c.query.row)
        if c.status.isAutomaticLink {
            #expect(decision.record?.citizenID == c.citizenID)
            #expect(decision.confidence >= 0.999)
        }
    }

    @Test func reviewListsNamesakesBestFirst() {
        let decision = Fixture.engine.match(MatchQuery(row: 1, fullName: "Tran Thi Lan", birthDate: BirthDate(year: 1948), communeCode: "00025"))
        #expect(decision.status == .review)
        let ids = Set(decision.candidates.prefix(2).map(\.record.citizenID))
        #expect(ids == ["001148000111", "001148000222"])
        #expect(zip(decision.candidates, decision.candidates.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
    }

    @Test func fullDateSeparatesNamesakes() {
        let decision = Fixture.engine.match(MatchQuery(row: 1, fullName: "Trần Thị Lan", birthDate: BirthDate(year: 1948, month: 9, day: 21), communeCode: "00025"))
        #expect(decision.status == .matched)
        #expect(decision.citizenID == "001148000222")
    }

    @Test func batchEqualsSingleRows() {
        let queries = Self.cases.map(\.query)
        let batch = Fixture.engine.match(queries)
        #expect(batch.map(\.status) == queries.map { Fixture.engine.match($0).status })
    }
}

@Suite struct RegisterIndexTests {
    static let extract = [
        "\u{FEFF}citizen_id,old_id,full_name,date_of_birth,gender,commune_code,address,status,death_date",
        "001055012345,012345678,Nguyễn Văn Hùng,1955-03-12,Nam,00004,\"Số 5, ngõ 10 \"\"Hoa Sữa\"\"\",alive,",
        "001148000111,,Trần Thị Lan,1948,Nữ,00025,Tổ 3,alive,",
        "00114800X222,,Bad Row,1948-01-01,Nữ,00025,,alive,",
        "001040777888,,Lê Văn Bình,1940-01-01,Nam,11,,deceased,2024-03-01",
    ].joined(separator: "\r\n") + "\r\n"

    @Test func loadsTheExtract() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-register-\(UInt64.random(in: 0..<UInt64.max)).csv")
        try Self.extract.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let register = try RegisterIndex.load(contentsOf: url, chunkSize: 64)
        #expect(register.count == 3)
        #expect(register.skippedRows == 1)
        #expect(register.problems.first?.line == 4)
        #expect(register.problems.first?.kind == .badCitizenID)
        let hung = register.record(at: register.index(ofCitizenID: "001055012345")!)
        #expect(hung.oldID == "012345678")
        #expect(hung.address == "Số 5, ngõ 10 \"Hoa Sữa\"")
        #expect(hung.birthDate == BirthDate(year: 1955, month: 3, day: 12))
        #expect(hung.gender == .male)
        let lan = register.record(at: register.index(ofCitizenID: "1148000111")!)
        #expect(lan.birthDate == BirthDate(year: 1948))
        #expect(lan.gender == .female)
        let binh = register.record(at: register.index(ofCitizenID: "001040777888")!)
        #expect(binh.status == .deceased)
        #expect(binh.deathDate == "2024-03-01")
        #expect(binh.communeCode == "00011")
    }

    @Test func anExtractWithoutRowsMatchesNobody() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-register-empty-\(UInt64.random(in: 0..<UInt64.max)).csv")
        try "citizen_id,old_id,full_name,date_of_birth,gender,commune_code,address,status,death_date\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let register = try RegisterIndex.load(contentsOf: url)
        #expect(register.count == 0)
        let (_, decisions) = MatchEngine.match(
            [MatchQuery(row: 1, personalID: "001055012345", fullName: "Nguyễn Văn Hùng", communeCode: "00004")], register: register)
        #expect(decisions.map(\.status) == [.notFound])
    }

    @Test func rejectsAnExtractWithoutItsColumns() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-register-bad-\(UInt64.random(in: 0..<UInt64.max)).csv")
        try "id,name\n1,A\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: RegisterExtractError.self) { try RegisterIndex.load(contentsOf: url) }
    }

    @Test func loadedAndBuiltIndexesAgree() throws {
        let population = MatchingPopulation(seed: 4, registerSize: 2_000, listSize: 200)
        var csv = "citizen_id,old_id,full_name,date_of_birth,gender,commune_code,address,status,death_date\n"
        for r in population.register {
            csv += "\(r.citizenID),\(r.oldID ?? ""),\(r.fullName),\(r.birthDate?.isoString ?? ""),\(r.gender?.labelVI ?? ""),\(r.communeCode),\"\(r.address)\",\(r.status.rawValue),\(r.deathDate ?? "")\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-register-\(UInt64.random(in: 0..<UInt64.max)).csv")
        try csv.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let loaded = try RegisterIndex.load(contentsOf: url, chunkSize: 4096)
        let built = RegisterIndex(records: population.register)
        #expect(loaded.count == built.count)
        for r in population.register.prefix(300) {
            #expect(loaded.record(at: loaded.index(ofCitizenID: r.citizenID)!) == r)
        }
        let model = LinkageModel.prior
        let a = MatchEngine(register: loaded, model: model).match(population.queries)
        let b = MatchEngine(register: built, model: model).match(population.queries)
        #expect(a.map(\.citizenID) == b.map(\.citizenID))
    }
}

@Suite struct MatchingPartsTests {
    @Test(arguments: [
        ("001055012345", "001055012345", "equal"), ("001055012345", "001055012845", "substitution"),
        ("001055012345", "001055013245", "transposition"), ("001055012345", "001055054321", "other"),
        ("1055012345", "001055012345", "equal"),
    ])
    func digitRelations(a: String, b: String, expected: String) {
        let relation = MatchDigits.relation(MatchDigits.parse(a)!.bcd, MatchDigits.parse(b)!.bcd)
        #expect("\(relation)" == expected)
    }

    @Test func neighboursCoverTyposAndTranspositions() {
        var out: [UInt64] = []
        MatchDigits.neighbours(of: MatchDigits.parse("123")!.bcd, width: 3, into: &out)
        let strings = Set(out.map { MatchDigits.string($0, width: 3) })
        #expect(strings.contains("124") && strings.contains("213") && strings.contains("132") && !strings.contains("123"))
        #expect(out.count == 27 + 2)
    }

    @Test(arguments: [("hung", "hug", true), ("hung", "hnug", true), ("hung", "hong", true), ("hung", "hung", false), ("lan", "loan", true), ("lan", "hoa", false)])
    func oneEdit(a: String, b: String, expected: Bool) {
        #expect(MatchVocabulary.isOneEditApart(Array(a.utf8), Array(b.utf8)) == expected)
    }

    @Test func accentKeysIgnoreTonePlacementAndDecomposition() {
        #expect(MatchNameText.accentKey("Hòa") == MatchNameText.accentKey("Hoà"))
        #expect(MatchNameText.accentKey("Hương") == MatchNameText.accentKey("Hương".decomposedStringWithCanonicalMapping))
        #expect(MatchNameText.accentKey("Hương") != MatchNameText.accentKey("Hường"))
        #expect(MatchNameText.accentKey("Huong") == 0)
    }

    @Test func reasonCodesAreStable() {
        #expect(MatchReason.joined([.idTypo, .nameNoDiacritics]) == "id_typo;name_no_diacritics")
        #expect(MatchStatus.notFound.rawValue == "not_found")
    }

    @Test func estimatedModelStaysAProbabilityModel() {
        let population = MatchingPopulation(seed: 6, registerSize: 5_000, listSize: 1_000)
        let model = LinkageModel.estimate(register: RegisterIndex(records: population.register), queries: population.queries)
        for group in MatchLevel.groups {
            #expect(abs(group.map { model.m[$0] }.reduce(0, +) - 1) < 1e-9)
        }
        #expect(model.m[Int(MatchLevel.idExact)] > 0.8)
        #expect(model.notInRegister > 0 && model.notInRegister < 0.1)
    }
}

@Suite struct CrossListDeduplicatorTests {
    func entry(_ list: String, _ row: Int, status: MatchStatus = .matched, id: String? = "001055012345", listed: String? = nil, name: String = "Nguyễn Văn Hùng", amount: Int? = 500_000, group: PolicyGroup = .socialProtection) -> CrossListEntry {
        CrossListEntry(list: list, row: row, status: status, citizenID: status.isAutomaticLink ? id : nil, listedID: listed, fullName: name, birthDate: BirthDate(year: 1955, month: 3, day: 12), communeCode: "00004", policyGroup: group, monthlyAmount: amount)
    }

    @Test func onePersonOnTwoListsIsOneGroup() {
        let groups = CrossListDeduplicator.group([
            self.entry("a.xlsx", 5), self.entry("b.xlsx", 9, amount: 2_000_000, group: .meritorious),
            self.entry("a.xlsx", 6, id: "001160123456", name: "Phạm Thị Hoa"),
        ])
        #expect(groups.count == 2)
        #expect(groups[0].members == [0, 1])
        #expect(groups[0].citizenID == "001055012345")
        #expect(!groups[0].needsReview)
    }

    @Test func differentAmountsInOneGroupGoToReview() {
        let groups = CrossListDeduplicator.group([self.entry("a.xlsx", 5), self.entry("b.xlsx", 2, amount: 750_000)])
        #expect(groups.count == 1)
        #expect(groups[0].conflicts == [.differentAmounts(group: .socialProtection, amounts: [500_000, 750_000])])
    }

    @Test func twoIDsForOnePersonGoToReview() {
        // Same name, birth date and commune, linked to two register records: two IDs for one person.
        let groups = CrossListDeduplicator.group([self.entry("a.xlsx", 5), self.entry("b.xlsx", 2, id: "001055099999")])
        #expect(groups.count == 1)
        #expect(groups[0].conflicts.contains(.differentIDs(["001055012345", "001055099999"])))
    }

    @Test func sameListTwiceAndUnconfirmedJoins() {
        let groups = CrossListDeduplicator.group([
            self.entry("a.xlsx", 5), self.entry("a.xlsx", 8),
            self.entry("c.csv", 3, status: .review, listed: "1055012345"),
        ])
        #expect(groups.count == 1)
        #expect(groups[0].conflicts.contains(.sameListTwice(list: "a.xlsx")))
        #expect(groups[0].conflicts.contains(.unconfirmedLink))
        #expect(groups[0].conflicts.allSatisfy { !$0.messageVI.isEmpty && !$0.messageEN.isEmpty })
    }

    @Test func namesakesWithDifferentBirthDatesStayApart() {
        var other = self.entry("b.xlsx", 1, status: .review)
        other.birthDate = BirthDate(year: 1955, month: 8, day: 1)
        let groups = CrossListDeduplicator.group([self.entry("a.xlsx", 5, status: .review), other])
        #expect(groups.count == 2)
    }
}

@Suite struct MatchingAddressTests {
    static func key(_ text: String) -> UInt32 {
        var folder = MatchAddressFolder()
        return folder.houseKey(text)
    }

    @Test(arguments: [
        ("Số 12, ngõ 45 Kim Mã, Phường Kim Mã, Quận Ba Đình, Thành phố Hà Nội", "Số 12, ngõ 45 Kim Mã, P. Kim Mã, Q. Ba Đình"),
        ("Số 12, ngõ 45 Kim Mã, Phường Kim Mã", "SO 12, NGO 45 KIM MA, Phuong Kim Ma, Quan Ba Dinh"),
        ("Xóm 3, thôn Đoài, Xã Tây Tựu, Huyện Từ Liêm", "Xóm 3, thôn Đoài, X. Tây Tựu, H. Từ Liêm"),
        ("Tổ dân phố 12, Thị trấn Đông Anh", "Tổ dân phố 12, TT. Đông Anh, H. Đông Anh"),
        ("Số 5 phố Xã Đàn, Phường Nam Đồng", "Số 5 phố Xã Đàn, P.Nam Đồng"),
        ("Thôn Hoà Bình, Xã Yên Sở", "Thôn Hòa Bình".decomposedStringWithCanonicalMapping + ", Xã Yên Sở"),
    ])
    func sameHouseWrittenTwoWays(register: String, list: String) {
        #expect(Self.key(register) != 0)
        #expect(Self.key(register) == Self.key(list))
    }

    @Test(arguments: [
        ("Số 12, ngõ 45 Kim Mã, Phường Kim Mã", "Số 21, ngõ 45 Kim Mã, Phường Kim Mã"),
        ("Xóm 3, thôn Đoài, Xã Tây Tựu", "Xóm 4, thôn Đoài, Xã Tây Tựu"),
        ("Thôn Đoài, Xã Tây Tựu", "Thôn Đông, Xã Tây Tựu"),
    ])
    func differentHouses(a: String, b: String) {
        #expect(Self.key(a) != Self.key(b))
    }

    @Test func noHousePartHasNoKey() {
        #expect(Self.key("Phường Kim Mã, Quận Ba Đình") == 0)
        #expect(Self.key("") == 0)
        #expect(Self.key(" , ") == 0)
    }

    @Test func houseEndsBeforeTheCommune() {
        var folder = MatchAddressFolder()
        let text = "Số 12, ngõ 45 Kim Mã, Phường Kim Mã, Quận Ba Đình"
        let end = Array(text.utf8).withUnsafeBufferPointer { folder.house($0).end }
        #expect(String(decoding: Array(text.utf8)[..<end], as: UTF8.self) == "Số 12, ngõ 45 Kim Mã")
        let whole = Array("Số 12 Kim Mã".utf8)
        #expect(whole.withUnsafeBufferPointer { folder.house($0).end } == whole.count)
    }

    /// Two namesakes born the same year in one ward: the list's year alone cannot tell them apart, their house can.
    static let register: RegisterIndex = {
        var records = MatchingPopulation(seed: 12, registerSize: 3_000, listSize: 300, noise: .clean).register
        records.append(RegisterRecord(citizenID: "001150111222", fullName: "Ngô Thị Mận", birthDate: BirthDate(year: 1950, month: 3, day: 4), gender: .female, communeCode: "00004", address: "Số 7, ngõ 12 Kim Mã, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội"))
        records.append(RegisterRecord(citizenID: "001150333444", fullName: "Ngô Thị Mận", birthDate: BirthDate(year: 1950, month: 10, day: 21), gender: .female, communeCode: "00004", address: "Số 90 phố Đội Cấn, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội"))
        return RegisterIndex(records: records)
    }()

    @Test func houseSeparatesNamesakes() {
        var model = LinkageModel.prior
        // What EM finds on lists whose addresses are kept up to date: a person's house rarely differs in one commune.
        model.m[30] = 0.98
        model.m[31] = 0.02
        let engine = MatchEngine(register: Self.register, model: model)
        let withoutAddress = MatchQuery(row: 1, fullName: "Ngô Thị Mận", birthDate: BirthDate(year: 1950), gender: .female, communeCode: "00004")
        #expect(engine.match(withoutAddress).status == .review)
        var withAddress = withoutAddress
        withAddress.address = "Số 90 phố Đội Cấn, P. Phúc Xá, Q. Ba Đình"
        let decision = engine.match(withAddress)
        #expect(decision.status == .corrected)
        #expect(decision.citizenID == "001150333444")
        var elsewhere = withoutAddress
        elsewhere.address = "Số 3 phố Liễu Giai, P. Phúc Xá"
        let unknown = engine.match(elsewhere)
        #expect(unknown.status == .review)
        #expect(unknown.candidates.allSatisfy { $0.reasons.contains(.addressDiffers) })
    }

    @Test func listRowsCarryTheirAddressAndDoubtfulID() {
        let row = ListRow(
            rowNumber: 7, fullName: "Nguyễn Văn Hùng", address: "Số 5, ngõ 10 Kim Mã, P. Kim Mã", communeCode: "00004",
            policyGroup: .socialProtection, doubtfulPersonalID: "991055012345")
        let query = MatchQuery(listRow: row)
        #expect(query.row == 7)
        #expect(query.address == "Số 5, ngõ 10 Kim Mã, P. Kim Mã")
        #expect(query.personalID == "991055012345")
        #expect(query.communeCode == "00004")
    }

    @Test func loaderKeepsAddressesWhole() throws {
        let addresses = [
            "Số 7, ngõ 12 Kim Mã, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội",
            "Số 8, ngõ 12 Kim Mã, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội",
            "Phường Phúc Xá, Quận Ba Đình",
            "Thôn Đoài, \"Xóm Mới\", Xã Tây Tựu",
            "",
        ]
        var csv = "citizen_id,old_id,full_name,date_of_birth,gender,commune_code,address,status,death_date\n"
        for (i, address) in addresses.enumerated() {
            csv += "00115000000\(i),,Ngô Thị Mận,1950,Nữ,00004,\"\(address.replacingOccurrences(of: "\"", with: "\"\""))\",alive,\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-register-address-\(UInt64.random(in: 0..<UInt64.max)).csv")
        try csv.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let register = try RegisterIndex.load(contentsOf: url, chunkSize: 100)
        for (i, address) in addresses.enumerated() {
            #expect(register.record(at: register.index(ofCitizenID: "00115000000\(i)")!).address == address)
        }
        #expect(register.timings.map(\.phase).contains("read and parse"))
        #expect(register.timings.allSatisfy { $0.seconds >= 0 })
    }
}

@Suite struct MatchingCommuneAreaTests {
    @Test func oldCommunesMapToTheir2025Commune() {
        let areas = MatchEngine.communeAreas2025
        #expect(areas["00001"] == "00097")
        #expect(areas["00004"] == "00004")
        #expect(areas["00013"] == "00004")
        // A split commune goes where the conversion puts an address without street or village.
        #expect(areas["00007"] == "00008")
        #expect(areas.count > 10_000)
    }

    @Test func aMoveInsideOne2025CommuneIsNotAMove() {
        let query = MatchQuery(row: 1, personalID: "001055012345", fullName: "Nguyễn Văn Hùng", birthDate: BirthDate(year: 1955, month: 3, day: 12), communeCode: "13")
        let decision = Fixture.engine.match(query)
        #expect(decision.status == .corrected)
        #expect(decision.reasons.contains(.communeMerged))
        #expect(!decision.reasons.contains(.moved))
        let noAreas = MatchEngine(register: Fixture.register, model: .prior, communeAreas: [:]).match(query)
        #expect(noAreas.reasons.contains(.moved))
        #expect(decision.confidence >= noAreas.confidence)
    }
}

@Suite struct MatchingBlockingTests {
    static let register: RegisterIndex = {
        var records = MatchingPopulation(seed: 13, registerSize: 4_000, listSize: 300, noise: .clean).register
        records.append(RegisterRecord(citizenID: "001150000001", fullName: "Khuất Thị Ngọc Lựu", birthDate: BirthDate(year: 1950, month: 3, day: 4), gender: .female, communeCode: "00004"))
        records.append(RegisterRecord(citizenID: "001150000002", fullName: "Khuất Thị Lựu", birthDate: BirthDate(year: 1950, month: 8, day: 9), gender: .female, communeCode: "00011"))
        records.append(RegisterRecord(citizenID: "001150000003", fullName: "Khuất Thị Lựu", birthDate: BirthDate(year: 1950, month: 5, day: 6), gender: .female, communeCode: "00018"))
        records.append(RegisterRecord(citizenID: "001150000004", fullName: "Khuất Văn Lựu", birthDate: BirthDate(year: 1950, month: 5, day: 6), gender: .male, communeCode: "00025"))
        records.append(RegisterRecord(citizenID: "001149000005", fullName: "Khuất Thị Quyên", birthDate: BirthDate(year: 1949, month: 5, day: 6), gender: .female, communeCode: "00004"))
        records.append(RegisterRecord(citizenID: "001151000006", fullName: "Khuất Thị Lựu", birthDate: BirthDate(year: 1951, month: 5, day: 6), gender: .female, communeCode: "00032"))
        return RegisterIndex(records: records)
    }()

    static func candidates(_ query: MatchQuery) -> Set<String> {
        Set(Self.register.candidateRecords(for: [query])[0].map(\.citizenID))
    }

    @Test func otherCommunesNeedTheSameMiddleNameAndAPossibleDate() {
        let found = Self.candidates(MatchQuery(row: 1, fullName: "Khuất Thị Lựu", birthDate: BirthDate(year: 1950, month: 5, day: 6), communeCode: "00004"))
        // Same commune, another middle name: kept. Another commune: kept with the same middle name and a date that
        // could be the listed one, dropped with another middle name or a plainly different date.
        #expect(found.contains("001150000001"))
        #expect(found.contains("001150000003"))
        #expect(!found.contains("001150000002"))
        #expect(!found.contains("001150000004"))
    }

    @Test func aYearOnlyListKeepsEveryDate() {
        let found = Self.candidates(MatchQuery(row: 1, fullName: "Khuất Thị Lựu", birthDate: BirthDate(year: 1950), communeCode: "00004"))
        #expect(found.isSuperset(of: ["001150000001", "001150000002", "001150000003"]))
    }

    @Test func misspeltWordsFindTheirNeighbours() {
        #expect(Self.candidates(MatchQuery(row: 1, fullName: "Khuat Thi Luu", birthDate: BirthDate(year: 1950, month: 5, day: 6), communeCode: "00018")).contains("001150000003"))
        #expect(Self.candidates(MatchQuery(row: 1, fullName: "Khuất Thị Lụu", birthDate: BirthDate(year: 1950, month: 5, day: 6), communeCode: "00018")).contains("001150000003"))
        #expect(Self.candidates(MatchQuery(row: 1, fullName: "Khấut Thị Lựu", birthDate: BirthDate(year: 1950, month: 5, day: 6), communeCode: "00018")).contains("001150000003"))
    }

    @Test func aWrongYearIsSearchedInTheCommuneWhenTheYearHasNoSuchName() {
        // Nobody named Khuất Thị Quyên was born in 1950: the commune's one born a year (or a digit) off is found.
        #expect(Self.candidates(MatchQuery(row: 1, fullName: "Khuất Thị Quyên", birthDate: BirthDate(year: 1950, month: 5, day: 6), communeCode: "00004")).contains("001149000005"))
        #expect(!Self.candidates(MatchQuery(row: 1, fullName: "Khuất Thị Quyên", birthDate: BirthDate(year: 1950, month: 5, day: 6), communeCode: "00011")).contains("001149000005"))
        // Namesakes born in the listed year live elsewhere: the commune's own one, born a year later, is found.
        #expect(Self.candidates(MatchQuery(row: 1, fullName: "Khuất Thị Lựu", birthDate: BirthDate(year: 1950, month: 5, day: 6), communeCode: "00032")).contains("001151000006"))
        // No date at all: the name in the commune, any year.
        #expect(Self.candidates(MatchQuery(row: 1, fullName: "Khuất Thị Quyên", communeCode: "00004")).contains("001149000005"))
    }

    @Test func idTyposAreLookedUpOnlyWhenNoRowHasTheID() {
        #expect(Self.candidates(MatchQuery(row: 1, personalID: "001150000009", fullName: "X")).contains("001150000001"))
        #expect(Self.candidates(MatchQuery(row: 1, personalID: "001150000002", fullName: "X")) == ["001150000002"])
    }
}

@Suite struct MatchingWeightTests {
    @Test func idNearTheListedOneIsJudgedAmongPeopleBornThatYear() {
        var logU = [Double](repeating: -5, count: MatchLevel.total + 1)
        logU[MatchLevel.total] = -4
        let logM = [Double](repeating: -1, count: MatchLevel.total)
        let sameYear = PairLevels(id: MatchLevel.idSameStructure, name: MatchLevel.nameExact, birth: MatchLevel.birthYearEqual, gender: MatchLevel.genderAgree, commune: MatchLevel.communeSame, address: MatchLevel.addressMissing)
        var otherYear = sameYear
        otherYear.birth = MatchLevel.birthYearDisagree
        var exactID = sameYear
        exactID.id = MatchLevel.idExact
        #expect(sameYear.idAgreementSharesYear && !otherYear.idAgreementSharesYear && !exactID.idAgreementSharesYear)
        // Same fields, same weights, except the year-conditioned ID.
        #expect(abs(sameYear.logLikelihoodRatio(logM: logM, logU: logU) - exactID.logLikelihoodRatio(logM: logM, logU: logU) + 4) < 1e-9)
    }

    @Test func aListedIDOfTheSameYearButAnotherSerialIsEvidenceAgainst() {
        // A namesake born the same day in the ward, and a well-formed ID that is not theirs. Most people born that
        // year share the ID's prefix (province, sex, year), so the prefix proves nothing: the differing serial
        // must weigh against the link about as much as m says, not be excused by how rare the prefix is overall.
        var records = MatchingPopulation(seed: 14, registerSize: 3_000, listSize: 300, noise: .clean).register
        records.append(RegisterRecord(citizenID: "001143555666", fullName: "Trịnh Thị Hà", birthDate: BirthDate(year: 1943, month: 5, day: 29), gender: .female, communeCode: "00004"))
        let register = RegisterIndex(records: records)
        var model = LinkageModel.prior
        model.m[Int(MatchLevel.idSameStructure)] = 0.0015
        let engine = MatchEngine(register: register, model: model)
        var query = MatchQuery(row: 1, fullName: "Trịnh Thị Hà", birthDate: BirthDate(year: 1943, month: 5, day: 29), gender: .female, communeCode: "00004")
        let withoutID = engine.match(query)
        query.personalID = "001143987021"
        let otherID = engine.match(query)
        #expect(otherID.reasons.contains(.idMismatch))
        func odds(_ p: Double) -> Double { p / (1 - p) }
        #expect(odds(withoutID.confidence) / odds(otherID.confidence) > 50)
    }
}
