/// The text encoding a CSV file was read with.
public enum CSVEncoding: String, Sendable, Hashable, CaseIterable {
    /// UTF-8 without a byte order mark (what most systems export).
    case utf8
    /// UTF-8 with a byte order mark (Excel's "CSV UTF-8").
    case utf8BOM
    /// UTF-16 little-endian with a byte order mark (Excel's "Unicode Text", tab-separated).
    case utf16LittleEndian
    /// UTF-16 big-endian with a byte order mark.
    case utf16BigEndian
    /// Windows-1258, the Vietnamese ANSI code page (Excel's plain "CSV" on a Vietnamese Windows).
    case windows1258
}

/// Counts well-formed multi-byte UTF-8 sequences and malformed bytes, chunk by chunk.
struct UTF8Census {
    private(set) var validMultibyte = 0
    private(set) var invalid = 0
    private var remaining = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// The decision rule: a few stray bytes in an otherwise UTF-8 file do not turn it into Windows-1258
    /// (they become U+FFFD), but a file with more malformed bytes than that is not UTF-8.
    var looksLikeUTF8: Bool {
        self.invalid == 0 || self.validMultibyte > 10 * self.invalid
    }

    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var i = 0
        while i < count {
            if self.remaining == 0 {
                while i + 8 <= count {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                if i >= count { break }
                let byte = base[i]
                i += 1
                switch byte {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: self.expect(1, 0x80, 0xBF)
                case 0xE0: self.expect(2, 0xA0, 0xBF)
                case 0xED: self.expect(2, 0x80, 0x9F)
                case 0xE1...0xEF: self.expect(2, 0x80, 0xBF)
                case 0xF0: self.expect(3, 0x90, 0xBF)
                case 0xF4: self.expect(3, 0x80, 0x8F)
                case 0xF1...0xF3: self.expect(3, 0x80, 0xBF)
                default: self.invalid += 1
                }
            } else {
                let byte = base[i]
                if byte < self.lower || byte > self.upper {
                    // Not a continuation: the sequence is broken; look at this byte again as a lead byte.
                    self.invalid += 1
                    self.remaining = 0
                    continue
                }
                i += 1
                self.remaining -= 1
                self.lower = 0x80
                self.upper = 0xBF
                if self.remaining == 0 { self.validMultibyte += 1 }
            }
        }
    }

    mutating func finish() {
        if self.remaining > 0 {
            self.invalid += 1
            self.remaining = 0
        }
    }

    private mutating func expect(_ remaining: Int, _ lower: UInt8, _ upper: UInt8) {
        self.remaining = remaining
        self.lower = lower
        self.upper = upper
    }
}

/// Turns UTF-16 bytes into UTF-8, carrying a split code unit or surrogate pair across chunks.
struct UTF16Transcoder {
    let bigEndian: Bool
    private var carry: UInt8?
    private var highSurrogate: UInt32 = 0

    init(bigEndian: Bool) {
        self.bigEndian = bigEndian
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var i = 0
        let count = bytes.count
        output.reserveCapacity(output.count + count * 3 / 2)
        if let first = self.carry, count > 0 {
            self.carry = nil
            self.unit(self.bigEndian ? UInt16(first) << 8 | UInt16(bytes[0]) : UInt16(bytes[0]) << 8 | UInt16(first),
                      to: &output)
            i = 1
        }
        while i + 1 < count {
            let a = UInt16(bytes[i])
            let b = UInt16(bytes[i + 1])
            self.unit(self.bigEndian ? a << 8 | b : b << 8 | a, to: &output)
            i += 2
        }
        if i < count { self.carry = bytes[i] }
    }

    mutating func finish(to output: inout [UInt8]) {
        if self.highSurrogate != 0 || self.carry != nil {
            Self.encode(0xFFFD, to: &output)
        }
        self.highSurrogate = 0
        self.carry = nil
    }

    private mutating func unit(_ unit: UInt16, to output: inout [UInt8]) {
        let value = UInt32(unit)
        if self.highSurrogate != 0 {
            let high = self.highSurrogate
            self.highSurrogate = 0
            if value >= 0xDC00 && value <= 0xDFFF {
                Self.encode(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00), to: &output)
                return
            }
            Self.encode(0xFFFD, to: &output)
        }
        switch value {
        case 0..<0x80: output.append(UInt8(value))
        case 0xD800...0xDBFF: self.highSurrogate = value
        case 0xDC00...0xDFFF: Self.encode(0xFFFD, to: &output)
        default: Self.encode(value, to: &output)
        }
    }

    static func encode(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | (scalar >> 6)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | (scalar >> 12)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            output.append(UInt8(0xF0 | (scalar >> 18)))
            output.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
