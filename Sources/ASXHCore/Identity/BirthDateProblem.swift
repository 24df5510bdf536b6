/// Why a cell is not a usable birth date.
public enum BirthDateProblem: Error, Sendable, Hashable {
    case empty
    /// Not one of the accepted forms.
    case unrecognised(text: String)
    /// Month outside 1…12; `dayFirst` is false when the day part is 12 or less, so the file may write month first.
    case monthOutOfRange(text: String, month: Int, dayFirst: Bool)
    /// A day the month does not have, such as 31/02 or 29/02 in a common year.
    case notACalendarDate(text: String, day: Int, month: Int, year: Int)
    /// Before 1900: no beneficiary alive was born then, so it is a typing error.
    case beforeEarliest(text: String, year: Int)
    /// After the reference day.
    case inFuture(text: String)
    /// Eight digits that read as a valid date both as ddmmyyyy and as yyyymmdd.
    case ambiguous(text: String)
    /// Excel serial 60, the 29 February 1900 that Excel invents and that never existed.
    case excelPhantomDay

    /// A stable snake_case code.
    public var code: String {
        switch self {
        case .empty: return "empty"
        case .unrecognised: return "unrecognised"
        case .monthOutOfRange: return "month_out_of_range"
        case .notACalendarDate: return "not_a_calendar_date"
        case .beforeEarliest: return "before_1900"
        case .inFuture: return "in_future"
        case .ambiguous: return "ambiguous"
        case .excelPhantomDay: return "excel_phantom_day"
        }
    }

    public var messageVI: String {
        switch self {
        case .empty:
            return "Ngày sinh bị trống."
        case .unrecognised(let text):
            return "Không đọc được ngày sinh \"\(text)\"; dùng dạng ngày/tháng/năm (01/02/1945) hoặc chỉ năm (1945)."
        case .monthOutOfRange(let text, let month, let dayFirst):
            let hint = dayFirst ? "" : " Có thể cột ghi theo dạng tháng/ngày/năm; cần ghi ngày/tháng/năm."
            return "Ngày sinh \"\(text)\" có tháng \(month), không hợp lệ.\(hint)"
        case .notACalendarDate(let text, let day, let month, let year):
            return "Ngày sinh \"\(text)\" không có thật: tháng \(month)/\(year) không có ngày \(day)."
        case .beforeEarliest(let text, let year):
            return "Ngày sinh \"\(text)\" có năm \(year), trước năm 1900: có thể nhập sai."
        case .inFuture(let text):
            return "Ngày sinh \"\(text)\" ở tương lai."
        case .ambiguous(let text):
            return "Ngày sinh \"\(text)\" có thể đọc theo hai cách; cần ghi rõ ngày/tháng/năm."
        case .excelPhantomDay:
            return "Ngày 29/02/1900 không có thật (lỗi của Excel)."
        }
    }

    public var messageEN: String {
        switch self {
        case .empty:
            return "The birth date is empty."
        case .unrecognised(let text):
            return "Cannot read birth date \"\(text)\"; write day/month/year (01/02/1945) or a year alone (1945)."
        case .monthOutOfRange(let text, let month, let dayFirst):
            let hint = dayFirst ? "" : " The column may be written month/day/year; it must be day/month/year."
            return "Birth date \"\(text)\" has month \(month), which does not exist.\(hint)"
        case .notACalendarDate(let text, let day, let month, let year):
            return "Birth date \"\(text)\" does not exist: \(month)/\(year) has no day \(day)."
        case .beforeEarliest(let text, let year):
            return "Birth date \"\(text)\" is in \(year), before 1900: probably a typing error."
        case .inFuture(let text):
            return "Birth date \"\(text)\" is in the future."
        case .ambiguous(let text):
            return "Birth date \"\(text)\" reads two ways; write it as day/month/year."
        case .excelPhantomDay:
            return "29/02/1900 never existed (an Excel quirk)."
        }
    }
}
