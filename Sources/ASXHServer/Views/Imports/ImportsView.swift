import Plot
import ASXHCore

struct ImportsView {
    var context: PageContext
    var lists: [SourceList]
    var problem: String?

    var html: String {
        let t = self.context.t
        let lang = self.context.lang
        return Layout.html(self.context, title: t("Nhập danh sách", "Import lists"), .div(
            .h1(.text(t("Nhập danh sách đối tượng", "Import beneficiary lists"))),
            .form(.class("card"), .method(.post), .action("/imports"), .enctype(.multipartData),
                self.context.csrfField,
                .p(.label(.for("file"), .text(t("Tệp danh sách (.xlsx hoặc .csv)", "List file (.xlsx or .csv)"))), .br(),
                   .input(.type(.file), .name("file"), .id("file"), .required(true), .attribute(named: "accept", value: ".xlsx,.csv,.txt"))),
                .p(.label(.for("group"), .text(t("Nhóm đối tượng cho cả tệp (nếu tệp không có cột nhóm)", "Policy group for the whole file (if it has no group column)"))), .br(),
                   Layout.select(name: "group", selected: "",
                                 options: [("", t("— theo cột trong tệp —", "— from the file's column —"))] + PolicyGroup.allCases.map { ($0.rawValue, lang == .vi ? $0.labelVI : $0.labelEN) })),
                .p(.label(.for("sheet"), .text(t("Trang tính (để trống: trang đầu tiên có tiêu đề cột)", "Sheet (empty: the first with a recognisable header)"))), .br(),
                   .input(.type(.text), .name("sheet"), .id("sheet"))),
                .p(.label(.for("scheme"), .text(t("Mã xã trong tệp theo", "Commune codes in the file follow"))), .br(),
                   Layout.select(name: "scheme", selected: AdministrativeScheme.before2025.rawValue,
                                 options: [(AdministrativeScheme.before2025.rawValue, t("Danh mục trước 1/7/2025 (có cấp huyện)", "Before 1 July 2025 (with districts)")),
                                           (AdministrativeScheme.since2025.rawValue, t("Danh mục từ 1/7/2025 (hai cấp)", "Since 1 July 2025 (two levels)"))])),
                .details(.summary(.text(t("Ghép cột thủ công", "Map columns by hand"))),
                    .p(.class("muted"), .text(t("Mỗi dòng một cột: tên cột hoặc chữ cột = trường, ví dụ: F=personalID",
                                                 "One per line: column header or letter = field, e.g. F=personalID"))),
                    .textarea(.name("map"), .rows(3), .cols(40))),
                .button(.class("primary"), .type(.submit), .text(t("Nhập danh sách", "Import")))
            ),
            .h2(.text(t("Các danh sách đã nhập", "Imported lists"))),
            .table(.class("responsive"),
                .thead(.tr(.th(.text(t("Tệp", "File"))), .th(.text(t("Thời điểm", "When"))), .th(.class("num"), .text(t("Số dòng", "Rows"))),
                           .th(.class("num"), .text(t("Đã nhập", "Imported"))), .th(.class("num"), .text(t("Bị từ chối", "Rejected"))),
                           .th(.class("num"), .text(t("Người mới", "New people"))))),
                .tbody(.forEach(self.lists) { list in
                    .tr(.td(.a(.href("/imports/\(list.id?.uuidString ?? "")"), .text(list.fileName))),
                        .td(.text(Formatting.dateTime(list.importedAt))),
                        .td(.class("num"), .text(Formatting.grouped(list.rowsTotal))),
                        .td(.class("num"), .text(Formatting.grouped(list.rowsImported))),
                        .td(.class("num"), .text(Formatting.grouped(list.rowsRejected))),
                        .td(.class("num"), .text(Formatting.grouped(list.newPeople))))
                }))
        ))
    }
}
