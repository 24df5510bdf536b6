import Foundation

/// Text clean-up shared by identity and list parsing, with fast paths for the common ASCII case.
enum IntakeFold {
    /// `VietnameseText.fold`, skipping its Unicode decomposition when the text is plain ASCII
    /// (for ASCII the result is the same: letters and digits lower-cased, everything else a single space).
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
        var needsWork = false
        var ascii = true
        var previousSpace = true
        for byte in text.utf8 {
            if byte >= 0x80 {
                ascii = false
                break
            }
            let isSpace = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
            if isSpace && (previousSpace || byte != 0x20) { needsWork = true }
            previousSpace = isSpace
        }
        if ascii {
            if !needsWork && !previousSpace { return text }
            if !needsWork && text.isEmpty { return text }
        }
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var mayNeedComposition = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.value == 0x200B || scalar.value == 0xFEFF {
                pendingSpace = true
                continue
            }
            if pendingSpace && !out.isEmpty { out.append(" ") }
            pendingSpace = false
            // Scalars below U+0300 and precomposed Vietnamese letters (U+1E00–U+1EFF) are already NFC.
            if scalar.value >= 0x300 && !(0x1E00...0x1EFF).contains(scalar.value) { mayNeedComposition = true }
            out.append(scalar)
        }
        let result = String(out)
        return mayNeedComposition ? result.precomposedStringWithCanonicalMapping : result
    }

    /// Trimmed, lower-cased and NFC, diacritics kept: for words whose meaning depends on their marks
    /// ("tổng" is a total, "Tống" a surname).
    static func trimmedLowercasedNFC(_ text: String) -> String {
        Self.clean(text).lowercased()
    }

    /// The number of letters, stopping once `limit` is reached.
    static func letterCount(_ text: String, limit: Int) -> Int {
        var n = 0
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            n += 1
            if n >= limit { break }
        }
        return n
    }
}
