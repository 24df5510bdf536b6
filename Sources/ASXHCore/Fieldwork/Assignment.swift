import Foundation

/// How a commune's cases are shared among its working group's members: whole households (same address, visited
/// together) in walking order (street or hamlet, then house number), cut into consecutive runs of about equal
/// size, so each member's route is short and nobody carries twice another's load.
public enum Assignment {
    public struct Item: Sendable {
        public var id: UUID
        public var address: String

        public init(id: UUID, address: String) {
            self.id = id
            self.address = address
        }
    }

    /// The household an address stands for: the folded address (spelling, case and tone placement aside).
    public static func household(_ address: String) -> String { VietnameseText.fold(address) }

    /// Where an address falls on a walk: its street or hamlet (the address without numbers), then its first
    /// number (the house), then the whole address, so "Số 2 ngõ 5 Hàng Bạc" comes before "Số 10 ngõ 5 Hàng Bạc".
    public struct WalkKey: Comparable, Sendable {
        public var street: String
        public var house: Int
        public var address: String

        public init(_ address: String) {
            let folded = VietnameseText.fold(address)
            self.address = folded
            self.street = folded.split(separator: " ").filter { !$0.allSatisfy(\.isNumber) && !["so", "nha"].contains($0) }.joined(separator: " ")
            self.house = folded.split(separator: " ").first { $0.allSatisfy(\.isNumber) }.flatMap { Int($0.prefix(9)) } ?? 0
        }

        public static func < (lhs: WalkKey, rhs: WalkKey) -> Bool {
            (lhs.street, lhs.house, lhs.address) < (rhs.street, rhs.house, rhs.address)
        }
    }

    /// Each item's member and its place in that member's walk. Households never split; each member's share is
    /// within one household of `items.count / members.count`. Deterministic: the same input gives the same routes.
    public static func plan(_ items: [Item], members: [UUID]) -> [UUID: (member: UUID, order: Int)] {
        guard !members.isEmpty, !items.isEmpty else { return [:] }
        let households = Dictionary(grouping: items) { Self.household($0.address) }
            .map { (key: WalkKey($0.value[0].address), items: $0.value.sorted { $0.id.uuidString < $1.id.uuidString }) }
            .sorted { $0.key < $1.key || (!($1.key < $0.key) && $0.items[0].id.uuidString < $1.items[0].id.uuidString) }
        var plan: [UUID: (member: UUID, order: Int)] = [:]
        var before = 0
        var order = 0
        var lastMember = -1
        for household in households {
            // The member whose equal share holds the middle of this household.
            let middle = 2 * before + household.items.count
            let member = min(members.count - 1, middle * members.count / (2 * items.count))
            if member != lastMember { order = 0; lastMember = member }
            for item in household.items {
                order += 1
                plan[item.id] = (members[member], order)
            }
            before += household.items.count
        }
        return plan
    }
}
