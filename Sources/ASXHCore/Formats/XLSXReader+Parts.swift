import Foundation

/// `Relationship` elements of a `.rels` part.
struct XLSXRelationshipsParser: XMLByteHandler {
    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    var relationships: [Relationship] = []

    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws {
        guard XMLBytes.equals(name, "Relationship") else { return }
        var relationship = Relationship(id: "", type: "", target: "")
        var external = false
        XMLBytes.forEachAttribute(attributes) { key, value in
            if XMLBytes.equals(key, "Id") {
                relationship.id = XMLBytes.string(attribute: value)
            } else if XMLBytes.equals(key, "Type") {
                relationship.type = XMLBytes.string(attribute: value)
            } else if XMLBytes.equals(key, "Target") {
                relationship.target = XMLBytes.string(attribute: value)
            } else if XMLBytes.equals(key, "TargetMode") {
                external = XMLBytes.equals(value, "External")
            }
        }
        if !external { self.relationships.append(relationship) }
    }

    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws {}
    mutating func characters(_ text: UnsafeBufferPointer<UInt8>, cdata: Bool) throws {}

    /// The target of the first relationship whose type ends with `/suffix` (transitional and strict URIs differ
    /// only before that last segment).
    func target(typeSuffix suffix: String) -> String? {
        self.relationships.first { $0.type.hasSuffix("/" + suffix) }?.target
    }
}

/// `sheet` elements and the date system of `workbook.xml`.
struct XLSXWorkbookParser: XMLByteHandler {
    struct SheetEntry {
        var name: String
        var relationshipID: String
        var hidden: Bool
    }

    var sheets: [SheetEntry] = []
    var uses1904Dates = false

    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws {
        if XMLBytes.equals(name, "sheet") {
            var entry = SheetEntry(name: "", relationshipID: "", hidden: false)
            XMLBytes.forEachAttribute(attributes) { key, value in
                if XMLBytes.equals(key, "name") {
                    entry.name = XMLBytes.string(attribute: value)
                } else if XMLBytes.equals(key, "state") {
                    entry.hidden = !XMLBytes.equals(value, "visible")
                } else if key.count > 2 && XMLBytes.hasLocalName(key, "id") {
                    entry.relationshipID = XMLBytes.string(attribute: value)
                }
            }
            self.sheets.append(entry)
        } else if XMLBytes.equals(name, "workbookPr") {
            XMLBytes.forEachAttribute(attributes) { key, value in
                if XMLBytes.equals(key, "date1904") {
                    self.uses1904Dates = XMLBytes.equals(value, "1") || XMLBytes.equals(value, "true")
                }
            }
        }
    }

    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws {}
    mutating func characters(_ text: UnsafeBufferPointer<UInt8>, cdata: Bool) throws {}
}

/// Number formats of `styles.xml`: enough to tell which cell styles show a date.
struct XLSXStylesParser: XMLByteHandler {
    var customFormats: [Int: String] = [:]
    /// `numFmtId` of each `cellXfs/xf`, in order: a cell's `s` attribute indexes this list.
    var cellFormatIDs: [Int] = []
    private var inCellFormats = false

    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws {
        if XMLBytes.equals(name, "numFmt") {
            var id: Int?
            var code: String?
            XMLBytes.forEachAttribute(attributes) { key, value in
                if XMLBytes.equals(key, "numFmtId") {
                    id = XLSXValueParsing.integer(value)
                } else if XMLBytes.equals(key, "formatCode") {
                    code = XMLBytes.string(attribute: value)
                }
            }
            if let id, let code { self.customFormats[id] = code }
        } else if XMLBytes.equals(name, "cellXfs") {
            self.inCellFormats = true
        } else if self.inCellFormats && XMLBytes.equals(name, "xf") {
            var id = 0
            XMLBytes.forEachAttribute(attributes) { key, value in
                if XMLBytes.equals(key, "numFmtId") { id = XLSXValueParsing.integer(value) ?? 0 }
            }
            self.cellFormatIDs.append(id)
        }
    }

    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws {
        if XMLBytes.equals(name, "cellXfs") { self.inCellFormats = false }
    }

    mutating func characters(_ text: UnsafeBufferPointer<UInt8>, cdata: Bool) throws {}

    /// For each cell style index, whether its number format shows a date.
    var dateStyles: [Bool] {
        self.cellFormatIDs.map { Self.isDateFormat(id: $0, code: self.customFormats[$0]) }
    }

    static let builtInDateFormatIDs: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// A format shows a date when it is one of Excel's built-in date formats, or when its code has a d, m or y
    /// outside quoted text, `[…]` sections (colours, locales, elapsed time) and `\`, `_`, `*` escapes.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        guard let code else { return self.builtInDateFormatIDs.contains(id) }
        var inQuotes = false
        var inBrackets = false
        var skipNext = false
        for byte in code.utf8 {
            if skipNext {
                skipNext = false
                continue
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") { inQuotes = false }
                continue
            }
            if inBrackets {
                if byte == UInt8(ascii: "]") { inBrackets = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inQuotes = true
            case UInt8(ascii: "["): inBrackets = true
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"): skipNext = true
            case UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "m"), UInt8(ascii: "M"),
                 UInt8(ascii: "y"), UInt8(ascii: "Y"):
                return true
            default: continue
            }
        }
        return false
    }
}

/// The shared string table. It is loaded whole (the sheet refers to it by index, in any order); it holds each
/// distinct text once, so it grows with the number of distinct values, not with the number of rows read.
struct XLSXSharedStringsParser: XMLByteHandler {
    var strings: [String] = []
    private var text: [UInt8] = []
    private var inItem = false
    private var capturing = false
    private var phoneticDepth = 0

    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws {
        if XMLBytes.equals(name, "si") {
            self.inItem = true
            self.text.removeAll(keepingCapacity: true)
        } else if XMLBytes.equals(name, "t") {
            // Text of phonetic runs (<rPh>, Japanese furigana) is not part of the value.
            self.capturing = self.inItem && self.phoneticDepth == 0
        } else if XMLBytes.equals(name, "rPh") {
            self.phoneticDepth += 1
        } else if XMLBytes.equals(name, "sst") {
            XMLBytes.forEachAttribute(attributes) { key, value in
                if XMLBytes.equals(key, "uniqueCount"), let count = XLSXValueParsing.integer(value) {
                    self.strings.reserveCapacity(min(count, 1 << 22))
                }
            }
        }
    }

    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws {
        if XMLBytes.equals(name, "si") {
            self.strings.append(XMLBytes.string(ooxmlText: self.text))
            self.inItem = false
            self.capturing = false
        } else if XMLBytes.equals(name, "t") {
            self.capturing = false
        } else if XMLBytes.equals(name, "rPh") {
            self.phoneticDepth -= 1
        }
    }

    mutating func characters(_ text: UnsafeBufferPointer<UInt8>, cdata: Bool) throws {
        guard self.capturing else { return }
        if cdata {
            self.text.append(contentsOf: text)
        } else {
            XMLBytes.appendResolvingEntities(text, to: &self.text)
        }
    }
}

/// Parsing of the small values found in cells and attributes.
enum XLSXValueParsing {
    /// A non-negative decimal integer, or nil.
    @inline(__always)
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// A number as Excel stores it. Plain decimals with up to 15 significant digits take an exact fast path
    /// (an integer mantissa and a power of ten both exact in a Double, divided once); the rest go through strtod.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let count = bytes.count
        var negative = false
        if i < count && (bytes[i] == 0x2D || bytes[i] == 0x2B) {
            negative = bytes[i] == 0x2D
            i += 1
        }
        var mantissa: UInt64 = 0
        var fractionDigits = 0
        var sawDot = false
        var sawDigit = false
        var fast = true
        while i < count {
            let byte = bytes[i]
            if byte >= 0x30 && byte <= 0x39 {
                sawDigit = true
                if mantissa >= 100_000_000_000_000 {
                    fast = false
                    break
                }
                mantissa = mantissa * 10 + UInt64(byte - 0x30)
                if sawDot { fractionDigits += 1 }
            } else if byte == 0x2E && !sawDot {
                sawDot = true
            } else {
                fast = false
                break
            }
            i += 1
        }
        if fast && sawDigit && fractionDigits <= 22 {
            var value = Double(mantissa)
            if fractionDigits > 0 { value /= self.powersOfTen[fractionDigits] }
            return negative ? -value : value
        }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Serial day number (1900 date system) of an ISO 8601 date or date-time, as `t="d"` cells hold.
    static func serial(iso bytes: [UInt8]) -> Double? {
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == 0x2D, bytes[7] == 0x2D,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var serial = Double(ExcelSerialDay.from(year: year, month: month, day: day))
        if bytes.count >= 16, bytes[10] == 0x54 || bytes[10] == 0x20, let hour = number(11..<13),
           let minute = number(14..<16) {
            let second = bytes.count >= 19 ? number(17..<19) ?? 0 : 0
            serial += Double(hour * 3600 + minute * 60 + second) / 86_400
        }
        return serial
    }
}

/// Excel serial day numbers in the 1900 date system (day 1 = 1900-01-01, with Excel's phantom 1900-02-29, so
/// serials from 1900-03-01 on count days since 1899-12-30).
enum ExcelSerialDay {
    static func from(year: Int, month: Int, day: Int) -> Int {
        self.daysFromCivil(year: year, month: month, day: day) - self.daysFromCivil(year: 1899, month: 12, day: 30)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
