/// What a visit proved beyond the answers: documents the group photographed or the citizen signed on screen.
public struct VisitEvidence: Sendable, Equatable {
    /// The citizen's own confirmation: a signature on the screen or a photo of the signed paper.
    public var citizenConfirmation: Bool
    /// A photo of the authorisation (giấy ủy quyền) for a representative's account.
    public var authorisation: Bool

    public init(citizenConfirmation: Bool = false, authorisation: Bool = false) {
        self.citizenConfirmation = citizenConfirmation
        self.authorisation = authorisation
    }
}

/// The decision one visit leads to.
public enum VisitOutcome: Sendable, Equatable {
    /// Nobody met (yet): the case stays with the group for another visit.
    case revisit
    case classified(Classification)
}

/// A person's class with the details the class demands.
public struct Classification: Sendable, Equatable, Codable {
    public var caseClass: CaseClass
    /// A1: the account as the citizen gave it (bank name as typed; the bank directory resolves it in step 5).
    public var bank: String?
    public var accountNumber: String?
    public var accountHolder: String?
    /// A2: the bank the account is being opened with.
    public var openingBank: String?
    /// B: the listed reason and, for `other`, the words.
    public var declineReason: DeclineReason?
    public var declineReasonText: String?
    /// C: the support plan and when it must be done (the owner is the visiting officer unless reassigned).
    public var supportPlan: SupportPlanKind?
    public var supportDue: CalendarDay?
    public var representativeName: String?
    /// D: why.
    public var unreachable: UnreachableReason?
    public var newAddress: String?

    public init(_ caseClass: CaseClass) {
        self.caseClass = caseClass
    }

    /// The reason or support plan as the step-4 list prints it.
    public var detailVi: String {
        switch self.caseClass {
        case .a1: return [self.bank, self.accountNumber.map(IdentityScan.masked)].compactMap { $0 }.joined(separator: " · ")
        case .a2: return self.openingBank.map { "Mở tại \($0)" } ?? ""
        case .b: return self.declineReason == .other ? (self.declineReasonText ?? "") : (self.declineReason?.vietnameseName ?? "")
        case .c: return [self.supportPlan?.vietnameseName, self.representativeName, self.supportDue.map { "hạn \($0.vietnamese)" }].compactMap { $0 }.joined(separator: " · ")
        case .d: return [self.unreachable?.vietnameseName, self.newAddress].compactMap { $0 }.joined(separator: ": ")
        }
    }
}

/// Why answers cannot be recorded as given, in Vietnamese and English.
public struct ClassificationRefusal: Error, Sendable, Equatable {
    public var code: String
    public var vi: String
    public var en: String
}

extension Classification {
    /// How many visits without meeting anyone make a person unreachable (class D).
    public static let visitsBeforeUnreachable = 3

    /// The rules of step 3, applied to answers already validated against their questionnaire.
    /// `earlierMisses` counts this case's earlier visits that found nobody at home.
    public static func decide(_ answers: SurveyAnswers, evidence: VisitEvidence, earlierMisses: Int = 0,
                              today: CalendarDay) -> Result<VisitOutcome, ClassificationRefusal> {
        guard let found = answers[SurveyKey.found].flatMap(FoundAt.init(rawValue:)) else {
            return .failure(ClassificationRefusal(code: "found_missing", vi: "Chưa ghi kết quả gặp đối tượng.", en: "Whether the person was found is missing."))
        }
        func unreachable(_ reason: UnreachableReason) -> Result<VisitOutcome, ClassificationRefusal> {
            var outcome = Classification(.d)
            outcome.unreachable = reason
            outcome.newAddress = answers[SurveyKey.newAddress]
            return .success(.classified(outcome))
        }
        switch found {
        case .moved: return unreachable(.moved)
        case .deceased: return unreachable(.deceased)
        case .notHome, .notFound:
            return earlierMisses + 1 >= Self.visitsBeforeUnreachable ? unreachable(.notFound) : .success(.revisit)
        case .present:
            break
        }
        if answers[SurveyKey.identity] == "differs" { return unreachable(.identityDiffers) }
        let consents = answers.yes(SurveyKey.consent)
        if !answers.yes(SurveyKey.ableToTransact) {
            var outcome = Classification(.c)
            outcome.supportPlan = answers[SurveyKey.supportWanted].flatMap(SupportPlanKind.init(rawValue:))
            outcome.supportDue = answers[SurveyKey.supportDue].flatMap(CalendarDay.init(parsing:))
            outcome.representativeName = answers[SurveyKey.representativeName]
            guard outcome.supportPlan != nil, let due = outcome.supportDue else {
                return .failure(ClassificationRefusal(code: "support_plan_incomplete", vi: "Phương án hỗ trợ cần loại hỗ trợ và hạn hoàn thành.",
                                                      en: "A support plan needs its kind and a due date."))
            }
            if due < today {
                return .failure(ClassificationRefusal(code: "support_due_past", vi: "Hạn hỗ trợ \(due.vietnamese) đã qua.", en: "The support due date \(due.iso) has passed."))
            }
            if outcome.supportPlan == .representativeAccount && !evidence.authorisation {
                return .failure(ClassificationRefusal(code: "authorisation_missing", vi: "Tài khoản người được ủy quyền cần ảnh giấy ủy quyền.",
                                                      en: "A representative's account needs a photo of the authorisation."))
            }
            return .success(.classified(outcome))
        }
        if answers.yes(SurveyKey.wantsAccountPayment) {
            guard consents else {
                return .failure(ClassificationRefusal(code: "consent_missing", vi: "Không thể ghi nhận tài khoản khi công dân chưa đồng ý xử lý dữ liệu cá nhân (Nghị định 13/2023).",
                                                      en: "An account cannot be recorded without the citizen's consent to data processing (Decree 13/2023)."))
            }
            if answers.yes(SurveyKey.hasAccount) {
                var outcome = Classification(.a1)
                outcome.bank = answers[SurveyKey.bank]
                outcome.accountNumber = answers[SurveyKey.accountNumber]?.filter { !$0.isWhitespace }
                outcome.accountHolder = answers[SurveyKey.accountHolder]
                return .success(.classified(outcome))
            }
            var outcome = Classification(.a2)
            outcome.openingBank = answers[SurveyKey.openingBank]
            return .success(.classified(outcome))
        }
        var outcome = Classification(.b)
        outcome.declineReason = answers[SurveyKey.declineReason].flatMap(DeclineReason.init(rawValue:))
        outcome.declineReasonText = answers[SurveyKey.declineReasonText]
        guard let reason = outcome.declineReason, reason != .other || outcome.declineReasonText != nil else {
            return .failure(ClassificationRefusal(code: "decline_reason_missing", vi: "Không nhận qua tài khoản phải có lý do cụ thể.",
                                                  en: "Declining account payment needs a specific reason."))
        }
        guard evidence.citizenConfirmation else {
            return .failure(ClassificationRefusal(code: "citizen_confirmation_missing",
                                                  vi: "Không nhận qua tài khoản chỉ được ghi khi có xác nhận của công dân (chữ ký trên màn hình hoặc ảnh giấy đã ký).",
                                                  en: "Declining account payment is recorded only with the citizen's own confirmation (a signature on screen or a photo of the signed paper)."))
        }
        return .success(.classified(outcome))
    }
}
