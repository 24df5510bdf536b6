import Foundation

/// A birth date as lists give it: a full date, a month and year, or a year only.
///
/// Elderly beneficiaries often have only a birth year on record, so precision is kept rather than
/// inventing 1 January. Ordering compares year, then month, then day, a missing part sorting first.
public struct BirthDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    /// Nil when only the year is known.
    public let month: Int?
    /// Nil when only the year, or the month and year, are known.
    public let day: Int?

    /// A checked date: nil for a month outside 1…12, a day that the month does not have (31/02),
    /// or a day without a month. No range check here: parsing does that against a reference day.
    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        if let month, !(1...12).contains(month) { return nil }
        if let day {
            guard let month, day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Only the year is known.
    public var isYearOnly: Bool { self.month == nil }

    /// Day, month and year are known.
    public var isFullDate: Bool { self.day != nil }

    /// Day and month could have been typed the other way round: both are 12 or less and they differ.
    /// The matcher tries the swapped date when the register disagrees.
    public var couldSwapDayAndMonth: Bool {
        guard let day = self.day, let month = self.month else { return false }
        return day <= 12 && month <= 12 && day != month
    }

    /// The date with day and month exchanged, when `couldSwapDayAndMonth`.
    public var dayMonthSwapped: BirthDate? {
        guard self.couldSwapDayAndMonth, let day = self.day, let month = self.month else { return nil }
        return BirthDate(year: self.year, month: day, day: month)
    }

    /// Vietnamese display form: "01/02/1945", "02/1945" or "1945".
    public var description: String {
        let y = Self.pad(self.year, 4)
        guard let month = self.month else { return y }
        guard let day = self.day else { return "\(Self.pad(month, 2))/\(y)" }
        return "\(Self.pad(day, 2))/\(Self.pad(month, 2))/\(y)"
    }

    /// ISO 8601 form at the known precision: "1945-02-01", "1945-02" or "1945".
    public var isoString: String {
        let y = Self.pad(self.year, 4)
        guard let month = self.month else { return y }
        guard let day = self.day else { return "\(y)-\(Self.pad(month, 2))" }
        return "\(y)-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
    }

    public static func < (lhs: BirthDate, rhs: BirthDate) -> Bool {
        (lhs.year, lhs.month ?? 0, lhs.day ?? 0) < (rhs.year, rhs.month ?? 0, rhs.day ?? 0)
    }

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return Self.isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Encoded as `isoString`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(separator: "-").map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }),
            let date = BirthDate(year: parts[0]!, month: parts.count > 1 ? parts[1] : nil, day: parts.count > 2 ? parts[2] : nil)
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Not a birth date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.isoString)
    }
}

extension BirthDate {
    /// The day against which birth dates are judged: none may lie after it, and two-digit years pivot on it.
    ///
    /// Passed in rather than read from the clock inside parsing, so that tests and re-runs are reproducible.
    public struct ReferenceDay: Sendable, Hashable {
        public let year: Int
        public let month: Int
        public let day: Int

        public init(year: Int, month: Int, day: Int) {
            self.year = year
            self.month = month
            self.day = day
        }

        /// Today in Vietnam (UTC+7).
        public static func current(now: Date = Date()) -> ReferenceDay {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!
            let parts = calendar.dateComponents([.year, .month, .day], from: now)
            return ReferenceDay(year: parts.year ?? 2025, month: parts.month ?? 1, day: parts.day ?? 1)
        }

        /// The Excel serial day number of this day (1900 date system).
        var excelSerial: Int { BirthDate.excelSerial(year: self.year, month: self.month, day: self.day) }
    }
}
