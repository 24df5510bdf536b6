import Foundation

/// The ids of one batch's payments: a time-ordered base (UUID v7) whose last 48 bits count the batch's rows from 1,
/// so a batch's rows arrive at the end of the payments' primary key in order. A database numbers the rows itself
/// (`prefix` followed by the row number as 12 hexadecimal digits); `id(_:)` gives the same id in Swift.
public struct PaymentIDs: Sendable, Equatable {
    /// The base's first 20 hexadecimal digits with their hyphens, upper case: `XXXXXXXX-XXXX-7XXX-XXXX-`.
    public let prefix: String

    public init(base: UUID) {
        self.prefix = String(base.uuidString.prefix(24))
    }

    /// A new batch's ids, based on a fresh UUID v7 made at `now`.
    public init(now: Date) {
        var generator = TimeOrderedUUIDs()
        self.init(base: generator.next(now: now))
    }

    /// The id of the batch's row `number` (1-based, below 2^48).
    public func id(_ number: Int) -> UUID? {
        guard number > 0, number < 1 << 48 else { return nil }
        let digits = String(number, radix: 16, uppercase: true)
        return UUID(uuidString: self.prefix + String(repeating: "0", count: 12 - digits.count) + digits)
    }
}
