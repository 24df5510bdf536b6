import ASXHCore
import Foundation

/// A synthetic register and list with ground truth, for the matcher's quality tests and benchmark.
///
/// Names follow Vietnamese frequencies (Nguyễn ≈ 38 %, "Văn"/"Thị" middle names, Zipf-distributed given names
/// with confusable pairs such as Hương/Hường, Lan/Loan), so namesakes occur as they do among the elderly; some
/// namesakes are planted on purpose (same name, sex, birth year and commune), and some IDs one typo away from a
/// listed person's belong to someone else. Every noise kind of the matching issue can be switched on or off.
struct MatchingPopulation {
    struct Noise {
        var idMissing = 0.33
        var oldIDInstead = 0.04
        var idTypo = 0.02
        var idTransposed = 0.01
        var idLeadingZerosLost = 0.06
        var nameWithoutDiacritics = 0.06
        var nameMisspelt = 0.03
        var nameTonePlacement = 0.04
        var nameDecomposed = 0.03
        var nameUpperCase = 0.05
        var birthYearOnly = 0.05
        var birthSwapped = 0.02
        var genderMissing = 0.05
        var moved = 0.03
        var communeLeadingZeroLost = 0.1
        var notInRegister = 0.01
        var deceased = 0.02
        var registerJanuaryFirst = 0.08
        var registerYearOnly = 0.03
        var namesake = 0.03
        /// Share of `idTypo` rows whose typo lands on another real person's ID.
        var idTypoHitsOther = 0.5

        static let standard = Noise()

        /// Everything twice as often (and a lot more namesakes).
        static var heavy: Noise {
            var n = Noise()
            n.idMissing = 0.4
            n.oldIDInstead = 0.08
            n.idTypo = 0.04
            n.idTransposed = 0.02
            n.idLeadingZerosLost = 0.12
            n.nameWithoutDiacritics = 0.12
            n.nameMisspelt = 0.06
            n.nameTonePlacement = 0.08
            n.nameDecomposed = 0.06
            n.birthYearOnly = 0.1
            n.birthSwapped = 0.04
            n.moved = 0.06
            n.notInRegister = 0.03
            n.namesake = 0.08
            return n
        }

        static var clean: Noise {
            var n = Noise()
            n.idMissing = 0
            n.oldIDInstead = 0
            n.idTypo = 0
            n.idTransposed = 0
            n.idLeadingZerosLost = 0
            n.nameWithoutDiacritics = 0
            n.nameMisspelt = 0
            n.nameTonePlacement = 0
            n.nameDecomposed = 0
            n.nameUpperCase = 0
            n.birthYearOnly = 0
            n.birthSwapped = 0
            n.genderMissing = 0
            n.moved = 0
            n.communeLeadingZeroLost = 0
            n.notInRegister = 0
            n.deceased = 0
            n.registerJanuaryFirst = 0
            n.registerYearOnly = 0
            n.namesake = 0
            return n
        }
    }

    struct Truth {
        /// The listed person's personal ID when the register has them.
        var citizenID: String?
        var deceased: Bool
        /// Noise kinds applied to the row.
        var noise: [String]
    }

    var register: [RegisterRecord] = []
    var queries: [MatchQuery] = []
    var truth: [Truth] = []

    // MARK: Generation

    init(seed: UInt64, registerSize: Int, listSize: Int, noise: Noise = .standard, communes: Int = 60) {
        var random = SplitMix(seed: seed)
        let communeCodes = (0..<communes).map { String(format: "%05d", 4 + $0 * 7) }
        let communeWeights = (0..<communes).map { 1.0 / Double($0 + 3) }
        var usedIDs = Set<String>()
        var usedOldIDs = Set<String>()

        func newID(female: Bool, year: Int, random: inout SplitMix) -> String {
            let province = random.chance(0.8) ? "001" : String(format: "%03d", 2 + random.below(94))
            let century = year >= 2000 ? 2 : 0
            while true {
                let id = province + String(century + (female ? 1 : 0)) + String(format: "%02d", year % 100)
                    + String(format: "%06d", random.below(1_000_000))
                if usedIDs.insert(id).inserted { return id }
            }
        }
        func newOldID(random: inout SplitMix) -> String {
            while true {
                let id = "01" + String(format: "%07d", random.below(10_000_000))
                if usedOldIDs.insert(id).inserted { return id }
            }
        }
        func person(elderly: Bool, random: inout SplitMix) -> RegisterRecord {
            let female = random.chance(0.5)
            let age = elderly ? 60 + Int(Double(random.below(1000)) / 1000 * Double(random.below(40) + 1)) : random.below(95)
            let year = 2025 - age
            let month = 1 + random.below(12)
            let day = 1 + random.below(28)
            var birth = BirthDate(year: year, month: month, day: day)
            if age >= 70 && random.chance(noise.registerJanuaryFirst) {
                birth = BirthDate(year: year, month: 1, day: 1)
            } else if age >= 60 && random.chance(noise.registerYearOnly) {
                birth = BirthDate(year: year)
            }
            return RegisterRecord(
                citizenID: newID(female: female, year: year, random: &random),
                oldID: year < 2000 && random.chance(0.6) ? newOldID(random: &random) : nil,
                fullName: Self.name(female: female, random: &random),
                birthDate: birth, gender: female ? .female : .male,
                communeCode: communeCodes[random.weighted(communeWeights)],
                address: "Số \(1 + random.below(200)), ngõ \(1 + random.below(90))")
        }

        // Listed people first; their register rows, planted namesakes and ID neighbours; then residents.
        var listed: [RegisterRecord] = []
        var listedInRegister: [Bool] = []
        var neighbourOf: [Int: String] = [:]
        var idNoise: [String] = []
        for i in 0..<listSize {
            var p = person(elderly: true, random: &random)
            let inRegister = !random.chance(noise.notInRegister)
            if inRegister && random.chance(noise.deceased) {
                p.status = .deceased
                p.deathDate = "2024-0\(1 + random.below(9))-1\(random.below(10))"
            }
            listed.append(p)
            listedInRegister.append(inRegister)
            if inRegister { self.register.append(p) }
            if random.chance(noise.namesake), let date = p.birthDate {
                var twin = person(elderly: true, random: &random)
                twin.fullName = p.fullName
                twin.gender = p.gender
                twin.communeCode = p.communeCode
                twin.birthDate = BirthDate(year: date.year, month: 1 + random.below(12), day: 1 + random.below(28))
                twin.citizenID = newID(female: p.gender == .female, year: date.year, random: &random)
                self.register.append(twin)
            }
            // The row's ID noise is drawn now, since a typo that hits another person needs that person in the register.
            let r = random.unit()
            var kind = "none"
            var edge = noise.idMissing
            if r < edge {
                kind = "idMissing"
            } else if r < edge + noise.oldIDInstead {
                kind = p.oldID == nil ? "idMissing" : "oldIDInstead"
            } else if r < edge + noise.oldIDInstead + noise.idTypo {
                kind = "idTypo"
                if random.chance(noise.idTypoHitsOther) {
                    let id = Self.typo(p.citizenID, random: &random, serialOnly: true)
                    if usedIDs.insert(id).inserted {
                        var other = person(elderly: true, random: &random)
                        other.citizenID = id
                        self.register.append(other)
                        neighbourOf[i] = id
                        kind = "idTypoHitsOther"
                    }
                }
            } else {
                edge += noise.oldIDInstead + noise.idTypo
                if r < edge + noise.idTransposed {
                    kind = "idTransposed"
                } else if r < edge + noise.idTransposed + noise.idLeadingZerosLost {
                    kind = "idLeadingZerosLost"
                }
            }
            idNoise.append(kind)
        }
        while self.register.count < registerSize {
            self.register.append(person(elderly: false, random: &random))
        }
        self.register.shuffle(using: &random)

        // The list rows, with noise.
        for (i, p) in listed.enumerated() {
            var applied: [String] = []
            var personalID: String? = p.citizenID
            switch idNoise[i] {
            case "idMissing": personalID = nil
            case "oldIDInstead": personalID = p.oldID
            case "idTypo": personalID = Self.typo(p.citizenID, random: &random, serialOnly: false)
            case "idTypoHitsOther": personalID = neighbourOf[i]
            case "idTransposed": personalID = Self.transposed(p.citizenID, random: &random)
            case "idLeadingZerosLost": personalID = String(p.citizenID.drop(while: { $0 == "0" }))
            default: break
            }
            if idNoise[i] != "none" { applied.append(idNoise[i]) }

            var name = p.fullName
            let n = random.unit()
            if n < noise.nameWithoutDiacritics {
                name = VietnameseText.fold(name).capitalized
                applied.append("nameWithoutDiacritics")
            } else if n < noise.nameWithoutDiacritics + noise.nameMisspelt {
                name = Self.misspelt(name, random: &random)
                applied.append("nameMisspelt")
            } else if n < noise.nameWithoutDiacritics + noise.nameMisspelt + noise.nameTonePlacement {
                name = Self.tonePlacement(name)
                applied.append("nameTonePlacement")
            } else if n < noise.nameWithoutDiacritics + noise.nameMisspelt + noise.nameTonePlacement + noise.nameDecomposed {
                name = name.decomposedStringWithCanonicalMapping
                applied.append("nameDecomposed")
            } else if n < noise.nameWithoutDiacritics + noise.nameMisspelt + noise.nameTonePlacement + noise.nameDecomposed + noise.nameUpperCase {
                name = name.uppercased()
                applied.append("nameUpperCase")
            }

            // The list keeps the true birthday even where the register wrote 1 January or the year alone.
            var birth = p.birthDate
            if let date = p.birthDate, date.month == 1 && date.day == 1 || date.month == nil {
                birth = BirthDate(year: date.year, month: 1 + random.below(12), day: 1 + random.below(28))
            }
            let b = random.unit()
            if let date = birth {
                if b < noise.birthYearOnly {
                    birth = BirthDate(year: date.year)
                    applied.append("birthYearOnly")
                } else if b < noise.birthYearOnly + noise.birthSwapped, let swapped = date.dayMonthSwapped {
                    birth = swapped
                    applied.append("birthSwapped")
                }
            }
            var commune = p.communeCode
            if random.chance(noise.moved) {
                // The list still shows the commune the person lived in before.
                commune = communeCodes[random.below(communeCodes.count)]
                if commune != p.communeCode { applied.append("moved") }
            }
            if random.chance(noise.communeLeadingZeroLost) {
                commune = String(commune.drop(while: { $0 == "0" }))
                applied.append("communeLeadingZeroLost")
            }
            let gender: Gender? = random.chance(noise.genderMissing) ? nil : p.gender
            let inRegister = listedInRegister[i]
            if !inRegister { applied.append("notInRegister") }
            self.queries.append(
                MatchQuery(
                    row: i + 1, personalID: personalID, fullName: name, birthDate: birth, gender: gender,
                    communeCode: commune))
            self.truth.append(Truth(citizenID: inRegister ? p.citizenID : nil, deceased: p.status == .deceased, noise: applied))
        }
    }

    // MARK: Noise helpers

    static func typo(_ id: String, random: inout SplitMix, serialOnly: Bool) -> String {
        var digits = Array(id)
        let position = serialOnly ? 6 + random.below(6) : 3 + random.below(digits.count - 3)
        let old = digits[position].wholeNumberValue!
        digits[position] = Character(String((old + 1 + random.below(9)) % 10))
        return String(digits)
    }

    static func transposed(_ id: String, random: inout SplitMix) -> String {
        var digits = Array(id)
        for _ in 0..<20 {
            let position = 3 + random.below(digits.count - 4)
            if digits[position] != digits[position + 1] {
                digits.swapAt(position, position + 1)
                return String(digits)
            }
        }
        return id
    }

    static func misspelt(_ name: String, random: inout SplitMix) -> String {
        var words = name.split(separator: " ").map(String.init)
        let w = random.below(words.count)
        var letters = Array(words[w])
        guard letters.count >= 2 else { return name }
        switch random.below(4) {
        case 0:
            letters.remove(at: 1 + random.below(letters.count - 1))
        case 1:
            let pool = Array("aeionghtmcu")
            letters[1 + random.below(letters.count - 1)] = pool[random.below(pool.count)]
        case 2:
            let p = random.below(letters.count - 1)
            letters.swapAt(p, p + 1)
        default:
            letters.insert(Array("hngai")[random.below(5)], at: 1 + random.below(letters.count - 1))
        }
        words[w] = String(letters)
        return words.joined(separator: " ")
    }

    static let toneVariants: [String: String] = [
        "Hòa": "Hoà", "Thủy": "Thuỷ", "Thúy": "Thuý", "Khỏe": "Khoẻ", "Hóa": "Hoá", "Thụy": "Thuỵ", "Tuyết": "Tuyết",
    ]

    static func tonePlacement(_ name: String) -> String {
        name.split(separator: " ").map { Self.toneVariants[String($0)] ?? String($0) }.joined(separator: " ")
            .decomposedStringWithCanonicalMapping
    }

    // MARK: Names

    static let families: [(String, Double)] = [
        ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4.5), ("Vũ", 4), ("Đặng", 2),
        ("Bùi", 2), ("Đỗ", 1.5), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đinh", 0.6), ("Đào", 0.5),
        ("Cao", 0.4), ("Lương", 0.4), ("Trịnh", 0.4), ("Mai", 0.3), ("Tạ", 0.3), ("Lưu", 0.3), ("Kiều", 0.2),
        ("Chu", 0.2), ("Tô", 0.2), ("Hà", 0.3), ("Vương", 0.2), ("Triệu", 0.2), ("Khuất", 0.1), ("Nghiêm", 0.1),
    ]
    static let maleMiddles: [(String, Double)] = [
        ("Văn", 45), ("Đức", 8), ("Minh", 6), ("Quang", 5), ("Hữu", 5), ("Ngọc", 4), ("Xuân", 4), ("Công", 3),
        ("Đình", 4), ("Thanh", 3), ("Mạnh", 2), ("Tiến", 2), ("Thế", 2), ("Trọng", 2), ("Bá", 1), ("Huy", 1),
    ]
    static let femaleMiddles: [(String, Double)] = [
        ("Thị", 62), ("Ngọc", 5), ("Thu", 4), ("Thanh", 4), ("Kim", 3), ("Minh", 3), ("Hồng", 3), ("Phương", 2),
        ("Mai", 2), ("Bích", 2), ("Thúy", 2), ("Hoài", 1), ("Diệu", 1), ("Thảo", 1),
    ]
    static let maleGivens = [
        "Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Nam", "Sơn", "Thắng", "Long", "Quang", "Hoàng", "Đức", "Trung", "Hiếu",
        "Thành", "Tùng", "Cường", "Bình", "Phong", "Khánh", "Vinh", "Hòa", "Tâm", "Toàn", "Hưng", "Lâm", "Phúc", "Tiến",
        "Thịnh", "Huy", "Lộc", "Tài", "Thái", "Chiến", "Kiên", "Quý", "Lợi", "Bảo", "Tân", "An", "Lân", "Hưởng",
        "Thủy", "Đông", "Hiển", "Khoa", "Mạnh", "Nghĩa", "Quyết", "Sinh", "Thuận", "Trường", "Việt", "Xuân", "Vượng",
    ]
    static let femaleGivens = [
        "Lan", "Hương", "Hoa", "Mai", "Linh", "Hà", "Thu", "Hằng", "Nga", "Huyền", "Trang", "Thảo", "Hạnh", "Dung",
        "Yến", "Phương", "Loan", "Nhung", "Liên", "Oanh", "Thủy", "Hường", "Vân", "Ngọc", "Xuân", "Hồng", "Tuyết",
        "Lệ", "Ánh", "Anh", "Quỳnh", "Chi", "Hiền", "Thơm", "Tâm", "Bình", "Hòa", "Lý", "Đào", "Lam", "Nhàn", "Thúy",
        "Hải", "Lụa", "Cúc", "Sen", "Hiên", "Tình", "Duyên", "Thoa", "Gấm", "Khuyên", "Mơ", "Nụ", "Tươi",
    ]
    static let familyWeights = families.map(\.1)
    static let maleMiddleWeights = maleMiddles.map(\.1)
    static let femaleMiddleWeights = femaleMiddles.map(\.1)
    static let givenWeights = (0..<60).map { 1.0 / pow(Double($0 + 2), 0.9) }

    static func name(female: Bool, random: inout SplitMix) -> String {
        let family = families[random.weighted(familyWeights)].0
        let middle = female ? femaleMiddles[random.weighted(femaleMiddleWeights)].0 : maleMiddles[random.weighted(maleMiddleWeights)].0
        let givens = female ? femaleGivens : maleGivens
        let given = givens[random.weighted(Array(givenWeights.prefix(givens.count)))]
        if random.chance(0.15) {
            // A second middle name ("Nguyễn Thị Thu Hương").
            let second = female ? femaleMiddles[random.weighted(femaleMiddleWeights)].0 : maleMiddles[random.weighted(maleMiddleWeights)].0
            if second != middle { return "\(family) \(middle) \(second) \(given)" }
        }
        return "\(family) \(middle) \(given)"
    }
}

/// Deterministic random numbers (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        // Hash the seed: consecutive raw seeds would be the same stream shifted by a few draws.
        var z = seed &+ 0x632B_E59B_D9B4_E019
        z = (z ^ (z >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        z = (z ^ (z >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        self.state = z ^ (z >> 33)
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(self.next() >> 11) / Double(1 << 53) }
    mutating func below(_ n: Int) -> Int { Int(self.next() % UInt64(max(1, n))) }
    mutating func chance(_ p: Double) -> Bool { self.unit() < p }

    mutating func weighted(_ weights: [Double]) -> Int {
        var x = self.unit() * weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }
}

/// Precision, recall and review rate of decisions against the truth.
struct MatchingQuality: CustomStringConvertible {
    var rows = 0
    var inRegister = 0
    var automatic = 0
    var correctAutomatic = 0
    var review = 0
    var notFound = 0
    var wrong: [(row: Int, noise: [String], status: MatchStatus, reasons: String)] = []
    var missed: [String: Int] = [:]

    init(decisions: [MatchDecision], truth: [MatchingPopulation.Truth]) {
        for (decision, t) in zip(decisions, truth) {
            self.rows += 1
            if t.citizenID != nil { self.inRegister += 1 }
            switch decision.status {
            case .review: self.review += 1
            case .notFound: self.notFound += 1
            default: break
            }
            if decision.status.isAutomaticLink {
                self.automatic += 1
                if decision.citizenID == t.citizenID && (decision.status == .deceased) == t.deceased {
                    self.correctAutomatic += 1
                } else {
                    self.wrong.append((decision.row, t.noise, decision.status, MatchReason.joined(decision.reasons)))
                }
            } else if t.citizenID != nil {
                for kind in t.noise.isEmpty ? ["none"] : t.noise { self.missed[kind, default: 0] += 1 }
            }
        }
    }

    var precision: Double { self.automatic == 0 ? 1 : Double(self.correctAutomatic) / Double(self.automatic) }
    var recall: Double { self.inRegister == 0 ? 1 : Double(self.correctAutomatic) / Double(self.inRegister) }
    var reviewRate: Double { self.rows == 0 ? 0 : Double(self.review) / Double(self.rows) }

    var description: String {
        String(
            format: "rows %d, auto %d, wrong %d, precision %.5f, recall %.4f, review %.4f, not found %d",
            self.rows, self.automatic, self.automatic - self.correctAutomatic, self.precision, self.recall,
            self.reviewRate, self.notFound)
    }
}
