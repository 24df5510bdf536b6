import Foundation

/// One transfer to one beneficiary's account, in the form a bank's file needs it (một dòng bảng kê chi trả).
///
/// The initializers bring every field into the form the ISO 20022 schema and Vietnamese banks accept, or throw:
/// the name in bank form ("NGUYEN VAN DUC"), the account number without spaces, the remittance text in ASCII and
/// at most 140 characters. A value that exists is therefore always writable.
public struct PaymentInstruction: Sendable, Hashable, Codable {
    /// asxh's ID of the payment: a UUID's `uuidString`, or another stable text.
    public let paymentID: String
    /// `EndToEndId`: derived from `paymentID` alone (see `endToEndID(for:)`), so a file sent twice carries the
    /// same IDs and the bank can refuse the duplicates.
    public let endToEndID: String
    /// Whole đồng.
    public let amount: Int64
    /// Upper-case ASCII, as banks store account holders (at most 140 characters, `Max140Text`).
    public let creditorName: String
    /// Domestic account number: letters and digits, at most 34 (`Max34Text`).
    public let creditorAccount: String
    /// The NAPAS BIN of the beneficiary's bank, 6 digits.
    public let creditorBankBIN: String
    /// Transfer content (nội dung chuyển khoản), e.g. "Qua Tet 2024 - Tro cap xa hoi"; ASCII, 1–140 characters.
    public let remittanceInformation: String

    /// Largest amount of one transfer (under a trillion đồng): far above any benefit, low enough that a million of
    /// them still sum within the schema's 18 digits.
    public static let maximumAmount: Int64 = 999_999_999_999

    /// A payment whose ID is a UUID (how asxh keys its records).
    public init(
        paymentID: UUID,
        amount: Int64,
        creditorName: String,
        creditorAccount: String,
        creditorBankBIN: String,
        remittanceInformation: String
    ) throws(PaymentFileError) {
        // Both texts from one pass over the bytes: Foundation's `uuidString` goes through printf on Linux.
        try self.init(paymentID: Self.hex(paymentID, dashes: true), endToEndID: Self.hex(paymentID, dashes: false),
                      amount: amount,
                      creditorName: creditorName, creditorAccount: creditorAccount, creditorBankBIN: creditorBankBIN,
                      remittanceInformation: remittanceInformation)
    }

    /// A payment whose ID is some other stable text (a row reference, a composite key).
    public init(
        paymentID: String,
        amount: Int64,
        creditorName: String,
        creditorAccount: String,
        creditorBankBIN: String,
        remittanceInformation: String
    ) throws(PaymentFileError) {
        guard !paymentID.isEmpty else { throw .invalidField(.paymentID, value: paymentID, paymentID: nil) }
        try self.init(paymentID: paymentID, endToEndID: Self.endToEndID(for: paymentID), amount: amount,
                      creditorName: creditorName, creditorAccount: creditorAccount, creditorBankBIN: creditorBankBIN,
                      remittanceInformation: remittanceInformation)
    }

    private init(
        paymentID: String,
        endToEndID: String,
        amount: Int64,
        creditorName: String,
        creditorAccount: String,
        creditorBankBIN: String,
        remittanceInformation: String
    ) throws(PaymentFileError) {
        guard amount > 0 && amount <= Self.maximumAmount else {
            throw .invalidField(.amount, value: String(amount), paymentID: paymentID)
        }
        let name = PaymentText.bankName(creditorName, maximum: 140)
        guard !name.isEmpty else { throw .invalidField(.creditorName, value: creditorName, paymentID: paymentID) }
        let account = Self.isCompactAccount(creditorAccount) ? creditorAccount : PaymentText.compactAccount(creditorAccount)
        guard Self.isCompactAccount(account) else {
            throw .invalidField(.creditorAccount, value: creditorAccount, paymentID: paymentID)
        }
        guard Self.isBIN(creditorBankBIN) else {
            throw .invalidField(.creditorBankBIN, value: creditorBankBIN, paymentID: paymentID)
        }
        let remittance = PaymentText.ascii(remittanceInformation, maximum: 140)
        guard !remittance.isEmpty else {
            throw .invalidField(.remittanceInformation, value: remittanceInformation, paymentID: paymentID)
        }
        self.paymentID = paymentID
        self.endToEndID = endToEndID
        self.amount = amount
        self.creditorName = name
        self.creditorAccount = account
        self.creditorBankBIN = creditorBankBIN
        self.remittanceInformation = remittance
    }

    // MARK: - Codable

    private enum CodingKeys: String, CodingKey {
        case paymentID, endToEndID, amount, creditorName, creditorAccount, creditorBankBIN, remittanceInformation
    }

    /// Decoding goes through the same checks as the initializers, so a decoded value is as writable as a made one;
    /// the end-to-end ID is derived again from the payment ID.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            paymentID: try container.decode(String.self, forKey: .paymentID),
            amount: try container.decode(Int64.self, forKey: .amount),
            creditorName: try container.decode(String.self, forKey: .creditorName),
            creditorAccount: try container.decode(String.self, forKey: .creditorAccount),
            creditorBankBIN: try container.decode(String.self, forKey: .creditorBankBIN),
            remittanceInformation: try container.decode(String.self, forKey: .remittanceInformation)
        )
    }

    // MARK: - End-to-end IDs

    /// The `EndToEndId` of the payment with this UUID: its 32 hexadecimal digits, upper case, without dashes
    /// (`Max35Text` has no room for the dashes). Reading it back gives the UUID again.
    public static func endToEndID(for paymentID: UUID) -> String {
        self.hex(paymentID, dashes: false)
    }

    /// The UUID an end-to-end ID of the UUID form stands for (either case), nil for any other text.
    public static func paymentID(fromEndToEndID text: String) -> UUID? {
        guard let key = EndToEndKey(text), !key.hashed else { return nil }
        let (high, low) = (key.high.bigEndian, key.low.bigEndian)
        return withUnsafeBytes(of: (high, low)) { raw in
            UUID(uuid: (raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7], raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]))
        }
    }

    /// The UUID's hexadecimal digits, upper case, in the 8-4-4-4-12 form or without dashes.
    static func hex(_ uuid: UUID, dashes: Bool) -> String {
        String(unsafeUninitializedCapacity: dashes ? 36 : 32) { buffer in
            withUnsafeBytes(of: uuid.uuid) { raw in
                var index = 0
                for (offset, byte) in raw.enumerated() {
                    if dashes && (offset == 4 || offset == 6 || offset == 8 || offset == 10) {
                        buffer[index] = UInt8(ascii: "-")
                        index += 1
                    }
                    buffer[index] = Self.hexDigit(byte >> 4)
                    buffer[index + 1] = Self.hexDigit(byte & 0x0F)
                    index += 2
                }
                return index
            }
        }
    }

    @inline(__always)
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }

    /// The `EndToEndId` of a payment with a text ID: as for a UUID when the text is one; otherwise "H" followed by
    /// 32 hexadecimal digits of a 128-bit hash of the text (33 characters, so never equal to a UUID's form).
    public static func endToEndID(for paymentID: String) -> String {
        if let uuid = UUID(uuidString: paymentID) { return self.endToEndID(for: uuid) }
        let (high, low) = PaymentText.hash128(paymentID)
        return "H" + Self.hex(high) + Self.hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    // MARK: - Checks

    static func isBIN(_ text: String) -> Bool {
        text.utf8.count == 6 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static func isCompactAccount(_ text: String) -> Bool {
        let count = text.utf8.count
        guard count >= 1 && count <= 34 else { return false }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "a")...UInt8(ascii: "z"):
                continue
            default:
                return false
            }
        }
        return true
    }
}
