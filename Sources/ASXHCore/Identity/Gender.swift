/// A person's gender as lists and the personal ID record it.
public enum Gender: String, Sendable, Hashable, Codable, CaseIterable {
    case male
    case female

    /// "Nam" / "Nữ", as on Vietnamese screens and files.
    public var labelVI: String {
        switch self {
        case .male: return "Nam"
        case .female: return "Nữ"
        }
    }

    public var labelEN: String {
        switch self {
        case .male: return "Male"
        case .female: return "Female"
        }
    }

    /// Reads a gender cell. Accepted, in any case and with or without diacritics:
    /// Nam, Nam giới, Trai, M, Male, Man → male; Nữ, Nu, Nữ giới, Gái, F, Female, Woman → female;
    /// also "Ông" → male and "Bà" → female, but only written with their diacritics ("Ong"/"Ba" are other words).
    ///
    /// Codes "1"/"0" (or "1"/"2") are rejected: lists use them both ways round, so guessing would
    /// silently swap genders. "N" and "X" are rejected for the same reason.
    public init?(parsing text: String) {
        let folded = IntakeFold.fold(text)
        switch folded {
        case "nam", "nam gioi", "gioi tinh nam", "trai", "con trai", "m", "male", "man", "boy":
            self = .male
            return
        case "nu", "nu gioi", "gioi tinh nu", "gai", "con gai", "f", "female", "woman", "girl":
            self = .female
            return
        case "ong", "ba":
            break
        default:
            return nil
        }
        let lowered = IntakeFold.trimmedLowercasedNFC(text)
        switch lowered {
        case "ông": self = .male
        case "bà": self = .female
        default: return nil
        }
    }
}
