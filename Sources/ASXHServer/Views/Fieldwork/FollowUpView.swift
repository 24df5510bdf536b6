import Foundation
import Plot
import ASXHCore

/// What the commune still owes after the visits: accounts being opened (A2), support plans (C, overdue first),
/// people to correct or close (D), and class changes waiting for a second officer.
struct FollowUpView {
    var context: PageContext
    var lists: CaseFollowUp.Lists

    var html: String {
        let t = self.context.t
        return Layout.html(self.context, title: t("Sau khi đến nhà", "Follow-up"), .div(
            .h1(.text(t("Sau khi đến nhà", "Follow-up after the visit"))),
            self.changes,
            self.section(.supportPlan, rows: self.lists.items(.supportPlan).sorted { $0.overdue && !$1.overdue }),
            self.section(.opening, rows: self.lists.items(.opening)),
            self.section(.dataCorrection, rows: self.lists.items(.dataCorrection))
        ))
    }

    private var role: Role { self.context.user?.role ?? .auditor }

    private func person(_ item: CaseFollowUp.Item) -> Node<HTML.BodyContext> {
        let person = item.campaignCase.person
        return .group(
            .a(.href("/visits/case/\(item.campaignCase.id?.uuidString ?? "")"), .text(person.fullName)),
            .br(), .span(.class("muted"), .text("\(Masking.id(person.personalID, for: self.role)) · \(person.address ?? "")"))
        )
    }

    private func section(_ pending: FollowUp.Pending, rows: [CaseFollowUp.Item]) -> Node<HTML.BodyContext> {
        let t = self.context.t
        return .div(.class("card"), .id(pending.rawValue),
            .h2(.text("\(t(pending.vietnameseName, pending.englishName)) (\(rows.count))")),
            .if(rows.isEmpty, .p(.class("muted"), .text(t("Không có.", "None.")))),
            .if(!rows.isEmpty, .table(
                .thead(.tr(.th(.text(t("Họ và tên", "Name"))), .th(.text(t("Chi tiết", "Detail"))), .th(.text(t("Người phụ trách", "Owner"))), .th(.text(t("Thao tác", "Action"))))),
                .tbody(.forEach(rows) { item in
                    .tr(.class(item.overdue ? "late" : ""),
                        .td(self.person(item)),
                        .td(.text(item.classification?.detailVi ?? ""), .if(item.overdue, .strong(.class("error"), .text(t(" · quá hạn", " · overdue"))))),
                        .td(.text(item.campaignCase.member?.displayName ?? "")),
                        .td(self.actions(item)))
                })
            ))
        )
    }

    private func actions(_ item: CaseFollowUp.Item) -> Node<HTML.BodyContext> {
        let t = self.context.t
        let id = item.campaignCase.id?.uuidString ?? ""
        switch item.pending {
        case .opening where self.role.canVisit:
            return .form(.class("filters"), .method(.post), .action("/cases/\(id)/opening"), self.context.csrfField,
                .input(.type(.text), .name("bank"), .value(item.classification?.openingBank ?? ""), .required(true), .attribute(named: "maxlength", value: "100"),
                       .attribute(named: "aria-label", value: t("Ngân hàng", "Bank"))),
                .input(.type(.date), .name("openedOn"), .required(true), .attribute(named: "aria-label", value: t("Ngày mở", "Opened on"))),
                .button(.type(.submit), .text(t("Đã mở tài khoản", "Account opened"))))
        case .supportPlan where self.role.canVisit:
            return .form(.class("filters"), .method(.post), .action("/cases/\(id)/support/close"), self.context.csrfField,
                .input(.type(.text), .name("note"), .required(true), .attribute(named: "maxlength", value: String(FollowUp.maxNoteLength)),
                       .placeholder(t("Đã hỗ trợ thế nào", "What was done"))),
                .button(.type(.submit), .text(t("Xong", "Done"))))
        case .dataCorrection where self.role.canDecideReviews:
            return .group(
                .form(.class("inline"), .method(.post), .action("/cases/\(id)/close"), self.context.csrfField, .input(.type(.hidden), .name("reason"), .value(CaseClosedReason.deceased.rawValue)),
                      .button(.type(.submit), .text(t("Đóng: đã chết (đã kiểm tra CSDL)", "Close: deceased (register checked)")))),
                .form(.class("inline"), .method(.post), .action("/cases/\(id)/close"), self.context.csrfField, .input(.type(.hidden), .name("reason"), .value(CaseClosedReason.movedOut.rawValue)),
                      .button(.type(.submit), .text(t("Đóng: chuyển khỏi tỉnh", "Close: moved out of the province")))),
                .p(.class("muted"), .text(t("Chuyển đi trong tỉnh: chuyển xã ở trang Tổ công tác. Sai thông tin: sửa ở trang đối tượng rồi đến nhà lại.",
                                            "Moved within the province: transfer on the groups page. Wrong details: correct the person, then visit again.")))
            )
        default:
            return .empty
        }
    }

    private var changes: Node<HTML.BodyContext> {
        let t = self.context.t
        let approver = self.role.canApproveClassChanges
        let me = self.context.user?.id
        return .div(.class("card"), .id("changes"),
            .h2(.text(t("Đề nghị đổi phân loại chờ duyệt", "Class changes waiting for approval") + " (\(self.lists.changes.count))")),
            .if(self.lists.changes.isEmpty, .p(.class("muted"), .text(t("Không có.", "None.")))),
            .if(!self.lists.changes.isEmpty, .table(
                .thead(.tr(.th(.text(t("Họ và tên", "Name"))), .th(.text(t("Đổi", "Change"))), .th(.text(t("Lý do", "Reason"))), .th(.text(t("Người đề nghị", "Proposed by"))), .th())),
                .tbody(.forEach(self.lists.changes) { change in
                    let id = change.id?.uuidString ?? ""
                    return .tr(
                        .td(.text(change.campaignCase.person.fullName)),
                        .td(.text("\(change.fromClass?.rawValue ?? "–") → \(change.toClass.rawValue)")),
                        .td(.text(change.reason)),
                        .td(.text("\(change.proposedBy.displayName) · \(Formatting.dateTime(change.proposedAt))")),
                        .td(.if(approver && change.$proposedBy.id != me, .group(
                            .form(.class("inline"), .method(.post), .action("/class-changes/\(id)/approve"), self.context.csrfField,
                                  .button(.class("primary"), .type(.submit), .text(t("Duyệt", "Approve")))),
                            .form(.class("inline"), .method(.post), .action("/class-changes/\(id)/refuse"), self.context.csrfField,
                                  .button(.type(.submit), .text(t("Từ chối", "Refuse"))))))))
                })
            ))
        )
    }
}
