import Foundation
import Plot
import ASXHCore

/// Step 5 accounts: one person's accounts and the form to record one (typed or scanned from the citizen's VietQR),
/// the accounts waiting for a second officer, and the syncs to the payment software.
struct AccountsView {
    var context: PageContext
    var person: Person?
    var accounts: [BankAccount]
    var pending: [BankAccount]
    var syncs: [AccountSyncBatch]

    private var role: Role { self.context.user?.role ?? .auditor }

    var html: String {
        let t = self.context.t
        return Layout.html(self.context, title: t("Tài khoản nhận chi trả", "Payment accounts"), script: "accounts.js", .div(
            .h1(.text(t("Tài khoản nhận chi trả", "Payment accounts"))),
            .unwrap(self.person) { self.personCard($0) },
            .if(self.person == nil && self.role.canRecordAccounts,
                .p(.class("muted"), .text(t("Để ghi tài khoản, mở một người ở trang Đối tượng và chọn “Ghi tài khoản”.",
                                            "To record an account, open a person from People and choose “Record account”.")))),
            .if(self.role.canRecordAccounts || self.role.canApproveAccounts, self.pendingCard),
            .if(self.role.canSyncAccounts, self.syncCard)
        ))
    }

    private func number(_ account: BankAccount) -> String { Masking.id(account.accountNumber, for: self.role) }

    private func personCard(_ person: Person) -> Node<HTML.BodyContext> {
        let t = self.context.t
        let id = person.id?.uuidString ?? ""
        return .div(.class("card"),
            .h2(.text(person.fullName)),
            .p(.class("muted"), .text("\(Masking.id(person.personalID, for: self.role)) · \(person.address ?? "")")),
            .if(!self.accounts.isEmpty, .table(
                .thead(.tr(.th(.text(t("Ngân hàng", "Bank"))), .th(.text(t("Số tài khoản", "Account"))), .th(.text(t("Chủ tài khoản", "Holder"))),
                           .th(.text(t("Trạng thái", "Status"))), .th(.text(t("Ghi bởi", "Recorded by"))), .th(.text("VietQR")))),
                .tbody(.forEach(self.accounts) { account in
                    .tr(.td(.text("\(account.bankName) (\(account.bin))")), .td(.text(self.number(account))), .td(.text(account.holderName)),
                        .td(.text(Self.status(account.status, t)), .unwrap(account.signals) { _ in .span(.class("muted"), .text(" · " + account.signalList.map { t($0.vietnamese, $0.english) }.joined(separator: ", "))) }),
                        .td(.text("\(account.recordedBy.displayName) · \(Formatting.dateTime(account.recordedAt))")),
                        .td(.if(account.status == .verified || account.status == .pending,
                                .a(.href("/accounts/\(account.id?.uuidString ?? "")/vietqr.svg"), .text(t("Mã QR cho người dân kiểm tra", "QR for the citizen to check"))))))
                })
            )),
            .if(self.role.canRecordAccounts, .form(.id("account-form"), .method(.post), .action("/accounts"), self.context.csrfField,
                .input(.type(.hidden), .name("personID"), .value(id)),
                .h3(.text(t("Ghi tài khoản", "Record an account"))),
                .p(.button(.type(.button), .id("scan-qr"), .text(t("Quét mã VietQR của người dân", "Scan the citizen's VietQR"))),
                   .span(.id("scan-status"), .class("muted"))),
                .element(named: "video", nodes: [.id("scan-video"), .attribute(named: "hidden", value: "hidden"), .attribute(named: "playsinline", value: "playsinline")]),
                .label(.text(t("Hoặc dán nội dung mã QR", "Or paste the QR payload")), .input(.type(.text), .id("qr-payload"), .attribute(named: "maxlength", value: "512"))),
                .label(.text(t("Ngân hàng (tên, tên viết tắt hoặc mã BIN)", "Bank (name, short name or BIN)")),
                       .input(.type(.text), .name("bank"), .id("bank"), .required(true), .attribute(named: "maxlength", value: "120"))),
                .label(.text(t("Số tài khoản", "Account number")),
                       .input(.type(.text), .name("accountNumber"), .id("accountNumber"), .required(true), .attribute(named: "inputmode", value: "numeric"), .attribute(named: "maxlength", value: "40"))),
                .label(.text(t("Tên chủ tài khoản (như ngân hàng ghi)", "Holder name (as the bank writes it)")),
                       .input(.type(.text), .name("holderName"), .id("holderName"), .required(true), .value(VietnameseText.bankName(person.fullName)), .attribute(named: "maxlength", value: "120"))),
                .input(.type(.hidden), .name("source"), .value(BankAccount.Source.police.rawValue)),
                .details(.summary(.text(t("Tài khoản của người được ủy quyền", "An authorised representative's account"))),
                    .label(.text(t("Họ tên người được ủy quyền", "Representative's name")), .input(.type(.text), .name("representativeName"), .attribute(named: "maxlength", value: "120"))),
                    .label(.text(t("Quan hệ với đối tượng", "Relationship")), .input(.type(.text), .name("relationship"), .attribute(named: "maxlength", value: "120"))),
                    .label(.text(t("Số giấy ủy quyền", "Authorisation number")), .input(.type(.text), .name("authorisationReference"), .attribute(named: "maxlength", value: "120"))),
                    .label(.text(t("Hết hạn ngày", "Expires on")), .input(.type(.date), .name("authorisationExpires")))),
                .button(.class("primary"), .type(.submit), .text(t("Ghi tài khoản", "Record the account")))))
        )
    }

    static func status(_ status: BankAccount.Status, _ t: (String, String) -> String) -> String {
        switch status {
        case .pending: return t("Chờ cán bộ thứ hai duyệt", "Waiting for a second officer")
        case .verified: return t("Đã xác minh", "Verified")
        case .refused: return t("Bị từ chối", "Refused")
        case .superseded: return t("Đã thay", "Replaced")
        case .closed: return t("Đã đóng", "Closed")
        }
    }

    private var pendingCard: Node<HTML.BodyContext> {
        let t = self.context.t
        let me = self.context.user?.id
        return .div(.class("card"), .id("pending"),
            .h2(.text(t("Chờ duyệt", "Waiting for approval") + " (\(self.pending.count))")),
            .if(self.role.canApproveAccounts, .form(.class("inline"), .method(.post), .action("/accounts/from-fieldwork"), self.context.csrfField,
                .button(.type(.submit), .text(t("Ghi tài khoản từ phiếu khảo sát (loại A1)", "Record the accounts given at the door (class A1)"))))),
            .if(self.pending.isEmpty, .p(.class("muted"), .text(t("Không có.", "None.")))),
            .if(!self.pending.isEmpty, .table(
                .thead(.tr(.th(.text(t("Họ và tên", "Name"))), .th(.text(t("Tài khoản", "Account"))), .th(.text(t("Cần xem", "Look at"))),
                           .th(.text(t("Ghi bởi", "Recorded by"))), .th())),
                .tbody(.forEach(self.pending) { account in
                    let id = account.id?.uuidString ?? ""
                    return .tr(
                        .td(.a(.href("/accounts?person=\(account.$person.id.uuidString)"), .text(account.person.fullName))),
                        .td(.text("\(account.bankName) · \(self.number(account)) · \(account.holderName)"),
                            .unwrap(account.authorisation) { auth in .span(.class("muted"), .text(" · \(auth.relationship), \(t("giấy", "doc.")) \(auth.documentReference)")) }),
                        .td(.text(account.signalList.map { t($0.vietnamese, $0.english) }.joined(separator: "; "))),
                        .td(.text("\(account.recordedBy.displayName) · \(Formatting.dateTime(account.recordedAt))")),
                        .td(.if(self.role.canApproveAccounts && account.$recordedBy.id != me, .group(
                            .form(.class("inline"), .method(.post), .action("/accounts/\(id)/approve"), self.context.csrfField,
                                  .button(.class("primary"), .type(.submit), .text(t("Duyệt", "Approve")))),
                            .form(.class("inline"), .method(.post), .action("/accounts/\(id)/refuse"), self.context.csrfField,
                                  .button(.type(.submit), .text(t("Từ chối", "Refuse"))))))))
                })
            ))
        )
    }

    private var syncCard: Node<HTML.BodyContext> {
        let t = self.context.t
        return .div(.class("card"), .id("sync"),
            .h2(.text(t("Đồng bộ sang phần mềm chi trả", "Sync to the payment software"))),
            .form(.class("inline"), .method(.post), .action("/sync"), self.context.csrfField,
                  .button(.class("primary"), .type(.submit), .text(t("Xuất các thay đổi từ lần trước", "Export the changes since the last sync")))),
            .if(self.syncs.isEmpty, .p(.class("muted"), .text(t("Chưa đồng bộ lần nào.", "No sync yet.")))),
            .if(!self.syncs.isEmpty, .table(
                .thead(.tr(.th(.text("#")), .th(.text(t("Lúc", "At"))), .th(.class("num"), .text(t("Mới", "New"))), .th(.class("num"), .text(t("Thay đổi", "Changed"))),
                           .th(.class("num"), .text(t("Đóng", "Closed"))), .th(.text(t("Tệp", "Files"))), .th(.text(t("Xác nhận", "Acknowledged"))))),
                .tbody(.forEach(self.syncs) { sync in
                    let id = sync.id?.uuidString ?? ""
                    return .tr(
                        .td(.text(String(sync.sequence))), .td(.text(Formatting.dateTime(sync.createdAt))),
                        .td(.class("num"), .text(String(sync.newCount))), .td(.class("num"), .text(String(sync.changedCount))), .td(.class("num"), .text(String(sync.closedCount))),
                        .td(.a(.href("/sync/\(id)/csv"), "CSV"), .text(" · "), .a(.href("/sync/\(id)/xlsx"), "XLSX"), .text(" · "), .a(.href("/sync/\(id)/manifest"), .text(t("Bảng kê", "Manifest")))),
                        .td(sync.acknowledgedAt == nil
                            ? .form(.class("inline"), .method(.post), .action("/sync/\(id)/acknowledge"), self.context.csrfField,
                                    .input(.type(.text), .name("reference"), .required(true), .attribute(named: "maxlength", value: "100"), .placeholder(t("Số xác nhận", "Receipt no."))),
                                    .button(.type(.submit), .text(t("Đã nhận", "Received"))))
                            : .text("\(sync.acknowledgement ?? "") · \(Formatting.dateTime(sync.acknowledgedAt))")))
                })
            ))
        )
    }
}
