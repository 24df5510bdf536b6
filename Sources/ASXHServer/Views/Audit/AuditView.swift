import Plot

struct AuditView {
    var context: PageContext
    var events: [AuditEvent]
    var page: Int

    var html: String {
        let t = self.context.t
        return Layout.html(self.context, title: t("Nhật ký", "Audit log"), .div(
            .h1(.text(t("Nhật ký thay đổi (chỉ đọc)", "Audit log (read-only)"))),
            Self.table(self.events, context: self.context),
            .div(.class("pager"),
                 .if(self.page > 1, .a(.href("/audit?page=\(self.page - 1)"), .text(t("← Mới hơn", "← Newer")))),
                 .if(self.events.count == 100, .a(.href("/audit?page=\(self.page + 1)"), .text(t("Cũ hơn →", "Older →")))))
        ))
    }

    /// Audit rows with personal numbers masked unless the reader's role sees them in full.
    static func table(_ events: [AuditEvent], context: PageContext) -> Node<HTML.BodyContext> {
        let t = context.t
        let full = context.user?.role.seesFullIDs ?? false
        let show: (String?) -> String = { full ? ($0 ?? "") : Formatting.maskDigitRuns($0 ?? "") }
        return .table(.class("responsive"),
            .thead(.tr(.th(.text(t("Thời điểm", "When"))), .th(.text(t("Người thực hiện", "Who"))), .th(.text(t("Thao tác", "What"))),
                       .th(.text(t("Trước", "Before"))), .th(.text(t("Sau", "After"))))),
            .tbody(.forEach(events) { event in
                .tr(.td(.text(Formatting.dateTime(event.at))), .td(.text(event.actor)),
                    .td(.text("\(event.action) \(event.entityType)")),
                    .td(.code(.text(show(event.before)))), .td(.code(.text(show(event.after)))))
            }))
    }
}
