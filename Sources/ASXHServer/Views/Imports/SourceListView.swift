import Plot

struct SourceListView {
    var context: PageContext
    var list: SourceList
    var rejections: [ListRejection]

    var html: String {
        let t = self.context.t
        let id = self.list.id?.uuidString ?? ""
        let lang = self.context.lang
        let counts: [(String, Int)] = [
            (t("Đã nhập", "Imported"), self.list.rowsImported),
            (t("Bị từ chối", "Rejected"), self.list.rowsRejected),
            (t("Bỏ qua (dòng trống, tổng cộng)", "Skipped (blank, totals)"), self.list.rowsSkipped),
        ]
        let maximum = max(1, counts.map(\.1).max() ?? 1)
        return Layout.html(self.context, title: self.list.fileName, .div(
            .p(.a(.href("/imports"), .text(t("← Các danh sách", "← Lists")))),
            .h1(.text(self.list.fileName)),
            .div(.class("card"), .dl(
                .dt(.text(t("Thời điểm nhập", "Imported at"))), .dd(.text(Formatting.dateTime(self.list.importedAt))),
                .dt(.text("SHA-256")), .dd(.code(.text(self.list.sha256))),
                .dt(.text(t("Trang tính", "Sheet"))), .dd(.text(self.list.sheet ?? "")),
                .dt(.text(t("Tổng số dòng", "Rows"))), .dd(.text(Formatting.grouped(self.list.rowsTotal))),
                .dt(.text(t("Người mới", "New people"))), .dd(.text(Formatting.grouped(self.list.newPeople))),
                .dt(.text(t("Chế độ mới", "New enrolments"))), .dd(.text(Formatting.grouped(self.list.newEnrolments))))),
            .table(.forEach(counts) { label, value in
                .tr(.td(.text(label)),
                    .td(.class("num"), .text(Formatting.grouped(value))),
                    .td(.style("width:50%"), .span(.class("bar"), .style("width:\(Double(value) / Double(maximum) * 100)%"))))
            }),
            .h2(.text(t("Dòng bị từ chối", "Rejected rows"))),
            .p(.a(.href("/imports/\(id)/rejections.xlsx"), .text(t("Tải báo cáo lỗi (.xlsx)", "Download the rejection report (.xlsx)"))),
               .text(" · "),
               .a(.href("/imports/\(id)/rejections.csv"), .text(t("(.csv)", "(.csv)")))),
            .table(.class("responsive"),
                .thead(.tr(.th(.text(t("Dòng", "Row"))), .th(.text(t("Cột", "Column"))), .th(.text(t("Giá trị", "Value"))), .th(.text(t("Lý do", "Reason"))))),
                .tbody(.forEach(self.rejections) { rejection in
                    .tr(.td(.class("num"), .text(String(rejection.row))), .td(.text(rejection.column)),
                        .td(.text(Masking.cell(rejection.value, for: self.context.user?.role ?? .auditor))),
                        .td(.text(lang == .vi ? rejection.messageVI : rejection.messageEN)))
                }))
        ))
    }
}
