import Foundation
import Plot
import ASXHCore

struct PeopleListView {
    struct Model {
        var search: PeopleSearch
        var people: [Person]
        var total: Int
    }

    var context: PageContext
    var model: Model

    var html: String {
        let t = self.context.t
        let role = self.context.user?.role ?? .auditor
        let search = self.model.search
        let pages = max(1, (self.model.total + PeopleSearch.pageSize - 1) / PeopleSearch.pageSize)
        return Layout.html(self.context, title: t("Đối tượng", "People"), .div(
            .h1(.text(t("Đối tượng hưởng chính sách ASXH", "Social-security beneficiaries"))),
            .form(.class("card filters"), .method(.get), .action("/people"),
                .label(.text(t("Họ tên (gõ không dấu được)", "Name (diacritics optional)")),
                       .input(.type(.search), .name("q"), .value(Layout.escaped(search.q ?? "")), .placeholder("nguyen van a"))),
                .if(role.seesFullIDs, .label(.text(t("Số CCCD / CMND", "Personal / old ID")),
                       .input(.type(.text), .name("id"), .value(Layout.escaped(search.id ?? "")), .attribute(named: "inputmode", value: "numeric")))),
                .label(.text(t("Mã xã", "Commune code")),
                       .input(.type(.text), .name("commune"), .value(Layout.escaped(search.commune ?? "")), .attribute(named: "inputmode", value: "numeric"))),
                .label(.text(t("Nhóm đối tượng", "Policy group")),
                       Layout.select(name: "group", selected: search.group ?? "",
                                     options: [("", t("Tất cả", "All"))] + PolicyGroup.allCases.map { ($0.rawValue, self.context.lang == .vi ? $0.labelVI : $0.labelEN) })),
                .button(.class("primary"), .type(.submit), .text(t("Tìm", "Search")))
            ),
            .p(.class("muted"), .text(t("\(self.model.total) người · trang \(search.pageNumber)/\(pages)", "\(self.model.total) people · page \(search.pageNumber)/\(pages)"))),
            .table(.class("responsive"),
                .thead(.tr(.th(.text(t("Họ và tên", "Full name"))), .th(.text(t("Ngày sinh", "Born"))), .th(.text(t("Giới tính", "Gender"))),
                           .th(.text(t("Số CCCD", "Personal ID"))), .th(.text(t("Mã xã", "Commune"))), .th(.text(t("Địa chỉ", "Address"))))),
                .tbody(.forEach(self.model.people) { person in
                    .tr(.td(.data(named: "label", value: t("Họ và tên", "Full name")), .a(.href("/people/\(person.id?.uuidString ?? "")"), .text(person.fullName))),
                        .td(.data(named: "label", value: t("Ngày sinh", "Born")), .text(person.birthText)),
                        .td(.data(named: "label", value: t("Giới tính", "Gender")), .text(Self.genderText(person.gender, self.context.lang))),
                        .td(.data(named: "label", value: t("Số CCCD", "Personal ID")), .text(Masking.id(person.personalID, for: role))),
                        .td(.data(named: "label", value: t("Mã xã", "Commune")), .text(person.communeCode ?? person.commune2025Code ?? "")),
                        .td(.data(named: "label", value: t("Địa chỉ", "Address")), .text(person.address ?? "")))
                })
            ),
            .div(.class("pager"),
                .if(search.pageNumber > 1, .a(.href(Layout.escaped(self.pageLink(search.pageNumber - 1))), .text(t("← Trang trước", "← Previous")))),
                .if(search.pageNumber < pages, .a(.href(Layout.escaped(self.pageLink(search.pageNumber + 1))), .text(t("Trang sau →", "Next →"))))
            )
        ))
    }

    static func genderText(_ gender: String?, _ lang: Lang) -> String {
        switch gender {
        case "male": return lang.t("Nam", "Male")
        case "female": return lang.t("Nữ", "Female")
        default: return ""
        }
    }

    private func pageLink(_ page: Int) -> String {
        var items = [URLQueryItem(name: "page", value: String(page))]
        let s = self.model.search
        for (name, value) in [("q", s.q), ("id", s.id), ("commune", s.commune), ("group", s.group)] {
            if let value, !value.isEmpty { items.append(URLQueryItem(name: name, value: value)) }
        }
        var components = URLComponents()
        components.path = "/people"
        components.queryItems = items
        return components.string ?? "/people"
    }
}
