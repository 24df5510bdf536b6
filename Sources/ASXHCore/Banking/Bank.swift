import Foundation

/// A bank (or e-wallet) that NAPAS routes transfers to, as one row of the bank directory.
///
/// The BIN (mã BIN) is the NAPAS bank identification number: what a VietQR code and a payment file name
/// the bank by. A bank that changed its name keeps its BIN, so the directory holds the old name as a
/// `renamed` row beside the `current` one; `BankDirectory.bank(bin:)` always answers with the current one.
public struct Bank: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Whether the row names a bank as it is called today.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// The bank's name today.
        case current
        /// A former name; the same BIN has a `current` row.
        case renamed
        /// An e-wallet reached through NAPAS (MoMo): a transfer can reach it, but it is not a bank account.
        case eWallet = "e-wallet"
    }

    /// The 6-digit NAPAS BIN.
    public var bin: String
    /// The name people use: "Vietcombank", "MB Bank".
    public var shortName: String
    /// The registered name: "Ngân hàng TMCP Ngoại Thương Việt Nam".
    public var name: String
    /// The SWIFT/BIC code, when the bank has one.
    public var swiftCode: String?
    public var status: Status

    public init(bin: String, shortName: String, name: String, swiftCode: String? = nil, status: Status = .current) {
        self.bin = bin
        self.shortName = shortName
        self.name = name
        self.swiftCode = swiftCode
        self.status = status
    }

    /// "Vietcombank (970436)": how pages and messages name the bank.
    public var description: String { "\(self.shortName) (\(self.bin))" }
}
