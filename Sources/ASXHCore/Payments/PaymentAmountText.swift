import Foundation

/// Amounts in đồng as banks write them.
enum PaymentAmountText {
    /// An XML decimal amount in VND: "1500000", "1500000.00"; a fraction other than zeros is refused, since the
    /// đồng has no smaller unit. Nil when the text is not such an amount.
    static func xmlDecimal(_ text: some Collection<UInt8>) -> Int64? {
        var value: Int64 = 0
        var digits = 0
        var inFraction = false
        var started = false
        var ended = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard !ended else { return nil }
                started = true
                if inFraction {
                    if byte != UInt8(ascii: "0") { return nil }
                    continue
                }
                digits += 1
                guard digits <= 18 else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "."):
                guard started, !inFraction, !ended else { return nil }
                inFraction = true
            case 0x20, 0x09, 0x0A, 0x0D:
                if started { ended = true }
            default:
                return nil
            }
        }
        return digits > 0 ? value : nil
    }

    /// An amount from a result list: "1500000", "1.500.000", "1,500,000", "1 500 000", "1.500.000,00",
    /// "1,500,000.00", optionally followed by "đ", "đồng" or "VND". Nil when it is not a whole number of đồng.
    static func listAmount(_ text: String) -> Int64? {
        if let plain = self.xmlDecimal(text.utf8), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return plain }
        var body = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        for unit in ["VND", "vnd", "đồng", "đ", "d"] where body.hasSuffix(unit) {
            body = body.dropLast(unit.count)
            break
        }
        let bytes = Array(body.utf8).filter { $0 != 0x20 && $0 != 0xA0 }
        guard !bytes.isEmpty else { return nil }
        // A trailing decimal part: one separator followed by one or two digits that are all zeros.
        var integer = bytes[...]
        if let last = bytes.lastIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }),
           bytes.count - last - 1 <= 2 {
            guard bytes[(last + 1)...].allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
            integer = bytes[..<last]
        }
        var value: Int64 = 0
        var digits = 0
        var group = -1  // digits since the last thousands separator; -1 before the first separator
        for byte in integer {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 18 else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                if group >= 0 { group += 1 }
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard digits > 0, group == -1 || group == 3 else { return nil }
                group = 0
            default:
                return nil
            }
        }
        guard digits > 0, group == -1 || group == 3 else { return nil }
        return value
    }
}
