/// What the demo generator makes: how many people, how big the register, which lists, how much noise.
public struct DemoConfig: Sendable {
    /// Same seed, same files, byte for byte.
    public var seed: UInt64
    /// Beneficiaries (distinct people on the lists); list rows are a little more, since some people are on two lists.
    public var people: Int
    /// Rows in the population-register extract: every listed person who is in the register plus residents who
    /// are on no list. Nil means five times `people`.
    public var registerSize: Int?
    /// The day ages, deaths and "not born in the future" are measured against (a fixed day, not the clock).
    public var referenceDay: DemoDay
    /// The department files to write; each beneficiary goes to a list of one of their groups.
    public var lists: [DemoListSpec]
    /// Rate of each kind of noise and of each hard case (a probability per row or per person; see `DemoNoiseKind`).
    public var rates: [DemoNoiseKind: Double]
    /// Share of beneficiaries who have a bank account on the list.
    public var bankAccountRate: Double
    /// Bank short names to draw accounts from, with weights; by default the banks elderly Hanoians use most
    /// (short names as in `vn-banks.csv`; `DemoConfig.banks(fromCSV:)` reads that file instead).
    public var banks: [(shortName: String, weight: Double)]

    public init(
        seed: UInt64 = 1,
        people: Int = 20_000,
        registerSize: Int? = nil,
        referenceDay: DemoDay = DemoDay(year: 2025, month: 6, day: 30),
        lists: [DemoListSpec] = DemoListSpec.standard,
        rates: [DemoNoiseKind: Double] = DemoNoiseKind.defaultRates,
        bankAccountRate: Double = 0.35,
        banks: [(shortName: String, weight: Double)] = DemoConfig.defaultBanks
    ) {
        self.seed = seed
        self.people = people
        self.registerSize = registerSize
        self.referenceDay = referenceDay
        self.lists = lists
        self.rates = rates
        self.bankAccountRate = bankAccountRate
        self.banks = banks
    }

    /// The register size in force: `registerSize`, or five times `people`.
    public var effectiveRegisterSize: Int {
        self.registerSize ?? self.people * 5
    }

    /// The rate for one kind (0 when the dictionary leaves it out).
    public func rate(_ kind: DemoNoiseKind) -> Double {
        self.rates[kind] ?? 0
    }

    /// Every kind of noise switched off: clean lists, for tests that need exact values.
    public mutating func removeNoise() {
        for kind in DemoNoiseKind.allCases { self.rates[kind] = 0 }
    }

    /// The current banks of a `vn-banks.csv` (columns `short_name` and `status`), weighted like `defaultBanks`;
    /// banks the defaults do not name get a small weight, so every bank shows up in a large demo.
    public static func banks(fromCSV path: String) throws -> [(shortName: String, weight: Double)] {
        let rows = try TabularFile.open(path: path).rows().readAll()
        guard let header = rows.first?.cells.map(\.text),
              let nameColumn = header.firstIndex(of: "short_name"), let statusColumn = header.firstIndex(of: "status")
        else {
            throw DemoError.banksUnreadable(path: path)
        }
        let weights = Dictionary(uniqueKeysWithValues: Self.defaultBanks.map { ($0.shortName, $0.weight) })
        return rows.dropFirst().compactMap { row in
            let name = row[nameColumn].text
            guard row[statusColumn].text == "current", !name.isEmpty else { return nil }
            return (name, weights[name] ?? 0.2)
        }
    }

    /// Short names as written in `vn-banks.csv` (the `short_name` column).
    public static let defaultBanks: [(shortName: String, weight: Double)] = [
        ("Agribank", 26), ("Vietcombank", 15), ("VietinBank", 14), ("BIDV", 14), ("LPBank", 7), ("MB Bank", 6),
        ("Techcombank", 5), ("VPBank", 3), ("ACB", 2), ("SHB", 2), ("Sacombank", 2), ("TPBank", 1),
        ("SeABank", 1), ("HDBank", 1), ("MSB", 1),
    ]
}

/// One department file: which group's beneficiaries it lists and in which format.
public struct DemoListSpec: Sendable, Hashable {
    public var group: PolicyGroup
    public var format: DemoFileFormat
    /// File name inside the output folder, with extension.
    public var fileName: String
    /// When a group has several lists, each gets a share of its people in proportion to its weight.
    public var weight: Double

    public init(group: PolicyGroup, format: DemoFileFormat, fileName: String? = nil, weight: Double = 1) {
        self.group = group
        self.format = format
        self.fileName = fileName ?? DemoPolicies.fileStem(group) + "." + format.rawValue
        self.weight = weight
    }

    /// One XLSX per group, and a supplementary social-protection list (a fifth of that group) sent as CSV.
    public static let standard: [DemoListSpec] = [
        .init(group: .socialProtection, format: .xlsx, weight: 4),
        .init(group: .meritorious, format: .xlsx),
        .init(group: .poorHousehold, format: .xlsx),
        .init(group: .nearPoorHousehold, format: .xlsx),
        .init(group: .other, format: .xlsx),
        .init(group: .socialProtection, format: .csv, fileName: "danh-sach-bao-tro-xa-hoi-bo-sung.csv"),
    ]
}

public enum DemoFileFormat: String, Sendable, Hashable, CaseIterable {
    case xlsx
    case csv
}

/// A kind of imperfection the generator puts into the lists or the register, recorded in the ground truth.
///
/// List-row kinds apply to one row; person kinds (`notInRegister`, `deceasedInRegister`, the register kinds and the
/// hard cases) describe the person and are recorded on each of their rows.
public enum DemoNoiseKind: String, Sendable, Hashable, CaseIterable, Comparable {
    // Identity number on the list (at most one per row).
    case idMissing
    case oldIDInstead
    case idTypo
    case idTransposed
    case idLeadingZerosLost
    // Name on the list (at most one per row, besides the tone placement).
    case nameWithoutDiacritics
    case nameMisspelt
    /// Hòa ↔ Hoà, Thủy ↔ Thuỷ: its rate is the share of names with an oa/oe/uy syllable that get the other form.
    case nameTonePlacement
    case nameDecomposed
    case nameTCVN3
    case nameVNI
    // Birth date on the list (at most one per row; `birthDateSerial` only in XLSX).
    case birthYearOnly
    case birthDayMonthSwapped
    case birthDateSerial
    // Other cells.
    case communeCodeLeadingZeroLost
    case amountAsText
    // The person.
    case movedCommune
    case onTwoLists
    case notInRegister
    /// A base rate, scaled by age (×2.5 from 85, ×0.3 under 75).
    case deceasedInRegister
    /// Rate among people aged 60 or more.
    case registerYearOnly
    /// Rate among people aged 70 or more.
    case registerJanuaryFirst
    case namesakeInRegister
    case idNeighbourInRegister
    /// An `idTypo` that turned the ID into the ID of another real person in the register; its rate is the share
    /// of the rows of people with an `idNeighbourInRegister` whose listed ID is the neighbour's.
    case idTypoHitsOtherPerson
    // Rows the import must reject.
    case badNoName
    case badImpossibleDate
    case badLettersInID

    /// Rates that look like real department lists: a third of IDs missing, a few percent of everything else.
    public static let defaultRates: [DemoNoiseKind: Double] = [
        .idMissing: 0.33, .oldIDInstead: 0.04, .idTypo: 0.02, .idTransposed: 0.01, .idLeadingZerosLost: 0.06,
        .nameWithoutDiacritics: 0.06, .nameMisspelt: 0.03, .nameTonePlacement: 0.4, .nameDecomposed: 0.03,
        .nameTCVN3: 0.005, .nameVNI: 0.005,
        .birthYearOnly: 0.05, .birthDayMonthSwapped: 0.02, .birthDateSerial: 0.3,
        .communeCodeLeadingZeroLost: 0.1, .amountAsText: 0.3,
        .movedCommune: 0.03, .onTwoLists: 0.02, .notInRegister: 0.01, .deceasedInRegister: 0.02,
        .registerYearOnly: 0.03, .registerJanuaryFirst: 0.08,
        .namesakeInRegister: 0.03, .idNeighbourInRegister: 0.02, .idTypoHitsOtherPerson: 0.3,
        .badNoName: 0.002, .badImpossibleDate: 0.002, .badLettersInID: 0.002,
    ]

    /// True for the kinds that make a row unusable, so the import should reject it.
    public var makesRowInvalid: Bool {
        switch self {
        case .badNoName, .badImpossibleDate, .badLettersInID: return true
        default: return false
        }
    }

    public static func < (lhs: DemoNoiseKind, rhs: DemoNoiseKind) -> Bool {
        lhs.index < rhs.index
    }

    /// Position in `allCases`.
    var index: Int {
        Self.indexes[self]!
    }

    private static let indexes: [DemoNoiseKind: Int] = Dictionary(
        uniqueKeysWithValues: Self.allCases.enumerated().map { ($1, $0) })
}
