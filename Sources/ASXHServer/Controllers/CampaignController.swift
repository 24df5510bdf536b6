import ASXHCore
import Fluent
import Vapor

/// Campaigns as data: an administrator opens one for a province and scheme with its five deadlines, closes it,
/// and opens the next; every earlier campaign stays readable.
struct CampaignController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.allowing(\.canReadCampaigns).get("campaigns", use: self.list)
        let admins = routes.allowing(\.canManageCampaigns)
        admins.post("campaigns", use: self.open)
        admins.post("campaigns", ":campaignID", "close", use: self.close)
    }

    func list(request: Request) async throws -> Response {
        let campaigns = try await Campaign.query(on: request.db).sort(\.$createdAt, .descending).limit(100).all()
        return Layout.response(CampaignsView(context: PageContext(request), campaigns: campaigns, today: CalendarDay(request.application.now())).html)
    }

    struct NewCampaign: Content {
        var name: String
        var province: String
        var scheme: String
        var deadline1: String
        var deadline2: String
        var deadline3: String
        var deadline4: String
        var deadline5: String
    }

    func open(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let form = try request.content.decode(NewCampaign.self)
        guard let name = try Request.bounded(form.name, field: "name", maxLength: 200) else {
            throw ASXHError.invalidInput(field: "name", vi: "Chưa nhập tên đợt.", en: "The campaign needs a name.")
        }
        let scheme: AdministrativeScheme = try Request.choice(form.scheme, field: "scheme", what: ("Hệ thống đơn vị hành chính", "scheme"))
            ?? { throw ASXHError.invalidInput(field: "scheme", vi: "Chưa chọn hệ thống đơn vị hành chính.", en: "No scheme chosen.") }()
        guard form.province.count <= 3, AdministrativeUnits.shared.unit(form.province, scheme: scheme, level: .province) != nil else {
            throw ASXHError.invalidInput(field: "province", vi: "Mã tỉnh “\(form.province.prefix(10))” không có trong danh mục.", en: "Province code “\(form.province.prefix(10))” is not in the list of units.")
        }
        var deadlines: [CampaignStep: CalendarDay] = [:]
        for (step, text) in zip(CampaignStep.allCases, [form.deadline1, form.deadline2, form.deadline3, form.deadline4, form.deadline5]) {
            guard let day = CalendarDay(parsing: text) else {
                throw ASXHError.invalidInput(field: "deadline\(step.rawValue)", vi: "Hạn bước \(step.rawValue) không phải ngày hợp lệ.", en: "The step \(step.rawValue) deadline is not a valid day.")
            }
            deadlines[step] = day
        }
        let schedule = CampaignSchedule(deadlines)
        if let problem = schedule.problems.first {
            throw ASXHError.invalidInput(field: "deadlines", vi: "Thứ tự các hạn không hợp lệ (\(problem)).", en: "The deadlines are out of order (\(problem)).")
        }
        let province = Area(scheme: scheme, level: .province, code: form.province)
        _ = try await CampaignOpening.open(.init(name: name, province: province, schedule: schedule), actor: user, now: request.application.now(), on: request.db)
        return request.redirect(to: "/campaigns")
    }

    func close(request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard let campaign = try await Campaign.find(try request.uuidParameter("campaignID"), on: request.db) else { throw ASXHError.notFound }
        try await CampaignOpening.close(campaign, actor: user, now: request.application.now(), on: request.db)
        return request.redirect(to: "/campaigns")
    }
}
