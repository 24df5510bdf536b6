import Foundation
import Plot
import ASXHCore

/// The working groups of the user's area, their members and each member's load.
struct WorkingGroupsView {
    var context: PageContext
    var groups: [WorkingGroup]
    var loads: [UUID: (assigned: Int, done: Int)]

    var html: String {
        let t = self.context.t
        let manages = self.context.user?.role.canManageGroups ?? false
        let isCommune = self.context.user?.area.level == .commune
        return Layout.html(self.context, title: t("Tổ công tác", "Working groups"), .div(
            .h1(.text(t("Tổ công tác", "Working groups"))),
            .if(self.groups.isEmpty, .p(.class("muted"), .text(t("Chưa có tổ công tác nào.", "No working groups yet.")))),
            .forEach(self.groups) { group in
                .div(.class("card"),
                    .h2(.text("\(group.name) · \(Places.describe(group.communeCode, scheme: group.areaScheme))")),
                    .table(
                        .thead(.tr(.th(.text(t("Thành viên", "Member"))), .th(.class("num"), .text(t("Được giao", "Assigned"))), .th(.class("num"), .text(t("Đã phân loại", "Classified"))))),
                        .tbody(.forEach(group.members) { member in
                            let load = member.user.id.flatMap { self.loads[$0] } ?? (0, 0)
                            return .tr(.td(.text(member.user.displayName), .if(group.$leader.id == member.user.id, .strong(.text(t(" (tổ trưởng)", " (leader)"))))),
                                       .td(.class("num"), .text(String(load.assigned))), .td(.class("num"), .text(String(load.done))))
                        })
                    ),
                    .if(manages, .group(
                        .form(.class("filters"), .method(.post), .action("/groups/\(group.id?.uuidString ?? "")/members"), self.context.csrfField,
                            .label(.text(t("Tên đăng nhập", "Username")), .input(.type(.text), .name("username"), .required(true))),
                            .label(.input(.type(.checkbox), .name("leader")), .text(t("Tổ trưởng", "Leader"))),
                            .button(.type(.submit), .text(t("Thêm thành viên", "Add member")))),
                        .form(.method(.post), .action("/groups/\(group.id?.uuidString ?? "")/assign"), self.context.csrfField,
                            .p(.button(.class("primary"), .type(.submit), .text(t("Chia việc tự động (theo hộ, theo đường đi)", "Assign automatically (by household, in walking order)")))))
                    ))
                )
            },
            .if(manages && isCommune,
                .form(.class("card filters"), .method(.post), .action("/groups"), self.context.csrfField,
                    .label(.text(t("Tên tổ mới", "New group name")), .input(.type(.text), .name("name"), .required(true))),
                    .button(.type(.submit), .text(t("Lập tổ", "Create group")))))
        ))
    }
}
