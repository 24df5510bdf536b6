/// The number of payments in a file (or a part of it) and their sum in đồng: what a bank checks a file against
/// before paying (ISO 20022 `NbOfTxs` and `CtrlSum`).
public struct ControlTotals: Sendable, Hashable, Codable, CustomStringConvertible {
    public var count: Int
    /// Sum of the amounts in đồng.
    public var sum: Int64

    public static let zero = ControlTotals(count: 0, sum: 0)

    public init(count: Int, sum: Int64) {
        self.count = count
        self.sum = sum
    }

    /// The totals of `amounts`.
    public init(amounts: some Sequence<Int64>) {
        self = .zero
        for amount in amounts { self.add(amount) }
    }

    /// Counts one more payment of `amount` đồng.
    public mutating func add(_ amount: Int64) {
        self.count += 1
        self.sum += amount
    }

    /// Adds the totals of another part (a bank's file into the batch, a payment information block into the file).
    public mutating func merge(_ other: ControlTotals) {
        self.count += other.count
        self.sum += other.sum
    }

    public static func + (lhs: ControlTotals, rhs: ControlTotals) -> ControlTotals {
        var total = lhs
        total.merge(rhs)
        return total
    }

    public static func += (lhs: inout ControlTotals, rhs: ControlTotals) {
        lhs.merge(rhs)
    }

    public var description: String { "\(self.count) giao dịch / transactions, \(self.sum) đồng" }
}
