import Foundation

/// Text rules for bank files: what the ISO 20022 schemas allow (`Max35Text`, `Max140Text` …) and what Vietnamese
/// banks' transfer systems accept (ASCII without diacritics in names and transfer content).
enum PaymentText {
    /// `text` with diacritics removed (Đ → D), control characters and runs of whitespace turned into one space,
    /// trimmed, and cut to `maximum` characters. Case and punctuation are kept: "Quà Tết 2024 – Hộ nghèo"
    /// → "Qua Tet 2024 - Ho ngheo".
    static func ascii(_ text: String, maximum: Int) -> String {
        if self.isCleanASCII(text, maximum: maximum) { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(text.utf8.count, maximum + 1))
        var pendingSpace = false
        func append(_ byte: UInt8) {
            if byte == 0x20 {
                pendingSpace = !bytes.isEmpty
                return
            }
            if pendingSpace {
                bytes.append(0x20)
                pendingSpace = false
            }
            bytes.append(byte)
        }
        // Decomposed input (NFD) needs no normalising: its base letters are ASCII and its marks are dropped.
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x21...0x7E: append(UInt8(value))
            case 0x20, 0x09, 0x0A, 0x0D: append(0x20)
            case 0x300...0x36F: continue  // combining marks
            case 0xC0..<0x250, 0x1E00..<0x1F00:
                let base = self.latinBase[Int(value < 0x250 ? value - 0xC0 : value - 0x1E00 + 0x190)]
                if base != 0 { append(base) }
            case 0x2010...0x2015, 0x2212: append(UInt8(ascii: "-"))
            case 0x2018, 0x2019: append(UInt8(ascii: "'"))
            case 0x201C, 0x201D: append(UInt8(ascii: "\""))
            default:
                if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control { append(0x20) }
                // Anything else (other scripts, symbols) has no ASCII reading and is dropped.
            }
            if bytes.count > maximum { break }
        }
        var cut = bytes.prefix(maximum)
        while cut.last == 0x20 { cut.removeLast() }
        return String(decoding: cut, as: UTF8.self)
    }

    /// The ASCII base letter of U+00C0..<U+0250 followed by U+1E00..<U+1F00 (where the Vietnamese letters are),
    /// 0 where there is none; Đ and đ, which Unicode does not decompose, read D and d.
    private static let latinBase: [UInt8] = {
        var table: [UInt8] = []
        for value in Array(0xC0..<0x250) + Array(0x1E00..<0x1F00) {
            let scalar = Unicode.Scalar(UInt32(value))!
            let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first!.value
            table.append((0x41...0x5A).contains(base) || (0x61...0x7A).contains(base) ? UInt8(base) : 0)
        }
        table[0x110 - 0xC0] = UInt8(ascii: "D")
        table[0x111 - 0xC0] = UInt8(ascii: "d")
        return table
    }()

    /// True when `text` is already printable ASCII, trimmed, without double spaces, and short enough:
    /// the usual case, checked without allocating.
    private static func isCleanASCII(_ text: String, maximum: Int) -> Bool {
        var count = 0
        var previous: UInt8 = 0x20
        for byte in text.utf8 {
            guard byte >= 0x20 && byte <= 0x7E, !(byte == 0x20 && previous == 0x20) else { return false }
            previous = byte
            count += 1
        }
        return count > 0 && count <= maximum && previous != 0x20
    }

    /// The bank's form of a holder name ("Nguyễn Văn Đức" → "NGUYEN VAN DUC"), cut to `maximum` characters.
    static func bankName(_ text: String, maximum: Int) -> String {
        var isBankForm = true
        var previous: UInt8 = 0x20
        var count = 0
        for byte in text.utf8 {
            let allowed = (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte == 0x20 && previous != 0x20)
            if !allowed {
                isBankForm = false
                break
            }
            previous = byte
            count += 1
        }
        let name = isBankForm && previous != 0x20 ? text : VietnameseText.bankName(text)
        guard name.utf8.count > maximum else { return name }
        var cut = String(decoding: name.utf8.prefix(maximum), as: UTF8.self)
        while cut.hasSuffix(" ") { cut.removeLast() }
        return cut
    }

    /// An identifier for `Max35Text`: printable ASCII without spaces at the ends, 1–35 characters.
    static func identifier(_ text: String, field: PaymentField) throws(PaymentFileError) -> String {
        let count = text.utf8.count
        guard count >= 1 && count <= 35, text.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }),
              text.utf8.first != 0x20, text.utf8.last != 0x20
        else { throw .invalidField(field, value: text, paymentID: nil) }
        return text
    }

    /// `text` without spaces, dots and dashes, as people write account numbers ("0123 456.789-0" → "01234567890").
    static func compactAccount(_ text: String) -> String {
        String(text.unicodeScalars.filter { !($0.properties.isWhitespace || $0 == "." || $0 == "-") }.map(Character.init))
    }

    /// A 128-bit hash of `text` (two FNV-1a 64 passes with different bases, each finished with a SplitMix64 mix):
    /// not a secret, only a stable, collision-resistant name for an identifier that does not fit.
    static func hash128(_ text: String) -> (UInt64, UInt64) {
        var first: UInt64 = 0xCBF2_9CE4_8422_2325
        var second: UInt64 = 0x6C62_272E_07BB_0142
        for byte in text.utf8 {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            second = (second ^ UInt64(byte) ^ 0xA5) &* 0x0000_0100_0000_01B3
        }
        second ^= UInt64(text.utf8.count)
        return (self.mix(first), self.mix(second &+ first))
    }

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An ISO date-time in Vietnam's time zone with its offset: "2024-01-15T08:30:00+07:00".
    static func isoDateTime(_ date: Date) -> String {
        let timeZone = CalendarDay.timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date)
        let local = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year!, parts.month!, parts.day!,
                           parts.hour!, parts.minute!, parts.second!)
        let zone = String(format: "%02d:%02d", abs(offset) / 3600, abs(offset) % 3600 / 60)
        return local + (offset < 0 ? "-" : "+") + zone
    }
}
