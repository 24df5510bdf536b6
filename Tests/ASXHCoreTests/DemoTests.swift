import Foundation
import Testing

@testable import ASXHCore

/// Reads a whole CSV or XLSX written by the demo: (file name, rows).
private func readTable(_ url: URL) throws -> [TableRow] {
    try TabularFile.open(path: url.path).rows().readAll()
}

private func temporaryDirectory(_ name: String) -> URL {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("asxh-demo-tests-\(name)-\(UInt64.random(in: 0..<UInt64.max))")
}

/// A small data set with every kind of noise made frequent, written once and shared by the tests that read files.
private struct WrittenDemo: Sendable {
    let dataset: DemoDataset
    let summary: DemoSummary
    let directory: URL

    static let noisy: WrittenDemo = {
        var config = DemoConfig(seed: 2024, people: 3_000, registerSize: 12_000)
        for kind in DemoNoiseKind.allCases {
            config.rates[kind] = max(config.rate(kind), 0.03)
        }
        config.rates[.idTypoHitsOtherPerson] = 0.6
        config.rates[.badNoName] = 0.01
        config.rates[.badImpossibleDate] = 0.01
        config.rates[.badLettersInID] = 0.01
        let dataset = try! DemoDataset.generate(config)
        let directory = temporaryDirectory("noisy")
        let summary = try! dataset.write(to: directory)
        return WrittenDemo(dataset: dataset, summary: summary, directory: directory)
    }()

    struct TruthRow: Hashable {
        let file: String
        let sheet: String
        let row: Int
        let person: Int
        let group: String
        let citizenID: String
        let noise: Set<DemoNoiseKind>
    }

    func truth() throws -> [TruthRow] {
        let rows = try readTable(self.directory.appendingPathComponent(DemoDataset.truthFileName))
        #expect(rows.first?.cells.map(\.text) == DemoDataset.truthHeader)
        return rows.dropFirst().map { row in
            TruthRow(
                file: row[0].text, sheet: row[1].text, row: Int(row[2].text)!, person: Int(row[3].text)!,
                group: row[4].text, citizenID: row[5].text,
                noise: Set(row[6].text.split(separator: ";").map { DemoNoiseKind(rawValue: String($0))! }))
        }
    }

    func register() throws -> [TableRow] {
        try readTable(self.directory.appendingPathComponent(DemoDataset.registerFileName))
    }
}

@Suite("Demo generator")
struct DemoTests {
    // MARK: random numbers

    @Test func randomIsPinnedToItsAlgorithm() {
        // Golden values: if these change, every demo seed produces other files.
        var r = DemoRandom(seed: 1)
        let first = (0..<3).map { _ in r.next() }
        #expect(first == [12_966_619_160_104_079_557, 9_600_361_134_598_540_522, 10_590_380_919_521_690_900])
        var s = DemoRandom(seed: 42, stream: 3, index: 9)
        #expect((0..<5).map { _ in s.below(1000) } == [278, 226, 854, 992, 35])
    }

    @Test(arguments: [1, 2, 3, 7, 10, 1000, 1_000_003])
    func belowStaysInRangeAndCoversIt(bound: Int) {
        var r = DemoRandom(seed: UInt64(bound))
        var seen = Set<Int>()
        for _ in 0..<2000 {
            let x = r.below(bound)
            #expect(x >= 0 && x < bound)
            seen.insert(x)
        }
        #expect(seen.count == min(bound, seen.count) && (bound > 50 || seen.count == bound))
    }

    @Test(arguments: [2, 10, 1000, 65_537, 1_000_000])
    func permutationIsABijection(size: Int) {
        let p = DemoPermutation(size: UInt64(size), key: 99)
        let sample = size <= 70_000 ? Array(0..<size) : Array(stride(from: 0, to: size, by: 97))
        var images = Set<UInt64>()
        for x in sample {
            let y = p.apply(UInt64(x))
            #expect(y < UInt64(size))
            #expect(p.invert(y) == UInt64(x))
            images.insert(y)
        }
        #expect(images.count == sample.count)
    }

    @Test(arguments: [
        (DemoDay(year: 1970, month: 1, day: 1), 25_569),
        (DemoDay(year: 1900, month: 3, day: 1), 61),
        (DemoDay(year: 1945, month: 9, day: 2), 16_682),
        (DemoDay(year: 2000, month: 2, day: 29), 36_585),
    ])
    func excelSerials(day: DemoDay, serial: Int) {
        #expect(day.excelSerial == serial)
        #expect(DemoDay(daysSinceEpoch: day.daysSinceEpoch) == day)
    }

    // MARK: noise functions

    @Test(arguments: [
        ("Nguyễn Thị Hòa", "Nguyễn Thị Hoà"),
        ("Nguyễn Thị Hoà", "Nguyễn Thị Hòa"),
        ("Lê Thị Thủy", "Lê Thị Thuỷ"),
        ("Trần Thúy Lan", "Trần Thuý Lan"),
        ("Phạm Văn Khỏe", "Phạm Văn Khoẻ"),
    ])
    func tonePlacementVariants(name: String, variant: String) {
        #expect(DemoNoise.tonePlacementVariant(name) == variant)
        #expect(VietnameseText.fold(variant) == VietnameseText.fold(name))
    }

    @Test(arguments: ["Lê Văn Quý", "Nguyễn Văn Toàn", "Hoàng Minh Tuấn", "Đỗ Thị Hoa"])
    func noTonePlacementVariant(name: String) {
        #expect(DemoNoise.tonePlacementVariant(name) == nil)
    }

    @Test(arguments: [(500_000, "500.000"), (1_080_000, "1.080.000"), (999, "999"), (12_345_678, "12.345.678")])
    func amountsAsText(amount: Int, text: String) {
        #expect(DemoNoise.amountText(amount) == text)
    }

    @Test func withoutDiacritics() {
        #expect(DemoNoise.withoutDiacritics("Nguyễn Văn Đức", upperCase: false) == "Nguyen Van Duc")
        #expect(DemoNoise.withoutDiacritics("Nguyễn Văn Đức", upperCase: true) == "NGUYEN VAN DUC")
    }

    @Test func misspellingsChangeOneLetter() {
        var r = DemoRandom(seed: 5)
        for name in ["Nguyễn Thị Hương", "Trần Văn Hùng", "Lê Thị Lan", "Phạm Đức Sơn", "Bùi Thị Tuyết"] {
            for _ in 0..<50 {
                guard let misspelt = DemoNoise.misspelt(name, random: &r) else {
                    Issue.record("no misspelling for \(name)")
                    continue
                }
                #expect(misspelt != name)
                #expect(misspelt.unicodeScalars.elementsEqual(misspelt.precomposedStringWithCanonicalMapping.unicodeScalars))
                let a = Array(VietnameseText.fold(name))
                let b = Array(VietnameseText.fold(misspelt))
                #expect(abs(a.count - b.count) <= 1, "\(name) → \(misspelt)")
                #expect(misspelt.split(separator: " ").count == name.split(separator: " ").count)
            }
        }
    }

    // MARK: people

    @Test func surnamesFollowNationalFrequencies() throws {
        let dataset = try DemoDataset.generate(DemoConfig(seed: 11, people: 20_000))
        var counts: [String: Int] = [:]
        for index in 0..<20_000 {
            let family = dataset.person(index).fullName.split(separator: " ").first.map(String.init) ?? ""
            counts[family, default: 0] += 1
        }
        func share(_ names: String...) -> Double {
            Double(names.reduce(0) { $0 + counts[$1, default: 0] }) / 20_000 * 100
        }
        let expected: [(Double, Double, Double)] = [
            (share("Nguyễn"), 38, 1.5), (share("Trần"), 11, 0.9), (share("Lê"), 9.5, 0.8), (share("Phạm"), 7.1, 0.7),
            (share("Hoàng", "Huỳnh"), 5.1, 0.6), (share("Phan"), 4.5, 0.6), (share("Vũ", "Võ"), 3.9, 0.5),
            (share("Đặng"), 2.1, 0.4), (share("Bùi"), 2, 0.4), (share("Đỗ"), 1.4, 0.35), (share("Lý"), 0.5, 0.2),
        ]
        for (found, target, tolerance) in expected {
            #expect(abs(found - target) <= tolerance, "\(found)% vs \(target)%")
        }
        // Real frequencies make namesakes common: many full names are shared.
        var names: [String: Int] = [:]
        for index in 0..<20_000 { names[dataset.person(index).fullName, default: 0] += 1 }
        #expect(names.values.filter { $0 > 1 }.count > 500)
    }

    @Test func agesAreElderlyHeavyAndFitTheGroups() throws {
        let config = DemoConfig(seed: 3, people: 20_000)
        let dataset = try DemoDataset.generate(config)
        var sixtyPlus = 0
        var children = 0
        var socialProtection = 0
        var socialProtection80 = 0
        var women = 0
        var groups: [PolicyGroup: Int] = [:]
        for index in 0..<20_000 {
            let person = dataset.person(index)
            let age = person.birthDay.age(on: config.referenceDay)
            let first = person.entitlements[0]
            groups[first.group, default: 0] += 1
            if age >= 60 { sixtyPlus += 1 }
            if person.gender == .female { women += 1 }
            switch first.group {
            case .meritorious:
                #expect((70...104).contains(age))
            case .poorHousehold, .nearPoorHousehold:
                if age < 16 { children += 1 }
            case .socialProtection:
                socialProtection += 1
                if age >= 80 { socialProtection80 += 1 }
            case .other:
                break
            }
        }
        #expect(Double(sixtyPlus) / 20_000 > 0.6)
        #expect(Double(socialProtection80) / Double(socialProtection) > 0.55)
        #expect(children > 500)
        #expect(Double(women) / 20_000 > 0.45 && Double(women) / 20_000 < 0.65)
        let shares: [(PolicyGroup, Double)] = [
            (.socialProtection, 0.45), (.meritorious, 0.2), (.poorHousehold, 0.2), (.nearPoorHousehold, 0.1),
            (.other, 0.05),
        ]
        for (group, share) in shares {
            #expect(abs(Double(groups[group, default: 0]) / 20_000 - share) < 0.015, "\(group)")
        }
    }

    @Test func idsAgreeWithBirthYearAndGender() throws {
        let config = DemoConfig(seed: 8, people: 5_000)
        let dataset = try DemoDataset.generate(config)
        let today = BirthDate.ReferenceDay(year: 2025, month: 6, day: 30)
        var ids = Set<String>()
        var hanoi = 0
        for index in 0..<5_000 {
            let person = dataset.person(index)
            let id = try PersonalID(parsing: person.personalID, today: today)
            #expect(id.digits == person.personalID)
            #expect(id.birthYear == person.birthDay.year)
            #expect(id.gender == person.gender)
            if id.provinceCode == "001" { hanoi += 1 }
            ids.insert(person.personalID)
            if let old = person.oldID {
                #expect(try OldID(parsing: old).digits == old)
                #expect(person.birthDay.year < 2000)
            }
            if let neighbour = person.idNeighbour {
                #expect(neighbour != person.personalID)
                let differing = zip(neighbour.utf8, person.personalID.utf8).filter { $0 != $1 }.count
                #expect(differing == 1 || differing == 2)
                #expect(try PersonalID(parsing: neighbour, today: today).birthYear == person.birthDay.year)
            }
        }
        #expect(ids.count == 5_000)
        #expect(Double(hanoi) / 5_000 > 0.8)
    }

    // MARK: files

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        /// Every file byte for byte, workbooks included (a re-run must not look like a new list to the importer).
        func write(seed: UInt64) throws -> [String: Data] {
            let directory = temporaryDirectory("seed\(seed)")
            defer { try? FileManager.default.removeItem(at: directory) }
            try DemoDataset.generate(DemoConfig(seed: seed, people: 600, registerSize: 2_500)).write(to: directory)
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
            }
            return files
        }
        let a = try write(seed: 7)
        let b = try write(seed: 7)
        let c = try write(seed: 8)
        #expect(a.count == DemoListSpec.standard.count + 2)
        #expect(a == b)
        #expect(a[DemoDataset.registerFileName] != c[DemoDataset.registerFileName])
        #expect(a[DemoDataset.truthFileName] != c[DemoDataset.truthFileName])
        #expect(a["danh-sach-bao-tro-xa-hoi.xlsx"] != c["danh-sach-bao-tro-xa-hoi.xlsx"])
    }

    @Test func everyNoiseKindOccursAndIsRecorded() throws {
        let demo = WrittenDemo.noisy
        let truth = try demo.truth()
        let seen = truth.reduce(into: Set<DemoNoiseKind>()) { $0.formUnion($1.noise) }
        let missing = Set(DemoNoiseKind.allCases).subtracting(seen)
        #expect(missing.isEmpty, "never applied: \(missing.map(\.rawValue).sorted())")
        #expect(truth.count == demo.summary.listRows)
        for kind in DemoNoiseKind.allCases {
            #expect(truth.filter { $0.noise.contains(kind) }.count == demo.summary.noiseCounts[kind, default: 0])
        }
        #expect(demo.summary.invalidRows == truth.filter { $0.noise.contains { $0.makesRowInvalid } }.count)
    }

    /// Reads every list back through the Formats readers and checks each row shows what the truth says.
    @Test func listsParseBackAndShowTheirNoise() throws {
        let demo = WrittenDemo.noisy
        let truth = try demo.truth()
        let byFile = Dictionary(grouping: truth, by: \.file)
        #expect(byFile.count == demo.summary.lists.count)
        for list in demo.summary.lists {
            let file = try TabularFile.open(path: demo.directory.appendingPathComponent(list.fileName).path)
            #expect(file.format.rawValue == list.format.rawValue)
            let rows = try file.rows().readAll()
            let header = try #require(rows.first { $0.number == list.headerRow })
            #expect(header.cells.map(\.text) == DemoDataset.listHeader)
            let data = Dictionary(uniqueKeysWithValues: rows.filter { $0.number > list.headerRow }.map { ($0.number, $0) })
            let expected = byFile[list.fileName] ?? []
            #expect(data.count == expected.count)
            #expect(expected.count == list.rows)
            for t in expected {
                let row = try #require(data[t.row])
                let person = demo.dataset.person(t.person)
                #expect(row[7].text == PolicyGroup(rawValue: t.group)!.labelVI)
                #expect(t.citizenID == (person.inRegister ? person.personalID : ""))
                let listedID = row[4]
                if t.noise.contains(.idMissing) {
                    #expect(listedID.isEmpty)
                } else if t.noise.contains(.idLeadingZerosLost) {
                    #expect(listedID.text == String(Int(person.personalID)!))
                    if list.format == .xlsx { #expect(listedID == .number(Double(person.personalID)!)) }
                } else if t.noise.contains(.oldIDInstead) {
                    #expect(listedID.text == person.oldID)
                } else if t.noise.contains(.idTypoHitsOtherPerson) {
                    #expect(listedID.text == person.idNeighbour)
                } else if t.noise.contains(.idTypo) || t.noise.contains(.idTransposed) {
                    #expect(listedID.text != person.personalID && listedID.text.count == 12)
                } else if t.noise.contains(.badLettersInID) {
                    #expect(listedID.text.contains { $0.isLetter })
                } else {
                    #expect(listedID.text == person.personalID)
                }
                let name = row[1].text
                if t.noise.contains(.badNoName) {
                    #expect(row[1].isEmpty)
                } else if t.noise.contains(.nameWithoutDiacritics) {
                    #expect(name.lowercased() == VietnameseText.fold(person.fullName))
                } else if t.noise.isDisjoint(with: [.nameMisspelt, .nameTonePlacement, .nameDecomposed, .nameTCVN3, .nameVNI]) {
                    #expect(name == person.fullName)
                    #expect(name.unicodeScalars.elementsEqual(person.fullName.unicodeScalars))
                }
                if t.noise.contains(.nameDecomposed) && t.noise.isDisjoint(with: [.nameTonePlacement]) {
                    // The readers normalise to NFC; `rowsCarryTheirNoise` checks the decomposed cell itself.
                    #expect(name == person.fullName)
                }
                let birth = person.birthDay
                if t.noise.contains(.badImpossibleDate) {
                    #expect(row[2].text.hasSuffix("/" + String(birth.year)))
                } else if t.noise.contains(.birthYearOnly) {
                    #expect(row[2].text == String(birth.year))
                } else {
                    let shown = t.noise.contains(.birthDayMonthSwapped)
                        ? DemoDay(year: birth.year, month: birth.day, day: birth.month) : birth
                    if t.noise.contains(.birthDateSerial) {
                        #expect(row[2] == .date(serial: Double(shown.excelSerial)))
                    } else {
                        #expect(row[2] == .text(shown.vietnamese))
                    }
                }
                let commune = t.noise.contains(.movedCommune) ? person.listedCommuneCode : person.communeCode
                #expect(t.noise.contains(.movedCommune) == person.moved)
                if t.noise.contains(.communeCodeLeadingZeroLost) {
                    #expect(row[6].text == String(Int(commune)!))
                } else {
                    #expect(row[6] == .text(commune))
                }
                let amount = person.entitlements.first { $0.group.rawValue == t.group }!.monthlyAmount
                #expect(row[9].text == (t.noise.contains(.amountAsText) ? DemoNoise.amountText(amount) : String(amount)))
                #expect(row[11].text == (person.bankShortName ?? ""))
            }
        }
    }

    /// The cells before any writer or reader touches them: what the files must contain.
    @Test func rowsCarryTheirNoise() throws {
        let dataset = WrittenDemo.noisy.dataset
        var decomposed = 0
        var tonePlacement = 0
        var legacy = 0
        var legacyDetected = 0
        for index in 0..<dataset.config.people {
            let core = dataset.core(index)
            let row = dataset.listRow(core: core, flags: dataset.flags(index), occurrence: 0, number: 1, format: .xlsx)
            guard case .text(let name) = row.cells[1] else { continue }
            let nfc = name.precomposedStringWithCanonicalMapping
            let isNFC = name.unicodeScalars.elementsEqual(nfc.unicodeScalars)
            #expect(isNFC == !row.noise.contains(.nameDecomposed))
            if row.noise.contains(.nameDecomposed) {
                decomposed += 1
                if !row.noise.contains(.nameTonePlacement) { #expect(nfc == core.fullName) }
            }
            for (kind, encoding) in [(DemoNoiseKind.nameTCVN3, LegacyEncoding.tcvn3), (.nameVNI, .vni)]
            where row.noise.contains(kind) {
                legacy += 1
                if LegacyEncoding.detect(name) == encoding { legacyDetected += 1 }
                let decoded = LegacyEncoding.decode(name, from: encoding)
                #expect(decoded == core.fullName || row.noise.contains(.nameTonePlacement), "\(name) → \(decoded)")
                #expect(nfc != core.fullName)
            }
            if row.noise.contains(.nameTonePlacement)
                && !row.noise.contains { [.nameMisspelt, .nameTCVN3, .nameVNI].contains($0) }
            {
                tonePlacement += 1
                #expect(nfc != core.fullName)
                #expect(VietnameseText.fold(nfc) == VietnameseText.fold(core.fullName))
            }
        }
        #expect(decomposed > 20 && tonePlacement > 20 && legacy > 20)
        // Single names are short evidence; the Text module still recognises nearly all of them.
        #expect(Double(legacyDetected) >= Double(legacy) * 0.9)
    }

    @Test func registerHoldsEveryListedPersonAndTheHardCases() throws {
        let demo = WrittenDemo.noisy
        let truth = try demo.truth()
        let rows = try demo.register()
        #expect(rows.first?.cells.map(\.text) == DemoDataset.registerHeader)
        let body = rows.dropFirst()
        #expect(body.count == demo.dataset.config.effectiveRegisterSize)
        #expect(body.count == demo.summary.registerRows)
        var byID: [String: TableRow] = [:]
        var byNameYearCommune: [String: Int] = [:]
        for row in body {
            #expect(byID.updateValue(row, forKey: row[0].text) == nil, "duplicate ID in the register")
            let id = try PersonalID(parsing: row[0].text, today: .init(year: 2025, month: 6, day: 30))
            #expect(row[3].text.hasPrefix(String(id.birthYear)))
            #expect(row[4].text == id.gender.labelVI)
            #expect(row[5].text.count == 5)
            #expect(row[7].text == "alive" || (row[7].text == "deceased" && row[8].text.count == 10))
            byNameYearCommune[row[2].text + "|" + row[3].text.prefix(4) + "|" + row[5].text, default: 0] += 1
        }
        for t in truth where !t.citizenID.isEmpty {
            #expect(byID[t.citizenID] != nil)
        }
        var absent = 0
        var namesakes = 0
        var neighbours = 0
        for person in Set(truth.map(\.person)).map({ demo.dataset.person($0) }) {
            guard person.inRegister else {
                absent += 1
                #expect(byID[person.personalID] == nil)
                continue
            }
            let row = try #require(byID[person.personalID])
            #expect(row[2].text == person.fullName)
            #expect(row[5].text == person.communeCode)
            #expect(row[7].text == (person.deathDay == nil ? "alive" : "deceased"))
            switch person.registerBirth {
            case .full: #expect(row[3].text == person.birthDay.iso)
            case .yearOnly: #expect(row[3].text == String(person.birthDay.year))
            case .januaryFirst: #expect(row[3].text == String(person.birthDay.year) + "-01-01")
            }
            if person.hasNamesake {
                namesakes += 1
                let key = person.fullName + "|" + String(person.birthDay.year) + "|" + person.communeCode
                #expect(byNameYearCommune[key, default: 0] >= 2)
            }
            if let neighbour = person.idNeighbour {
                neighbours += 1
                let other = try #require(byID[neighbour])
                #expect(other[2].text != person.fullName)
            }
        }
        #expect(absent > 0 && namesakes > 0 && neighbours > 0)
    }

    /// `../shared/data/vn-banks.csv`, beside the repository (as on developer machines and in CI).
    static let banksCSV = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/vn-banks.csv")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: DemoTests.banksCSV.path), "needs ../shared"))
    func banksAreShortNamesFromTheSharedDirectory() throws {
        let csv = Self.banksCSV
        let banks = try DemoConfig.banks(fromCSV: csv.path)
        let shortNames = Set(banks.map(\.shortName))
        #expect(shortNames.count > 50 && !shortNames.contains("MoMo") && !shortNames.contains("Ocean Bank"))
        for bank in DemoConfig.defaultBanks {
            #expect(shortNames.contains(bank.shortName), "\(bank.shortName)")
        }
        // A demo drawing from the whole directory uses its names.
        let dataset = try DemoDataset.generate(DemoConfig(people: 2_000, bankAccountRate: 1, banks: banks))
        let used = Set((0..<2_000).compactMap { dataset.person($0).bankShortName })
        #expect(used.isSubset(of: shortNames) && used.count > 20)
    }

    @Test func xlsxListsCarryADistrictSummarySheet() throws {
        let demo = WrittenDemo.noisy
        let list = try #require(demo.summary.lists.first { $0.format == .xlsx })
        let file = try TabularFile.open(path: demo.directory.appendingPathComponent(list.fileName).path)
        #expect(file.sheetNames == [DemoDataset.listSheetName, DemoDataset.summarySheetName])
        #expect(file.sheet == DemoDataset.listSheetName)
        let summary = try file.rows(sheet: DemoDataset.summarySheetName).readAll()
        let total = try #require(summary.last)
        #expect(total[1].text == "Tổng cộng")
        #expect(total[2] == .number(Double(list.rows)))
    }

    @Test func rejectsImpossibleConfigurations() {
        #expect(throws: DemoError.peopleOutOfRange(0, maximum: DemoDataset.maxPeople)) {
            try DemoDataset.generate(DemoConfig(people: 0))
        }
        #expect(throws: DemoError.noLists) {
            try DemoDataset.generate(DemoConfig(people: 10, lists: []))
        }
    }
}
