/// An old identity card number (số chứng minh nhân dân, CMND): nine digits.
///
/// Still found in older lists; the population register links it to the person's personal ID.
/// `description` is masked like `PersonalID`'s.
public struct OldID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The nine ASCII digits.
    public let digits: String
    /// The value had 8 digits and was completed with a leading zero that a spreadsheet had dropped
    /// (Hanoi CMNDs start with "01").
    public let restoredLeadingZero: Bool

    /// Parses a CMND as it appears in a list: spaces, dots, dashes and a leading apostrophe are ignored.
    public init(parsing text: String) throws(IdentityProblem) {
        switch IdentityScan.digits(of: text) {
        case .success(let digits): try self.init(scanned: digits)
        case .failure(let problem): throw problem
        }
    }

    /// From digits already separated from their separators by `IdentityScan.digits`.
    init(scanned digits: [UInt8]) throws(IdentityProblem) {
        switch digits.count {
        case 9:
            self.digits = IdentityScan.string(digits)
            self.restoredLeadingZero = false
        case 8:
            self.digits = "0" + IdentityScan.string(digits)
            self.restoredLeadingZero = true
        default:
            throw .wrongLength(found: digits.count, expected: 9)
        }
    }

    /// Parses a spreadsheet cell; numbers are read as the integer they show.
    public init(cell: Cell) throws(IdentityProblem) {
        try self.init(parsing: cell.text)
    }

    /// "•••••6789": what screens and logs show.
    public var masked: String { IdentityScan.masked(self.digits) }

    public var description: String { self.masked }

    public static func == (lhs: OldID, rhs: OldID) -> Bool { lhs.digits == rhs.digits }
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
