import ASXHCore
import Fluent
import Vapor

/// Step 4: each commune's lists by class, printable and as XLSX, and the commune chair's sign-off.
struct ClassListController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let readers = routes.allowing(\.canReadFieldwork)
        readers.get("lists", ":commune", use: self.page)
        readers.get("lists", ":commune", "xlsx", use: self.xlsx)
        routes.allowing(\.canSignOffLists).post("lists", ":commune", "signoff", use: self.signOff)
    }

    /// The commune named in the path, in the user's scheme, only if it lies in the user's area.
    private func commune(_ request: Request, for user: User) throws -> Area {
        guard let code = request.parameters.get("commune"), (1...10).contains(code.count), code.allSatisfy({ $0.isASCII && $0.isNumber }),
              AdministrativeUnits.shared.unit(code, scheme: user.area.scheme, level: .commune) != nil else {
            throw ASXHError.invalidInput(field: "commune", vi: "Mã xã không hợp lệ.", en: "Unknown commune code.")
        }
        let commune = Area(scheme: user.area.scheme, level: .commune, code: code)
        guard user.area.contains(commune) else { throw ASXHError.notFound }
        return commune
    }

    private func campaign(_ request: Request) async throws -> Campaign {
        guard let campaign = try await Campaign.current(on: request.db) else {
            throw ASXHError.refused(status: .conflict, code: "no_campaign", vi: "Chưa có đợt nào.", en: "No campaign yet.")
        }
        return campaign
    }

    func page(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let commune = try self.commune(request, for: user)
        let campaign = try await self.campaign(request)
        let list = try await ClassList.load(commune, campaign: campaign, for: user.role, on: request.db)
        let signoff = try await CommuneSignoff.query(on: request.db).filter(\.$campaign.$id == campaign.requireID())
            .filter(\.$areaScheme == commune.scheme).filter(\.$communeCode == commune.code).sort(\.$signedAt, .descending).with(\.$signedBy).first()
        return Layout.response(ClassListView(context: PageContext(request), campaign: campaign, list: list, signoff: signoff).html)
    }

    func xlsx(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let commune = try self.commune(request, for: user)
        let campaign = try await self.campaign(request)
        let list = try await ClassList.load(commune, campaign: campaign, for: user.role, on: request.db)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-lists-\(UUID().uuidString).xlsx").path
        try list.writeXLSX(to: path, communeName: Places.areaName(commune), campaignName: campaign.name)
        let response = try await request.download(path, name: "danh-sach-phan-loai-\(commune.code).xlsx", contentType: .xlsx)
        return response
    }

    /// The chair confirms the lists as they stand; the counts signed for are kept with the sign-off.
    func signOff(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let commune = try self.commune(request, for: user)
        let campaign = try await self.campaign(request)
        let list = try await ClassList.load(commune, campaign: campaign, for: user.role, on: request.db)
        guard list.rows.values.contains(where: { !$0.isEmpty }) else {
            throw ASXHError.invalidInput(field: "lists", vi: "Chưa có ai được phân loại để xác nhận.", en: "Nobody is classified yet: nothing to confirm.")
        }
        try await request.db.writeTransaction { db in
            let signoff = CommuneSignoff()
            signoff.$campaign.id = try campaign.requireID()
            signoff.areaScheme = commune.scheme
            signoff.communeCode = commune.code
            signoff.$signedBy.id = try user.requireID()
            signoff.signedAt = request.application.now()
            signoff.counts = Audit.json(list.counts) ?? "{}"
            try await signoff.create(on: db)
            try await Audit.record(on: db, actor: user, action: "lists.signoff", entityType: "commune_signoff", entityID: signoff.id?.uuidString,
                                   after: list.counts.mapValues(String.init).merging(["commune": commune.description]) { $1 }, place: PersonPlace(commune))
        }
        if request.wantsJSON { return Response(status: .created) }
        return request.redirect(to: "/lists/\(commune.code)")
    }
}
