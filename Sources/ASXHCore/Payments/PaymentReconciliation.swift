/// Sets a bank's results against the payments of the file they answer (đối soát kết quả chi trả): which payments
/// were paid, rejected, returned or are still open, which results name a payment the file never held, and which
/// contradict an earlier result.
///
/// Use one reconciliation per file sent to a bank: a group status ("the whole file is rejected") speaks for that
/// file only, and `settleUnreported` checks that the report answers it. Keys are kept compact (asxh's end-to-end
/// IDs are hexadecimal, read as two 64-bit words), so a million payments take some tens of megabytes.
public struct PaymentReconciliation: Sendable {
    /// What one result did.
    public enum Outcome: Sendable, Hashable {
        /// The first result for this payment.
        case recorded
        /// A later, final word: pending → paid / rejected / returned, or paid → returned.
        case updated(from: PaymentStatus)
        /// The same status again (a report read twice): nothing changes.
        case repeated
        /// A pending status after a final one (an older report read late): the final status stays.
        case outdated(current: PaymentStatus)
        /// A final status that contradicts an earlier final one (paid, then rejected): kept as it was, for a person
        /// to look at.
        case conflict(previous: PaymentStatus)
        /// No payment of the file has this end-to-end ID.
        case unknownEndToEndID
        /// The bank quotes another amount than was sent: not recorded, for a person to look at.
        case amountMismatch(expected: Int64)
    }

    private struct Entry: Sendable {
        var amount: Int64
        var status: PaymentStatus?
    }

    /// The pain.001 `MsgId` the results must answer (checked by `settleUnreported`).
    public let messageID: String?
    /// Count and sum of the payments expected.
    public private(set) var expectedTotals = ControlTotals.zero
    private var entries: [EndToEndKey: Entry] = [:]
    private var otherEntries: [String: Entry] = [:]
    private var totalsByStatus: [PaymentStatus: ControlTotals] = [:]

    /// `messageID` is the `MsgId` of the file sent; `expectedCount` reserves room.
    public init(messageID: String? = nil, expectedCount: Int = 0) {
        self.messageID = messageID
        self.entries.reserveCapacity(expectedCount)
    }

    /// Adds a payment of the file.
    public mutating func expect(_ instruction: PaymentInstruction) throws(PaymentFileError) {
        try self.expect(endToEndID: instruction.endToEndID, amount: instruction.amount)
    }

    /// Adds a payment of the file by its end-to-end ID and amount (as the server keeps them).
    public mutating func expect(endToEndID: String, amount: Int64) throws(PaymentFileError) {
        let entry = Entry(amount: amount, status: nil)
        if let key = EndToEndKey(endToEndID) {
            guard self.entries.updateValue(entry, forKey: key) == nil else { throw .duplicateEndToEndID(endToEndID) }
        } else {
            guard self.otherEntries.updateValue(entry, forKey: endToEndID) == nil else {
                throw .duplicateEndToEndID(endToEndID)
            }
        }
        self.expectedTotals.add(amount)
    }

    /// Applies one result.
    @discardableResult
    public mutating func record(_ result: PaymentResultRecord) -> Outcome {
        if let key = EndToEndKey(result.endToEndID), self.entries[key] != nil {
            return Self.apply(result, to: &self.entries[key]!, totals: &self.totalsByStatus)
        }
        if self.otherEntries[result.endToEndID] != nil {
            return Self.apply(result, to: &self.otherEntries[result.endToEndID]!, totals: &self.totalsByStatus)
        }
        return .unknownEndToEndID
    }

    /// The latest status of a payment, nil when no result named it yet (or it is not in the file).
    public func status(of endToEndID: String) -> PaymentStatus? {
        if let key = EndToEndKey(endToEndID) { return self.entries[key]?.status }
        return self.otherEntries[endToEndID]?.status
    }

    /// Count and expected sum of the payments with each latest status.
    public func totals(_ status: PaymentStatus) -> ControlTotals {
        self.totalsByStatus[status] ?? .zero
    }

    /// Count and sum of the payments no result has named yet.
    public var unreportedTotals: ControlTotals {
        var reported = ControlTotals.zero
        for totals in self.totalsByStatus.values { reported.merge(totals) }
        return ControlTotals(count: self.expectedTotals.count - reported.count,
                             sum: self.expectedTotals.sum - reported.sum)
    }

    /// The file's payments by the bank's latest word: issued (every payment expected), paid, failed (rejected or
    /// returned) and pending (a pending word or none yet): what the payments should hold once the results are written.
    public var statusTotals: (issued: ControlTotals, paid: ControlTotals, failed: ControlTotals, pending: ControlTotals) {
        (self.expectedTotals, self.totals(.paid), self.totals(.rejected) + self.totals(.returned), self.unreportedTotals + self.totals(.pending))
    }

    /// The end-to-end IDs no result has named yet, sorted.
    public func unreportedEndToEndIDs() -> [String] {
        var keys = self.entries.compactMap { $0.value.status == nil ? $0.key : nil }
        keys.sort { ($0.hashed ? 1 : 0, $0.high, $0.low) < ($1.hashed ? 1 : 0, $1.high, $1.low) }
        let others = self.otherEntries.compactMap { $0.value.status == nil ? $0.key : nil }.sorted()
        return keys.map(\.string) + others
    }

    /// Applies a report's group status to every payment the report did not list: a file rejected as a whole
    /// rejects them (with the group's reason), a file settled as a whole (`ACSC`, `ACCC`) pays them; a pending or
    /// partial group status settles nothing. Calls `body` with each result it makes; returns how many.
    /// Throws when the report answers another file than `messageID`.
    @discardableResult
    public mutating func settleUnreported(
        with report: Pain002Report,
        _ body: (PaymentResultRecord) throws -> Void = { _ in }
    ) throws -> Int {
        guard let messageID = self.messageID, report.originalMessageID == messageID else {
            throw PaymentFileError.reportForAnotherFile(expected: self.messageID ?? "", found: report.originalMessageID ?? "")
        }
        guard let status = report.groupStatus, status == .paid || status == .rejected else { return 0 }
        let reason = status == .rejected ? report.groupReason ?? .unspecified : nil
        var settled = 0
        for id in self.unreportedEndToEndIDs() {
            let result = PaymentResultRecord(endToEndID: id, status: status, reason: reason)
            self.record(result)
            try body(result)
            settled += 1
        }
        return settled
    }

    private static func apply(
        _ result: PaymentResultRecord,
        to entry: inout Entry,
        totals: inout [PaymentStatus: ControlTotals]
    ) -> Outcome {
        if let amount = result.amount, amount != entry.amount { return .amountMismatch(expected: entry.amount) }
        let outcome: Outcome
        switch (entry.status, result.status) {
        case (nil, _):
            outcome = .recorded
        case (let previous?, let next) where previous == next:
            return .repeated
        case (.pending?, _), (.paid?, .returned):
            outcome = .updated(from: entry.status!)
        case (let previous?, .pending):
            return .outdated(current: previous)
        case (let previous?, _):
            return .conflict(previous: previous)
        }
        if let previous = entry.status {
            totals[previous, default: .zero].merge(ControlTotals(count: -1, sum: -entry.amount))
        }
        totals[result.status, default: .zero].add(entry.amount)
        entry.status = result.status
        return outcome
    }
}

/// An end-to-end ID of asxh's two forms (32 hexadecimal digits, or "H" and 32), as two 64-bit words.
struct EndToEndKey: Hashable, Sendable {
    let high: UInt64
    let low: UInt64
    let hashed: Bool

    init?(_ text: String) {
        var utf8 = Array(text.utf8)[...]
        var hashed = false
        if utf8.count == 33 && (utf8.first == UInt8(ascii: "H") || utf8.first == UInt8(ascii: "h")) {
            hashed = true
            utf8 = utf8.dropFirst()
        }
        guard utf8.count == 32 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (offset, byte) in utf8.enumerated() {
            guard let digit = XMLBytes.hexValue(byte) else { return nil }
            if offset < 16 { high = high << 4 | UInt64(digit) } else { low = low << 4 | UInt64(digit) }
        }
        self.high = high
        self.low = low
        self.hashed = hashed
    }

    /// The ID as asxh writes it (upper case).
    var string: String {
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16, uppercase: true)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return (self.hashed ? "H" : "") + hex(self.high) + hex(self.low)
    }
}
