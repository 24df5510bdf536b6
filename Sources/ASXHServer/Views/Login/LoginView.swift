import Plot

struct LoginView {
    var context: PageContext
    /// Why the last try failed (wrong password, too many tries), nil on first show.
    var failed: ASXHError?
    var username: String

    var html: String {
        let t = self.context.t
        return Layout.html(self.context, title: t("Đăng nhập", "Log in"), .div(.class("card"), .style("max-width:420px;margin:2rem auto"),
            .h1(.text(t("Đăng nhập", "Log in"))),
            .unwrap(self.failed) { .p(.class("error"), .text(t($0.messageVI, $0.messageEN))) },
            .form(.action("/login"), .method(.post),
                self.context.csrfField,
                .p(.label(.for("username"), .text(t("Tên đăng nhập", "Username"))), .br(),
                   .input(.type(.text), .name("username"), .id("username"), .value(Layout.escaped(self.username)), .required(true), .autofocus(true), .attribute(named: "autocomplete", value: "username"))),
                .p(.label(.for("password"), .text(t("Mật khẩu", "Password"))), .br(),
                   .input(.type(.password), .name("password"), .id("password"), .required(true), .attribute(named: "autocomplete", value: "current-password"))),
                .button(.class("primary"), .type(.submit), .text(t("Đăng nhập", "Log in")))
            )
        ))
    }
}
