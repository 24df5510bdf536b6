import Foundation

extension VietnameseText {
    /// Lower-case, diacritics removed (Đ/đ → d), punctuation dropped, whitespace collapsed: "Nguyễn  Văn Đức" → "nguyen van duc".
    /// Used for comparing and searching, never for display.
    ///
    /// Precomposed and decomposed input fold alike, and so do both tone-mark placements ("Hoà"/"Hòa" → "hoa").
    /// Punctuation separates words ("Nguyễn-Văn" → "nguyen van"). Letters with a stroke or ligature that Unicode
    /// does not decompose fold to their ASCII reading (Đ, Ð → d; Ø → o; Ł → l; Æ → ae; Œ → oe; ß → ss; Þ → th).
    /// Letters of other scripts are kept, lower-cased, without their marks.
    ///
    /// Speed: Latin text (ASCII, Latin-1, Latin Extended, the Vietnamese block, combining marks) is folded from
    /// UTF-8 bytes through precomputed tables into one allocation; other scripts take a slower general path.
    public static func fold(_ text: String) -> String {
        var text = text
        return text.withUTF8 { input in
            Self.foldLatin(input) ?? Self.foldGeneral(input)
        }
    }

    // Table entries: 0 separator, 1 dropped (combining mark), 2 needs the general path,
    // otherwise one or two ASCII bytes (first in the low byte).
    private static let separator: UInt16 = 0
    private static let dropped: UInt16 = 1
    private static let general: UInt16 = 2

    /// One table, so that a fold touches one array: entries for U+0000...U+036F, then U+1E00...U+1EFF (Latin
    /// Extended Additional, which holds the Vietnamese letters), then U+2000...U+206F (spaces, dashes, quotes,
    /// invisible format characters).
    private static let foldTable: [UInt16] =
        Self.makeFoldTable(0..<0x370) + Self.makeFoldTable(0x1E00..<0x1F00) + Self.makeFoldTable(0x2000..<0x2070)

    /// Letters Unicode does not decompose but that have an obvious ASCII reading.
    private static let undecomposable: [UInt32: String] = [
        0x110: "d", 0x111: "d", 0xD0: "d", 0xF0: "d", 0x189: "d", 0x256: "d",
        0xD8: "o", 0xF8: "o", 0x141: "l", 0x142: "l", 0xC6: "ae", 0xE6: "ae", 0x152: "oe", 0x153: "oe",
        0xDF: "ss", 0x1E9E: "ss", 0xDE: "th", 0xFE: "th", 0x126: "h", 0x127: "h", 0x166: "t", 0x167: "t",
        0x131: "i", 0x180: "b", 0x197: "i", 0x268: "i", 0x1B5: "z", 0x1B6: "z", 0x1E4: "g", 0x1E5: "g",
    ]

    private static func makeFoldTable(_ range: Range<UInt32>) -> [UInt16] {
        range.map { value in
            guard let scalar = Unicode.Scalar(value) else { return Self.general }
            switch Self.foldScalar(scalar) {
            case .separator: return Self.separator
            case .dropped: return Self.dropped
            case .text(let text):
                let bytes = Array(text.utf8)
                let isASCIIWord = bytes.allSatisfy {
                    ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                        || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                }
                guard isASCIIWord, bytes.count == 1 || bytes.count == 2 else { return Self.general }
                return UInt16(bytes[0]) | (bytes.count == 2 ? UInt16(bytes[1]) << 8 : 0)
            }
        }
    }

    private enum FoldedScalar {
        case separator, dropped
        case text(String)
    }

    /// The reference definition of folding one scalar; the tables are built from it.
    private static func foldScalar(_ scalar: Unicode.Scalar) -> FoldedScalar {
        if let ascii = Self.undecomposable[scalar.value] { return .text(ascii) }
        if scalar.value >= 0xFF01 && scalar.value <= 0xFF5E {
            // Fullwidth forms, as typed with an East Asian input method: fold as their ASCII twin.
            return Self.foldScalar(Unicode.Scalar(scalar.value - 0xFEE0)!)
        }
        let category = scalar.properties.generalCategory
        if category == .nonspacingMark || category == .enclosingMark { return .dropped }
        // Invisible format characters (soft hyphen, zero-width joiners, BOM) must not split a word;
        // the zero-width space is a word break, as in `clean`.
        if scalar.value == 0x200B { return .separator }
        if category == .format { return .dropped }
        var view = String.UnicodeScalarView()
        for part in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars {
            let properties = part.properties
            if properties.generalCategory == .nonspacingMark { continue }
            guard properties.isAlphabetic || properties.numericType != nil else { return .separator }
            view.append(contentsOf: properties.lowercaseMapping.unicodeScalars)
        }
        return view.isEmpty ? .dropped : .text(String(view))
    }

    private struct FoldTables {
        var table: UnsafeBufferPointer<UInt16>

        @inline(__always)
        func entry(_ value: UInt32) -> UInt16 {
            if value < 0x370 { return self.table[Int(value)] }
            if value >= 0x1E00 && value < 0x1F00 { return self.table[Int(value - 0x1E00 + 0x370)] }
            if value >= 0x2000 && value < 0x2070 { return self.table[Int(value - 0x2000 + 0x470)] }
            return VietnameseText.general
        }
    }

    @inline(__always)
    private static func withFoldTables<R>(_ body: (FoldTables) -> R) -> R {
        Self.foldTable.withUnsafeBufferPointer { body(FoldTables(table: $0)) }
    }

    /// Fast path: nil as soon as a scalar needs the general path. Output never exceeds the input length here
    /// (a one-byte scalar yields at most one byte, a two-byte scalar at most two, a separator run one space),
    /// so it is built in a stack buffer; results of up to 15 bytes then become small strings with no allocation.
    private static func foldLatin(_ input: UnsafeBufferPointer<UInt8>) -> String? {
        let count = input.count
        if count == 0 { return "" }
        return Self.withFoldTables { tables in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { output -> String? in
                var index = 0
                var written = 0
                var pendingSpace = false
                while index < count {
                    let lead = input[index]
                    let entry: UInt16
                    if lead < 0x80 {
                        entry = tables.table[Int(lead)]
                        index += 1
                    } else if lead < 0xE0 {
                        let value = UInt32(lead & 0x1F) << 6 | UInt32(input[index + 1] & 0x3F)
                        entry = tables.entry(value)
                        index += 2
                    } else if lead < 0xF0 {
                        let value =
                            UInt32(lead & 0x0F) << 12 | UInt32(input[index + 1] & 0x3F) << 6
                            | UInt32(input[index + 2] & 0x3F)
                        entry = tables.entry(value)
                        index += 3
                    } else {
                        return nil
                    }
                    switch entry {
                    case Self.separator:
                        pendingSpace = true
                    case Self.dropped:
                        continue
                    case Self.general:
                        return nil
                    default:
                        if pendingSpace && written > 0 {
                            output[written] = 0x20
                            written += 1
                        }
                        pendingSpace = false
                        output[written] = UInt8(truncatingIfNeeded: entry)
                        written += 1
                        if entry > 0xFF {
                            output[written] = UInt8(truncatingIfNeeded: entry >> 8)
                            written += 1
                        }
                    }
                }
                return String(decoding: UnsafeBufferPointer(rebasing: output[..<written]), as: UTF8.self)
            }
        }
    }

    /// General path: any script; the same tables for Latin, `foldScalar` for the rest.
    private static func foldGeneral(_ input: UnsafeBufferPointer<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + 8)
        var pendingSpace = false
        func append(_ text: some Sequence<UInt8>) {
            if pendingSpace && !output.isEmpty { output.append(0x20) }
            pendingSpace = false
            output.append(contentsOf: text)
        }
        Self.withFoldTables { tables in
            for scalar in String(decoding: input, as: UTF8.self).unicodeScalars {
                let entry = tables.entry(scalar.value)
                switch entry {
                case Self.separator:
                    pendingSpace = true
                case Self.dropped:
                    continue
                case Self.general:
                    switch Self.foldScalar(scalar) {
                    case .separator: pendingSpace = true
                    case .dropped: continue
                    case .text(let text): append(text.utf8)
                    }
                default:
                    append(entry > 0xFF ? [UInt8(truncatingIfNeeded: entry), UInt8(entry >> 8)] : [UInt8(entry)])
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
