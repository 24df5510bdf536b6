import Foundation

/// What a program pays per enrolment, in whole đồng: the Lunar New Year gift pays a fixed amount per policy group; a
/// monthly allowance pays the amount the department's list gives, or the group's amount when the list gives none.
/// A person with several enrolments gets the sum, itemised.
public struct ProgramAmounts: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case monthly
        case gift

        public var vietnamese: String { self == .monthly ? "Trợ cấp hằng tháng" : "Quà tặng (Tết)" }
    }

    public var kind: Kind
    /// Đồng per enrolment, by `PolicyGroup` raw value; a group not listed pays nothing in this program.
    public var perGroup: [String: Int64]

    public init(kind: Kind, perGroup: [String: Int64]) {
        self.kind = kind
        self.perGroup = perGroup
    }

    /// The Lunar New Year gift of the Hanoi 2024 campaign (the city's own gift on top of the central one).
    public static let tetGift = ProgramAmounts(kind: .gift, perGroup: [
        PolicyGroup.meritorious.rawValue: 1_000_000, PolicyGroup.socialProtection.rawValue: 500_000,
        PolicyGroup.poorHousehold.rawValue: 500_000, PolicyGroup.nearPoorHousehold.rawValue: 300_000,
    ])

    /// One enrolment's amount; nil when the program pays nothing for it.
    public func amount(policyGroup: String, listedMonthly: Int?) -> Int64? {
        switch self.kind {
        case .gift: return self.perGroup[policyGroup]
        case .monthly: return listedMonthly.map(Int64.init) ?? self.perGroup[policyGroup]
        }
    }

    /// The most a program may pay one enrolment: a typo of three extra zeros must not pass.
    public static let maxAmount: Int64 = 100_000_000

    /// Why amounts as an officer typed them cannot be a program's.
    public static func check(_ perGroup: [String: Int64]) -> ClassificationRefusal? {
        for (group, amount) in perGroup.sorted(by: { $0.key < $1.key }) {
            guard PolicyGroup(rawValue: group) != nil else {
                return ClassificationRefusal(code: "unknown_group", vi: "Không có nhóm đối tượng “\(group)”.", en: "There is no policy group “\(group)”.")
            }
            guard (0...Self.maxAmount).contains(amount) else {
                return ClassificationRefusal(code: "amount_out_of_range", vi: "Số tiền của nhóm \(group) phải từ 0 đến \(Self.maxAmount) đồng.",
                                             en: "The amount for \(group) must be 0 to \(Self.maxAmount) đồng.")
            }
        }
        return nil
    }
}
