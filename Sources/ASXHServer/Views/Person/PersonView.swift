import Fluent
import Plot
import ASXHCore

struct PersonView {
    struct Model {
        var person: Person
        var enrolments: [(enrolment: Enrolment, list: SourceList)]
        var cases: [(campaign: Campaign, record: CampaignCase)]
        var history: [AuditEvent]

        static func load(_ person: Person, on database: any Database) async throws -> Model {
            let id = try person.requireID()
            let enrolments = try await Enrolment.query(on: database).filter(\.$person.$id == id).with(\.$sourceList).all()
            let cases = try await CampaignCase.query(on: database).filter(\.$person.$id == id).with(\.$campaign).all()
            let history = try await AuditEvent.query(on: database)
                .filter(\.$entityType == "person").filter(\.$entityID == id.uuidString)
                .sort(\.$at, .descending).limit(100).all()
            return Model(person: person,
                         enrolments: enrolments.map { ($0, $0.sourceList) },
                         cases: cases.map { ($0.campaign, $0) },
                         history: history)
        }
    }

    var context: PageContext
    var model: Model
    var saved: Bool

    var html: String {
        let t = self.context.t
        let role = self.context.user?.role ?? .auditor
        let person = self.model.person
        let lang = self.context.lang
        return Layout.html(self.context, title: person.fullName, .div(
            .p(.a(.href("/people"), .text(t("← Danh sách", "← List")))),
            .h1(.text(person.fullName)),
            .if(self.saved, .p(.class("ok"), .text(t("Đã lưu.", "Saved.")))),
            .div(.class("card"), .dl(
                .dt(.text(t("Ngày sinh", "Born"))), .dd(.text(person.birthText)),
                .dt(.text(t("Giới tính", "Gender"))), .dd(.text(PeopleListView.genderText(person.gender, lang))),
                .dt(.text(t("Số CCCD", "Personal ID"))), .dd(.text(Masking.id(person.personalID, for: role))),
                .dt(.text(t("Số CMND", "Old ID"))), .dd(.text(Masking.id(person.oldID, for: role))),
                .dt(.text(t("Địa chỉ", "Address"))), .dd(.text(person.address ?? "")),
                .dt(.text(t("Xã/phường (trước 2025)", "Commune (before 2025)"))), .dd(.text(Places.describe(person.communeCode, scheme: .before2025))),
                .dt(.text(t("Xã/phường (từ 2025)", "Commune (since 2025)"))), .dd(.text(Places.describe(person.commune2025Code, scheme: .since2025))),
                .if(person.needsAddressDetail, .group(
                    .dt(.text("⚠")),
                    .dd(.text(t("Xã cũ đã bị chia tách: cần số nhà/thôn, tổ để xác định xã mới.", "The old commune was split: a street or village is needed to place this person."))))))
            ),
            .h2(.text(t("Chế độ hưởng", "Enrolments"))),
            .table(.class("responsive"),
                .thead(.tr(.th(.text(t("Nhóm", "Group"))), .th(.text(t("Diện", "Sub-group"))), .th(.class("num"), .text(t("Mức hưởng (đ/tháng)", "Monthly (VND)"))), .th(.text(t("Danh sách, dòng", "List, row"))))),
                .tbody(.forEach(self.model.enrolments) { item in
                    .tr(.td(.text(PolicyGroup(rawValue: item.enrolment.policyGroup).map { lang == .vi ? $0.labelVI : $0.labelEN } ?? item.enrolment.policyGroup)),
                        .td(.text(item.enrolment.subGroup ?? "")),
                        .td(.class("num"), .text(item.enrolment.monthlyAmount.map(Formatting.vnd) ?? "")),
                        .td(.a(.href("/imports/\(item.list.id?.uuidString ?? "")"), .text("\(item.list.fileName), \(item.enrolment.sourceRow)"))))
                })
            ),
            .h2(.text(t("Tiến độ chiến dịch", "Campaign progress"))),
            .ul(.forEach(self.model.cases) { item in
                .li(.text("\(item.campaign.name): "), .strong(.text(CaseState(rawValue: item.record.state).map { lang == .vi ? $0.vietnameseName : $0.englishName } ?? item.record.state)))
            }),
            .if(role.canEditPeople, .group(
                .h2(.text(t("Sửa thông tin", "Correct the record"))),
                .form(.class("card"), .method(.post), .action("/people/\(person.id?.uuidString ?? "")"),
                    self.context.csrfField,
                    .p(.label(.for("fullName"), .text(t("Họ và tên", "Full name"))), .br(),
                       .input(.type(.text), .name("fullName"), .id("fullName"), .value(Layout.escaped(person.fullName)), .required(true))),
                    .p(.label(.for("address"), .text(t("Địa chỉ", "Address"))), .br(),
                       .input(.type(.text), .name("address"), .id("address"), .value(Layout.escaped(person.address ?? "")))),
                    .button(.class("primary"), .type(.submit), .text(t("Lưu", "Save"))))
            )),
            .h2(.text(t("Lịch sử thay đổi", "History"))),
            AuditView.table(self.model.history, context: self.context)
        ))
    }
}
