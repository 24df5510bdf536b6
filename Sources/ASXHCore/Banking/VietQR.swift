import Foundation

/// A VietQR code: the NAPAS profile of the EMVCo merchant-presented QR payload that Vietnamese banking apps show
/// for "receive money" and scan to transfer (NAPAS 24/7 inter-bank fund transfer).
///
/// The payload is a run of TLV objects (2-digit tag, 2-digit length, value). Tag 38 holds sub-objects:
/// 00 the NAPAS GUID `A000000727`, 01 the beneficiary (00 acquirer BIN, 01 account or card number), 02 the
/// service (`QRIBFTTA` to an account, `QRIBFTTC` to a card). Top level: 00 format "01", 01 point of initiation
/// (11 static, 12 dynamic with an amount), 53 currency 704, 54 amount, 58 country VN, 62 additional data
/// (08 purpose), 63 CRC-16/CCITT-FALSE over everything up to and including "6304".
///
/// Parsing reads what the code holds: an alphanumeric virtual account is parsed as it is, and only refused when
/// it is recorded as a benefit account (`AccountNumber`).
public struct VietQR: Sendable, Hashable {
    /// The transfer the code asks for.
    public enum Service: String, Sendable, Hashable, CaseIterable {
        /// To an account number (QRIBFTTA).
        case toAccount = "QRIBFTTA"
        /// To a card number (QRIBFTTC).
        case toCard = "QRIBFTTC"
    }

    /// The beneficiary bank's NAPAS BIN.
    public var bin: String
    /// The account (or card) number as the code holds it.
    public var account: String
    public var service: Service
    /// The amount in đồng, for a dynamic code.
    public var amount: Int?
    /// The purpose (nội dung chuyển khoản), tag 62-08.
    public var message: String?
    /// Point of initiation 12: a code made for one payment.
    public var isDynamic: Bool

    /// The NAPAS GUID that marks tag 38 as VietQR.
    public static let guid = "A000000727"
    /// Longest account or card number (NAPAS: 19 characters).
    public static let maximumAccountLength = 19
    /// Longest purpose text (NAPAS: 25 characters).
    public static let maximumMessageLength = 25
    /// Longest amount text (EMVCo tag 54: 13 characters).
    public static let maximumAmountLength = 13

    public init(bin: String, account: String, service: Service = .toAccount, amount: Int? = nil, message: String? = nil,
                isDynamic: Bool? = nil) {
        self.bin = bin
        self.account = account
        self.service = service
        self.amount = amount
        self.message = message
        self.isDynamic = isDynamic ?? (amount != nil)
    }

    // MARK: Parsing

    /// Reads a scanned payload. Surrounding whitespace (scanners add a line break) is ignored; the CRC is
    /// compared without regard to case.
    public static func parse(_ payload: String) throws(VietQRError) -> VietQR {
        let text = payload.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .empty }
        let objects = try Self.objects(Array(text.unicodeScalars), from: 0)
        guard let crc = objects.last, crc.tag == "63" else { throw .missingCRC }
        guard crc.value.count == 4 else { throw .badCRC(expected: "", found: crc.value) }
        // The CRC covers its own tag and length: everything but its 4-character value.
        let covered = String(text.unicodeScalars.dropLast(4))
        let expected = Self.crcText(covered)
        guard crc.value.uppercased() == expected else { throw .badCRC(expected: expected, found: crc.value) }

        let top = Dictionary(objects.map { ($0.tag, $0) }, uniquingKeysWith: { first, _ in first })
        if let format = top["00"]?.value, format != "01" { throw .unsupportedFormat(format) }
        // VietQR puts the NAPAS template in tag 38; look in the other merchant-account tags (26–51) too.
        let templates = ["38"] + (26...51).map { String($0) }.filter { $0 != "38" }
        var napas: [String: TLV]?
        for tag in templates {
            guard let object = top[tag], let inner = try? Self.objects(Array(object.value.unicodeScalars), from: 0)
            else { continue }
            let fields = Dictionary(inner.map { ($0.tag, $0) }, uniquingKeysWith: { first, _ in first })
            if fields["00"]?.value.uppercased() == Self.guid {
                napas = fields
                break
            }
        }
        guard let napas else { throw .notVietQR }
        guard let beneficiary = napas["01"] else { throw .missingBIN }
        let parts = try Self.objects(Array(beneficiary.value.unicodeScalars), from: 0)
        let beneficiaryFields = Dictionary(parts.map { ($0.tag, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let bin = beneficiaryFields["00"], !bin.isEmpty else { throw .missingBIN }
        guard bin.utf8.count == 6, bin.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw .badBIN(bin) }
        guard let account = beneficiaryFields["01"], !account.isEmpty else { throw .missingAccount }
        let serviceCode = napas["02"]?.value ?? ""
        guard let service = Service(rawValue: serviceCode.uppercased()) else { throw .unknownService(serviceCode) }
        if let currency = top["53"]?.value, currency != "704" { throw .wrongCurrency(currency) }

        var amount: Int?
        if let text = top["54"]?.value { amount = try Self.amount(text) }
        var message: String?
        if let additional = top["62"],
            let inner = try? Self.objects(Array(additional.value.unicodeScalars), from: 0),
            let purpose = inner.first(where: { $0.tag == "08" })?.value, !purpose.isEmpty
        {
            message = purpose
        }
        let isDynamic = top["01"]?.value == "12"
        return VietQR(bin: bin, account: account, service: service, amount: amount, message: message, isDynamic: isDynamic)
    }

    /// An EMVCo amount in đồng: digits, with an optional fraction that must be zero (the đồng has no cents).
    private static func amount(_ text: String) throws(VietQRError) -> Int {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty,
            whole.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            parts.count == 1 || parts[1].utf8.allSatisfy({ $0 == 0x30 }),
            text.utf8.count <= Self.maximumAmountLength, let value = Int(whole), value > 0
        else { throw .badAmount(text) }
        return value
    }

    struct TLV {
        var tag: String
        var value: String
    }

    /// The objects of a TLV run, which must end exactly at the end of the text.
    static func objects(_ scalars: [Unicode.Scalar], from start: Int) throws(VietQRError) -> [TLV] {
        var objects: [TLV] = []
        var index = start
        while index < scalars.count {
            guard index + 4 <= scalars.count else { throw .truncated(position: index) }
            let head = scalars[index..<(index + 4)]
            guard head.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }) else { throw .truncated(position: index) }
            var tag = String.UnicodeScalarView()
            tag.append(contentsOf: head.prefix(2))
            var lengthText = String.UnicodeScalarView()
            lengthText.append(contentsOf: head.suffix(2))
            let length = Int(String(lengthText))!
            let valueStart = index + 4
            guard valueStart + length <= scalars.count else { throw .truncated(position: index) }
            var value = String.UnicodeScalarView()
            value.append(contentsOf: scalars[valueStart..<(valueStart + length)])
            objects.append(TLV(tag: String(tag), value: String(value)))
            index = valueStart + length
        }
        return objects
    }

    // MARK: Making

    /// The payload for a transfer to `account` at the bank with `bin`: static (point of initiation 11) without an
    /// amount, dynamic (12) with one. Diacritics are removed from `message` ("Chuyển tiền" → "Chuyen tien"), as
    /// banks carry only ASCII; other characters outside printable ASCII are dropped.
    public static func make(
        bin: String, account: String, service: Service = .toAccount, amount: Int? = nil, message: String? = nil
    ) throws(VietQRError) -> String {
        guard bin.utf8.count == 6, bin.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw .badBIN(bin) }
        guard !account.isEmpty else { throw .missingAccount }
        guard account.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            account.utf8.count <= Self.maximumAccountLength
        else { throw .badAccount(account) }
        if let amount {
            guard amount > 0, String(amount).utf8.count <= Self.maximumAmountLength else { throw .badAmount(String(amount)) }
        }
        let purpose = message.map(Self.asciiMessage) ?? ""
        guard purpose.utf8.count <= Self.maximumMessageLength else { throw .messageTooLong(purpose.utf8.count) }

        let beneficiary = Self.tlv("00", bin) + Self.tlv("01", account)
        let template = Self.tlv("00", Self.guid) + Self.tlv("01", beneficiary) + Self.tlv("02", service.rawValue)
        var payload = Self.tlv("00", "01") + Self.tlv("01", amount == nil ? "11" : "12") + Self.tlv("38", template)
        payload += Self.tlv("53", "704")
        if let amount { payload += Self.tlv("54", String(amount)) }
        payload += Self.tlv("58", "VN")
        if !purpose.isEmpty { payload += Self.tlv("62", Self.tlv("08", purpose)) }
        payload += "6304"
        return payload + Self.crcText(payload)
    }

    /// This code's payload (see `make`).
    public func payload() throws(VietQRError) -> String {
        try Self.make(bin: self.bin, account: self.account, service: self.service, amount: self.amount, message: self.message)
    }

    private static func tlv(_ tag: String, _ value: String) -> String {
        let length = value.unicodeScalars.count
        return tag + (length < 10 ? "0" : "") + String(length) + value
    }

    /// Printable ASCII without diacritics, single spaces; dashes and curly quotes become their ASCII forms.
    static func asciiMessage(_ text: String) -> String {
        let stripped = text.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        var pendingSpace = false
        for original in stripped.unicodeScalars {
            var scalar = original
            switch original.value {
            case 0x2010...0x2015, 0x2212: scalar = "-"
            case 0x2018, 0x2019: scalar = "'"
            case 0x201C, 0x201D: scalar = "\""
            default: break
            }
            if scalar.properties.isWhitespace {
                pendingSpace = true
            } else if scalar.value > 0x20 && scalar.value < 0x7F {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: CRC

    /// CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR) of the UTF-8
    /// bytes, as EMVCo specifies for tag 63.
    public static func crc16(_ text: String) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in text.utf8 {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }

    /// The CRC as tag 63 writes it: 4 upper-case hexadecimal digits.
    static func crcText(_ text: String) -> String {
        let hex = String(Self.crc16(text), radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }
}

/// Why a payload is not a usable VietQR code, or a code cannot be made.
public enum VietQRError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing was scanned.
    case empty
    /// A TLV object runs past the end of its text, or its tag or length is not digits (0-based position).
    case truncated(position: Int)
    /// The payload does not end with a CRC object (tag 63).
    case missingCRC
    /// The CRC does not match: the code was misread or altered.
    case badCRC(expected: String, found: String)
    /// Payload format (tag 00) other than "01".
    case unsupportedFormat(String)
    /// No NAPAS template (GUID A000000727): an EMVCo code, but not a VietQR transfer.
    case notVietQR
    /// The beneficiary's bank BIN is missing.
    case missingBIN
    /// A BIN that is not 6 digits.
    case badBIN(String)
    /// The account or card number is missing.
    case missingAccount
    /// An account that cannot go into a code (spaces, non-ASCII, more than 19 characters).
    case badAccount(String)
    /// A service code other than QRIBFTTA and QRIBFTTC.
    case unknownService(String)
    /// A currency other than 704 (đồng).
    case wrongCurrency(String)
    /// An amount that is not a positive whole number of đồng.
    case badAmount(String)
    /// A purpose longer than 25 characters.
    case messageTooLong(Int)

    /// A stable code for logs and API responses.
    public var code: String {
        switch self {
        case .empty: "vietqr.empty"
        case .truncated: "vietqr.truncated"
        case .missingCRC: "vietqr.missing_crc"
        case .badCRC: "vietqr.bad_crc"
        case .unsupportedFormat: "vietqr.unsupported_format"
        case .notVietQR: "vietqr.not_vietqr"
        case .missingBIN: "vietqr.missing_bin"
        case .badBIN: "vietqr.bad_bin"
        case .missingAccount: "vietqr.missing_account"
        case .badAccount: "vietqr.bad_account"
        case .unknownService: "vietqr.unknown_service"
        case .wrongCurrency: "vietqr.wrong_currency"
        case .badAmount: "vietqr.bad_amount"
        case .messageTooLong: "vietqr.message_too_long"
        }
    }

    public var messageVI: String {
        switch self {
        case .empty: "Chưa quét được mã QR."
        case .truncated(let position): "Mã QR bị cắt hoặc sai cấu trúc (vị trí \(position))."
        case .missingCRC: "Mã QR thiếu mã kiểm tra (CRC)."
        case .badCRC: "Mã kiểm tra (CRC) của mã QR không khớp: mã bị đọc sai hoặc bị sửa."
        case .unsupportedFormat(let format): "Định dạng mã QR \"\(format)\" không được hỗ trợ."
        case .notVietQR: "Đây không phải mã VietQR chuyển khoản ngân hàng."
        case .missingBIN: "Mã VietQR thiếu mã BIN ngân hàng."
        case .badBIN(let bin): "Mã BIN \"\(bin)\" phải gồm 6 chữ số."
        case .missingAccount: "Mã VietQR thiếu số tài khoản hoặc số thẻ."
        case .badAccount(let account): "Số tài khoản \"\(account)\" không đưa được vào mã VietQR (tối đa 19 ký tự, không dấu, không khoảng trắng)."
        case .unknownService(let code): "Loại dịch vụ \"\(code)\" không phải chuyển khoản đến tài khoản hay thẻ."
        case .wrongCurrency(let currency): "Mã tiền tệ \"\(currency)\" không phải đồng Việt Nam (704)."
        case .badAmount(let amount): "Số tiền \"\(amount)\" không hợp lệ (số nguyên đồng, lớn hơn 0)."
        case .messageTooLong(let length): "Nội dung chuyển khoản dài \(length) ký tự, tối đa 25."
        }
    }

    public var messageEN: String {
        switch self {
        case .empty: "Nothing was scanned."
        case .truncated(let position): "The QR payload is cut short or malformed (position \(position))."
        case .missingCRC: "The QR payload has no CRC."
        case .badCRC: "The QR payload's CRC does not match: it was misread or altered."
        case .unsupportedFormat(let format): "Payload format \"\(format)\" is not supported."
        case .notVietQR: "This is not a VietQR bank-transfer code."
        case .missingBIN: "The VietQR code has no bank BIN."
        case .badBIN(let bin): "BIN \"\(bin)\" must be 6 digits."
        case .missingAccount: "The VietQR code has no account or card number."
        case .badAccount(let account): "Account \"\(account)\" cannot go into a VietQR code (at most 19 ASCII characters, no spaces)."
        case .unknownService(let code): "Service \"\(code)\" is neither a transfer to an account nor to a card."
        case .wrongCurrency(let currency): "Currency \"\(currency)\" is not the Vietnamese đồng (704)."
        case .badAmount(let amount): "Amount \"\(amount)\" is not a positive whole number of đồng."
        case .messageTooLong(let length): "The purpose has \(length) characters; at most 25."
        }
    }

    public var description: String { "\(self.code): \(self.messageEN)" }
}
