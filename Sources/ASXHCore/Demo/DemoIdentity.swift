/// Identity numbers for demo people: well-formed, consistent with birth year and sex, and never shared by two
/// people, without keeping a set of the millions already handed out.
enum DemoIdentity {
    /// Provinces of birth registration for Hanoi residents born elsewhere, with weights (neighbours weigh most).
    static let otherProvinces = DemoWeightedTable<Int>([
        (34, 8), (36, 8), (30, 7), (35, 7), (33, 7), (37, 5), (38, 6), (40, 6), (42, 3), (25, 5), (26, 5),
        (27, 5), (24, 4), (31, 4), (22, 3), (19, 3), (17, 3), (20, 2), (14, 2), (15, 2), (8, 2), (79, 2),
    ])

    /// 85% of the register's people were born in Hà Nội (code 001).
    static func pickProvince(_ random: inout DemoRandom) -> Int {
        random.chance(0.85) ? 1 : Self.otherProvinces.pick(&random)
    }

    /// The 4th digit: century and sex (0 man / 1 woman born 1900–1999, 2 / 3 born 2000–2099).
    static func centuryDigit(female: Bool, birthYear: Int) -> Int {
        (birthYear >= 2000 ? 2 : 0) + (female ? 1 : 0)
    }

    /// IDs sharing province, century-sex digit and birth year differ only in their 6-digit serial.
    static func bucket(province: Int, female: Bool, birthYear: Int) -> Int {
        province * 1000 + Self.centuryDigit(female: female, birthYear: birthYear) * 100 + birthYear % 100
    }

    static func serialPermutation(bucket: Int, seed: UInt64) -> DemoPermutation {
        DemoPermutation(size: 1_000_000, key: DemoRandom.finalize(seed ^ (UInt64(bucket) &* 0xA076_1D64_78BD_642F)))
    }

    /// The ID whose serial is the `counter`-th of its bucket; distinct counters in a bucket give distinct IDs.
    static func personalID(province: Int, female: Bool, birthYear: Int, counter: Int, seed: UInt64) -> String {
        let bucket = Self.bucket(province: province, female: female, birthYear: birthYear)
        let serial = Int(Self.serialPermutation(bucket: bucket, seed: seed).apply(UInt64(counter)))
        var bytes = [UInt8](repeating: 0x30, count: 12)
        Self.put(province, into: &bytes, at: 0, width: 3)
        bytes[3] = UInt8(0x30 + Self.centuryDigit(female: female, birthYear: birthYear))
        Self.put(birthYear % 100, into: &bytes, at: 4, width: 2)
        Self.put(serial, into: &bytes, at: 6, width: 6)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Old identity cards (CMND) were issued from age 14 until 2021; most people born before 2000 had one.
    static func hasOldID(birthYear: Int, random: inout DemoRandom) -> Bool {
        birthYear < 2000 && random.chance(0.6)
    }

    /// A 9-digit old ID unique to `entity` (people and residents are numbered in one sequence).
    static func oldID(entity: Int, seed: UInt64) -> String {
        let permutation = DemoPermutation(size: 90_000_000, key: DemoRandom.finalize(seed ^ 0x0DD1_D0DD_1D00))
        let value = 10_000_000 + Int(permutation.apply(UInt64(entity % 90_000_000)))
        var bytes = [UInt8](repeating: 0x30, count: 9)
        Self.put(value, into: &bytes, at: 0, width: 9)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Account-number shapes (first digits, length) of the banks the demo uses; others get 12 digits.
    static let accountShapes: [String: (prefixes: [String], length: Int)] = [
        "Agribank": (["1500", "1400", "1300", "2100", "2200"], 13),
        "Vietcombank": (["0011", "0021", "0451", "1012", "1017"], 13),
        "VietinBank": (["1010", "1020", "1060", "1080"], 12),
        "BIDV": (["1200", "1250", "2150", "2170"], 12),
        "LPBank": (["0200", "0400", "0600"], 12),
        "MB Bank": (["0", "9", "8"], 13),
        "Techcombank": (["1902", "1903", "1904"], 14),
        "VPBank": (["1", "2"], 9),
        "ACB": (["1", "2"], 8),
        "SHB": (["1000", "1001"], 10),
        "Sacombank": (["0400", "0600", "0200"], 12),
        "TPBank": (["0"], 11),
        "SeABank": (["0"], 12),
        "HDBank": (["0", "1"], 14),
        "MSB": (["0300", "0400"], 14),
    ]

    static func accountNumber(bank: String, random: inout DemoRandom) -> String {
        let shape = Self.accountShapes[bank] ?? (["1", "2", "3", "5", "7"], 12)
        var out = Array(random.pick(shape.prefixes).utf8)
        while out.count < shape.length { out.append(UInt8(0x30 + random.below(10))) }
        return String(decoding: out, as: UTF8.self)
    }

    static func put(_ value: Int, into bytes: inout [UInt8], at offset: Int, width: Int) {
        var v = value
        for position in stride(from: offset + width - 1, through: offset, by: -1) {
            bytes[position] = UInt8(0x30 + v % 10)
            v /= 10
        }
    }
}
