/// A calendar day as plain integers, so dates are generated without Foundation's calendar or time zones.
public struct DemoDay: Sendable, Hashable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    var daysSinceEpoch: Int {
        let y = self.month <= 2 ? self.year - 1 : self.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (self.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + self.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    init(daysSinceEpoch: Int) {
        // One Gregorian calendar in the module: BirthDate's.
        let (year, month, day) = BirthDate.civil(fromDaysSince1970: daysSinceEpoch)
        self.init(year: year, month: month, day: day)
    }

    /// The Excel serial day number (1900 date system; valid from 1 March 1900, which covers every birth here).
    public var excelSerial: Int {
        self.daysSinceEpoch + 25_569
    }

    /// "YYYY-MM-DD".
    public var iso: String {
        Self.pad(self.year, 4) + "-" + Self.pad(self.month, 2) + "-" + Self.pad(self.day, 2)
    }

    /// "DD/MM/YYYY", the way Vietnamese lists write dates.
    public var vietnamese: String {
        Self.pad(self.day, 2) + "/" + Self.pad(self.month, 2) + "/" + Self.pad(self.year, 4)
    }

    /// Whole years of age on `day`.
    public func age(on day: DemoDay) -> Int {
        var years = day.year - self.year
        if (day.month, day.day) < (self.month, self.day) { years -= 1 }
        return years
    }

    static func pad(_ value: Int, _ width: Int) -> String { BirthDate.pad(value, width) }

    public static func < (lhs: DemoDay, rhs: DemoDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
