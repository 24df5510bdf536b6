extension DemoDataset {
    /// The columns of the population-register extract.
    public static let registerHeader = [
        "citizen_id", "old_id", "full_name", "date_of_birth", "gender", "commune_code", "address", "status",
        "death_date",
    ]

    /// One register resident who is on no list.
    struct Resident {
        var fullName: String
        var female: Bool
        var birthDay: DemoDay
        var registerBirth: DemoPerson.RegisterBirth
        var province: Int
        var commune: Int
        var houseAddress: String
        var hasOldID: Bool
        var deathDay: DemoDay?
    }

    /// Hanoi's age pyramid for residents on no list, in relative weight per year of age.
    static let residentAges: DemoWeightedTable<Int> = {
        var pairs: [(Int, Double)] = []
        for age in 0...100 {
            let weight: Double
            switch age {
            case 0..<15: weight = 1.55
            case 15..<60: weight = 1.6
            case 60..<70: weight = 1.15
            case 70..<80: weight = 0.6
            case 80..<90: weight = 0.25
            default: weight = 0.05
            }
            pairs.append((age, weight))
        }
        return DemoWeightedTable(pairs)
    }()

    func ordinaryResident(_ number: Int, commune: Int) -> Resident {
        var r = self.random(.resident, number)
        let age = Self.residentAges.pick(&r)
        let female = r.chance(age >= 70 ? 0.6 : 0.5)
        let birthDay = self.birthDay(age: age, random: &r)
        let province = DemoIdentity.pickProvince(&r)
        let name = DemoNames.fullName(female: female, birthYear: birthDay.year, random: &r)
        let registerBirth = self.registerBirth(age: age, random: &r)
        let hasOldID = DemoIdentity.hasOldID(birthYear: birthDay.year, random: &r)
        let house = DemoPlaces.houseAddress(in: self.places.communes[commune], random: &r)
        var deathDay: DemoDay?
        if r.chance(age >= 80 ? 0.03 : 0.003) {
            let from = DemoDay(year: self.config.referenceDay.year - 2, month: 1, day: 1).daysSinceEpoch
            deathDay = DemoDay(daysSinceEpoch: from + r.below(self.config.referenceDay.daysSinceEpoch - from + 1))
        }
        return Resident(
            fullName: name, female: female, birthDay: birthDay, registerBirth: registerBirth, province: province,
            commune: commune, houseAddress: house, hasOldID: hasOldID, deathDay: deathDay)
    }

    /// Someone else with the beneficiary's name, sex and birth year, in the same commune.
    func namesake(of core: Core) -> Resident {
        var r = self.random(.namesakePerson, core.index)
        let birthDay: DemoDay
        if r.chance(0.2) {
            birthDay = core.birthDay
        } else {
            let first = DemoDay(year: core.birthDay.year, month: 1, day: 1).daysSinceEpoch
            let last = DemoDay(year: core.birthDay.year, month: 12, day: 31).daysSinceEpoch
            birthDay = DemoDay(daysSinceEpoch: first + r.below(last - first + 1))
        }
        let age = birthDay.age(on: self.config.referenceDay)
        return Resident(
            fullName: core.fullName, female: core.female, birthDay: birthDay,
            registerBirth: self.registerBirth(age: age, random: &r), province: DemoIdentity.pickProvince(&r),
            commune: core.commune,
            houseAddress: DemoPlaces.houseAddress(in: self.places.communes[core.commune], random: &r),
            hasOldID: DemoIdentity.hasOldID(birthYear: birthDay.year, random: &r), deathDay: nil)
    }

    /// The different person whose ID is one typo from the beneficiary's: same sex and birth year (the ID says
    /// so), another name, anywhere in the city.
    func neighbourResident(of core: Core) -> Resident {
        var r = self.random(.neighbourPerson, core.index)
        let first = DemoDay(year: core.birthDay.year, month: 1, day: 1).daysSinceEpoch
        let last = DemoDay(year: core.birthDay.year, month: 12, day: 31).daysSinceEpoch
        let birthDay = DemoDay(daysSinceEpoch: first + r.below(last - first + 1))
        let age = birthDay.age(on: self.config.referenceDay)
        var name = DemoNames.fullName(female: core.female, birthYear: birthDay.year, random: &r)
        if name == core.fullName { name = DemoNames.fullName(female: core.female, birthYear: 1930, random: &r) }
        let commune = r.chance(0.5) ? core.commune : r.below(self.places.communes.count)
        return Resident(
            fullName: name, female: core.female, birthDay: birthDay,
            registerBirth: self.registerBirth(age: age, random: &r), province: core.province, commune: commune,
            houseAddress: DemoPlaces.houseAddress(in: self.places.communes[commune], random: &r),
            hasOldID: DemoIdentity.hasOldID(birthYear: birthDay.year, random: &r), deathDay: nil)
    }

    /// The date as the register stores it: full, year only, or 1 January when the birthday was unknown.
    static func registerDate(_ day: DemoDay, _ form: DemoPerson.RegisterBirth) -> String {
        switch form {
        case .full: return day.iso
        case .yearOnly: return DemoDay.pad(day.year, 4)
        case .januaryFirst: return DemoDay(year: day.year, month: 1, day: 1).iso
        }
    }

    /// The address as the register writes it: full unit names up to the city.
    func registerAddress(house: String, commune: Int) -> String {
        house + self.places.communes[commune].registerSuffix
    }

    func registerRow(
        id: String, oldID: String?, name: String, birthDay: DemoDay, form: DemoPerson.RegisterBirth, female: Bool,
        commune: Int, house: String, deathDay: DemoDay?
    ) -> [String] {
        [
            id, oldID ?? "", name, Self.registerDate(birthDay, form),
            female ? Gender.female.labelVI : Gender.male.labelVI, self.places.communes[commune].code,
            self.registerAddress(house: house, commune: commune), deathDay == nil ? "alive" : "deceased",
            deathDay?.iso ?? "",
        ]
    }
}

/// Hands out register IDs to residents on no list: per ID bucket, counting down from the top of the serial space,
/// clear of the beneficiaries (counting up from 0) and the typo neighbours (below `neighbourSerialLimit`).
struct DemoResidentIDs {
    let seed: UInt64
    var used: [Int: Int] = [:]
    /// Residents numbered in write order; their old IDs continue after the beneficiaries'.
    var residents = 0

    mutating func next(province: Int, female: Bool, birthYear: Int) -> String {
        var province = province
        while true {
            let bucket = DemoIdentity.bucket(province: province, female: female, birthYear: birthYear)
            let count = self.used[bucket, default: 0]
            if 999_999 - count >= DemoDataset.neighbourSerialLimit {
                self.used[bucket] = count + 1
                return DemoIdentity.personalID(
                    province: province, female: female, birthYear: birthYear, counter: 999_999 - count,
                    seed: self.seed)
            }
            // A full bucket (only in registers of tens of millions): register the birth in the next province.
            province = province % 96 + 1
            while BirthProvince.named(code: province) == nil { province = province % 96 + 1 }
        }
    }
}
