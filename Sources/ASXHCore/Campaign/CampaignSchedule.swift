/// The five steps of the campaign (Hanoi dispatch of 7 January 2024).
public enum CampaignStep: Int, Sendable, Codable, CaseIterable, Comparable {
    case matchAndClean = 1
    case surveyAndVerify = 2
    case visitAndClassify = 3
    case classLists = 4
    case syncAndPay = 5

    public static func < (lhs: CampaignStep, rhs: CampaignStep) -> Bool { lhs.rawValue < rhs.rawValue }

    public var vietnameseName: String {
        switch self {
        case .matchAndClean: return "Rà soát, làm sạch dữ liệu"
        case .surveyAndVerify: return "Khảo sát, xác minh"
        case .visitAndClassify: return "Đến nhà, phân loại, mở tài khoản"
        case .classLists: return "Phân loại, lập danh sách"
        case .syncAndPay: return "Cập nhật, đồng bộ số tài khoản; chi trả"
        }
    }

    public var englishName: String {
        switch self {
        case .matchAndClean: return "Match and clean"
        case .surveyAndVerify: return "Survey and verify"
        case .visitAndClassify: return "Visit, classify, open accounts"
        case .classLists: return "Class lists"
        case .syncAndPay: return "Sync accounts; pay"
        }
    }

    /// The step a case still owes, from its state: done with step N once it has reached the state that closes it.
    public static func current(for state: CaseState) -> CampaignStep? {
        switch state {
        case .imported: return .matchAndClean
        case .verified: return .surveyAndVerify
        case .assigned: return .visitAndClassify
        case .visited, .classified: return .classLists
        case .accountRecorded, .synced: return .syncAndPay
        case .paid, .closed: return nil
        }
    }
}

/// Each step's deadline (the last day it may be done on).
public struct CampaignSchedule: Sendable, Equatable, Codable {
    public var deadlines: [CampaignStep: CalendarDay]

    public init(_ deadlines: [CampaignStep: CalendarDay]) {
        self.deadlines = deadlines
    }

    /// The Hanoi schedule of 2024: step 1 by 9 January, 2 by 10, 3 and 4 by 15, 5 by 16 January 2024.
    public static let hanoi2024 = CampaignSchedule([
        .matchAndClean: CalendarDay(year: 2024, month: 1, day: 9)!,
        .surveyAndVerify: CalendarDay(year: 2024, month: 1, day: 10)!,
        .visitAndClassify: CalendarDay(year: 2024, month: 1, day: 15)!,
        .classLists: CalendarDay(year: 2024, month: 1, day: 15)!,
        .syncAndPay: CalendarDay(year: 2024, month: 1, day: 16)!,
    ])

    /// The same gaps between steps, starting on `first` (step 1's deadline): how a new cycle reuses a schedule.
    public func shifted(toStartOn first: CalendarDay) -> CampaignSchedule {
        guard let start = self.deadlines[.matchAndClean] else { return self }
        let offset = start.days(to: first)
        return CampaignSchedule(self.deadlines.mapValues { $0.adding(days: offset) })
    }

    /// Whether work still owed at `step` is late on `today`.
    public func isOverdue(_ step: CampaignStep, on today: CalendarDay) -> Bool {
        guard let deadline = self.deadlines[step] else { return false }
        return today > deadline
    }

    /// As JSON: `{"1": "2024-01-09", …}`, step number to ISO day.
    public init(from decoder: any Decoder) throws {
        let byStep = try decoder.singleValueContainer().decode([String: CalendarDay].self)
        self.deadlines = [:]
        for (key, day) in byStep {
            guard let step = Int(key).flatMap(CampaignStep.init(rawValue:)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no step \(key)"))
            }
            self.deadlines[step] = day
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: self.deadlines.map { (String($0.key.rawValue), $0.value) }))
    }

    /// Steps must not end before the step they follow.
    public var problems: [String] {
        var problems: [String] = []
        for step in CampaignStep.allCases where self.deadlines[step] == nil { problems.append("step \(step.rawValue) has no deadline") }
        let ordered = CampaignStep.allCases.compactMap { step in self.deadlines[step].map { (step, $0) } }
        for (earlier, later) in zip(ordered, ordered.dropFirst()) where later.1 < earlier.1 {
            problems.append("step \(later.0.rawValue) ends before step \(earlier.0.rawValue)")
        }
        return problems
    }
}

/// When a commune reaches 100% at its recent pace.
public enum Forecast {
    /// `done` holds the cumulative count of finished cases per day (any order, gaps allowed). The pace is the
    /// average over the last `window` days up to `today`; nil when nothing moved in that time (no date can be given).
    public static func completion(done: [CalendarDay: Int], total: Int, today: CalendarDay, window: Int = 3) -> CalendarDay? {
        let finished = done[today] ?? done.filter { $0.key <= today }.max { $0.key < $1.key }?.value ?? 0
        if finished >= total { return done.filter { $0.value >= total }.keys.min() ?? today }
        let start = today.adding(days: -window)
        let then = done.filter { $0.key <= start }.max { $0.key < $1.key }?.value ?? 0
        let pace = Double(finished - then) / Double(window)
        guard pace > 0 else { return nil }
        let days = Int((Double(total - finished) / pace).rounded(.up))
        return today.adding(days: days)
    }
}
