/// Why a text is not a valid personal ID (số định danh cá nhân) or old ID (số CMND).
///
/// Each case names one precise fault, so that the person correcting a list knows what to fix.
public enum IdentityProblem: Error, Sendable, Hashable {
    /// Nothing but separators.
    case empty
    /// The number of digits is wrong; `expected` is 12 for a personal ID, 9 for an old ID.
    case wrongLength(found: Int, expected: Int)
    /// A character that is neither a digit nor an accepted separator, at a 1-based position.
    case nonDigit(character: Character, position: Int)
    /// Excel showed the number in scientific notation ("1.23457E+11"); the lost digits cannot be recovered.
    case scientificNotation(text: String)
    /// The first three digits are neither one of the 63 province codes nor a code for a birth abroad.
    case unknownProvinceCode(code: String)
    /// The fourth digit puts the birth in a century that has not come yet (digits 4–9: 2100 onwards).
    case centuryOutOfRange(digit: Int)
    /// The birth year read from the number lies in the future.
    case birthYearInFuture(year: Int)

    /// A stable snake_case code for reports and logs.
    public var code: String {
        switch self {
        case .empty: return "empty"
        case .wrongLength: return "wrong_length"
        case .nonDigit: return "non_digit"
        case .scientificNotation: return "scientific_notation"
        case .unknownProvinceCode: return "unknown_province_code"
        case .centuryOutOfRange: return "century_out_of_range"
        case .birthYearInFuture: return "birth_year_in_future"
        }
    }

    public var messageVI: String {
        switch self {
        case .empty:
            return "Số giấy tờ bị trống."
        case .wrongLength(let found, let expected):
            let document = expected == 9 ? "Số CMND" : "Số định danh cá nhân (CCCD)"
            return "\(document) phải có \(expected) chữ số, nhưng có \(found) chữ số."
        case .nonDigit(let character, let position):
            return "Có ký tự không phải chữ số \"\(character)\" ở vị trí \(position)."
        case .scientificNotation(let text):
            return "Số \"\(text)\" đã bị Excel đổi sang dạng số mũ và mất chữ số; cần định dạng cột là văn bản và nhập lại."
        case .unknownProvinceCode(let code):
            return "Mã tỉnh nơi đăng ký khai sinh \"\(code)\" (3 chữ số đầu) không tồn tại."
        case .centuryOutOfRange(let digit):
            return "Chữ số thứ tư (thế kỷ và giới tính) là \(digit), tương ứng năm sinh từ 2100 trở đi: không hợp lệ."
        case .birthYearInFuture(let year):
            return "Năm sinh đọc từ số định danh là \(year), chưa đến."
        }
    }

    public var messageEN: String {
        switch self {
        case .empty:
            return "The ID number is empty."
        case .wrongLength(let found, let expected):
            let document = expected == 9 ? "An old ID (CMND)" : "A personal ID (CCCD)"
            return "\(document) has \(expected) digits, this one has \(found)."
        case .nonDigit(let character, let position):
            return "Character \"\(character)\" at position \(position) is not a digit."
        case .scientificNotation(let text):
            return "\"\(text)\" was turned into scientific notation by Excel and lost digits; format the column as text and enter it again."
        case .unknownProvinceCode(let code):
            return "Province-of-birth code \"\(code)\" (the first three digits) does not exist."
        case .centuryOutOfRange(let digit):
            return "The fourth digit (century and gender) is \(digit), meaning a birth in 2100 or later: not valid."
        case .birthYearInFuture(let year):
            return "The birth year read from the ID is \(year), which has not come yet."
        }
    }
}
