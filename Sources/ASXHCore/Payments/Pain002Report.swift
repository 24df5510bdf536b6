/// What a bank's status report (pain.002) says about the file as a whole, filled in while it is read.
///
/// The group status comes before any transaction in the file, so it is known when the first record is handed out;
/// counts are final once the reader returns nil.
public struct Pain002Report: Sendable, Hashable {
    /// `GrpHdr/MsgId` of the report itself.
    public var messageID: String?
    /// `OrgnlGrpInfAndSts/OrgnlMsgId`: the `MsgId` of the pain.001 this report answers.
    public var originalMessageID: String?
    /// `OrgnlMsgNmId`, e.g. "pain.001.001.09".
    public var originalMessageName: String?
    /// `OrgnlNbOfTxs`, when the bank repeats it.
    public var originalCount: Int?
    /// `OrgnlCtrlSum` in đồng, when the bank repeats it.
    public var originalSum: Int64?
    /// `GrpSts` as written (e.g. "PART"), and what it means.
    public var groupStatusCode: String?
    public var groupStatus: PaymentStatus?
    /// The first `StsRsnInf` of the group, for a file rejected as a whole.
    public var groupReason: PaymentReason?
    /// One entry per `OrgnlPmtInfAndSts`, in file order.
    public var paymentInformation: [Pain002PaymentInformationStatus] = []
    /// How many transactions (`TxInfAndSts`) were read, and how many per status.
    public var transactionCount = 0
    public var countByStatus: [PaymentStatus: Int] = [:]

    public init() {}

    /// True when the bank rejected the whole file: every transaction in it is rejected, listed or not.
    public var isRejectedAsWhole: Bool { self.groupStatus == .rejected }
}

/// The status of one payment information block of the original file (`OrgnlPmtInfAndSts`).
public struct Pain002PaymentInformationStatus: Sendable, Hashable {
    /// `OrgnlPmtInfId`.
    public var id: String
    /// `PmtInfSts` as written, and what it means.
    public var statusCode: String?
    public var status: PaymentStatus?
    public var reason: PaymentReason?
    /// How many transactions of the block the report lists.
    public var transactionCount: Int

    public init(id: String, statusCode: String? = nil, status: PaymentStatus? = nil, reason: PaymentReason? = nil,
                transactionCount: Int = 0) {
        self.id = id
        self.statusCode = statusCode
        self.status = status
        self.reason = reason
        self.transactionCount = transactionCount
    }
}
