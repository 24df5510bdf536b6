import ASXHCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// How far an area has come in the campaign: per unit one level down (a city's districts, a district's
/// communes, a commune's members), the cases at each step and class, the trend of classified cases by day, and the day each unit
/// reaches 100% at its recent pace. Two GROUP BY queries whatever the number of cases.
struct ProgressReport {
    struct Unit {
        var code: String
        var name: String
        var total = 0
        var verified = 0
        var assigned = 0
        var classified = 0
        var byClass: [CaseClass: Int] = [:]
        /// Cumulative classified cases at the end of each day with any.
        var classifiedByDay: [CalendarDay: Int] = [:]
        var forecast: CalendarDay?
        /// The forecast falls after the step 3–4 deadline (or work is left and nothing moves after it).
        var late = false

        var share: Double { self.total == 0 ? 1 : Double(self.classified) / Double(self.total) }
    }

    var area: Area
    var campaign: Campaign
    var today: CalendarDay
    var units: [Unit]
    var whole: Unit

    /// The column that splits `area` into units one level down, and how a unit's code is named: a city's
    /// districts (or, since 2025, communes), a district's communes, a commune's working-group members (`level` nil).
    static func unitColumn(of area: Area) -> (column: String, level: AdministrativeLevel?) {
        switch (area.scheme, area.level) {
        case (_, .commune): return ("member_id", nil)
        case (.before2025, .province): return ("district_code", .district)
        case (.before2025, _): return ("commune_code", .commune)
        case (.since2025, _): return ("commune2025_code", .commune)
        }
    }

    /// What a unit is called: the administrative unit's name, or the member's (cases nobody holds yet have their own row).
    private static func unitNames(_ codes: some Sequence<String>, area: Area, level: AdministrativeLevel?, on database: any Database) async throws -> [String: String] {
        guard level == nil else {
            return Dictionary(uniqueKeysWithValues: codes.map { ($0, AdministrativeUnits.shared.unit($0, scheme: area.scheme, level: level!)?.fullName ?? $0) })
        }
        let ids = codes.compactMap(UUID.init(uuidString:))
        let users = ids.isEmpty ? [] : try await User.query(on: database).filter(\.$id ~~ ids).all()
        var names = Dictionary(uniqueKeysWithValues: users.compactMap { user in user.id.map { ($0.uuidString, user.displayName) } })
        names[Self.unassigned] = "Chưa giao thành viên / not assigned"
        return names
    }

    private static let unassigned = "-"

    static func load(_ area: Area, campaign: Campaign, today: CalendarDay, on database: any Database) async throws -> ProgressReport {
        let sql = database as! any SQLDatabase
        let (column, level) = Self.unitColumn(of: area)
        // Cases carry their person's place (migration AddCasePlace): one table, no join.
        let filters = area.personFilters.map { "c.\(ident: $0.column) = \(bind: $0.code)" as SQLQueryString }
        let inArea = filters.dropFirst().reduce(filters[0]) { "\($0) AND \($1)" }
        let campaignID = try campaign.requireID()
        var units: [String: Unit] = [:]
        func unit(_ code: String) -> Unit {
            units[code] ?? Unit(code: code, name: code)
        }
        // One pass: counts by unit, state, class and the Vietnamese day of classification (days since 1970, UTC+7),
        // arithmetic on the stored instant rather than a time-zone conversion and a formatted date per row.
        let day: SQLQueryString = sql.dialect.name == "postgresql"
            ? "(CAST(date_part('epoch', c.classified_at) AS BIGINT) + 25200) / 86400"
            : "CAST((c.classified_at + 25200) / 86400 AS INTEGER)"  // SQLite keeps dates as Unix seconds
        let counts = try await sql.raw("""
            SELECT c.\(ident: column) AS unit, c.state, c.case_class, \(day) AS day, COUNT(*) AS n
            FROM campaign_cases c
            WHERE c.campaign_id = \(bind: campaignID) AND c.state <> \(bind: CaseState.closed.rawValue) AND \(inArea)
            GROUP BY 1, 2, 3, 4
            """).all()
        var perDay: [String: [CalendarDay: Int]] = [:]
        let epoch = CalendarDay(year: 2000, month: 1, day: 1)!, epochNumber = 10_957  // 1 January 2000, in days since 1970
        for row in counts {
            let code = level == nil ? (try row.decode(column: "unit", as: UUID?.self)?.uuidString ?? Self.unassigned)
                                    : (try row.decode(column: "unit", as: String?.self) ?? "?")
            let state = CaseState(rawValue: try row.decode(column: "state", as: String.self)) ?? .imported
            let caseClass = try row.decode(column: "case_class", as: String?.self).flatMap(CaseClass.init(rawValue:))
            let n = try row.decode(column: "n", as: Int.self)
            var item = unit(code)
            item.total += n
            if state >= .verified { item.verified += n }
            if state >= .assigned { item.assigned += n }
            if let caseClass {
                item.classified += n
                item.byClass[caseClass, default: 0] += n
                if let number = try row.decode(column: "day", as: Int?.self), number >= epochNumber {
                    perDay[code, default: [:]][epoch.adding(days: number - epochNumber), default: 0] += n
                }
            }
            units[code] = item
        }
        let names = try await Self.unitNames(units.keys, area: area, level: level, on: database)
        for code in units.keys { units[code]?.name = names[code] ?? code }
        let deadline = campaign.schedule.deadlines[.classLists]
        var whole = Unit(code: area.code, name: Places.areaName(area))
        var wholeDaily: [CalendarDay: Int] = [:]
        for (code, daily) in perDay {
            var item = unit(code)
            item.classifiedByDay = Self.cumulative(daily)
            units[code] = item
            for (day, n) in daily { wholeDaily[day, default: 0] += n }
        }
        for (code, item) in units {
            units[code] = Self.forecast(item, today: today, deadline: deadline)
            whole.total += item.total
            whole.verified += item.verified
            whole.assigned += item.assigned
            whole.classified += item.classified
            for (caseClass, n) in item.byClass { whole.byClass[caseClass, default: 0] += n }
        }
        whole.classifiedByDay = Self.cumulative(wholeDaily)
        whole = Self.forecast(whole, today: today, deadline: deadline)
        // Laggards first: late ones, then the lowest share, so leaders see where to send people.
        let sorted = units.values.sorted { ($0.late ? 0 : 1, $0.share, $0.name) < ($1.late ? 0 : 1, $1.share, $1.name) }
        return ProgressReport(area: area, campaign: campaign, today: today, units: sorted, whole: whole)
    }

    private static func cumulative(_ daily: [CalendarDay: Int]) -> [CalendarDay: Int] {
        var running = 0
        var out: [CalendarDay: Int] = [:]
        for day in daily.keys.sorted() {
            running += daily[day]!
            out[day] = running
        }
        return out
    }

    private static func forecast(_ unit: Unit, today: CalendarDay, deadline: CalendarDay?) -> Unit {
        var unit = unit
        unit.forecast = Forecast.completion(done: unit.classifiedByDay, total: unit.total, today: today)
        if let deadline, unit.classified < unit.total {
            unit.late = unit.forecast.map { $0 > deadline } ?? true
        }
        return unit
    }
}
