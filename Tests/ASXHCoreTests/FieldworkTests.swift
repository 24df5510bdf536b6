import Foundation
import Testing

@testable import ASXHCore

@Suite("Fieldwork: the survey, the class rules, assignment, deadlines and forecasts")
struct FieldworkTests {
    static let today = CalendarDay(year: 2024, month: 1, day: 12)!
    static let survey = Questionnaire.standard

    static func present(_ extra: [String: String]) -> SurveyAnswers {
        SurveyAnswers(["found": "present", "identity": "matches", "consent": "yes", "ableToTransact": "yes"].merging(extra) { $1 })
    }

    static func classify(_ answers: SurveyAnswers, evidence: VisitEvidence = VisitEvidence(), misses: Int = 0) throws -> Result<VisitOutcome, ClassificationRefusal> {
        let valid = try Self.survey.validate(answers).get()
        return Classification.decide(valid, evidence: evidence, earlierMisses: misses, today: Self.today)
    }

    @Test("the standard questionnaire is publishable and survives a JSON round trip")
    func standardSurvey() throws {
        #expect(Self.survey.problems().isEmpty)
        let data = try JSONEncoder().encode(Self.survey)
        #expect(try JSONDecoder().decode(Questionnaire.self, from: data) == Self.survey)
    }

    @Test("a version without a question the rules need, or with a condition out of order, is refused")
    func unpublishable() {
        var missing = Self.survey
        missing.questions.removeAll { $0.id == SurveyKey.declineReason }
        #expect(missing.problems().contains { $0.contains("declineReason") })
        var outOfOrder = Self.survey
        outOfOrder.questions.swapAt(0, 1)
        #expect(outOfOrder.problems().contains { $0.contains("newAddress depends on found") })
    }

    @Test("validation names each wrong answer's question and drops answers to questions not asked")
    func validation() {
        let answers = SurveyAnswers(["found": "present", "identity": "matches", "ableToTransact": "yes", "hasAccount": "yes",
                                     "accountNumber": "12ab", "phone": "12345", "wantsAccountPayment": "maybe", "newAddress": "ignored", "bogus": "x"])
        guard case .failure(let refusal) = Self.survey.validate(answers) else { Issue.record("accepted"); return }
        let problems = refusal.problems
        let questions = Set(problems.map(\.question))
        #expect(questions == ["bogus", "bank", "accountNumber", "accountHolder", "wantsAccountPayment", "phone", "consent"])
        #expect(problems.allSatisfy { !$0.vi.isEmpty && !$0.en.isEmpty })
        let moved = try? Self.survey.validate(SurveyAnswers(["found": "moved", "newAddress": " Số 3 ngõ 7, Cầu Giấy ", "identity": "matches"])).get()
        #expect(moved == SurveyAnswers(["found": "moved", "newAddress": "Số 3 ngõ 7, Cầu Giấy"]))
        #expect(Questionnaire.phoneNumber("+84 912 345 678") == "0912345678")
        #expect(Questionnaire.phoneNumber("091234567") == nil)
        let long = SurveyAnswers(["found": "moved", "newAddress": String(repeating: "x", count: 10_000)])
        #expect((try? Self.survey.validate(long).get()) == nil)
    }

    @Test("A1: has an account and wants account payment")
    func a1() throws {
        let outcome = try Self.classify(Self.present(["hasAccount": "yes", "bank": "Vietcombank", "accountNumber": "0011 0023 4567",
                                                      "accountHolder": "NGUYEN VAN AN", "wantsAccountPayment": "yes"]))
        guard case .success(.classified(let c)) = outcome else { Issue.record("\(outcome)"); return }
        #expect(c.caseClass == .a1 && c.accountNumber == "001100234567" && c.bank == "Vietcombank")
    }

    @Test("A2: no account, opening one with a named bank")
    func a2() throws {
        let outcome = try Self.classify(Self.present(["hasAccount": "no", "wantsAccountPayment": "yes", "openingBank": "Agribank"]))
        #expect(outcome == .success(.classified({ var c = Classification(.a2); c.openingBank = "Agribank"; return c }())))
    }

    @Test("B needs a specific reason and the citizen's own confirmation; without either it is refused")
    func b() throws {
        let declines = Self.present(["hasAccount": "no", "wantsAccountPayment": "no", "declineReason": "prefersCash"])
        guard case .failure(let refusal) = try Self.classify(declines) else { Issue.record("B without confirmation accepted"); return }
        #expect(refusal.code == "citizen_confirmation_missing" && refusal.vi.contains("xác nhận của công dân"))
        guard case .success(.classified(let c)) = try Self.classify(declines, evidence: VisitEvidence(citizenConfirmation: true)) else { Issue.record("refused"); return }
        #expect(c.caseClass == .b && c.declineReason == .prefersCash)
        // "Other" must be written out: the validator asks for the words.
        let other = Self.present(["hasAccount": "no", "wantsAccountPayment": "no", "declineReason": "other"])
        guard case .failure(let refusal) = Self.survey.validate(other) else { Issue.record("accepted"); return }
        #expect(refusal.problems.map(\.question) == ["declineReasonText"])
    }

    @Test("C: cannot transact, a support plan with a due date that is not past; a representative needs the authorisation")
    func c() throws {
        let plan = Self.present(["ableToTransact": "no", "hasAccount": "no", "unableReason": "bedridden", "supportWanted": "cashAtHome", "supportDue": "20/01/2024"])
        guard case .success(.classified(let c)) = try Self.classify(plan) else { Issue.record("refused"); return }
        #expect(c.caseClass == .c && c.supportPlan == .cashAtHome && c.supportDue == CalendarDay(year: 2024, month: 1, day: 20))
        var past = plan
        past["supportDue"] = "2024-01-11"
        #expect((try? Self.classify(past).get()) == nil)
        var representative = plan
        representative["supportWanted"] = "representativeAccount"
        representative["representativeName"] = "Nguyễn Thị Hoa"
        guard case .failure(let refusal) = try Self.classify(representative) else { Issue.record("accepted"); return }
        #expect(refusal.code == "authorisation_missing")
        #expect((try? Self.classify(representative, evidence: VisitEvidence(authorisation: true)).get()) != nil)
    }

    @Test("D: moved, deceased, a differing ID card, or nobody found on the third visit; before that a revisit")
    func d() throws {
        #expect(try Self.classify(SurveyAnswers(["found": "notHome"])) == .success(.revisit))
        #expect(try Self.classify(SurveyAnswers(["found": "notHome"]), misses: 1) == .success(.revisit))
        guard case .success(.classified(let late)) = try Self.classify(SurveyAnswers(["found": "notFound"]), misses: 2) else { Issue.record("no class"); return }
        #expect(late.caseClass == .d && late.unreachable == .notFound)
        guard case .success(.classified(let moved)) = try Self.classify(SurveyAnswers(["found": "moved", "newAddress": "Xã Sóc Sơn"])) else { Issue.record("no class"); return }
        #expect(moved.unreachable == .moved && moved.newAddress == "Xã Sóc Sơn")
        guard case .success(.classified(let differs)) = try Self.classify(Self.present(["identity": "differs", "hasAccount": "no", "wantsAccountPayment": "yes", "openingBank": "BIDV"])) else { Issue.record("no class"); return }
        #expect(differs.unreachable == .identityDiffers)
    }

    @Test("an account cannot be recorded without consent to data processing")
    func consent() throws {
        let answers = Self.present(["consent": "no", "hasAccount": "yes", "bank": "ACB", "accountNumber": "257678859", "accountHolder": "TRAN VAN B", "wantsAccountPayment": "yes"])
        guard case .failure(let refusal) = try Self.classify(answers) else { Issue.record("accepted"); return }
        #expect(refusal.code == "consent_missing")
    }

    @Test("assignment keeps households whole, walks in street and house order, and balances the members")
    func assignment() {
        let members = (0..<3).map { _ in UUID() }
        var items: [Assignment.Item] = []
        for house in 1...40 {
            for _ in 0..<(house % 3 + 1) { items.append(Assignment.Item(id: UUID(), address: "Số \(house) ngõ 5 phố Hàng Bạc")) }
        }
        for house in 1...20 { items.append(Assignment.Item(id: UUID(), address: "Thôn Đông, số \(house)")) }
        let plan = Assignment.plan(items, members: members)
        #expect(plan.count == items.count)
        let byHousehold = Dictionary(grouping: items) { Assignment.household($0.address) }
        for (_, people) in byHousehold { #expect(Set(people.map { plan[$0.id]!.member }).count == 1) }
        let loads = members.map { member in plan.values.filter { $0.member == member }.count }
        #expect(loads.max()! - loads.min()! <= 3)
        // Each member's route follows house numbers along one street.
        let first = items.filter { plan[$0.id]!.member == members[0] }.sorted { plan[$0.id]!.order < plan[$1.id]!.order }
        let houses = first.map { Assignment.WalkKey($0.address).house }
        #expect(houses == houses.sorted())
        #expect(Assignment.WalkKey("Số 2 ngõ 5 Hàng Bạc") < Assignment.WalkKey("Số 10 ngõ 5 Hàng Bạc"))
        #expect(Assignment.plan(items, members: members).mapValues(\.member) == plan.mapValues(\.member))
        #expect(Assignment.plan(items, members: []).isEmpty)
    }

    @Test("days parse both ways, refuse impossible dates, and count across months")
    func days() {
        #expect(CalendarDay(parsing: "15/01/2024") == CalendarDay(parsing: "2024-01-15"))
        #expect(CalendarDay(parsing: "31/02/2024") == nil)
        #expect(CalendarDay(parsing: "99999999999/1/1") == nil)
        let day = CalendarDay(year: 2024, month: 1, day: 30)!
        #expect(day.adding(days: 3) == CalendarDay(year: 2024, month: 2, day: 2))
        #expect(day.days(to: CalendarDay(year: 2024, month: 3, day: 1)!) == 31)
        #expect(CalendarDay(day.start) == day && CalendarDay(day.end) == day.adding(days: 1))
    }

    @Test("the Hanoi 2024 schedule, shifted to a new cycle, with overdue steps")
    func schedule() {
        let hanoi = CampaignSchedule.hanoi2024
        #expect(hanoi.problems.isEmpty)
        #expect(hanoi.deadlines[.classLists] == CalendarDay(year: 2024, month: 1, day: 15))
        #expect(hanoi.isOverdue(.surveyAndVerify, on: Self.today) && !hanoi.isOverdue(.visitAndClassify, on: Self.today))
        let next = hanoi.shifted(toStartOn: CalendarDay(year: 2025, month: 1, day: 6)!)
        #expect(next.deadlines[.syncAndPay] == CalendarDay(year: 2025, month: 1, day: 13))
        var broken = hanoi
        broken.deadlines[.syncAndPay] = CalendarDay(year: 2024, month: 1, day: 1)!
        #expect(broken.problems == ["step 5 ends before step 4"])
        #expect(CampaignStep.current(for: .assigned) == .visitAndClassify && CampaignStep.current(for: .paid) == nil)
    }

    @Test("forecast: the date 100% is reached at the recent pace, nil when nothing moves")
    func forecast() {
        let d = { (n: Int) in Self.today.adding(days: n) }
        let done = [d(-3): 10, d(-2): 40, d(-1): 70, d(0): 100]
        #expect(Forecast.completion(done: done, total: 400, today: Self.today) == d(10))
        #expect(Forecast.completion(done: [d(-5): 50, d(0): 50], total: 100, today: Self.today) == nil)
        #expect(Forecast.completion(done: [d(-2): 100], total: 100, today: Self.today) == d(-2))
        #expect(Forecast.completion(done: [:], total: 0, today: Self.today) == Self.today)
    }

    @Test("follow-up: what each class waits for; openings, plan closures and D closures refused outside their rule; four eyes")
    func followUp() {
        #expect(CaseClass.allCases.map(FollowUp.pending(for:)) == [nil, .opening, nil, .supportPlan, .dataCorrection])
        let today = Self.today
        #expect(FollowUp.checkOpening(caseClass: .a2, bank: "Agribank", openedOn: today, today: today) == nil)
        #expect(FollowUp.checkOpening(caseClass: .a2, bank: "Agribank", openedOn: today.adding(days: 1), today: today)?.code == "opened_in_future")
        #expect(FollowUp.checkOpening(caseClass: .a2, bank: "  ", openedOn: today, today: today)?.code == "bank_missing")
        #expect(FollowUp.checkOpening(caseClass: .a1, bank: "Agribank", openedOn: today, today: today)?.code == "not_a2")
        #expect(FollowUp.checkSupportClosure(caseClass: .c, note: "Đã chi trả tại nhà") == nil)
        #expect(FollowUp.checkSupportClosure(caseClass: .c, note: " ")?.code == "note_missing")
        #expect(FollowUp.checkSupportClosure(caseClass: .b, note: "x")?.code == "not_c")
        #expect(FollowUp.checkClosure(caseClass: .d, reason: .deceased) == nil && FollowUp.checkClosure(caseClass: .d, reason: .movedOut) == nil)
        #expect(FollowUp.checkClosure(caseClass: .d, reason: .notEntitled)?.code == "closure_reason")
        #expect(FollowUp.checkClosure(caseClass: .a1, reason: .deceased)?.code == "not_d")
        #expect(FollowUp.checkProposal(reason: "") != nil && FollowUp.checkProposal(reason: "Gõ nhầm số") == nil)
        let officer = UUID(), other = UUID()
        #expect(FollowUp.checkApproval(proposer: officer, approver: officer)?.code == "four_eyes")
        #expect(FollowUp.checkApproval(proposer: officer, approver: other) == nil)
    }
}
