import Plot

/// A user's device tokens: issue one for a phone or a script (shown once), revoke any.
struct DeviceTokensView {
    var context: PageContext
    var tokens: [DeviceToken]
    var issued: String?

    var html: String {
        let t = self.context.t
        return Layout.html(self.context, title: t("Mã truy cập thiết bị", "Device tokens"), .div(
            .h1(.text(t("Mã truy cập thiết bị (API)", "Device tokens (API)"))),
            .unwrap(self.issued) { secret in
                .div(.class("ok"), .p(.text(t("Mã mới (chỉ hiện một lần, hãy chép ngay):", "New token (shown once, copy it now):"))), .p(.code(.id("issued-token"), .text(secret))))
            },
            .table(
                .thead(.tr(.th(.text(t("Thiết bị", "Device"))), .th(.text(t("Người dùng", "User"))), .th(.text(t("Tạo lúc", "Issued"))),
                           .th(.text(t("Dùng lần cuối", "Last used"))), .th(.text(t("Trạng thái", "Status"))), .th())),
                .tbody(.forEach(self.tokens) { token in
                    .tr(.td(.text(token.name)), .td(.text(token.user.username)), .td(.text(Formatting.dateTime(token.createdAt))),
                        .td(.text(Formatting.dateTime(token.lastUsedAt))),
                        .td(.text(token.revokedAt == nil ? t("đang dùng", "active") : t("đã thu hồi", "revoked"))),
                        .td(.if(token.revokedAt == nil, .form(.class("inline"), .method(.post), .action("/tokens/\(token.id?.uuidString ?? "")/revoke"), self.context.csrfField,
                                                              .button(.type(.submit), .text(t("Thu hồi", "Revoke")))))))
                })
            ),
            .form(.class("card filters"), .method(.post), .action("/tokens"), self.context.csrfField,
                  .label(.text(t("Tên thiết bị", "Device name")), .input(.type(.text), .name("name"), .required(true))),
                  .button(.class("primary"), .type(.submit), .text(t("Cấp mã", "Issue a token"))))
        ))
    }
}
