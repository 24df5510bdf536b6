extension AdministrativeUnits {
    /// The stored, zero-padded form of a code typed or read from a spreadsheet, or nil if it cannot be one.
    ///
    /// Spreadsheets turn codes into numbers and drop leading zeros ("00001" → 1, sometimes "1.0"). Because the
    /// level fixes the length (province 2, district 3, commune 5 digits), padding is unambiguous: "1" is
    /// province "01", district "001" or commune "00001" depending on `level`. Accepted: surrounding spaces, a
    /// leading apostrophe (Excel's text marker), a trailing ".0", extra leading zeros ("0001" as a district).
    /// Anything else that is not all digits, or longer than the level's length after dropping leading zeros,
    /// gives nil.
    public static func normalizedCode(_ raw: String, level: AdministrativeLevel) -> String? {
        var digits = Substring(raw).utf8.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x27 }  // spaces, tab, apostrophe
        while let last = digits.last, last == 0x20 || last == 0x09 { digits = digits.dropLast() }
        if let dot = digits.firstIndex(of: 0x2E) {  // "1.0", "1.00"
            guard digits[digits.index(after: dot)...].allSatisfy({ $0 == 0x30 }) else { return nil }
            digits = digits[..<dot]
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let length = level.codeLength
        while digits.count > length, digits.first == 0x30 { digits = digits.dropFirst() }
        guard digits.count <= length else { return nil }
        return String(repeating: "0", count: length - digits.count) + String(decoding: digits, as: UTF8.self)
    }
}
