/// Identity numbers held as binary-coded decimal: one digit per 4 bits, right-aligned.
///
/// BCD keeps "001234567890" and "1234567890" (leading zeros lost by a spreadsheet) equal, and lets a one-digit
/// typo or an adjacent transposition be found with a few bit operations instead of string work.
enum MatchDigits {
    /// The digits of `text` as BCD and how many digits were written; `nil` when the text holds anything but
    /// digits and the separators people type (spaces, dots, dashes, a leading apostrophe) or more than 15 digits.
    static func parse(_ text: String) -> (bcd: UInt64, digits: Int)? {
        var bcd: UInt64 = 0
        var digits = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard digits < 15 else { return nil }
                bcd = (bcd << 4) | UInt64(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: " "), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "'"), 0x09:
                continue
            default:
                return nil
            }
        }
        return digits == 0 ? nil : (bcd, digits)
    }

    /// Parses ASCII digits from raw bytes (the register extract): BCD and the number of digits, or nil.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (bcd: UInt64, digits: Int)? {
        var bcd: UInt64 = 0
        var digits = 0
        var i = start
        while i < end {
            let byte = bytes[i]
            if byte >= 48 && byte <= 57 {
                guard digits < 15 else { return nil }
                bcd = (bcd << 4) | UInt64(byte &- 48)
                digits += 1
            } else if byte != 32 {
                return nil
            }
            i += 1
        }
        return digits == 0 ? nil : (bcd, digits)
    }

    /// The BCD value written with exactly `width` digits (zero-padded).
    static func string(_ bcd: UInt64, width: Int) -> String {
        String(unsafeUninitializedCapacity: width) { bytes in
            var v = bcd
            var i = width - 1
            while i >= 0 {
                bytes[i] = UInt8(ascii: "0") + UInt8(v & 0xF)
                v >>= 4
                i -= 1
            }
            return width
        }
    }

    /// Mask with one bit (the lowest of each nibble) set for every digit that differs.
    @inline(__always)
    static func differingDigits(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let x = a ^ b
        return (x | (x >> 1) | (x >> 2) | (x >> 3)) & 0x1111_1111_1111_1111
    }

    /// How `a` relates to `b` digit-wise: equal, one digit substituted, two adjacent digits transposed, or other.
    @inline(__always)
    static func relation(_ a: UInt64, _ b: UInt64) -> DigitRelation {
        let diff = self.differingDigits(a, b)
        switch diff.nonzeroBitCount {
        case 0: return .equal
        case 1: return .substitution
        case 2:
            let low = diff.trailingZeroBitCount
            let high = 63 - diff.leadingZeroBitCount
            guard high - low == 4 else { return .other }
            let shift = UInt64(low)
            let a0 = (a >> shift) & 0xF, a1 = (a >> (shift + 4)) & 0xF
            let b0 = (b >> shift) & 0xF, b1 = (b >> (shift + 4)) & 0xF
            return a0 == b1 && a1 == b0 ? .transposition : .other
        default:
            return .other
        }
    }

    /// Every BCD value at one substitution or one adjacent transposition from `bcd` within `width` digits.
    static func neighbours(of bcd: UInt64, width: Int, into out: inout [UInt64]) {
        for position in 0..<width {
            let shift = UInt64(position * 4)
            let digit = (bcd >> shift) & 0xF
            let cleared = bcd & ~(0xF << shift)
            for d: UInt64 in 0...9 where d != digit {
                out.append(cleared | (d << shift))
            }
            if position + 1 < width {
                let next = (bcd >> (shift + 4)) & 0xF
                if next != digit {
                    let both = bcd & ~(0xFF << shift)
                    out.append(both | (digit << (shift + 4)) | (next << shift))
                }
            }
        }
    }

    enum DigitRelation {
        case equal, substitution, transposition, other
    }
}
