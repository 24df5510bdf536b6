/// A personal identification number (số định danh cá nhân), printed on the citizen identity card (CCCD).
///
/// Twelve digits: a 3-digit province-of-birth code, a digit for century and gender (even male, odd female;
/// century = 19 + digit / 2), the last two digits of the birth year, and six random digits. There is no
/// check digit, so a well-formed number can still be someone else's: only the population register can tell.
///
/// `description` is masked, so that interpolating an ID into a log line does not leak it; use `digits`
/// where the full number is meant.
public struct PersonalID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The twelve ASCII digits.
    public let digits: String
    /// The value had 10 or 11 digits and became valid with its leading zeros put back; spreadsheets drop
    /// them when an ID is stored as a number (Hanoi IDs start "001", so two zeros go).
    public let restoredLeadingZero: Bool

    /// Parses an ID as it appears in a list: spaces, dots, dashes and a leading apostrophe are ignored.
    ///
    /// - Parameter today: the birth year may not lie after `today.year`.
    public init(parsing text: String, today: BirthDate.ReferenceDay = .current()) throws(IdentityProblem) {
        switch IdentityScan.digits(of: text) {
        case .success(let digits): try self.init(scanned: digits, today: today)
        case .failure(let problem): throw problem
        }
    }

    /// From digits already separated from their separators by `IdentityScan.digits`.
    init(scanned digits: [UInt8], today: BirthDate.ReferenceDay) throws(IdentityProblem) {
        if digits.count == 12 {
            try Self.validate(digits, today: today)
            self.digits = IdentityScan.string(digits)
            self.restoredLeadingZero = false
            return
        }
        if digits.count == 10 || digits.count == 11 {
            let restored = [UInt8](repeating: 0x30, count: 12 - digits.count) + digits
            if (try? Self.validate(restored, today: today)) != nil {
                self.digits = IdentityScan.string(restored)
                self.restoredLeadingZero = true
                return
            }
        }
        throw .wrongLength(found: digits.count, expected: 12)
    }

    /// Parses a spreadsheet cell; numbers are read as the integer they show.
    public init(cell: Cell, today: BirthDate.ReferenceDay = .current()) throws(IdentityProblem) {
        let text = cell.text
        if case .number(let value) = cell, value != value.rounded() {
            // A fraction would otherwise pass, its dot taken for a separator.
            let position = (text.firstIndex(of: ".").map { text.distance(from: text.startIndex, to: $0) } ?? 0) + 1
            throw .nonDigit(character: ".", position: position)
        }
        try self.init(parsing: text, today: today)
    }

    static func validate(_ digits: [UInt8], today: BirthDate.ReferenceDay) throws(IdentityProblem) {
        let province = IdentityScan.number(digits[0..<3])
        if BirthProvince.named(code: province) == nil && !BirthProvince.abroadCodes.contains(province) {
            throw .unknownProvinceCode(code: IdentityScan.string(Array(digits[0..<3])))
        }
        let centuryDigit = Int(digits[3] &- 0x30)
        if centuryDigit >= 4 {
            throw .centuryOutOfRange(digit: centuryDigit)
        }
        let year = (19 + centuryDigit / 2) * 100 + IdentityScan.number(digits[4..<6])
        if year > today.year {
            throw .birthYearInFuture(year: year)
        }
    }

    /// Three digits, e.g. "001" for Hà Nội, or "101"…"295" for a birth registered abroad.
    public var provinceCode: String { String(self.digits.utf8.prefix(3).map { Character(Unicode.Scalar($0)) }) }

    /// The pre-2025 province of birth registration; nil when the birth was registered abroad.
    public var provinceName: String? { BirthProvince.named(code: self.number(0, 3))?.name }

    public var bornAbroad: Bool { BirthProvince.abroadCodes.contains(self.number(0, 3)) }

    public var gender: Gender { self.number(3, 1) % 2 == 0 ? .male : .female }

    /// Four-digit birth year: century from the fourth digit, then digits five and six.
    public var birthYear: Int { (19 + self.number(3, 1) / 2) * 100 + self.number(4, 2) }

    /// "••••••••1234": what screens and logs show.
    public var masked: String { IdentityScan.masked(self.digits) }

    public var description: String { self.masked }

    private func number(_ start: Int, _ length: Int) -> Int {
        var n = 0
        for byte in self.digits.utf8.dropFirst(start).prefix(length) { n = n * 10 + Int(byte &- 0x30) }
        return n
    }

    /// Where the birth date or gender listed for a person disagree with what the ID encodes.
    ///
    /// A disagreement is not proof of a wrong ID: lists are typed by hand and the police check against the register.
    public func inconsistencies(birthDate: BirthDate?, gender: Gender?) -> [IDInconsistency] {
        var found: [IDInconsistency] = []
        if let birthDate {
            let idYear = self.birthYear
            if birthDate.year != idYear {
                if birthDate.year % 100 == idYear % 100 {
                    found.append(.century(inID: idYear, listed: birthDate.year))
                } else {
                    found.append(.birthYear(inID: idYear, listed: birthDate.year))
                }
            }
        }
        if let gender, gender != self.gender {
            found.append(.gender(inID: self.gender, listed: gender))
        }
        return found
    }

    public static func == (lhs: PersonalID, rhs: PersonalID) -> Bool { lhs.digits == rhs.digits }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.digits) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.messageEN))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.digits)
    }
}
