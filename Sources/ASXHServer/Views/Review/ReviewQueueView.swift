import Plot
import ASXHCore

struct ReviewQueueView {
    var context: PageContext
    var state: ReviewState
    var matches: [RegisterMatch]
    var total: Int
    var page: Int

    var html: String {
        let t = self.context.t
        let role = self.context.user?.role ?? .auditor
        let tabs: [(ReviewState, String)] = [(.open, t("Cần xem xét", "To review")), (.fieldCheck, t("Chờ xác minh tại nhà", "Awaiting door check")),
                                             (.accepted, t("Đã xác nhận", "Accepted")), (.noneOfThese, t("Không có trong CSDL", "Not in the register"))]
        return Layout.html(self.context, title: t("Đối chiếu cần xem xét", "Matching review"), .div(
            .h1(.text(t("Đối chiếu với CSDL dân cư: cần xem xét", "Population-register matching: review"))),
            .p(.forEach(tabs) { tab in
                tab.0 == self.state ? .strong(.text(tab.1 + " · ")) : .group(.a(.href("/review?state=\(tab.0.rawValue)"), .text(tab.1)), .text(" · "))
            }),
            .p(.class("muted"), .text(t("\(self.total) dòng", "\(self.total) rows"))),
            .table(.class("responsive"),
                .thead(.tr(.th(.text(t("Họ và tên (danh sách)", "Name (list)"))), .th(.text(t("Ngày sinh", "Born"))),
                           .th(.text(t("Số CCCD", "Personal ID"))), .th(.text(t("Danh sách, dòng", "List, row"))),
                           .th(.text(t("Kết quả", "Result"))), .th(.text(t("Lý do", "Reasons"))))),
                .tbody(.forEach(self.matches) { match in
                    .tr(.td(.a(.href("/review/\(match.id?.uuidString ?? "")"), .text(match.person.fullName))),
                        .td(.text(match.person.birthText)),
                        .td(.text(Masking.id(match.person.personalID, for: role))),
                        .td(.text("\(match.sourceList.fileName), \(match.enrolment.sourceRow)")),
                        .td(.text(match.matchStatus.map { self.context.lang == .vi ? $0.labelVI : $0.labelEN } ?? match.status)),
                        .td(.code(.text(match.reasons))))
                })),
            .div(.class("pager"),
                 .if(self.page > 1, .a(.href("/review?state=\(self.state.rawValue)&page=\(self.page - 1)"), .text(t("← Trang trước", "← Previous")))),
                 .if(self.page * 50 < self.total, .a(.href("/review?state=\(self.state.rawValue)&page=\(self.page + 1)"), .text(t("Trang sau →", "Next →")))))
        ))
    }
}
