import Plot

/// The progress line of a running import; the page refreshes itself until the import ends.
struct ImportJobView {
    var context: PageContext
    var job: ImportJobs.Job

    var html: String {
        let t = self.context.t
        switch self.job.state {
        case .running(let progress):
            let percent = progress.fraction.map { Int(($0 * 100).rounded()) }
            return Layout.html(self.context, title: t("Đang nhập…", "Importing…"), refreshSeconds: 1, .div(
                .h1(.text(t("Đang nhập \(self.job.fileName)", "Importing \(self.job.fileName)"))),
                .div(.class("progress"), .attribute(named: "role", value: "progressbar"),
                     .div(.style("width:\(percent ?? 0)%"))),
                .p(.text(t("Đã đọc \(Formatting.grouped(progress.rowsRead)) dòng", "\(Formatting.grouped(progress.rowsRead)) rows read")
                         + (percent.map { " · \($0)%" } ?? ""))),
                .p(.class("muted"), .text(t("Trang tự cập nhật mỗi giây. Nếu quá trình bị gián đoạn, không có dòng nào được ghi.",
                                             "This page refreshes every second. If the import is interrupted, nothing is written.")))
            ))
        case .finished(let summary):
            return Layout.html(self.context, title: t("Đã nhập", "Imported"), .div(
                .h1(.text(self.job.fileName)),
                .div(.class("ok"),
                     .if(summary.duplicate_file,
                         .p(.text(t("Tệp này đã được nhập trước đây (cùng mã SHA-256): không ghi gì thêm.",
                                    "This file was imported before (same SHA-256): nothing was written."))),
                         else: .p(.text(t("Đã nhập \(Formatting.grouped(summary.imported))/\(Formatting.grouped(summary.rows)) dòng; \(Formatting.grouped(summary.rejected)) dòng bị từ chối; \(Formatting.grouped(summary.new_people)) người mới.",
                                          "Imported \(Formatting.grouped(summary.imported)) of \(Formatting.grouped(summary.rows)) rows; \(Formatting.grouped(summary.rejected)) rejected; \(Formatting.grouped(summary.new_people)) new people."))))),
                .unwrap(summary.list_id) { .p(.a(.href("/imports/\($0.uuidString)"), .text(t("Xem danh sách và báo cáo lỗi →", "See the list and its rejection report →")))) }
            ))
        case .failed(let vi, let en):
            return Layout.html(self.context, title: t("Lỗi", "Failed"), .div(
                .h1(.text(self.job.fileName)),
                .div(.class("error"), .p(.text(vi)), .p(.text(en))),
                .p(.a(.href("/imports"), .text(t("← Quay lại", "← Back"))))
            ))
        }
    }
}
