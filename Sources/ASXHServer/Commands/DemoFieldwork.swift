import ASXHCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The demo's campaign part-way through steps 2–4: lists verified against the register extract, working groups
/// in the six busiest communes, cases assigned, and visits recorded over the last days at different paces (one
/// commune done and signed off, some on time, some forecast late), with a conflict for a leader to settle.
/// Visits go through `VisitRecorder`, as a phone's would.
enum DemoFieldwork {
    /// The share of each commune's cases visited by today, busiest commune first (it keeps work for its demo member).
    static let paces: [Double] = [0.45, 1.0, 0.85, 0.6, 0.25, 0.05]

    /// `home` is the commune of the demo's commune-level log-ins; it comes first.
    static func run(_ app: Application, lists: [String], registerPath: String, home: Area, seed: UInt64, today: Date, console: any Console) async throws {
        let sql = app.db as! any SQLDatabase
        guard let campaign = try await Campaign.current(on: app.db), let province = campaign.province else { return }
        if try await CampaignCase.query(on: app.db).filter(\.$state != CaseState.imported.rawValue).count() > 0 {
            console.print("  công tác thực địa đã có / field work already present")
            return
        }
        // Step 1 done five days ago; steps 3 and 4 due tomorrow: the Hanoi 2024 rhythm, moved to this week.
        let day = CalendarDay(today)
        campaign.schedule = CampaignSchedule.hanoi2024.shifted(toStartOn: day.adding(days: -5))
        try await campaign.save(on: app.db)

        let register = RegisterSource.extract(try CommandSupport.loadRegister(registerPath))
        let actor = User.commandLine(area: province)
        for name in lists {
            guard let list = try await SourceList.query(on: app.db).filter(\.$fileName == name).sort(\.$importedAt, .descending).first(),
                  let id = list.id else { continue }
            let summary = try await ListVerification(database: app.db).run(listID: id, register: register, actor: actor)
            console.print("  \(name): đối chiếu / verified \(summary.rows) rows")
        }

        struct Busy: Decodable { var commune_code: String }
        let busiest = try await sql.raw("""
            SELECT p.commune_code FROM campaign_cases c JOIN people p ON p.id = c.person_id
            WHERE c.state = \(bind: CaseState.verified.rawValue) AND p.commune_code IS NOT NULL
            GROUP BY p.commune_code ORDER BY COUNT(*) DESC, p.commune_code LIMIT \(literal: Self.paces.count)
            """).all(decoding: Busy.self).map(\.commune_code)
        let communes = ([home.code] + busiest.filter { $0 != home.code }).prefix(Self.paces.count)
        var random = DemoRandom(seed: seed, stream: 8, index: 0)
        for (index, code) in communes.enumerated() {
            let commune = Area(scheme: .before2025, level: .commune, code: code)
            let members = try await Self.members(app, commune: commune, busiest: index == 0)
            let group = WorkingGroup(name: "Tổ công tác số 1", commune: commune, leader: members[0].id)
            try await group.create(on: app.db)
            for member in members { try await WorkingGroupMember(group: group.requireID(), user: member.requireID()).create(on: app.db) }
            try await CaseAssignment.assign(group, in: campaign, actor: actor, at: day.adding(days: -4).start.addingTimeInterval(8 * 3600), on: app.db)
            let visited = try await Self.visit(app, campaign: campaign, group: group, members: members, share: Self.paces[index], today: day, random: &random)
            console.print("  \(Places.areaName(commune)): \(members.count) thành viên / members, \(visited) lần đến nhà / visits")
            if index == 0 { try await Self.proposeCorrection(app, group: group, by: members[0], now: day.start.addingTimeInterval(15 * 3600)) }
            if index == 1, let chair = try await Self.chair(app, commune: commune) {
                let list = try await ClassList.load(commune, campaign: campaign, for: chair.role, on: app.db)
                let signoff = CommuneSignoff()
                signoff.$campaign.id = try campaign.requireID()
                signoff.areaScheme = commune.scheme
                signoff.communeCode = commune.code
                signoff.$signedBy.id = try chair.requireID()
                signoff.signedAt = today.addingTimeInterval(-3600)
                signoff.counts = Audit.json(list.counts) ?? "{}"
                try await signoff.create(on: app.db)
                try await Audit.record(on: app.db, actor: chair, action: "lists.signoff", entityType: "commune_signoff", entityID: signoff.id?.uuidString,
                                       after: list.counts.mapValues(String.init), place: PersonPlace(commune), at: signoff.signedAt)
            }
        }
    }

    /// A correction waiting on /followup: the member found the account belongs to the person's son.
    private static func proposeCorrection(_ app: Application, group: WorkingGroup, by member: User, now: Date) async throws {
        guard let target = try await CampaignCase.query(on: app.db).filter(\.$group.$id == group.requireID()).filter(\.$caseClass == .a1)
            .filter(\.$member.$id == member.requireID()).sort(\.$walkOrder).first(), let id = target.id else { return }
        let answers = ["found": "present", "identity": "matches", "ableToTransact": "yes", "hasAccount": "no", "wantsAccountPayment": "yes",
                       "openingBank": "Agribank", "consent": "yes"]
        _ = try await CaseFollowUp.propose(id, version: 1, answers: answers, reason: "Số tài khoản đã ghi là của con trai; bà chưa có tài khoản",
                                           by: member, questionnaires: app.questionnaires, now: now, on: app.db)
    }

    /// The group: in the busiest commune the demo log-ins (member, labour officer), elsewhere two generated members.
    private static func members(_ app: Application, commune: Area, busiest: Bool) async throws -> [User] {
        if busiest {
            return try await User.query(on: app.db).filter(\.$username ~~ ["xa.totruong", "xa.ldtbxh"]).sort(\.$username, .descending).all()
        }
        var users: [User] = []
        for n in 1...2 {
            let username = "tv\(n).\(commune.code)"
            if let existing = try await User.query(on: app.db).filter(\.$username == username).first() { users.append(existing); continue }
            users.append(try await UserAccounts.create(username: username, password: DemoCommand.password, role: .workingGroupMember, area: commune,
                                                       displayName: "Thành viên \(n) · \(Places.areaName(commune))", by: nil, on: app.db))
        }
        return users
    }

    private static func chair(_ app: Application, commune: Area) async throws -> User? {
        let username = "ct.\(commune.code)"
        if let existing = try await User.query(on: app.db).filter(\.$username == username).first() { return existing }
        return try await UserAccounts.create(username: username, password: DemoCommand.password, role: .communeChair, area: commune,
                                             displayName: "Chủ tịch UBND \(Places.areaName(commune))", by: nil, on: app.db)
    }

    /// Visits `share` of the group's cases over the last four days, in walking order, each by its own member.
    private static func visit(_ app: Application, campaign: Campaign, group: WorkingGroup, members: [User], share: Double, today: CalendarDay,
                              random: inout DemoRandom) async throws -> Int {
        let cases = try await CampaignCase.query(on: app.db).filter(\.$group.$id == group.requireID()).with(\.$person).sort(\.$walkOrder).all()
        let byID = Dictionary(uniqueKeysWithValues: members.compactMap { user in user.id.map { ($0, user) } })
        // Each member walks their own route: the first `share` of every member's cases are visited.
        let routes = Dictionary(grouping: cases) { $0.$member.id }
        let walked = routes.values.flatMap { route in route.prefix(Int((Double(route.count) * share).rounded())) }
            .sorted { ($0.walkOrder ?? 0, $0.id?.uuidString ?? "") < ($1.walkOrder ?? 0, $1.id?.uuidString ?? "") }
        let count = walked.count
        let questionnaires = app.questionnaires
        var visits = 0
        for (index, item) in walked.enumerated() {
            guard let memberID = item.$member.id, let member = byID[memberID] else { continue }
            // Spread over the last four days, more as the group gets going.
            let dayOffset = -3 + min(3, index * 4 / max(1, count))
            let at = today.adding(days: dayOffset).start.addingTimeInterval(Double(8 * 3600 + random.below(9 * 3600)))
            var answers = Self.answers(&random)
            if answers["supportDue"] != nil { answers["supportDue"] = today.adding(days: 10).iso }
            // The holder as the bank writes the person's name; now and then a son's account, which step 5 will refuse as given.
            if answers["accountHolder"] != nil && !random.chance(0.04) { answers["accountHolder"] = VietnameseText.bankName(item.person.fullName) }
            let files = answers.removeValue(forKey: "_confirmation") != nil || answers["supportWanted"] == SupportPlanKind.representativeAccount.rawValue
                ? [VisitSubmission.SubmittedFile(kind: answers["supportWanted"] == nil ? "confirmation" : "authorisation", data: Self.signature)] : []
            let submission = VisitSubmission(clientKey: "demo-\(item.id!.uuidString)", caseID: item.id!, questionnaireVersion: 1, answers: answers,
                                             visitedAt: nil, latitude: 21.03 + Double(random.below(1000)) / 100_000, longitude: 105.85 + Double(random.below(1000)) / 100_000,
                                             files: files)
            do {
                _ = try await VisitRecorder.record(submission, by: member, questionnaires: questionnaires, now: at, on: app.db)
                visits += 1
            } catch {
                app.logger.warning("demo visit refused: \(error)")
            }
        }
        // A second member saw the first classified person differently: the leader settles it.
        if members.count > 1, let first = cases.first, first.$member.id != members[1].id, count > 0 {
            var answers = ["found": "present", "identity": "matches", "ableToTransact": "yes", "hasAccount": "no", "wantsAccountPayment": "yes",
                           "openingBank": "Agribank", "consent": "yes"]
            answers["phone"] = "0912345678"
            let submission = VisitSubmission(clientKey: "demo-conflict-\(first.id!.uuidString)", caseID: first.id!, questionnaireVersion: 1, answers: answers,
                                             visitedAt: nil, latitude: nil, longitude: nil, files: [])
            _ = try? await VisitRecorder.record(submission, by: members[1], questionnaires: questionnaires, now: today.start.addingTimeInterval(9 * 3600), on: app.db)
        }
        return visits
    }

    /// A plausible doorstep: most have or open an account; some decline (with the citizen's signature), some need support.
    static func answers(_ random: inout DemoRandom) -> [String: String] {
        let roll = random.unit()
        var answers = ["found": "present", "identity": "matches", "ableToTransact": "yes", "consent": "yes"]
        if random.chance(0.5) { answers["phone"] = "09\(10_000_000 + random.below(89_999_999))" }
        switch roll {
        case ..<0.03: return ["found": "notHome"]
        case ..<0.06: return ["found": "moved", "newAddress": "Số \(random.int(in: 1...200)) đường Láng, Đống Đa"]
        case ..<0.58:
            answers.merge(["hasAccount": "yes", "bank": random.pick(["Vietcombank", "Agribank", "BIDV", "VietinBank", "MB"]),
                           "accountNumber": String(100_000_000 + random.below(899_999_999)) + String(random.int(in: 1000...9999)),
                           "accountHolder": "NGUOI HUONG", "wantsAccountPayment": "yes"]) { $1 }
        case ..<0.72:
            answers.merge(["hasAccount": "no", "wantsAccountPayment": "yes", "openingBank": random.pick(["Agribank", "VietinBank", "BIDV"])]) { $1 }
        case ..<0.86:
            answers.merge(["hasAccount": "no", "wantsAccountPayment": "no", "_confirmation": "1",
                           "declineReason": random.pick(DeclineReason.allCases.filter { $0 != .other }).rawValue]) { $1 }
        default:
            answers.merge(["ableToTransact": "no", "hasAccount": "no", "unableReason": random.pick(["bedridden", "disability", "greatAge"]),
                           "supportWanted": random.pick([SupportPlanKind.cashAtHome, .assistedOpening, .cashAtOffice]).rawValue,
                           "supportDue": "due"]) { $1 }
        }
        return answers
    }

    /// A 1×1 PNG standing for the photographed signature.
    static let signature = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
}
