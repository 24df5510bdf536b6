import Plot
import ASXHCore

/// A member's route for the day: households in walking order, what is done and what is left.
struct WorkListView {
    var context: PageContext
    var items: [VisitController.WorkItem]

    var html: String {
        let t = self.context.t
        let done = self.items.filter { $0.caseClass != nil }.count
        return Layout.html(self.context, title: t("Việc của tôi", "My visits"), script: "visit.js", .div(
            .h1(.text(t("Việc của tôi", "My visits"))),
            .div(.id("queue"), .class("muted")),
            .p(.text(t("Đã xong \(done) / \(self.items.count)", "Done \(done) of \(self.items.count)"))),
            .div(.class("progress"), .div(.style("width:\(self.items.isEmpty ? 0 : done * 100 / self.items.count)%"))),
            .if(self.items.isEmpty, .p(.class("muted"), .text(t("Chưa được giao trường hợp nào.", "Nothing assigned to you yet.")))),
            .table(.class("responsive"),
                .thead(.tr(.th(.text("#")), .th(.text(t("Họ và tên", "Name"))), .th(.text(t("Địa chỉ", "Address"))), .th(.text(t("Kết quả", "Result"))))),
                .tbody(.forEach(self.items) { item in
                    .tr(.td(.text(item.order.map(String.init) ?? "")),
                        .td(.a(.href("/visits/case/\(item.caseID.uuidString)"), .text(item.fullName))),
                        .td(.text(item.address)),
                        .td(.text(Self.result(item, t)), .if(item.overdue, .strong(.style("color:#c62828"), .text(t(" · quá hạn", " · overdue"))))))
                })
            )
        ))
    }

    static func result(_ item: VisitController.WorkItem, _ t: (String, String) -> String) -> String {
        if let caseClass = item.caseClass { return "\(caseClass.rawValue) · \(t(caseClass.vietnameseName, caseClass.englishName))" }
        if item.visits > 0 { return t("Hẹn lại (\(item.visits) lần)", "Revisit (\(item.visits) visits)") }
        return t("Chưa đến", "To do")
    }
}

/// Visits two members recorded differently, for the group leader to settle.
struct ConflictsView {
    var context: PageContext
    var visits: [Visit]

    var html: String {
        let t = self.context.t
        return Layout.html(self.context, title: t("Kết quả khác nhau", "Conflicting visits"), .div(
            .h1(.text(t("Kết quả khác nhau cần tổ trưởng quyết định", "Conflicting visits for the leader to settle"))),
            .if(self.visits.isEmpty, .p(.class("muted"), .text(t("Không có.", "None.")))),
            .forEach(self.visits) { visit in
                .div(.class("card"),
                    .p(.strong(.text(visit.campaignCase.person.fullName)), .text(" · \(visit.campaignCase.person.address ?? "")")),
                    .p(.text(t("Phân loại hiện tại: ", "Current class: ") + (visit.campaignCase.caseClass?.rawValue ?? "—")
                             + t(" · Lần đến của \(visit.member.displayName): ", " · Visit by \(visit.member.displayName): ") + visit.outcome
                             + " · " + Formatting.dateTime(visit.visitedAt))),
                    .form(.class("inline"), .method(.post), .action("/visits/\(visit.id?.uuidString ?? "")/resolve"), self.context.csrfField,
                          .input(.type(.hidden), .name("choice"), .value("accept")),
                          .button(.class("primary"), .type(.submit), .text(t("Nhận kết quả này", "Accept this visit")))),
                    .text(" "),
                    .form(.class("inline"), .method(.post), .action("/visits/\(visit.id?.uuidString ?? "")/resolve"), self.context.csrfField,
                          .input(.type(.hidden), .name("choice"), .value("overrule")),
                          .button(.type(.submit), .text(t("Giữ kết quả cũ", "Keep the current class")))))
            }
        ))
    }
}
