import Foundation

/// Text clean-up shared by identity and list parsing, with fast paths for the common cases
/// (plain ASCII, precomposed Vietnamese), because it runs on every cell of millions of rows.
///
/// Deliberately no Foundation string search here: on Linux `String.contains(String)` goes through
/// CFString and `Unicode.Scalar.Properties` through a table lookup, both far slower than byte loops.
enum IntakeFold {
    /// `VietnameseText.fold`, skipping it entirely for plain ASCII
    /// (where the result is the same: letters and digits lower-cased, every other run a single space).
    static func fold(_ text: String) -> String {
        var ascii = true
        for byte in text.utf8 where byte >= 0x80 {
            ascii = false
            break
        }
        guard ascii else { return VietnameseText.fold(text) }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x61...0x7A:
                if pendingSpace && !out.isEmpty { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            case 0x41...0x5A:
                if pendingSpace && !out.isEmpty { out.append(0x20) }
                pendingSpace = false
                out.append(byte + 0x20)
            default:
                pendingSpace = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Trimmed, inner whitespace runs (any kind, including newlines and no-break spaces) made one space,
    /// and in Unicode NFC so that the same name typed in two ways is the same string.
    static func clean(_ text: String) -> String {
        if Self.isAlreadyClean(text) { return text }
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var mayNeedComposition = false
        for scalar in text.unicodeScalars {
            if Self.isSpace(scalar) || scalar.value == 0x200B || scalar.value == 0xFEFF {
                pendingSpace = true
                continue
            }
            if pendingSpace && !out.isEmpty { out.append(" ") }
            pendingSpace = false
            // Scalars below U+0300 and precomposed Latin letters (U+1E00–U+1EFF) are already NFC.
            if scalar.value >= 0x300 && !(0x1E00...0x1EFF).contains(scalar.value) { mayNeedComposition = true }
            out.append(scalar)
        }
        let result = String(out)
        return mayNeedComposition ? result.precomposedStringWithCanonicalMapping : result
    }

    /// True when `clean` would return the text unchanged, decided on UTF-8 bytes: no leading, trailing,
    /// doubled or non-space whitespace, and only ASCII, Latin-1/Latin Extended and precomposed Vietnamese letters.
    /// Anything else (rare) takes the careful path.
    static func isAlreadyClean(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var previousSpace = true  // a space at the start is leading whitespace
            var i = 0
            let n = bytes.count
            while i < n {
                let byte = bytes[i]
                switch byte {
                case 0x20:
                    if previousSpace { return false }
                    previousSpace = true
                    i += 1
                    continue
                case 0x21...0x7E:
                    i += 1
                case 0xC3...0xCB:
                    // U+00C0…U+02FF: Latin-1 letters and Latin Extended (C2 holds NBSP and controls).
                    i += 2
                case 0xE1:
                    // E1 B8…BB xx is U+1E00…U+1EFF; other E1 sequences (e.g. U+1680, a space) go the careful way.
                    guard i + 1 < n, bytes[i + 1] >= 0xB8, bytes[i + 1] <= 0xBB else { return false }
                    i += 3
                default:
                    return false
                }
                previousSpace = false
            }
            return !previousSpace || n == 0
        }
    }

    /// `Cell.isEmpty` without its per-Character property lookups: decided on the first byte in the usual case.
    static func isBlank(_ cell: Cell) -> Bool {
        guard case .text(let text) = cell else {
            if case .empty = cell { return true }
            return false
        }
        for scalar in text.unicodeScalars where !Self.isSpace(scalar) && scalar.value != 0x200B && scalar.value != 0xFEFF {
            return false
        }
        return true
    }

    /// Unicode White_Space, without the table lookup of `properties.isWhitespace`.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// A letter, with fast answers for Latin and Vietnamese.
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A: return true
        case 0x00...0x7F: return false
        case 0xD7, 0xF7: return false
        case 0xC0...0x24F, 0x1E00...0x1EFF: return true
        default: return scalar.properties.isAlphabetic
        }
    }

    /// Trimmed, lower-cased and NFC, diacritics kept: for words whose meaning depends on their marks
    /// ("tổng" is a total, "Tống" a surname).
    static func trimmedLowercasedNFC(_ text: String) -> String {
        Self.clean(text).lowercased()
    }

    /// The number of letters, stopping once `limit` is reached.
    static func letterCount(_ text: String, limit: Int) -> Int {
        var n = 0
        for scalar in text.unicodeScalars where Self.isLetter(scalar) {
            n += 1
            if n >= limit { break }
        }
        return n
    }

    /// Whether folded text (words separated by single spaces) contains `phrase` as whole words.
    static func hasPhrase(_ text: String, _ phrase: String) -> Bool {
        var text = text
        var phrase = phrase
        return text.withUTF8 { t in
            phrase.withUTF8 { p in
                let n = p.count
                guard n > 0, n <= t.count else { return false }
                var start = 0
                while start + n <= t.count {
                    if t[start] == p[0] && (start + n == t.count || t[start + n] == 0x20) {
                        var i = 1
                        while i < n && t[start + i] == p[i] { i += 1 }
                        if i == n { return true }
                    }
                    // Next word.
                    while start < t.count && t[start] != 0x20 { start += 1 }
                    start += 1
                }
                return false
            }
        }
    }

    /// Whether folded text starts with `phrase` as whole words.
    static func startsWithPhrase(_ text: String, _ phrase: String) -> Bool {
        guard text.hasPrefix(phrase) else { return false }
        let rest = text.utf8.dropFirst(phrase.utf8.count)
        return rest.first.map { $0 == 0x20 } ?? true
    }
}
