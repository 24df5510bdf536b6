/// What became of one payment (kết quả chi trả).
public enum PaymentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The money reached the beneficiary's account (đã chi trả).
    case paid
    /// The bank refused the transfer, the money never left (bị từ chối).
    case rejected
    /// The transfer was made, then came back to the department (bị hoàn trả).
    case returned
    /// The bank has accepted the instruction but not yet settled it (đang xử lý).
    case pending

    /// The word on screens and in exported files.
    public var vietnamese: String {
        switch self {
        case .paid: return "Thành công"
        case .rejected: return "Từ chối"
        case .returned: return "Hoàn trả"
        case .pending: return "Đang xử lý"
        }
    }

    /// The status behind an ISO 20022 transaction or group status code (`TxSts`, `PmtInfSts`, `GrpSts`), or nil for
    /// a code that is not in the external code list.
    ///
    /// - `ACSC` settled on the debtor account, `ACCC` settled on the creditor account → `paid`.
    /// - `RJCT` rejected, `CANC` cancelled → `rejected`.
    /// - `PDNG`, `ACSP`, `ACTC`, `ACCP`, `ACWC`, `ACWP`, `ACFC`, `RCVD`, `PATC`, `PART` (received, accepted at some
    ///   step, or a group partly accepted) → `pending`: the money has not moved yet, or not for every transaction.
    ///
    /// A status report never says `returned`: a return comes after settlement, in a later bank statement; asxh
    /// learns it from the bank's result list ("Hoàn trả").
    public init?(isoCode: String) {
        switch isoCode {
        case "ACSC", "ACCC": self = .paid
        case "RJCT", "CANC": self = .rejected
        case "PDNG", "ACSP", "ACTC", "ACCP", "ACWC", "ACWP", "ACFC", "RCVD", "PATC", "PART": self = .pending
        default: return nil
        }
    }
}
