import Plot
import Vapor

/// A bilingual error page (both languages, since the reader may not have picked one yet).
struct ErrorView {
    var lang: Lang
    var status: HTTPResponseStatus
    var code: String
    var vi: String
    var en: String

    func response(status: HTTPResponseStatus) -> Response {
        let context = PageContext(lang: self.lang, user: nil, csrf: "", path: "")
        let html = Layout.html(context, title: "\(self.status.code)", .div(
            .h1(.text("\(self.status.code) \(self.status.reasonPhrase)")),
            .div(.class("error"),
                 .p(.text(self.vi)),
                 .p(.text(self.en)),
                 .p(.class("muted"), .text("code: \(self.code)"))),
            .p(.a(.href("/"), .text(self.lang.t("Về trang chính", "Back to start"))))
        ))
        return Layout.response(html, status: status)
    }
}
