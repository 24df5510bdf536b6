import Foundation

/// A calendar day in Vietnam (deadlines, visit days, trend points): no time, no time zone surprises.
public struct CalendarDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int

    public static let timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDay.timeZone
        return calendar
    }()

    /// A real day (31 February is refused) in 2000–2100.
    public init?(year: Int, month: Int, day: Int) {
        guard (2000...2100).contains(year), (1...12).contains(month), (1...31).contains(day),
              let date = Self.calendar.date(from: DateComponents(year: year, month: month, day: day)),
              Self.calendar.component(.day, from: date) == day else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// "15/01/2024" (as Vietnamese forms write it) or "2024-01-15" (ISO, as date inputs send it).
    public init?(parsing text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard text.count <= 10 else { return nil }
        let parts: [Int]
        if text.contains("/") {
            parts = text.split(separator: "/", omittingEmptySubsequences: false).compactMap { Int($0) }.reversed()
        } else {
            parts = text.split(separator: "-", omittingEmptySubsequences: false).compactMap { Int($0) }
        }
        guard parts.count == 3 else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    /// The day `date` falls on in Vietnam.
    public init(_ date: Date) {
        let parts = Self.calendar.dateComponents([.year, .month, .day], from: date)
        (self.year, self.month, self.day) = (parts.year!, parts.month!, parts.day!)
    }

    /// Midnight at the start of the day, Vietnam time.
    public var start: Date { Self.calendar.date(from: DateComponents(year: self.year, month: self.month, day: self.day))! }

    /// The end of the day (a deadline "by 15 January" holds until midnight).
    public var end: Date { self.adding(days: 1).start }

    public func adding(days: Int) -> CalendarDay {
        CalendarDay(Self.calendar.date(byAdding: .day, value: days, to: self.start)!.addingTimeInterval(3600))
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    public func days(to other: CalendarDay) -> Int {
        Self.calendar.dateComponents([.day], from: self.start, to: other.start).day!
    }

    public var iso: String { String(format: "%04d-%02d-%02d", self.year, self.month, self.day) }
    public var vietnamese: String { String(format: "%02d/%02d/%04d", self.day, self.month, self.year) }
    public var description: String { self.iso }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = CalendarDay(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a day: \(text)"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.iso)
    }
}
