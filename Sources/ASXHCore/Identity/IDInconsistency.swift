/// One part of a personal ID that disagrees with the birth date or gender listed beside it.
public enum IDInconsistency: Sendable, Hashable {
    /// The two-digit year in the ID differs from the listed birth year.
    case birthYear(inID: Int, listed: Int)
    /// The two-digit year agrees but the century digit says another century (e.g. 1945 vs 2045).
    case century(inID: Int, listed: Int)
    /// The century digit's parity says another gender.
    case gender(inID: Gender, listed: Gender)

    /// A stable snake_case code.
    public var code: String {
        switch self {
        case .birthYear: return "id_birth_year_mismatch"
        case .century: return "id_century_mismatch"
        case .gender: return "id_gender_mismatch"
        }
    }

    public var messageVI: String {
        switch self {
        case .birthYear(let inID, let listed):
            return "Năm sinh theo số định danh là \(inID), danh sách ghi \(listed)."
        case .century(let inID, let listed):
            return "Chữ số thế kỷ trong số định danh ứng với năm \(inID), danh sách ghi \(listed)."
        case .gender(let inID, let listed):
            return "Giới tính theo số định danh là \(inID.labelVI), danh sách ghi \(listed.labelVI)."
        }
    }

    public var messageEN: String {
        switch self {
        case .birthYear(let inID, let listed):
            return "The ID encodes birth year \(inID); the list says \(listed)."
        case .century(let inID, let listed):
            return "The ID's century digit gives \(inID); the list says \(listed)."
        case .gender(let inID, let listed):
            return "The ID encodes \(inID.labelEN.lowercased()); the list says \(listed.labelEN.lowercased())."
        }
    }
}
