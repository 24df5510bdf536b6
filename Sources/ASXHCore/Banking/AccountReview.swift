import Foundation

/// Why a recorded account waits for a second officer before money follows it.
public enum AccountSignal: String, Sendable, Hashable, Codable, CaseIterable {
    /// The holder is an authorised representative, not the beneficiary.
    case representative
    /// It replaces an account that was already verified (a change of where the money goes).
    case replacesVerified
    /// The same account is already the verified account of someone outside this household.
    case sharedAccount

    public var vietnamese: String {
        switch self {
        case .representative: return "Tài khoản người được ủy quyền"
        case .replacesVerified: return "Thay tài khoản đã xác minh"
        case .sharedAccount: return "Trùng tài khoản với người khác hộ"
        }
    }

    public var english: String {
        switch self {
        case .representative: return "An authorised representative's account"
        case .replacesVerified: return "Replaces a verified account"
        case .sharedAccount: return "Same account as someone outside the household"
        }
    }
}

/// The rules money follows in step 5 (fraud and error signals, four eyes), apart from any storage.
public enum AccountReview {
    /// What a second officer must look at; empty means the account is verified when recorded (the beneficiary's own
    /// new account, shared with nobody outside the household).
    public static func signals(ownership: AccountOwnership.Decision, replacesVerified: Bool, sharedOutsideHousehold: Bool) -> [AccountSignal] {
        var signals: [AccountSignal] = []
        if case .representative = ownership { signals.append(.representative) }
        if replacesVerified { signals.append(.replacesVerified) }
        if sharedOutsideHousehold { signals.append(.sharedAccount) }
        return signals
    }

    /// Whoever recorded or changed an account never approves it.
    public static func checkApproval(recordedBy: UUID, approver: UUID) -> OwnershipRefusal? {
        recordedBy == approver ? .approverIsRecorder : nil
    }

    /// An account that replaced another this many days or fewer before a batch holds its payment for approval:
    /// a last-minute change of destination is how benefits are diverted.
    public static let holdWindowDays = 7

    /// Whether a payment to an account that became verified on `changedOn` (replacing another) waits for approval in
    /// a batch made on `batchDay`.
    public static func holdsPayment(replacedOn changedOn: CalendarDay?, batchDay: CalendarDay) -> Bool {
        guard let changedOn else { return false }
        return changedOn.adding(days: Self.holdWindowDays) >= batchDay
    }
}

/// How a person is paid in a cycle.
public enum PaymentChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case account
    case cash

    public var vietnamese: String { self == .account ? "Chuyển khoản" : "Tiền mặt" }
    public var english: String { self == .account ? "Bank transfer" : "Cash" }

    /// Account payment for everyone with a verified account who did not decline it (class B) and whose support plan
    /// is not cash; cash for everyone else, so nobody entitled is left out.
    public static func decide(caseClass: CaseClass?, supportPlan: SupportPlanKind?, hasVerifiedAccount: Bool) -> PaymentChannel {
        guard hasVerifiedAccount else { return .cash }
        switch caseClass {
        case .b?: return .cash
        case .c?: return supportPlan == .cashAtHome || supportPlan == .cashAtOffice ? .cash : .account
        default: return .account
        }
    }
}
