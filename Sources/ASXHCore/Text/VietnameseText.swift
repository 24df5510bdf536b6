import Foundation

/// Vietnamese text as people type it and as machines compare it.
public enum VietnameseText {
    /// Lower-case, diacritics removed (Đ/đ → d), punctuation dropped, whitespace collapsed: "Nguyễn  Văn Đức" → "nguyen van duc".
    /// Used for comparing and searching, never for display.
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            let folded: Unicode.Scalar
            switch scalar.value {
            case 0x0110, 0x0111: folded = "d"
            case 0x0300...0x036F: continue  // combining marks: tones and vowel marks
            default: folded = scalar
            }
            if folded.properties.isAlphabetic || folded.properties.numericType != nil {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                for lower in folded.properties.lowercaseMapping.unicodeScalars { out.append(lower) }
            } else {
                pendingSpace = true
            }
        }
        return String(out)
    }
}
