/// A deterministic synthetic data set of Hanoi's social-security beneficiaries: the department's lists (with the
/// noise real lists have), a population-register extract with hard cases, and the ground truth tying them together.
///
/// Every beneficiary is a pure function of `(seed, index)`, so files of any size are written in one streaming pass
/// and any single person can be regenerated with `person(_:)`.
public struct DemoDataset: Sendable {
    public let config: DemoConfig
    let places: DemoPlaces
    /// Beneficiary `i` lives in commune c when `beneficiaryStarts[c] <= i < beneficiaryStarts[c + 1]`.
    let beneficiaryStarts: [Int]
    /// Ordinary register residents per commune, the same way.
    private(set) var residentStarts: [Int]
    let groupTable: DemoWeightedTable<PolicyGroup>
    /// Which of `config.lists` each group's people go to.
    let listsByGroup: [PolicyGroup: [Int]]
    let banks: DemoWeightedTable<String>
    /// Each beneficiary's rank among the beneficiaries of their ID bucket: the counter their ID serial comes from.
    private(set) var serialCounters: [Int32] = []
    /// Beneficiaries per ID bucket; typo neighbours take serial counters from there up to `neighbourSerialLimit`.
    private(set) var bucketCounts: [Int: Int] = [:]
    /// Beneficiaries who have a register neighbour, with that neighbour's ID (decided once, so that two people
    /// never share a neighbour).
    private(set) var neighbours: [Int: String] = [:]
    /// Listed people the register holds.
    public private(set) var presentInRegister = 0
    /// Register residents who share a listed person's name, sex, birth year and commune.
    public private(set) var namesakeCount = 0

    /// Serial counters per ID bucket: beneficiaries count up from 0, typo neighbours sit above them up to this
    /// limit, residents on no list count down from 999,999, so the three never collide.
    static let neighbourSerialLimit = 700_000
    static let maxPeople = 5_000_000

    /// Checks the configuration and prepares the tables; writes nothing.
    public static func generate(_ config: DemoConfig, units: AdministrativeUnits = .shared) throws(DemoError)
        -> DemoDataset
    {
        try DemoDataset(config: config, units: units)
    }

    init(config: DemoConfig, units: AdministrativeUnits) throws(DemoError) {
        guard config.people > 0 && config.people <= Self.maxPeople else {
            throw .peopleOutOfRange(config.people, maximum: Self.maxPeople)
        }
        guard !config.lists.isEmpty else { throw .noLists }
        guard config.effectiveRegisterSize <= 30_000_000 else {
            throw .registerTooLarge(config.effectiveRegisterSize)
        }
        guard !config.banks.isEmpty else { throw .noBanks }
        self.config = config
        self.places = DemoPlaces(units: units)
        self.beneficiaryStarts = self.places.blockStarts(count: config.people)
        self.residentStarts = []
        var listsByGroup: [PolicyGroup: [Int]] = [:]
        for (index, spec) in config.lists.enumerated() { listsByGroup[spec.group, default: []].append(index) }
        self.listsByGroup = listsByGroup
        self.groupTable = DemoWeightedTable(DemoPolicies.groupShares.filter { listsByGroup[$0.0] != nil })
        self.banks = DemoWeightedTable(config.banks.map { ($0.shortName, $0.weight) })

        // One cheap pass over everyone: the basics (for the ID bucket) and the flags; then the few people with a
        // neighbour are generated in full.
        var counters = [Int32]()
        counters.reserveCapacity(config.people)
        var buckets: [Int: Int] = [:]
        var withNeighbour: [Int] = []
        for index in 0..<config.people {
            let basics = self.basics(index)
            let bucket = DemoIdentity.bucket(
                province: basics.province, female: basics.female, birthYear: basics.birthDay.year)
            let count = buckets[bucket, default: 0]
            guard count < Self.neighbourSerialLimit - 100_000 else {
                throw .peopleOutOfRange(config.people, maximum: index)
            }
            counters.append(Int32(count))
            buckets[bucket] = count + 1
            let flags = self.flags(index)
            if flags.inRegister { self.presentInRegister += 1 }
            if flags.namesake { self.namesakeCount += 1 }
            if flags.neighbour { withNeighbour.append(index) }
        }
        self.serialCounters = counters
        self.bucketCounts = buckets
        var taken = Set<String>()
        for index in withNeighbour {
            if let id = self.neighbourID(of: self.core(index)), taken.insert(id).inserted {
                self.neighbours[index] = id
            }
        }
        let residents = max(
            0, config.effectiveRegisterSize - self.presentInRegister - self.namesakeCount - self.neighbours.count)
        self.residentStarts = self.places.blockStarts(count: residents)
    }

    /// Register rows that belong to no listed person and are no hard case.
    public var ordinaryResidentCount: Int { self.residentStarts.last ?? 0 }

    /// The number of register rows `write(to:)` produces.
    public var registerRowCount: Int {
        self.presentInRegister + self.namesakeCount + self.neighbours.count + self.ordinaryResidentCount
    }

    /// Beneficiary `index` (0 ..< `config.people`), exactly as the files describe them.
    public func person(_ index: Int) -> DemoPerson {
        precondition(index >= 0 && index < self.config.people, "no such beneficiary")
        let core = self.core(index)
        let flags = self.flags(index)
        return DemoPerson(
            index: index,
            fullName: core.fullName,
            gender: core.female ? .female : .male,
            birthDay: core.birthDay,
            registerBirth: core.registerBirth,
            personalID: core.personalID,
            oldID: core.oldID,
            communeCode: self.places.communes[core.commune].code,
            houseAddress: core.houseAddress,
            listedCommuneCode: self.places.communes[core.listedCommune].code,
            listedHouseAddress: core.listedHouseAddress,
            entitlements: core.entitlements,
            bankShortName: core.bank?.shortName,
            bankAccountNumber: core.bank?.number,
            deathDay: flags.inRegister ? core.deathDay : nil,
            inRegister: flags.inRegister,
            hasNamesake: flags.namesake,
            idNeighbour: self.neighbours[index]
        )
    }

    // MARK: streams

    /// Separate random streams, so that changing how many draws one part makes never shifts another part.
    enum Stream: UInt64 {
        case person = 1
        case flags = 2
        case listRow = 3
        case resident = 4
        case namesakePerson = 5
        case neighbour = 6
        case neighbourPerson = 7
        case listChoice = 8
        case basics = 9
    }

    func random(_ stream: Stream, _ index: Int) -> DemoRandom {
        DemoRandom(seed: self.config.seed, stream: stream.rawValue, index: UInt64(index))
    }

    struct Flags {
        var inRegister: Bool
        var namesake: Bool
        var neighbour: Bool
    }

    func flags(_ index: Int) -> Flags {
        var r = self.random(.flags, index)
        let absent = r.chance(self.config.rate(.notInRegister))
        let namesake = r.chance(self.config.rate(.namesakeInRegister))
        let neighbour = r.chance(self.config.rate(.idNeighbourInRegister))
        return Flags(inRegister: !absent, namesake: namesake, neighbour: neighbour)
    }

    /// The parts of a beneficiary drawn from the person stream.
    struct Core {
        var index: Int
        var fullName: String
        var female: Bool
        var birthDay: DemoDay
        var registerBirth: DemoPerson.RegisterBirth
        var province: Int
        var personalID: String
        var oldID: String?
        var commune: Int
        var houseAddress: String
        var listedCommune: Int
        var listedHouseAddress: String
        var entitlements: [DemoPerson.Entitlement]
        var bank: (shortName: String, number: String)?
        var deathDay: DemoDay?
    }

    /// What decides a person's ID bucket, drawn from its own stream so the preparing pass can draw only this.
    struct Basics {
        var group: PolicyGroup
        var subGroup: Int
        var age: Int
        var female: Bool
        var birthDay: DemoDay
        var province: Int
    }

    func basics(_ index: Int) -> Basics {
        var r = self.random(.basics, index)
        let group = self.groupTable.pick(&r)
        let sub = DemoPolicies.pickSubGroup(of: group, random: &r)
        let age = DemoPolicies.pickAge(subGroup: sub, random: &r)
        let female = r.chance(DemoPolicies.subGroups[sub].femaleShare)
        let birthDay = self.birthDay(age: age, random: &r)
        return Basics(
            group: group, subGroup: sub, age: age, female: female, birthDay: birthDay,
            province: DemoIdentity.pickProvince(&r))
    }

    func core(_ index: Int) -> Core {
        let basics = self.basics(index)
        var r = self.random(.person, index)
        let group = basics.group
        let subGroup = DemoPolicies.subGroups[basics.subGroup]
        let age = basics.age
        let female = basics.female
        let birthDay = basics.birthDay
        let province = basics.province
        let fullName = DemoNames.fullName(female: female, birthYear: birthDay.year, random: &r)
        var entitlements = [DemoPerson.Entitlement(
            group: group, subGroup: subGroup.name, monthlyAmount: r.pick(subGroup.amounts))]
        let registerBirth = self.registerBirth(age: age, random: &r)
        let oldID = DemoIdentity.hasOldID(birthYear: birthDay.year, random: &r)
            ? DemoIdentity.oldID(entity: index, seed: self.config.seed) : nil
        let commune = DemoPlaces.block(of: index, starts: self.beneficiaryStarts)
        let house = DemoPlaces.houseAddress(in: self.places.communes[commune], random: &r)
        var listedCommune = commune
        var listedHouse = house
        if r.chance(self.config.rate(.movedCommune)) {
            listedCommune = self.places.nearbyCommune(to: commune, random: &r)
            listedHouse = DemoPlaces.houseAddress(in: self.places.communes[listedCommune], random: &r)
        }
        if r.chance(self.config.rate(.onTwoLists)) {
            let others = self.listsByGroup.keys.filter { $0 != group }.sorted { $0.rawValue < $1.rawValue }
            if !others.isEmpty {
                let second = r.pick(others)
                if let sub2 = DemoPolicies.pickSubGroup(of: second, age: age, random: &r) {
                    let s = DemoPolicies.subGroups[sub2]
                    entitlements.append(.init(group: second, subGroup: s.name, monthlyAmount: r.pick(s.amounts)))
                }
            }
        }
        var bank: (shortName: String, number: String)?
        let bankFactor = age >= 85 ? 0.5 : (age < 16 ? 0.2 : 1.0)
        if r.chance(self.config.bankAccountRate * bankFactor) {
            let name = self.banks.pick(&r)
            bank = (name, DemoIdentity.accountNumber(bank: name, random: &r))
        }
        var deathDay: DemoDay?
        let deathFactor = age >= 85 ? 2.5 : (age >= 75 ? 1.0 : 0.3)
        if r.chance(self.config.rate(.deceasedInRegister) * deathFactor) {
            let from = DemoDay(year: self.config.referenceDay.year - 2, month: 1, day: 1).daysSinceEpoch
            let to = self.config.referenceDay.daysSinceEpoch
            deathDay = DemoDay(daysSinceEpoch: from + r.below(to - from + 1))
        }
        let personalID = DemoIdentity.personalID(
            province: province, female: female, birthYear: birthDay.year, counter: Int(self.serialCounters[index]),
            seed: self.config.seed)
        return Core(
            index: index, fullName: fullName, female: female, birthDay: birthDay, registerBirth: registerBirth,
            province: province, personalID: personalID, oldID: oldID, commune: commune, houseAddress: house,
            listedCommune: listedCommune, listedHouseAddress: listedHouse, entitlements: entitlements, bank: bank,
            deathDay: deathDay)
    }

    /// A birth day that makes the person exactly `age` on the reference day.
    func birthDay(age: Int, random: inout DemoRandom) -> DemoDay {
        let reference = self.config.referenceDay
        let latest = DemoDay(year: reference.year - age, month: reference.month, day: reference.day)
        let earliest = DemoDay(year: reference.year - age - 1, month: reference.month, day: reference.day)
        let from = earliest.daysSinceEpoch + 1
        let to = latest.daysSinceEpoch
        return DemoDay(daysSinceEpoch: from + random.below(to - from + 1))
    }

    func registerBirth(age: Int, random: inout DemoRandom) -> DemoPerson.RegisterBirth {
        if age >= 70 && random.chance(self.config.rate(.registerJanuaryFirst)) { return .januaryFirst }
        if age >= 60 && random.chance(self.config.rate(.registerYearOnly)) { return .yearOnly }
        return .full
    }

    /// An ID one typo (a digit changed, or two neighbouring digits swapped) away from the person's, in the serial
    /// part so it stays a well-formed ID of someone of the same sex and birth year; nil if no free one was found.
    func neighbourID(of core: Core) -> String? {
        var r = self.random(.neighbour, core.index)
        let bucket = DemoIdentity.bucket(province: core.province, female: core.female, birthYear: core.birthDay.year)
        let permutation = DemoIdentity.serialPermutation(bucket: bucket, seed: self.config.seed)
        var digits = Array(core.personalID.utf8)
        for _ in 0..<24 {
            var candidate = digits
            if r.chance(0.7) {
                let position = 6 + r.below(6)
                candidate[position] = UInt8(ascii: "0") + UInt8((Int(candidate[position] - 48) + 1 + r.below(9)) % 10)
            } else {
                let position = 6 + r.below(5)
                guard candidate[position] != candidate[position + 1] else { continue }
                candidate.swapAt(position, position + 1)
            }
            var serial = 0
            for byte in candidate[6..<12] { serial = serial * 10 + Int(byte - 48) }
            let counter = Int(permutation.invert(UInt64(serial)))
            if counter >= self.bucketCounts[bucket, default: 0] && counter < Self.neighbourSerialLimit {
                digits = candidate
                return String(decoding: digits, as: UTF8.self)
            }
        }
        return nil
    }
}

/// Why a demo data set cannot be made or written.
public enum DemoError: Error, Sendable, Equatable {
    case peopleOutOfRange(Int, maximum: Int)
    case registerTooLarge(Int)
    case noLists
    case noBanks
    case writeFailed(path: String, detail: String)
    case banksUnreadable(path: String)

    public var code: String {
        switch self {
        case .peopleOutOfRange: return "demo.people_out_of_range"
        case .registerTooLarge: return "demo.register_too_large"
        case .noLists: return "demo.no_lists"
        case .noBanks: return "demo.no_banks"
        case .writeFailed: return "demo.write_failed"
        case .banksUnreadable: return "demo.banks_unreadable"
        }
    }

    public var messageVI: String {
        switch self {
        case .peopleOutOfRange(let n, let maximum): return "Số người hưởng phải từ 1 đến \(maximum) (đang là \(n))."
        case .registerTooLarge(let n): return "Dữ liệu dân cư tối đa 30.000.000 dòng (đang là \(n))."
        case .noLists: return "Cần ít nhất một danh sách."
        case .noBanks: return "Cần ít nhất một ngân hàng."
        case .writeFailed(let path, let detail): return "Không ghi được tệp \(path): \(detail)"
        case .banksUnreadable(let path): return "Tệp \(path) không có cột short_name và status."
        }
    }

    public var messageEN: String {
        switch self {
        case .peopleOutOfRange(let n, let maximum): return "People must be between 1 and \(maximum) (got \(n))."
        case .registerTooLarge(let n): return "The register extract is limited to 30,000,000 rows (got \(n))."
        case .noLists: return "At least one list is needed."
        case .noBanks: return "At least one bank is needed."
        case .writeFailed(let path, let detail): return "Could not write \(path): \(detail)"
        case .banksUnreadable(let path): return "\(path) has no short_name and status columns."
        }
    }
}
