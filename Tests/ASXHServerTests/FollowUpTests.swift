import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

/// After the visit over HTTP: A2 openings, C plans closed, D cases closed by the police, classes changed without
/// a visit only with a second officer, and new survey versions published by the administrator.
@Suite("Follow-up after the visit and survey versions")
struct FollowUpTests {
    typealias F = FieldworkServerTests

    static let supportAtHome: [String: String] = ["found": "present", "identity": "matches", "ableToTransact": "no", "unableReason": "bedridden",
                                                  "hasAccount": "no", "supportWanted": "cashAtHome", "consent": "yes"]

    static func opening() -> [String: String] {
        var answers = F.a1
        answers["hasAccount"] = "no"
        answers["openingBank"] = "Agribank"
        for key in ["bank", "accountNumber", "accountHolder"] { answers[key] = nil }
        return answers
    }

    static func visit(_ browser: Browser, _ caseID: UUID, _ answers: [String: String]) async throws -> VisitReceipt {
        let response = try await browser.request(.POST, "/api/v1/visits", json: F.submission(caseID, answers))
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(VisitReceipt.self)
    }

    @Test("A2 openings and C plans are tracked to closure; refusals name the rule; every change audited")
    func openingsAndPlans() async throws {
        try await withTestApp { app in
            let fixture = try await F.fixture(app)
            try await F.assign(app, fixture)
            let member = fixture.members[0]
            let mine = try await CampaignCase.query(on: app.db).filter(\.$member.$id == fixture.memberUsers[0].id!).sort(\.$walkOrder).all()
            let (a2, c, a1) = (mine[0].id!, mine[1].id!, mine[2].id!)
            #expect(try await Self.visit(member, a2, Self.opening()).caseClass == .a2)
            var plan = Self.supportAtHome
            plan["supportDue"] = CalendarDay(app.now()).adding(days: 7).iso
            #expect(try await Self.visit(member, c, plan).caseClass == .c)
            #expect(try await Self.visit(member, a1, F.a1).caseClass == .a1)

            let page = try await fixture.police.request(.GET, "/followup")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(a2.uuidString))
            let memberPage = try await member.request(.GET, "/followup").body.string
            #expect(memberPage.contains("/cases/\(a2.uuidString)/opening") && memberPage.contains("/cases/\(c.uuidString)/support/close"))

            let before = try await AuditedTables.take(app.db)
            let tomorrow = CalendarDay(app.now()).adding(days: 1).iso
            let future = try await member.request(.POST, "/cases/\(a2.uuidString)/opening", form: ["bank": "Agribank", "openedOn": tomorrow])
            #expect(future.status == .unprocessableEntity && future.body.string.contains("opened_in_future"))
            let notA2 = try await member.request(.POST, "/cases/\(a1.uuidString)/opening", form: ["bank": "Agribank", "openedOn": CalendarDay(app.now()).iso])
            #expect(notA2.status == .unprocessableEntity)
            let badDate = try await member.request(.POST, "/cases/\(a2.uuidString)/opening", form: ["bank": "Agribank", "openedOn": "31/02/2024"])
            #expect(badDate.status == .badRequest)
            let opened = try await member.request(.POST, "/cases/\(a2.uuidString)/opening", form: ["bank": "Agribank", "openedOn": CalendarDay(app.now()).iso])
            #expect(opened.status == .seeOther, "\(opened.body.string)")
            let stored = try await CampaignCase.find(a2, on: app.db)
            #expect(stored?.openedBank == "Agribank" && stored?.openedOn == CalendarDay(app.now()).iso)

            let noNote = try await member.request(.POST, "/cases/\(c.uuidString)/support/close", form: ["note": "  "])
            #expect(noNote.status == .unprocessableEntity)
            #expect(try await member.request(.POST, "/cases/\(c.uuidString)/support/close", form: ["note": "Đã chi trả tại nhà"]).status == .seeOther)
            #expect(try await member.request(.POST, "/cases/\(c.uuidString)/support/close", form: ["note": "again"]).status == .conflict)
            try await AuditedTables.expectEveryChangeAudited(since: before, on: app.db)
            let events = try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["case.opening", "case.support_closed"]).count()
            #expect(events == 2)

            // Done items leave the list.
            let after = try await member.request(.GET, "/followup").body.string
            #expect(!after.contains("/cases/\(a2.uuidString)/opening") && !after.contains("/cases/\(c.uuidString)/support/close"))
        }
    }

    @Test("a D case is closed only by the police, only as deceased or moved out; the case is kept, closed")
    func unreachableClosed() async throws {
        try await withTestApp { app in
            let fixture = try await F.fixture(app)
            try await F.assign(app, fixture)
            let mine = try await CampaignCase.query(on: app.db).filter(\.$member.$id == fixture.memberUsers[0].id!).sort(\.$walkOrder).all()
            let (d, a1) = (mine[0].id!, mine[1].id!)
            #expect(try await Self.visit(fixture.members[0], d, ["found": "deceased"]).caseClass == .d)
            #expect(try await Self.visit(fixture.members[0], a1, F.a1).caseClass == .a1)
            #expect(try await fixture.police.request(.GET, "/followup").body.string.contains("/cases/\(d.uuidString)/close"))

            #expect(try await fixture.members[0].request(.POST, "/cases/\(d.uuidString)/close", form: ["reason": "deceased"]).status == .forbidden)
            #expect(try await fixture.police.request(.POST, "/cases/\(d.uuidString)/close", form: ["reason": "notEntitled"]).status == .unprocessableEntity)
            #expect(try await fixture.police.request(.POST, "/cases/\(d.uuidString)/close", form: ["reason": "nonsense"]).status == .badRequest)
            #expect(try await fixture.police.request(.POST, "/cases/\(a1.uuidString)/close", form: ["reason": "deceased"]).status == .unprocessableEntity)
            let before = try await AuditedTables.take(app.db)
            #expect(try await fixture.police.request(.POST, "/cases/\(d.uuidString)/close", form: ["reason": "deceased"]).status == .seeOther)
            try await AuditedTables.expectEveryChangeAudited(since: before, on: app.db)
            let closed = try #require(try await CampaignCase.find(d, on: app.db))
            #expect(closed.state == CaseState.closed.rawValue && closed.closedReason == "deceased" && closed.caseClass == .d)
            #expect(try await fixture.police.request(.POST, "/cases/\(d.uuidString)/close", form: ["reason": "deceased"]).status == .notFound)
        }
    }

    @Test("a class changes without a visit only when a second officer approves; the proposer cannot; B still needs the citizen's confirmation")
    func classChangeFourEyes() async throws {
        try await withTestApp { app in
            let fixture = try await F.fixture(app)
            try await F.assign(app, fixture)
            _ = try await app.db.makeUser("ldtbxh", role: .communeLabourOfficer, area: F.commune)
            _ = try await app.db.makeUser("ldtbxh.khac", role: .communeLabourOfficer, area: F.otherCommune)
            let labour = try await Browser.login(app, "ldtbxh"), stranger = try await Browser.login(app, "ldtbxh.khac")
            let member = fixture.members[0]
            let mine = try await CampaignCase.query(on: app.db).filter(\.$member.$id == fixture.memberUsers[0].id!).sort(\.$walkOrder).all()
            let target = mine[0].id!, unvisited = mine[1].id!
            #expect(try await Self.visit(member, target, F.a1).caseClass == .a1)

            struct Proposal: Content { var caseID: UUID; var questionnaireVersion: Int; var answers: [String: String]; var reason: String }
            // Not yet classified: that needs a visit.
            let early = try await member.request(.POST, "/api/v1/class-changes", json: Proposal(caseID: unvisited, questionnaireVersion: 1, answers: F.a1, reason: "x"))
            #expect(early.status == .conflict)
            // No reason, or B without the citizen's signed confirmation: refused, nothing stored.
            #expect(try await member.request(.POST, "/api/v1/class-changes", json: Proposal(caseID: target, questionnaireVersion: 1, answers: Self.opening(), reason: " ")).status == .unprocessableEntity)
            let decline = try await member.request(.POST, "/api/v1/class-changes", json: Proposal(caseID: target, questionnaireVersion: 1, answers: F.declines, reason: "Gõ nhầm"))
            #expect(decline.status == .unprocessableEntity)
            #expect(try await ClassChange.query(on: app.db).count() == 0)

            let before = try await AuditedTables.take(app.db)
            let proposed = try await member.request(.POST, "/api/v1/class-changes", json: Proposal(caseID: target, questionnaireVersion: 1, answers: Self.opening(),
                                                                                                  reason: "Số tài khoản là của con, bà chưa có tài khoản"))
            #expect(proposed.status == .created, "\(proposed.body.string)")
            let receipt = try proposed.content.decode(FollowUpController.ProposalReceipt.self)
            #expect(receipt.fromClass == .a1 && receipt.toClass == .a2 && receipt.status == "pending")
            #expect(try await CampaignCase.find(target, on: app.db)?.caseClass == .a1)  // nothing changes before approval

            // The police (who may approve) see it; the proposer cannot approve their own; another commune cannot see it.
            _ = try await app.db.makeUser("cong.an.2", role: .communePolice, area: F.commune)
            #expect(try await fixture.police.request(.GET, "/followup").body.string.contains("/class-changes/\(receipt.id.uuidString)/approve"))
            #expect(try await member.request(.POST, "/class-changes/\(receipt.id.uuidString)/approve").status == .forbidden)  // members never approve
            #expect(try await stranger.request(.POST, "/class-changes/\(receipt.id.uuidString)/approve").status == .notFound)
            #expect(try await labour.request(.POST, "/class-changes/\(receipt.id.uuidString)/approve").status == .seeOther)
            let changed = try #require(try await CampaignCase.find(target, on: app.db))
            #expect(changed.caseClass == .a2 && changed.classification?.contains("Agribank") == true)
            try await AuditedTables.expectEveryChangeAudited(since: before, on: app.db)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "case.class_change").count() == 1)
            #expect(try await labour.request(.POST, "/class-changes/\(receipt.id.uuidString)/approve").status == .notFound)  // decided once

            // An officer who proposes cannot approve their own proposal; a refusal changes nothing.
            let second = try await labour.request(.POST, "/api/v1/class-changes", json: Proposal(caseID: target, questionnaireVersion: 1, answers: F.a1, reason: "Bà đã mở"))
            let secondID = try second.content.decode(FollowUpController.ProposalReceipt.self).id
            let own = try await labour.request(.POST, "/class-changes/\(secondID.uuidString)/approve")
            #expect(own.status == .forbidden && own.body.string.contains("four_eyes"))
            #expect(try await fixture.police.request(.POST, "/class-changes/\(secondID.uuidString)/refuse").status == .seeOther)
            #expect(try await CampaignCase.find(target, on: app.db)?.caseClass == .a2)
        }
    }

    @Test("the administrator publishes a new survey version; new visits get it, old answers keep theirs; a version the rules cannot use is refused")
    func publishQuestionnaire() async throws {
        try await withTestApp { app in
            let fixture = try await F.fixture(app)
            try await F.assign(app, fixture)
            _ = try await app.db.makeUser("quan.tri", role: .administrator, area: .hanoi)
            let admin = try await Browser.login(app, "quan.tri")
            #expect(try await admin.request(.GET, "/questionnaires").status == .ok)
            #expect(try await fixture.police.request(.POST, "/questionnaires", form: ["definition": "{}"]).status == .forbidden)

            var next = Questionnaire.standard
            next.titleVi = "Phiếu khảo sát (bản 2)"
            next.questions.append(Questionnaire.Question(id: "livesAlone", kind: .yesNo, vi: "Sống một mình?", en: "Lives alone?", required: false))
            let body = String(data: try JSONEncoder().encode(next), encoding: .utf8)!
            let published = try await admin.request(.POST, "/questionnaires", form: ["definition": body])
            #expect(published.status == .seeOther, "\(published.body.string)")
            #expect(try await StoredQuestionnaire.latest(on: app.db).version == 2)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "questionnaire.publish").count() == 1)
            let json = try await fixture.members[0].request(.GET, "/api/v1/questionnaires/2")
            #expect(try json.content.decode(Questionnaire.self).titleVi == "Phiếu khảo sát (bản 2)")
            #expect(try await fixture.members[0].request(.GET, "/api/v1/questionnaires/99").status == .notFound)

            // The visit page now asks version 2; a phone that queued a visit under version 1 is still accepted.
            let target = try #require(try await CampaignCase.query(on: app.db).filter(\.$member.$id == fixture.memberUsers[0].id!).first())
            let page = try await fixture.members[0].request(.GET, "/visits/case/\(target.id!.uuidString)").body.string
            #expect(page.contains("data-version=\"2\"") && page.contains("livesAlone"))
            #expect(try await Self.visit(fixture.members[0], target.id!, F.a1).caseClass == .a1)
            #expect(try await Visit.query(on: app.db).first()?.questionnaireVersion == 1)

            // Refused with the reason: not JSON; a question the class rules read removed.
            let garbage = try await admin.request(.POST, "/questionnaires", form: ["definition": "{\"version\": 3"])
            #expect(garbage.status == .badRequest)
            var broken = Questionnaire.standard
            broken.questions.removeAll { $0.id == SurveyKey.consent }
            let missing = try await admin.request(.POST, "/questionnaires", form: ["definition": String(data: try JSONEncoder().encode(broken), encoding: .utf8)!])
            #expect(missing.status == .badRequest && missing.body.string.contains("consent"))
            #expect(try await StoredQuestionnaire.latest(on: app.db).version == 2)
        }
    }
}
