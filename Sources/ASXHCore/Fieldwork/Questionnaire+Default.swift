/// The question ids the classification rules read. Every published version keeps them (`requiredQuestions`).
public enum SurveyKey {
    public static let found = "found"
    public static let newAddress = "newAddress"
    public static let identity = "identity"
    public static let hasAccount = "hasAccount"
    public static let bank = "bank"
    public static let accountNumber = "accountNumber"
    public static let accountHolder = "accountHolder"
    public static let ableToTransact = "ableToTransact"
    public static let unableReason = "unableReason"
    public static let wantsAccountPayment = "wantsAccountPayment"
    public static let openingBank = "openingBank"
    public static let declineReason = "declineReason"
    public static let declineReasonText = "declineReasonText"
    public static let supportWanted = "supportWanted"
    public static let representativeName = "representativeName"
    public static let supportDue = "supportDue"
    public static let phone = "phone"
    public static let consent = "consent"
}

extension Questionnaire {
    /// The questions (and the option values) the rules in `Classification` depend on.
    public static let requiredQuestions: [(id: String, values: [String])] = [
        (SurveyKey.found, FoundAt.allCases.map(\.rawValue)),
        (SurveyKey.identity, ["matches", "differs", "noCard"]),
        (SurveyKey.hasAccount, ["yes", "no"]),
        (SurveyKey.ableToTransact, ["yes", "no"]),
        (SurveyKey.wantsAccountPayment, ["yes", "no"]),
        (SurveyKey.declineReason, DeclineReason.allCases.map(\.rawValue)),
        (SurveyKey.supportWanted, SupportPlanKind.allCases.map(\.rawValue)),
        (SurveyKey.consent, ["yes", "no"]),
    ]

    /// What keeps a version from being published: a missing question or option the rules need, a duplicate id,
    /// a condition on a question that does not come before it.
    public func problems() -> [String] {
        var problems: [String] = []
        var seen = Set<String>()
        for question in self.questions {
            if !seen.insert(question.id).inserted { problems.append("duplicate question id \(question.id)") }
            for condition in question.askedWhen where !seen.contains(condition.question) {
                problems.append("\(question.id) depends on \(condition.question), which is not asked before it")
            }
            if question.kind == .choice && question.options.isEmpty { problems.append("\(question.id) offers no options") }
        }
        for (id, values) in Self.requiredQuestions {
            guard let question = self.question(id) else { problems.append("the rules need question \(id)"); continue }
            let offered = Set(question.options.map(\.value))
            for value in values where !offered.contains(value) { problems.append("question \(id) must offer \(value)") }
        }
        return problems
    }
}

/// Whether the group found the person at the address the police hold.
public enum FoundAt: String, Sendable, Codable, CaseIterable {
    case present, notHome, moved, deceased, notFound
}

extension Questionnaire {
    /// Version 1: the survey of the Hanoi dispatch (7 January 2024), in Vietnamese with English alongside.
    public static let standard: Questionnaire = {
        typealias Q = Question
        typealias O = Option
        let present = [Condition(SurveyKey.found, isOneOf: [FoundAt.present.rawValue])]
        let able = present + [Condition(SurveyKey.ableToTransact, isOneOf: ["yes"])]
        let unable = present + [Condition(SurveyKey.ableToTransact, isOneOf: ["no"])]
        return Questionnaire(version: 1, titleVi: "Phiếu khảo sát chi trả an sinh xã hội không dùng tiền mặt",
                             titleEn: "Survey on cashless social-security payment", questions: [
            Q(id: SurveyKey.found, kind: .choice, vi: "Gặp đối tượng tại địa chỉ?", en: "Found at the address?", options: [
                O(FoundAt.present.rawValue, "Gặp đối tượng", "Found"),
                O(FoundAt.notHome.rawValue, "Không có nhà, hẹn lại", "Not at home, come back"),
                O(FoundAt.moved.rawValue, "Đã chuyển đi nơi khác", "Moved away"),
                O(FoundAt.deceased.rawValue, "Đã chết", "Deceased"),
                O(FoundAt.notFound.rawValue, "Không tìm thấy địa chỉ / người", "Address or person not found"),
            ]),
            Q(id: SurveyKey.newAddress, kind: .text, vi: "Địa chỉ mới", en: "New address",
              askedWhen: [Condition(SurveyKey.found, isOneOf: [FoundAt.moved.rawValue])]),
            Q(id: SurveyKey.identity, kind: .choice, vi: "Đối chiếu với thẻ CCCD", en: "Checked against the ID card", options: [
                O("matches", "Khớp với CCCD", "Matches the ID card"),
                O("differs", "Khác CCCD (sai họ tên, ngày sinh, số)", "Differs from the ID card"),
                O("noCard", "Không xuất trình được CCCD", "No ID card shown"),
            ], askedWhen: present),
            Q(id: SurveyKey.ableToTransact, kind: .yesNo, vi: "Tự giao dịch được (đi lại, dùng điện thoại, ký)?",
              en: "Able to transact alone (get about, use a phone, sign)?", askedWhen: present),
            Q(id: SurveyKey.unableReason, kind: .choice, vi: "Lý do không tự giao dịch được", en: "Why not", options: [
                O("bedridden", "Nằm liệt giường", "Bedridden"),
                O("disability", "Khuyết tật", "Disability"),
                O("greatAge", "Tuổi cao, sức yếu", "Great age"),
                O("noPhone", "Không có điện thoại", "No phone"),
            ], askedWhen: unable),
            Q(id: SurveyKey.hasAccount, kind: .yesNo, vi: "Đã có tài khoản ngân hàng?", en: "Has a bank account?", askedWhen: present),
            Q(id: SurveyKey.bank, kind: .text, vi: "Ngân hàng", en: "Bank", askedWhen: present + [Condition(SurveyKey.hasAccount, isOneOf: ["yes"])]),
            Q(id: SurveyKey.accountNumber, kind: .accountNumber, vi: "Số tài khoản", en: "Account number",
              askedWhen: present + [Condition(SurveyKey.hasAccount, isOneOf: ["yes"])]),
            Q(id: SurveyKey.accountHolder, kind: .text, vi: "Tên chủ tài khoản", en: "Account holder",
              askedWhen: present + [Condition(SurveyKey.hasAccount, isOneOf: ["yes"])]),
            Q(id: SurveyKey.wantsAccountPayment, kind: .yesNo, vi: "Muốn nhận trợ cấp qua tài khoản?", en: "Wants benefits paid into an account?",
              askedWhen: able),
            Q(id: SurveyKey.openingBank, kind: .text, vi: "Ngân hàng đăng ký mở tài khoản", en: "Bank to open the account with",
              askedWhen: able + [Condition(SurveyKey.wantsAccountPayment, isOneOf: ["yes"]), Condition(SurveyKey.hasAccount, isOneOf: ["no"])]),
            Q(id: SurveyKey.declineReason, kind: .choice, vi: "Lý do cụ thể không nhận qua tài khoản", en: "Specific reason for declining",
              options: DeclineReason.allCases.map { O($0.rawValue, $0.vietnameseName, $0.englishName) },
              askedWhen: able + [Condition(SurveyKey.wantsAccountPayment, isOneOf: ["no"])]),
            Q(id: SurveyKey.declineReasonText, kind: .text, vi: "Ghi rõ lý do", en: "The reason, written out",
              askedWhen: able + [Condition(SurveyKey.wantsAccountPayment, isOneOf: ["no"]), Condition(SurveyKey.declineReason, isOneOf: [DeclineReason.other.rawValue])]),
            Q(id: SurveyKey.supportWanted, kind: .choice, vi: "Phương án hỗ trợ", en: "Support wanted",
              options: SupportPlanKind.allCases.map { O($0.rawValue, $0.vietnameseName, $0.englishName) }, askedWhen: unable),
            Q(id: SurveyKey.representativeName, kind: .text, vi: "Họ tên người được ủy quyền (có giấy ủy quyền)",
              en: "Authorised representative (with the authorisation)",
              askedWhen: unable + [Condition(SurveyKey.supportWanted, isOneOf: [SupportPlanKind.representativeAccount.rawValue])]),
            Q(id: SurveyKey.supportDue, kind: .date, vi: "Hạn hoàn thành hỗ trợ", en: "Support due by", askedWhen: unable),
            Q(id: SurveyKey.phone, kind: .phone, vi: "Số điện thoại nhận thông báo chi trả", en: "Phone for payment notices",
              required: false, askedWhen: present),
            Q(id: SurveyKey.consent, kind: .yesNo, vi: "Đồng ý cho xử lý dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP)",
              en: "Consents to processing of personal data (Decree 13/2023)", askedWhen: present),
        ])
    }()
}
