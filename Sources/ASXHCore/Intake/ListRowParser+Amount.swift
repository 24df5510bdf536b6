extension ListRowParser {
    /// Why an amount cell is not a monthly amount in đồng.
    public enum AmountProblem: Error, Sendable, Hashable {
        case unparseable(text: String)
        case negative(text: String)
        case notWhole(text: String)
        case tooLarge(text: String)

        public var code: String {
            switch self {
            case .unparseable: return "amount_unparseable"
            case .negative: return "amount_negative"
            case .notWhole: return "amount_not_whole"
            case .tooLarge: return "amount_too_large"
            }
        }

        public var messageVI: String {
            switch self {
            case .unparseable(let text):
                return "Không đọc được số tiền \"\(text)\"; ghi số đồng, ví dụ 1.080.000."
            case .negative(let text):
                return "Số tiền \"\(text)\" là số âm."
            case .notWhole(let text):
                return "Số tiền \"\(text)\" có phần lẻ dưới một đồng."
            case .tooLarge(let text):
                return "Số tiền \"\(text)\" vượt quá 100.000.000 đồng/tháng: có thể nhập sai."
            }
        }

        public var messageEN: String {
            switch self {
            case .unparseable(let text):
                return "Cannot read amount \"\(text)\"; write a number of đồng, e.g. 1.080.000."
            case .negative(let text):
                return "Amount \"\(text)\" is negative."
            case .notWhole(let text):
                return "Amount \"\(text)\" has a fraction of a đồng."
            case .tooLarge(let text):
                return "Amount \"\(text)\" exceeds 100,000,000 đồng a month: probably a typing error."
            }
        }
    }

    /// Reads a monthly amount in đồng; nil for an empty cell or a dash.
    ///
    /// Accepted: Excel numbers; "1080000"; thousands grouped with ".", "," or spaces ("1.080.000",
    /// "1,080,000", "1 080 000"); a decimal part of zeros ("1.080.000,00"); a unit "đ", "đồng", "VND",
    /// optionally "/tháng"; and the multipliers "triệu"/"tr" and "nghìn"/"ngàn"/"k" with a decimal part
    /// ("1,08 triệu" = 1.080.000, "1.5tr" = 1.500.000), which officers use in notes.
    /// A single separator followed by exactly three digits groups thousands ("1.080" = 1.080 đồng) unless a
    /// multiplier follows; otherwise it is a decimal separator.
    public static func parseAmount(_ cell: Cell) -> Result<Int?, AmountProblem> {
        switch cell {
        case .empty:
            return .success(nil)
        case .number(let value), .date(let value):
            let text = cell.text
            guard value.isFinite else { return .failure(.unparseable(text: text)) }
            if value < 0 { return .failure(.negative(text: text)) }
            let rounded = value.rounded()
            if abs(value - rounded) > 0.01 { return .failure(.notWhole(text: text)) }
            if rounded > Double(Self.maximumMonthlyAmount) { return .failure(.tooLarge(text: text)) }
            return .success(Int(rounded))
        case .bool:
            return .failure(.unparseable(text: cell.text))
        case .text(let raw):
            return Self.parseAmount(text: raw)
        }
    }

    static func parseAmount(text raw: String) -> Result<Int?, AmountProblem> {
        let text = IntakeFold.clean(raw)
        if text.isEmpty || text == "-" || text == "–" || text == "—" { return .success(nil) }
        var digits: [UInt8] = []
        digits.reserveCapacity(12)
        // Separators: the character and how many digits came before it.
        var separators: [(UInt8, Int)] = []
        var negative = false
        var unit = String.UnicodeScalarView()
        var seenDigit = false
        var inUnit = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if inUnit {
                unit.append(scalar)
                continue
            }
            switch v {
            case 0x30...0x39:
                digits.append(UInt8(v))
                seenDigit = true
            case 0x2E, 0x2C:
                guard seenDigit else { return .failure(.unparseable(text: text)) }
                separators.append((UInt8(v), digits.count))
            case 0x20, 0xA0, 0x202F, 0x2009, 0x27:
                if seenDigit { separators.append((0x20, digits.count)) }
            case 0x2D, 0x2212, 0x28:
                // "-1.080.000" or "(1.080.000)", the accountants' negative.
                guard !seenDigit else { return .failure(.unparseable(text: text)) }
                negative = true
            case 0x29 where negative:
                inUnit = true
            default:
                guard seenDigit else { return .failure(.unparseable(text: text)) }
                inUnit = true
                unit.append(scalar)
            }
        }
        guard seenDigit else { return .failure(.unparseable(text: text)) }
        // Trailing spaces before the unit are not separators.
        while let last = separators.last, last.0 == 0x20, last.1 == digits.count { separators.removeLast() }

        let multiplier: Int
        switch IntakeFold.fold(String(unit)) {
        case "", "d", "dong", "vnd", "vnd thang", "dong thang", "d thang", "thang", "dong 1 thang", "d 1 thang":
            multiplier = 1
        case "trieu", "tr", "trieu dong", "trd":
            multiplier = 1_000_000
        case "nghin", "ngan", "k", "nghin dong", "ngan dong":
            multiplier = 1000
        default:
            return .failure(.unparseable(text: text))
        }

        // Which separator, if any, starts a decimal part.
        var decimalAt: Int?
        let kinds = Set(separators.map(\.0))
        if let last = separators.last {
            let groupAfterLast = digits.count - last.1
            let lastKindCount = separators.filter { $0.0 == last.0 }.count
            if kinds.count > 1 {
                // "1.080.000,50" or "1,080,000.50": the last kind, used once, is decimal.
                guard lastKindCount == 1, last.0 != 0x20 else { return .failure(.unparseable(text: text)) }
                decimalAt = last.1
            } else if last.0 != 0x20 && lastKindCount == 1 && (groupAfterLast != 3 || multiplier != 1) {
                decimalAt = last.1
            }
        }
        // Every thousands group after the first has three digits.
        var previous = 0
        for (index, separator) in separators.enumerated() {
            if separator.1 == decimalAt { break }
            let groupStart = separator.1
            let groupEnd = index + 1 < separators.count ? separators[index + 1].1 : (decimalAt ?? digits.count)
            if groupEnd - groupStart != 3 || (index == 0 && groupStart - previous == 0) {
                return .failure(.unparseable(text: text))
            }
            previous = groupStart
        }
        let integerDigits = digits[..<(decimalAt ?? digits.count)]
        let fractionDigits = digits[(decimalAt ?? digits.count)...]
        guard integerDigits.count <= 12, fractionDigits.count <= 6 else {
            return integerDigits.count > 12 ? .failure(.tooLarge(text: text)) : .failure(.unparseable(text: text))
        }
        var scale = 1
        for _ in fractionDigits { scale *= 10 }
        let fraction = IdentityScan.number(fractionDigits)
        let scaled = fraction * multiplier
        if scaled % scale != 0 { return .failure(.notWhole(text: text)) }
        let value = IdentityScan.number(integerDigits) * multiplier + scaled / scale
        if negative && value != 0 { return .failure(.negative(text: text)) }
        if value > Self.maximumMonthlyAmount { return .failure(.tooLarge(text: text)) }
        return .success(value)
    }
}
