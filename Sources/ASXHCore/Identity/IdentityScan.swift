/// Reading ID numbers as people and spreadsheets write them, on unicode scalars (no Foundation, no regex).
public enum IdentityScan {
    /// The ASCII digits of `text` with separators removed, or the problem that prevents it.
    ///
    /// Accepted separators: any whitespace (including no-break and zero-width spaces), ".", "-", "–",
    /// and one leading apostrophe, which Excel users type to keep a number as text.
    static func digits(of text: String) -> Result<[UInt8], IdentityProblem> {
        var out: [UInt8] = []
        out.reserveCapacity(12)
        var position = 0
        var seenContent = false
        for scalar in text.unicodeScalars {
            position += 1
            let v = scalar.value
            if v >= 0x30 && v <= 0x39 {
                out.append(UInt8(v))
                seenContent = true
                continue
            }
            switch v {
            case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x2007, 0x202F, 0x200B, 0xFEFF, 0x2E, 0x2D, 0x2013:
                continue
            case 0x27, 0x2018, 0x2019, 0x60:
                // Only a leading apostrophe is Excel's text marker; elsewhere it is a typo worth reporting.
                if !seenContent {
                    seenContent = true
                    continue
                }
                return .failure(.nonDigit(character: Character(scalar), position: position))
            default:
                if IntakeFold.isSpace(scalar) { continue }
                if Self.looksScientific(text) {
                    return .failure(.scientificNotation(text: Self.trimmed(text)))
                }
                return .failure(.nonDigit(character: Character(scalar), position: position))
            }
        }
        if out.isEmpty { return .failure(.empty) }
        return .success(out)
    }

    /// "1.23457E+11", "1,23457e+11", "1E+11": digits, an optional decimal part, an exponent.
    static func looksScientific(_ text: String) -> Bool {
        var state = 0  // 0 mantissa integer, 1 fraction, 2 after E, 3 exponent digits
        var sawDigit = false
        for byte in Self.trimmed(text).utf8 {
            switch (state, byte) {
            case (0, 0x30...0x39), (1, 0x30...0x39):
                sawDigit = true
            case (0, 0x2E), (0, 0x2C):
                state = 1
            case (0, 0x45), (0, 0x65), (1, 0x45), (1, 0x65):
                if !sawDigit { return false }
                state = 2
            case (2, 0x2B):
                break
            case (2, 0x30...0x39), (3, 0x30...0x39):
                state = 3
            default:
                return false
            }
        }
        return state == 3
    }

    static func trimmed(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, IntakeFold.isSpace(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, IntakeFold.isSpace(last) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    static func string(_ digits: [UInt8]) -> String {
        String(decoding: digits, as: UTF8.self)
    }

    static func number(_ digits: ArraySlice<UInt8>) -> Int {
        var n = 0
        for d in digits { n = n * 10 + Int(d &- 0x30) }
        return n
    }

    /// Bullets for all but the last four digits: what screens and logs show (server views use it too).
    public static func masked(_ digits: String) -> String {
        let count = digits.utf8.count
        guard count > 4 else { return digits }
        return String(repeating: "•", count: count - 4) + String(digits.utf8.suffix(4).map { Character(Unicode.Scalar($0)) })
    }
}
