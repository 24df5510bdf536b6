import Foundation

/// Why a bank rejected or returned a payment, as an ISO 20022 status reason code (`ExternalStatusReason1Code`).
///
/// The codes banks use for beneficiaries' accounts have a case of their own; any other code is kept verbatim in
/// `other`, so nothing a bank says is lost.
public enum PaymentReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// AC01: the account number is wrong or does not exist.
    case wrongAccountNumber
    /// AC04: the account is closed.
    case closedAccount
    /// AC06: the account is blocked.
    case blockedAccount
    /// BE01: the beneficiary's name does not match the account holder.
    case nameMismatch
    /// MS03: the bank gave no reason.
    case unspecified
    /// Any other code (or a bank's proprietary reason), as written.
    case other(String)

    /// Reads a code; surrounding spaces are dropped, case is kept for unknown codes.
    public init(code: String) {
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        switch trimmed.uppercased() {
        case "AC01": self = .wrongAccountNumber
        case "AC04": self = .closedAccount
        case "AC06": self = .blockedAccount
        case "BE01": self = .nameMismatch
        case "MS03": self = .unspecified
        default: self = .other(trimmed)
        }
    }

    /// The ISO 20022 code, or the bank's text for `other`.
    public var code: String {
        switch self {
        case .wrongAccountNumber: return "AC01"
        case .closedAccount: return "AC04"
        case .blockedAccount: return "AC06"
        case .nameMismatch: return "BE01"
        case .unspecified: return "MS03"
        case .other(let code): return code
        }
    }

    public var vietnamese: String {
        switch self {
        case .wrongAccountNumber: return "Số tài khoản không đúng hoặc không tồn tại"
        case .closedAccount: return "Tài khoản đã đóng"
        case .blockedAccount: return "Tài khoản bị phong tỏa"
        case .nameMismatch: return "Tên người nhận không khớp với chủ tài khoản"
        case .unspecified: return "Ngân hàng không nêu lý do"
        case .other(let code): return "Mã lý do của ngân hàng: \(code)"
        }
    }

    public var english: String {
        switch self {
        case .wrongAccountNumber: return "Wrong or unknown account number"
        case .closedAccount: return "Account closed"
        case .blockedAccount: return "Account blocked"
        case .nameMismatch: return "Beneficiary name does not match the account holder"
        case .unspecified: return "No reason given by the bank"
        case .other(let code): return "Bank reason code: \(code)"
        }
    }

    public var description: String { self.code }

    public init(from decoder: any Decoder) throws {
        self.init(code: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.code)
    }
}
