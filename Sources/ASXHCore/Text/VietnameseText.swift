import Foundation

/// Vietnamese text as people type it and as machines compare it.
///
/// Two families of functions: `nfc`, `clean`, `titleCase` keep the text as written (for display and storage);
/// `fold`, `nameTokens`, `bankName` reduce it to a comparison key. Text from old workbooks typed with legacy
/// fonts must go through `LegacyEncoding.repair` first: none of these functions guess encodings.
public enum VietnameseText {
    /// Where `clean` puts the tone mark in the open syllables oa, oe, uy.
    ///
    /// `modern` (hoà, khoẻ, thuý) is the rule of Quyết định 1989/QĐ-BGDĐT (2018, Điều 8: "dấu thanh đặt ở
    /// chữ cái ghi âm chính": hoà nhạc, thuỷ thủ, mạnh khoẻ), used by current school books and by Unikey's
    /// "new style". `traditional` (hòa, khỏe, thúy) is still common in legal texts ("Luật Thủy sản").
    /// Either way both spellings of one name become the same string; the choice only changes what is shown.
    public enum ToneStyle: String, Sendable, CaseIterable {
        case modern
        case traditional
    }

    /// Unicode NFC (precomposed). Cheap when the text is already NFC, which is the common case.
    public static func nfc(_ text: String) -> String {
        if Self.isKnownNFC(text) { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    /// True when every scalar is below U+0300 or a precomposed Latin letter (U+1E00...U+1EFF): such text
    /// contains no combining marks, so it is already NFC.
    static func isKnownNFC(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x300 || (value >= 0x1E00 && value < 0x1F00) { continue }
            return false
        }
        return true
    }

    /// A name or address as written, tidied for display and storage: NFC; whitespace of any kind (tabs,
    /// NBSP, ideographic and zero-width space, line breaks) collapsed to one space and trimmed; invisible
    /// format characters and control characters removed; curly quotes, primes and ´ → ' and ", dashes → -,
    /// fullwidth forms → ASCII, … → "..."; a word-initial Ð/ð (Icelandic eth, a common look-alike) → Đ/đ;
    /// and, when `toneStyle` is given, the tone mark of each Vietnamese syllable put on the vowel it prescribes,
    /// so that "Hoà"/"Hòa", "Thuý"/"Thúy", "Khoẻ"/"Khỏe" (and "qúy" → "quý", "gìa" → "già") become one spelling.
    /// With `toneStyle: nil` the typist's placement is kept: what asxh stores of a name or address (a citizen signs
    /// against the spelling the department wrote); comparisons go through `fold`, which ignores tone marks.
    ///
    /// The soft hyphen U+00AD is removed only from text that is certainly Unicode (it holds a letter such as ễ
    /// that no legacy code produces): in TCVN3 text it is the letter ư, and clean must not destroy what
    /// `LegacyEncoding.repair` could still recover. Repair legacy text before cleaning it.
    public static func clean(_ text: String, toneStyle: ToneStyle? = .modern) -> String {
        if Self.isCleanASCII(text) { return text }
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        var previousIsLetter = false
        var mayNeedNFC = false
        var softHyphens = false
        var certainlyUnicode = false
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x100 && !certainlyUnicode {
                certainlyUnicode = !LegacyCodePage.possibleScalars.contains(scalar.value)
            }
            softHyphens = softHyphens || scalar.value == 0xAD
            switch Self.cleanClass(scalar) {
            case .space:
                pendingSpace = true
                previousIsLetter = false
                continue
            case .remove:
                continue
            case .keep:
                var output = scalar
                if !previousIsLetter {
                    if scalar.value == 0xD0 { output = VietnameseAlphabet.capitalDStroke }
                    if scalar.value == 0xF0 { output = VietnameseAlphabet.dStroke }
                }
                if pendingSpace && !scalars.isEmpty { scalars.append(" ") }
                pendingSpace = false
                scalars.append(output)
                let value = output.value
                if value < 0x80 {
                    previousIsLetter = (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A
                } else {
                    previousIsLetter =
                        output.properties.isAlphabetic || output.properties.generalCategory == .nonspacingMark
                    mayNeedNFC = mayNeedNFC || !(value < 0x300 || (value >= 0x1E00 && value < 0x1F00))
                }
            case .replace(let replacement):
                if pendingSpace && !scalars.isEmpty { scalars.append(" ") }
                pendingSpace = false
                scalars.append(contentsOf: replacement.unicodeScalars)
                previousIsLetter = replacement.unicodeScalars.last?.properties.isAlphabetic ?? false
                mayNeedNFC = true
            }
        }
        if softHyphens && certainlyUnicode { scalars.removeAll { $0.value == 0xAD } }
        if mayNeedNFC {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            scalars = Array(Self.nfc(String(view)).unicodeScalars)
        }
        if let toneStyle { Self.placeToneMarks(&scalars, style: toneStyle) }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Printable ASCII, single spaces, nothing to trim: already clean (the common case for IDs and codes).
    private static func isCleanASCII(_ text: String) -> Bool {
        var previousIsSpace = true
        for byte in text.utf8 {
            guard byte >= 0x20 && byte < 0x7F else { return false }
            let isSpace = byte == 0x20
            if isSpace && previousIsSpace { return false }
            previousIsSpace = isSpace
        }
        return !previousIsSpace || text.isEmpty
    }

    private enum CleanClass {
        case keep, space, remove
        case replace(String)
    }

    private static func cleanClass(_ scalar: Unicode.Scalar) -> CleanClass {
        let value = scalar.value
        if value > 0x20 && value < 0x7F { return .keep }
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0x180E:
            return .space
        case 0xAD:
            return .keep
        case 0x200C...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF, 0x061C, 0xFFF9...0xFFFB:
            return .remove
        case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x2035, 0x02BC, 0x02B9, 0xB4, 0xFF07:
            return .replace("'")
        case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x2036, 0xFF02:
            return .replace("\"")
        case 0x2010...0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D:
            return .replace("-")
        case 0x2026:
            return .replace("...")
        case 0xFF01...0xFF5E:
            return .replace(String(Unicode.Scalar(value - 0xFEE0)!))
        default:
            if value < 0x20 || (value >= 0x7F && value < 0xA0) { return .remove }
            return .keep
        }
    }

    /// Moves each syllable's tone mark to the vowel `style` prescribes; words that are not well-formed
    /// Vietnamese syllables (foreign names, typos, legacy-encoded text) are left exactly as they are.
    static func placeToneMarks(_ scalars: inout [Unicode.Scalar], style: ToneStyle) {
        var start = 0
        while start < scalars.count {
            guard Self.isWordScalar(scalars[start]) else {
                start += 1
                continue
            }
            var end = start
            while end < scalars.count && Self.isWordScalar(scalars[end]) { end += 1 }
            if Self.mayHaveMisplacedTone(scalars[start..<end]) {
                Self.moveTone(in: &scalars, range: start..<end, style: style)
            }
            start = end
        }
    }

    /// A toned vowel and at least one more vowel: only then can the tone sit on the wrong one.
    private static func mayHaveMisplacedTone(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
        var vowels = 0
        var toned = false
        for scalar in word {
            guard let vowel = VietnameseAlphabet.vowel(scalar) else { continue }
            vowels += 1
            toned = toned || vowel.tone != 0
        }
        return toned && vowels >= 2
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80
            ? (scalar.value | 0x20) >= 0x61 && (scalar.value | 0x20) <= 0x7A : scalar.properties.isAlphabetic
    }

    private static func moveTone(in scalars: inout [Unicode.Scalar], range: Range<Int>, style: ToneStyle) {
        guard let syllable = VietnameseSyllable(scalars[range]), let current = syllable.currentTone else { return }
        let target = syllable.toneIndex(style: style)
        guard target != current.index, case .vowel(var from) = syllable.letters[current.index],
            case .vowel(var to) = syllable.letters[target]
        else { return }
        from.tone = 0
        to.tone = current.tone
        scalars[range.lowerBound + current.index] = from.scalar
        scalars[range.lowerBound + target] = to.scalar
    }

    /// Bank account holder form: upper-case ASCII letters and digits, single spaces.
    /// "Nguyễn Văn Đức" → "NGUYEN VAN DUC". Letters that have no ASCII form (other scripts) are dropped.
    public static func bankName(_ text: String) -> String {
        let folded = Self.fold(text)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for byte in folded.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if pendingSpace && !bytes.isEmpty { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(byte >= UInt8(ascii: "a") ? byte - 0x20 : byte)
            case 0x20:
                pendingSpace = true
            default:
                continue
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The folded words of a name, for blocking and token comparison: "Nguyễn  Văn-Đức" → ["nguyen", "van", "duc"].
    public static func nameTokens(_ text: String) -> [String] {
        var folded = Self.fold(text)
        return folded.withUTF8 { bytes in
            // fold leaves single spaces between tokens and none at the ends.
            var tokens: [String] = []
            tokens.reserveCapacity(4)
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x20 {
                if index > start {
                    tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                }
                start = index + 1
            }
            return tokens
        }
    }

    /// Capitalises each word (and each part after a hyphen or apostrophe) and lower-cases the rest, for a name
    /// typed all upper or all lower case: "NGUYỄN VĂN ĐỨC" → "Nguyễn Văn Đức", "h'hen niê" → "H'Hen Niê".
    /// Returns NFC; spacing is kept as given (use `clean` first).
    public static func titleCase(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        var atWordStart = true
        for scalar in Self.nfc(text).unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic {
                if atWordStart {
                    view.append(contentsOf: properties.titlecaseMapping.unicodeScalars)
                } else {
                    view.append(contentsOf: properties.lowercaseMapping.unicodeScalars)
                }
                atWordStart = false
            } else {
                view.append(scalar)
                if properties.generalCategory != .nonspacingMark { atWordStart = true }
            }
        }
        return String(view)
    }
}
