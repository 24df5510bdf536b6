/// What a bank reported for one payment, read from its status report (pain.002) or its result list (CSV).
public struct PaymentResultRecord: Sendable, Hashable, Codable {
    /// The `EndToEndId` asxh sent, as the bank returned it.
    public var endToEndID: String
    public var status: PaymentStatus
    /// The bank's reason, for a rejected or returned payment (and sometimes a pending one).
    public var reason: PaymentReason?
    /// The amount the bank quotes, in đồng, when it quotes one.
    public var amount: Int64?
    /// The bank's own reference for the transfer, when given.
    public var bankReference: String?

    public init(
        endToEndID: String,
        status: PaymentStatus,
        reason: PaymentReason? = nil,
        amount: Int64? = nil,
        bankReference: String? = nil
    ) {
        self.endToEndID = endToEndID
        self.status = status
        self.reason = reason
        self.amount = amount
        self.bankReference = bankReference
    }
}
