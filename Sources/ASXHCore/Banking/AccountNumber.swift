import Foundation

/// A bank account number (số tài khoản) as banks store it: digits only, separators removed.
///
/// Officers copy numbers from passbooks and phone screens that group digits ("0011 0023 4567", "1500-205-123456");
/// the groups are dropped. Only digits are accepted: the alphanumeric virtual accounts some VietQR codes carry
/// are not accounts a benefit can be paid into.
public struct AccountNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The digits.
    public let digits: String

    /// The lengths any bank's account number may have when the bank has no rule of its own: NAPAS carries
    /// account numbers of up to 19 characters, and no Vietnamese bank issues fewer than 6 digits.
    public static let generalLengths = 6...19

    /// Account-number lengths by BIN, only where the bank's numbering is settled: most banks now let customers
    /// pick "số đẹp" numbers or use their phone number, so their lengths vary and the general range applies.
    /// Agribank issues 13-digit numbers from its core system.
    public static let knownLengths: [String: [Int]] = [
        "970405": [13],
    ]

    /// Checks a number as typed. `bank`, when known, applies that bank's length rule from `lengths`.
    public init(_ text: String, bank: Bank? = nil, lengths: [String: [Int]] = AccountNumber.knownLengths) throws(AccountProblem) {
        let compact = Self.stripped(text)
        guard !compact.isEmpty else { throw .empty }
        if let bad = compact.first(where: { !($0.isASCII && $0.isNumber) }) { throw .notDigits(bad) }
        let length = compact.count
        if let bank, let allowed = lengths[bank.bin], !allowed.isEmpty {
            guard allowed.contains(length) else { throw .wrongLengthForBank(bank, allowed: allowed.sorted()) }
        } else if length < Self.generalLengths.lowerBound {
            throw .tooShort(length)
        } else if length > Self.generalLengths.upperBound {
            throw .tooLong(length)
        }
        self.digits = compact
    }

    /// The same check as a `Result`, for code that collects problems.
    public static func check(_ text: String, bank: Bank? = nil, lengths: [String: [Int]] = AccountNumber.knownLengths)
        -> Result<AccountNumber, AccountProblem>
    {
        Result { () throws(AccountProblem) in try AccountNumber(text, bank: bank, lengths: lengths) }
    }

    /// The text without the separators people group digits with: spaces of any kind, dots, dashes.
    public static func stripped(_ text: String) -> String {
        String(text.filter { !($0.isWhitespace || Self.separators.contains($0)) })
    }

    private static let separators: Set<Character> = [".", "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}"]

    public var description: String { self.digits }
}

/// Why a text is not an account number. Each case says precisely what to fix.
public enum AccountProblem: Error, Sendable, Hashable {
    /// Nothing but separators.
    case empty
    /// A character that is not a digit (the first one found).
    case notDigits(Character)
    /// Fewer digits than any bank issues (6).
    case tooShort(Int)
    /// More digits than NAPAS carries (19).
    case tooLong(Int)
    /// The bank issues numbers of other lengths.
    case wrongLengthForBank(Bank, allowed: [Int])

    /// A stable snake_case code for reports and logs.
    public var code: String {
        switch self {
        case .empty: "empty"
        case .notDigits: "not_digits"
        case .tooShort: "too_short"
        case .tooLong: "too_long"
        case .wrongLengthForBank: "wrong_length_for_bank"
        }
    }

    public var messageVI: String {
        switch self {
        case .empty:
            return "Số tài khoản bị trống."
        case .notDigits(let character):
            return "Số tài khoản chỉ gồm chữ số, nhưng có ký tự \"\(character)\"."
        case .tooShort(let length):
            return "Số tài khoản quá ngắn: \(length) chữ số (ít nhất \(AccountNumber.generalLengths.lowerBound))."
        case .tooLong(let length):
            return "Số tài khoản quá dài: \(length) chữ số (nhiều nhất \(AccountNumber.generalLengths.upperBound))."
        case .wrongLengthForBank(let bank, let allowed):
            return "Số tài khoản \(bank.shortName) có \(Self.list(allowed, or: "hoặc")) chữ số."
        }
    }

    public var messageEN: String {
        switch self {
        case .empty:
            return "The account number is empty."
        case .notDigits(let character):
            return "An account number has digits only; this one has \"\(character)\"."
        case .tooShort(let length):
            return "The account number is too short: \(length) digits (at least \(AccountNumber.generalLengths.lowerBound))."
        case .tooLong(let length):
            return "The account number is too long: \(length) digits (at most \(AccountNumber.generalLengths.upperBound))."
        case .wrongLengthForBank(let bank, let allowed):
            return "\(bank.shortName) account numbers have \(Self.list(allowed, or: "or")) digits."
        }
    }

    private static func list(_ lengths: [Int], or word: String) -> String {
        let texts = lengths.map(String.init)
        guard texts.count > 1 else { return texts.first ?? "" }
        return texts.dropLast().joined(separator: ", ") + " \(word) " + texts.last!
    }
}
