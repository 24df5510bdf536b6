import Plot
import ASXHCore

/// Every campaign with its deadlines; the administrator's forms to close the open one and open the next.
struct CampaignsView {
    var context: PageContext
    var campaigns: [Campaign]
    var today: CalendarDay

    var html: String {
        let t = self.context.t
        let admin = self.context.user?.role.canManageCampaigns ?? false
        let open = self.campaigns.first { $0.isCurrent && $0.closedAt == nil }
        let next = (open?.schedule ?? CampaignSchedule.hanoi2024).shifted(toStartOn: self.today.adding(days: 7))
        return Layout.html(self.context, title: t("Các đợt", "Campaigns"), .div(
            .h1(.text(t("Các đợt vận động, chi trả", "Campaigns"))),
            .forEach(self.campaigns) { campaign in
                .div(.class("card"),
                    .h2(.text(campaign.name), .text(campaign.closedAt != nil ? t(" · đã kết thúc", " · closed") : (campaign.isCurrent ? t(" · đang mở", " · open") : ""))),
                    .p(.class("muted"), .text("\(campaign.scheme?.rawValue ?? "") · \(campaign.provinceCode ?? "") · " + t("mở ", "opened ") + Formatting.dateTime(campaign.openedAt ?? campaign.createdAt)
                        + (campaign.closedAt.map { t(" · kết thúc ", " · closed ") + Formatting.dateTime($0) } ?? ""))),
                    .ul(.forEach(CampaignStep.allCases) { step in
                        .li(.text("\(t("Bước", "Step")) \(step.rawValue) · \(t(step.vietnameseName, step.englishName)): \(campaign.schedule.deadlines[step]?.vietnamese ?? "—")"))
                    }),
                    .if(admin && campaign.closedAt == nil,
                        .form(.method(.post), .action("/campaigns/\(campaign.id?.uuidString ?? "")/close"), self.context.csrfField,
                              .button(.type(.submit), .text(t("Kết thúc đợt này", "Close this campaign")))))
                )
            },
            .if(admin && open == nil,
                .form(.class("card"), .method(.post), .action("/campaigns"), self.context.csrfField,
                    .h2(.text(t("Mở đợt mới", "Open the next campaign"))),
                    .p(.label(.text(t("Tên đợt", "Name")), .br(), .input(.type(.text), .name("name"), .required(true)))),
                    .p(.label(.text(t("Mã tỉnh", "Province code")), .br(), .input(.type(.text), .name("province"), .value(Layout.escaped(self.campaigns.first?.provinceCode ?? "01")), .required(true)))),
                    .p(.label(.text(t("Hệ thống đơn vị hành chính", "Scheme")), .br(),
                              Layout.select(name: "scheme", selected: self.campaigns.first?.scheme?.rawValue ?? AdministrativeScheme.before2025.rawValue,
                                            options: AdministrativeScheme.allCases.map { ($0.rawValue, $0.rawValue) }))),
                    .forEach(CampaignStep.allCases) { step in
                        .p(.label(.text("\(t("Hạn bước", "Step")) \(step.rawValue) · \(t(step.vietnameseName, step.englishName))"), .br(),
                                  .input(.type(.date), .name("deadline\(step.rawValue)"), .value(next.deadlines[step]?.iso ?? ""), .required(true))))
                    },
                    .button(.class("primary"), .type(.submit), .text(t("Mở đợt", "Open"))))),
            .if(admin && open != nil, .p(.class("muted"), .text(t("Kết thúc đợt đang mở trước khi mở đợt mới.", "Close the open campaign before opening the next."))))
        ))
    }
}
