import ASXHCore
import Fluent
import Vapor

/// Progress of the open campaign for leaders: the user's area split one level down, laggards first.
struct ProgressController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let readers = routes.allowing(\.canReadFieldwork)
        readers.get("progress", use: self.page)
        readers.get("api", "v1", "progress", use: self.json)
    }

    private func report(_ request: Request) async throws -> ProgressReport {
        let user = try request.requireUser()
        var area = user.area
        if let asked = try request.queryText("area", maxLength: 40) {
            guard let parsed = Area(asked), user.area.contains(parsed) else {
                throw ASXHError.invalidInput(field: "area", vi: "Địa bàn không hợp lệ hoặc ngoài địa bàn của bạn.", en: "Unknown area, or outside yours.")
            }
            area = parsed
        }
        guard let campaign = try await Campaign.current(on: request.db) else {
            throw ASXHError.refused(status: .conflict, code: "no_campaign", vi: "Chưa có đợt nào.", en: "No campaign yet.")
        }
        return try await ProgressReport.load(area, campaign: campaign, today: CalendarDay(request.application.now()), on: request.db)
    }

    func page(request: Request) async throws -> Response {
        Layout.response(ProgressView(context: PageContext(request), report: try await self.report(request)).html)
    }

    struct UnitJSON: Content {
        var code: String
        var name: String
        var total: Int
        var verified: Int
        var assigned: Int
        var classified: Int
        var classes: [String: Int]
        var forecast: String?
        var late: Bool
    }

    struct ReportJSON: Content {
        var area: String
        var campaign: String
        var today: String
        var deadline: String?
        var whole: UnitJSON
        var units: [UnitJSON]
    }

    func json(request: Request) async throws -> ReportJSON {
        let report = try await self.report(request)
        func unit(_ u: ProgressReport.Unit) -> UnitJSON {
            UnitJSON(code: u.code, name: u.name, total: u.total, verified: u.verified, assigned: u.assigned, classified: u.classified,
                     classes: Dictionary(uniqueKeysWithValues: u.byClass.map { ($0.key.rawValue, $0.value) }), forecast: u.forecast?.iso, late: u.late)
        }
        return ReportJSON(area: report.area.description, campaign: report.campaign.name, today: report.today.iso,
                          deadline: report.campaign.schedule.deadlines[.classLists]?.iso, whole: unit(report.whole), units: report.units.map(unit))
    }
}
