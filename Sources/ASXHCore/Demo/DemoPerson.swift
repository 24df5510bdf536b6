/// One generated beneficiary: the truth about them, before any list noise.
public struct DemoPerson: Sendable, Hashable {
    /// How the population register records a birth date.
    public enum RegisterBirth: String, Sendable, Hashable {
        /// The full date.
        case full
        /// Only the year ("1938").
        case yearOnly
        /// The birthday was unknown and the register put 1 January of the birth year.
        case januaryFirst
    }

    /// A listing of the person on one list: group, sub-group, amount.
    public struct Entitlement: Sendable, Hashable {
        public let group: PolicyGroup
        /// Diện hưởng, as written on the list.
        public let subGroup: String
        /// Mức hưởng in đồng per month.
        public let monthlyAmount: Int
    }

    /// 0-based beneficiary number: the person is regenerated from the seed and this number alone.
    public let index: Int
    /// Full name, NFC, as in the register.
    public let fullName: String
    public let gender: Gender
    public let birthDay: DemoDay
    public let registerBirth: RegisterBirth
    /// The 12-digit personal ID (số định danh cá nhân).
    public let personalID: String
    /// The old 9-digit identity card number, when the person had one and the register kept it.
    public let oldID: String?
    /// The commune the person lives in now, as the register has it (5-digit pre-2025 code).
    public let communeCode: String
    /// The house part of the address in `communeCode`.
    public let houseAddress: String
    /// The commune the department's list still shows; differs from `communeCode` when the person moved.
    public let listedCommuneCode: String
    public let listedHouseAddress: String
    /// The first list the person is on, and the second one for the few on two lists.
    public let entitlements: [Entitlement]
    public let bankShortName: String?
    public let bankAccountNumber: String?
    /// When the register says the person died.
    public let deathDay: DemoDay?
    /// False for the few listed people the register does not know at all.
    public let inRegister: Bool
    /// The register also holds someone of the same name, gender and birth year in the same commune.
    public let hasNamesake: Bool
    /// The ID of a real, different person whose ID is one typo away from this person's, when the register has one.
    public let idNeighbour: String?

    public var moved: Bool { self.communeCode != self.listedCommuneCode }

    /// The true birth date as the Identity module's type.
    public var birthDate: BirthDate {
        BirthDate(year: self.birthDay.year, month: self.birthDay.month, day: self.birthDay.day)!
    }

    /// The birth date as the population register records it.
    public var registerBirthDate: BirthDate {
        switch self.registerBirth {
        case .full: return self.birthDate
        case .yearOnly: return BirthDate(year: self.birthDay.year)!
        case .januaryFirst: return BirthDate(year: self.birthDay.year, month: 1, day: 1)!
        }
    }
}
