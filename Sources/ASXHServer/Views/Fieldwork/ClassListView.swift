import Foundation
import Plot
import ASXHCore

/// The commune's step-4 lists on screen and on paper (the print style hides the navigation and keeps the
/// signature columns), with the chair's sign-off.
struct ClassListView {
    var context: PageContext
    var campaign: Campaign
    var list: ClassList
    var signoff: CommuneSignoff?

    var html: String {
        let t = self.context.t
        let name = Places.areaName(self.list.commune)
        let stale = self.signoff.map { signoff in (self.list.lastChange ?? .distantPast) > signoff.signedAt } ?? false
        return Layout.html(self.context, title: t("Danh sách phân loại", "Class lists") + " · " + name, .div(
            .element(named: "style", nodes: [.raw("@media print{header,.no-print{display:none}main{max-width:none}table{font-size:11px}th,td{border:1px solid #000}}")]),
            .h1(.text(t("Danh sách phân loại: ", "Class lists: ") + name)),
            .p(.class("muted"), .text(self.campaign.name)),
            .div(.class("card no-print"),
                .p(.a(.href("/lists/\(self.list.commune.code)/xlsx"), .text(t("Tải XLSX (mỗi loại một trang tính)", "Download XLSX (a sheet per class)"))),
                   .text(" · "), .text(t("In trang này để có bản giấy có cột chữ ký.", "Print this page for the paper lists with signature columns."))),
                .unwrap(self.signoff) { signoff in
                    .p(.class(stale ? "error" : "ok"), .text(t("Chủ tịch UBND xã đã xác nhận lúc ", "Confirmed by the commune chair at ") + Formatting.dateTime(signoff.signedAt)
                        + " (\(signoff.signedBy.displayName))" + (stale ? t(" — danh sách đã thay đổi sau khi xác nhận, cần xác nhận lại.", " — the lists changed since; confirm again.") : "")))
                },
                .if(self.context.user?.role.canSignOffLists == true,
                    .form(.method(.post), .action("/lists/\(self.list.commune.code)/signoff"), self.context.csrfField,
                          .button(.class("primary"), .type(.submit), .text(t("Xác nhận danh sách của xã", "Confirm the commune's lists")))))
            ),
            .forEach(CaseClass.allCases) { caseClass in
                let rows = self.list.rows[caseClass] ?? []
                return .group(
                    .h2(.text("\(caseClass.rawValue) · \(t(caseClass.vietnameseName, caseClass.englishName)) (\(rows.count))")),
                    .table(
                        .thead(.tr(.forEach(ClassList.header) { .th(.text($0)) })),
                        .tbody(.forEach(Array(rows.enumerated())) { index, row in
                            .tr(.td(.text(String(index + 1))), .td(.text(row.fullName)), .td(.text(row.birth)), .td(.text(row.personalID)),
                                .td(.text(row.address)), .td(.text(row.groups)), .td(.text(row.caseClass.rawValue)), .td(.text(row.detail)),
                                .td(), .td())
                        })
                    )
                )
            }
        ))
    }
}
