import ASXHCore
import Fluent
import SQLKit
import Vapor

/// Step 2: the commune's working groups, their members, and who visits whom.
struct WorkingGroupController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.allowing(\.canReadFieldwork).get("groups", use: self.list)
        let managers = routes.allowing(\.canManageGroups)
        managers.post("groups", use: self.create)
        managers.post("groups", ":groupID", "members", use: self.addMember)
        managers.post("groups", ":groupID", "assign", use: self.assign)
        managers.post("cases", ":caseID", "member", use: self.reassign)
        managers.post("cases", ":caseID", "transfer", use: self.transfer)
    }

    func list(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let groups = try await WorkingGroup.query(on: request.db).scoped(to: user.area).with(\.$leader).with(\.$members) { $0.with(\.$user) }
            .sort(\.$communeCode).sort(\.$name).all()
        var loads: [UUID: (assigned: Int, done: Int)] = [:]
        if let campaign = try await Campaign.current(on: request.db), !groups.isEmpty {
            let sql = request.db as! any SQLDatabase
            let rows = try await sql.raw("""
                SELECT member_id, COUNT(*) AS assigned, SUM(CASE WHEN case_class IS NOT NULL THEN 1 ELSE 0 END) AS done
                FROM campaign_cases WHERE campaign_id = \(bind: campaign.requireID()) AND group_id IN (\(binds: groups.compactMap(\.id))) GROUP BY member_id
                """).all()
            for row in rows {
                guard let member = try row.decode(column: "member_id", as: UUID?.self) else { continue }
                loads[member] = (try row.decode(column: "assigned", as: Int.self), try row.decode(column: "done", as: Int?.self) ?? 0)
            }
        }
        return Layout.response(WorkingGroupsView(context: PageContext(request), groups: groups, loads: loads).html)
    }

    struct NewGroup: Content {
        var name: String
    }

    /// A commune officer creates a group for their own commune; they lead it until a leader is named.
    func create(request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard user.area.level == .commune else {
            throw ASXHError.refused(status: .unprocessableEntity, code: "commune_only", vi: "Chỉ cán bộ cấp xã lập tổ công tác.", en: "Only commune officers set up working groups.")
        }
        let form = try request.content.decode(NewGroup.self)
        guard let name = try Request.bounded(form.name, field: "name", maxLength: 100) else {
            throw ASXHError.invalidInput(field: "name", vi: "Chưa nhập tên tổ.", en: "The group needs a name.")
        }
        try await request.db.writeTransaction { db in
            let group = WorkingGroup(name: name, commune: user.area, leader: user.id)
            try await group.create(on: db)
            try await Audit.record(on: db, actor: user, action: "group.create", entityType: "working_group", entityID: group.id?.uuidString,
                                   after: ["name": name, "commune": user.area.description])
        }
        return request.redirect(to: "/groups")
    }

    struct NewMember: Content {
        var username: String
        var leader: String?
    }

    /// Adds a user of the group's commune (a member, the police, the labour officer) to the group.
    func addMember(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let group = try await self.group(request, for: user)
        let form = try request.content.decode(NewMember.self)
        guard let username = try Request.bounded(form.username, field: "username", maxLength: 64),
              let member = try await User.query(on: request.db).filter(\.$username == username).first(),
              member.role.canVisit, member.area == group.commune else {
            throw ASXHError.invalidInput(field: "username", vi: "Không có người dùng tổ công tác này trong xã.", en: "No working-group user of that name in this commune.")
        }
        try await request.db.writeTransaction { db in
            if let existing = try await WorkingGroupMember.query(on: db).filter(\.$user.$id == member.requireID()).first() {
                guard existing.$group.id != group.id else { return }
                throw ASXHError.invalidInput(field: "username", vi: "Người này đã ở tổ khác.", en: "This user is already in another group.")
            }
            try await WorkingGroupMember(group: group.requireID(), user: member.requireID()).create(on: db)
            var after = ["member": member.username]
            if form.leader == "on" {
                group.$leader.id = member.id
                try await group.save(on: db)
                after["leader"] = member.username
            }
            try await Audit.record(on: db, actor: user, action: "group.member", entityType: "working_group", entityID: group.id?.uuidString, after: after)
        }
        return request.redirect(to: "/groups")
    }

    /// Shares the commune's open cases among the members (households whole, in walking order).
    func assign(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let group = try await self.group(request, for: user)
        guard let campaign = try await Campaign.current(on: request.db), campaign.closedAt == nil else {
            throw ASXHError.refused(status: .conflict, code: "no_campaign", vi: "Chưa có đợt nào đang mở.", en: "No campaign is open.")
        }
        let moved = try await request.db.writeTransaction { db in
            try await CaseAssignment.assign(group, in: campaign, actor: user, on: db)
        }
        if request.wantsJSON { return try await ["assigned": moved].encodeResponse(for: request) }
        return request.redirect(to: "/groups?assigned=\(moved)")
    }

    struct NewMemberForCase: Content {
        var member: UUID
    }

    /// Moves one case to another member of its group (a member is ill, a household is better reached by another).
    func reassign(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("caseID")
        let form = try request.content.decode(NewMemberForCase.self)
        try await request.db.writeTransaction { db in
            guard let campaignCase = try await CampaignCase.query(on: db).scoped(to: user.area).filter(\.$id == id).with(\.$person).first(),
                  let groupID = campaignCase.$group.id else { throw ASXHError.notFound }
            guard try await WorkingGroupMember.query(on: db).filter(\.$group.$id == groupID).filter(\.$user.$id == form.member).first() != nil else {
                throw ASXHError.invalidInput(field: "member", vi: "Người này không thuộc tổ của trường hợp.", en: "That user is not in this case's group.")
            }
            let before = ["member_id": campaignCase.$member.id?.uuidString ?? ""]
            campaignCase.$member.id = form.member
            try await campaignCase.save(on: db)
            try await Audit.record(on: db, actor: user, action: "case.reassign", entityType: "campaign_case", entityID: id.uuidString,
                                   before: before, after: ["member_id": form.member.uuidString], place: PersonPlace(campaignCase.person))
        }
        if request.wantsJSON { return Response(status: .noContent) }
        return request.redirect(to: "/groups")
    }

    struct Transfer: Content {
        var commune: String
        var address: String?
    }

    /// Hands a person who moved to the commune of their new address (see `CaseTransfer`).
    func transfer(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("caseID")
        let form = try request.content.decode(Transfer.self)
        guard form.commune.count <= 10, form.commune.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ASXHError.invalidInput(field: "commune", vi: "Mã xã chỉ gồm chữ số.", en: "A commune code has digits only.")
        }
        let address = try form.address.flatMap { try Request.bounded($0, field: "address", maxLength: 500) }
        guard let campaignCase = try await CampaignCase.query(on: request.db).scoped(to: user.area).filter(\.$id == id).with(\.$person).first() else {
            throw ASXHError.notFound
        }
        try await CaseTransfer.transfer(campaignCase, to: form.commune, address: address, actor: user, now: request.application.now(), on: request.db)
        if request.wantsJSON { return Response(status: .noContent) }
        return request.redirect(to: "/groups")
    }

    private func group(_ request: Request, for user: User) async throws -> WorkingGroup {
        let id = try request.uuidParameter("groupID")
        guard let group = try await WorkingGroup.query(on: request.db).scoped(to: user.area).filter(\.$id == id).first() else { throw ASXHError.notFound }
        return group
    }
}
