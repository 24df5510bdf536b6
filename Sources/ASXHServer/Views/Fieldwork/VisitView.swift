import Plot
import ASXHCore

/// The doorstep page: who to see, what to verify, the survey (shown question by question as answers call for
/// them), photos and the citizen's signature. `visit.js` queues the visit on the phone and sends it when it can.
struct VisitView {
    var context: PageContext
    var campaignCase: CampaignCase
    var enrolments: [Enrolment]
    var fieldCheck: Bool
    var questionnaire: Questionnaire

    var html: String {
        let t = self.context.t
        let lang = self.context.lang
        let person = self.campaignCase.person
        let role = self.context.user?.role ?? .workingGroupMember
        let result: String = self.campaignCase.caseClass.map { "\($0.rawValue) · \(t($0.vietnameseName, $0.englishName))" } ?? t("Chưa phân loại", "Not classified")
        let toVerify: [String] = [
            self.fieldCheck ? t("Thông tin chưa khớp CSDL dân cư: đối chiếu họ tên, ngày sinh, số CCCD với thẻ.", "Not matched in the population register: check name, birth date and ID against the card.") : nil,
            person.needsAddressDetail ? t("Xã cũ đã chia tách: ghi rõ số nhà, thôn/tổ.", "The old commune was split: note the house number and hamlet.") : nil,
        ].compactMap { $0 }
        let groups = Set(self.enrolments.compactMap { PolicyGroup(rawValue: $0.policyGroup) }).map { lang == .vi ? $0.labelVI : $0.labelEN }.sorted()
        let card: Node<HTML.BodyContext> = .div(.class("card"), .dl(
            .dt(.text(t("Ngày sinh", "Born"))), .dd(.text(person.birthText)),
            .dt(.text(t("Số CCCD", "Personal ID"))), .dd(.text(Masking.id(person.personalID, for: role))),
            .dt(.text(t("Địa chỉ", "Address"))), .dd(.text(person.address ?? "")),
            .dt(.text(t("Nhóm đối tượng", "Groups"))), .dd(.text(groups.joined(separator: ", "))),
            .dt(.text(t("Kết quả", "Result"))), .dd(.id("result"), .text(result)),
            .if(!toVerify.isEmpty, .group(.dt(.text(t("Cần xác minh", "To verify"))), .dd(.class("error"), .text(toVerify.joined(separator: " ")))))
        ))
        return Layout.html(self.context, title: person.fullName, script: "visit.js", .div(
            .p(.a(.href("/visits"), .text(t("← Việc của tôi", "← My visits")))),
            .h1(.text(person.fullName)),
            card,
            .p(.id("status"), .attribute(named: "role", value: "status"), .attribute(named: "aria-live", value: "polite")),
            .div(.id("queue"), .class("muted")),
            .form(.id("survey"), .class("card"), .attribute(named: "data-case", value: self.campaignCase.id?.uuidString ?? ""),
                  .attribute(named: "data-version", value: String(self.questionnaire.version)),
                .h2(.text(t(self.questionnaire.titleVi, self.questionnaire.titleEn))),
                .forEach(self.questionnaire.questions) { question in self.field(question) },
                self.photos,
                self.deskCorrection,
                .p(.button(.class("primary"), .type(.submit), .text(t("Lưu kết quả", "Save the visit"))))
            )
        ))
    }

    /// A classified case's answers corrected at a desk (a typing slip, a document found later): sent as a proposal
    /// that a second officer approves; never for a case nobody has classified yet.
    private var deskCorrection: Node<HTML.FormContext> {
        let t = self.context.t
        guard self.campaignCase.caseClass != nil, self.context.user?.role.canVisit == true else { return .empty }
        return .element(named: "details", nodes: [
            .id("desk"),
            .element(named: "summary", text: t("Sửa phân loại không đến nhà (cần cán bộ thứ hai duyệt)", "Correct the class without a visit (a second officer approves)")),
            .element(named: "p", nodes: [.element(named: "label", nodes: [
                .element(named: "input", nodes: [.attribute(named: "type", value: "checkbox"), .attribute(named: "id", value: "desk-on")]),
                .text(t(" Gửi các câu trả lời trên làm đề nghị sửa, không phải lần đến nhà", " Send the answers above as a correction, not as a visit"))])]),
            .element(named: "p", nodes: [.element(named: "label", nodes: [.text(t("Lý do sửa", "Reason for the correction")), .element(named: "br", nodes: []),
                .element(named: "textarea", nodes: [.attribute(named: "id", value: "desk-reason"), .attribute(named: "maxlength", value: String(FollowUp.maxNoteLength)),
                                                    .attribute(named: "rows", value: "2")])])]),
        ])
    }

    private var photos: Node<HTML.FormContext> {
        let t = self.context.t
        func photo(_ kind: String, _ label: String) -> Node<HTML.FormContext> {
            .element(named: "p", nodes: [.element(named: "label", nodes: [.text(label), .element(named: "br", nodes: []),
                .element(named: "input", nodes: [.attribute(named: "type", value: "file"), .attribute(named: "name", value: "file-\(kind)"),
                                                 .attribute(named: "accept", value: "image/jpeg,image/png"), .attribute(named: "capture", value: "environment")])])])
        }
        return .element(named: "fieldset", nodes: [
            .class("q"), .attribute(named: "data-files", value: "1"),
            .element(named: "legend", text: t("Ảnh giấy tờ", "Photos of documents")),
            photo("confirmation", t("Xác nhận của công dân (ảnh giấy đã ký)", "Citizen's confirmation (photo of the signed paper)")),
            photo("authorisation", t("Giấy ủy quyền", "Authorisation")),
            photo("document", t("Giấy tờ khác (CCCD, thẻ ngân hàng)", "Other document (ID card, bank card)")),
            .element(named: "p", text: t("Hoặc công dân ký trên màn hình:", "Or the citizen signs on the screen:")),
            .element(named: "canvas", nodes: [.attribute(named: "id", value: "signature"), .attribute(named: "width", value: "320"),
                                              .attribute(named: "height", value: "140"), .attribute(named: "style", value: "border:1px solid #999;touch-action:none;background:#fff")]),
            .element(named: "p", nodes: [.element(named: "button", nodes: [.attribute(named: "type", value: "button"), .attribute(named: "id", value: "clear-signature"),
                                                                           .text(t("Xóa chữ ký", "Clear signature"))])]),
        ])
    }

    private func field(_ question: Questionnaire.Question) -> Node<HTML.FormContext> {
        let t = self.context.t
        let label = t(question.vi, question.en) + (question.required ? " *" : "")
        func input(_ type: String, _ extra: [Node<HTML.FormContext>] = []) -> Node<HTML.FormContext> {
            .element(named: "input", nodes: [.attribute(named: "type", value: type), .attribute(named: "name", value: question.id)] + extra)
        }
        let control: Node<HTML.FormContext>
        switch question.kind {
        case .choice, .yesNo:
            control = .element(named: "div", nodes: question.options.map { option in
                .element(named: "label", nodes: [.class("choice"), input("radio", [.attribute(named: "value", value: option.value)]), .text(" " + t(option.vi, option.en))])
            })
        case .text:
            control = input("text", [.attribute(named: "maxlength", value: String(Questionnaire.maxTextLength))])
        case .phone:
            control = input("tel", [.attribute(named: "inputmode", value: "tel")])
        case .accountNumber:
            control = input("text", [.attribute(named: "inputmode", value: "numeric"), .attribute(named: "autocomplete", value: "off")])
        case .date:
            control = input("date")
        }
        return .element(named: "fieldset", nodes: [
            .class("q"), .attribute(named: "data-q", value: question.id), .attribute(named: "data-when", value: Layout.escaped(Audit.json(question.askedWhen) ?? "[]")),
            .element(named: "legend", text: label), control,
        ])
    }
}
