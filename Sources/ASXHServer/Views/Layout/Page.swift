import Plot
import Vapor

/// What every page knows about the request it answers.
struct PageContext {
    var lang: Lang
    var user: User?
    var csrf: String
    var path: String

    init(_ request: Request) {
        self.lang = request.lang
        self.user = request.auth.get(User.self)
        self.csrf = request.csrfToken
        self.path = request.url.path
    }

    init(lang: Lang, user: User?, csrf: String, path: String) {
        self.lang = lang
        self.user = user
        self.csrf = csrf
        self.path = path
    }

    func t(_ vi: String, _ en: String) -> String { self.lang.t(vi, en) }

    /// The hidden field every form carries (see `CSRFMiddleware`).
    var csrfField: Node<HTML.FormContext> {
        .input(.type(.hidden), .name("_csrf"), .value(self.csrf))
    }
}

/// The one page frame: head, navigation for the user's role, content. Mobile first (working groups use phones).
enum Layout {
    /// `script` names a file under `/static/` (pages stay free of inline script: the CSP forbids it).
    static func html(_ context: PageContext, title: String, refreshSeconds: Int? = nil, script: String? = nil, _ content: Node<HTML.BodyContext>) -> String {
        let t = context.t
        let html = HTML(
            .lang(context.lang == .vi ? .vietnamese : .english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .unwrap(refreshSeconds) { .meta(.attribute(named: "http-equiv", value: "refresh"), .content(String($0))) },
                .element(named: "title", text: "\(title) · asxh"),  // Plot's .title also writes unescaped og:/twitter: meta tags
                .unwrap(script) { name in .group(
                    .meta(.name("csrf"), .content(context.csrf)),
                    .element(named: "script", nodes: [.attribute(named: "src", value: "/static/\(name)"), .attribute(named: "defer", value: "defer")])
                ) },
                .element(named: "style", nodes: [.raw(Self.css)])
            ),
            .body(
                .header(
                    .a(.class("brand"), .href("/"), "asxh"),
                    .unwrap(context.user) { user in
                        .nav(
                            .a(.href("/people"), .text(t("Đối tượng", "People"))),
                            .if(user.role.canVisit, .a(.href("/visits"), .text(t("Việc của tôi", "My visits")))),
                            .if(user.role.canReadFieldwork && user.role != .workingGroupMember, .a(.href("/groups"), .text(t("Tổ công tác", "Working groups")))),
                            .if(user.role.canReadFieldwork, .a(.href("/followup"), .text(t("Sau khi đến nhà", "Follow-up")))),
                            .if(user.role.canReadFieldwork, .a(.href("/progress"), .text(t("Tiến độ", "Progress")))),
                            .if(user.role.canRecordAccounts || user.role.canSyncAccounts, .a(.href("/accounts"), .text(t("Tài khoản", "Accounts")))),
                            .if(user.role.canReadPayments, .a(.href("/payments"), .text(t("Chi trả", "Payments")))),
                            .if(user.role.canPublishQuestionnaires, .a(.href("/questionnaires"), .text(t("Bộ câu hỏi", "Survey")))),
                            .if(user.role.canReadCampaigns, .a(.href("/campaigns"), .text(t("Các đợt", "Campaigns")))),
                            .if(user.role.canImportLists, .a(.href("/imports"), .text(t("Nhập danh sách", "Import lists")))),
                            .if(user.role.canReadReviews, .a(.href("/review"), .text(t("Đối chiếu", "Matching review")))),
                            .if(user.role.canReadAudit, .a(.href("/audit"), .text(t("Nhật ký", "Audit log")))),
                            .span(.class("who"), .text("\(user.displayName) · \(context.lang == .vi ? user.role.vietnameseName : user.role.englishName)")),
                            .form(.class("inline"), .action("/logout"), .method(.post), context.csrfField,
                                  .button(.type(.submit), .text(t("Đăng xuất", "Log out"))))
                        )
                    },
                    .a(.class("lang"), .href("?lang=\(context.lang == .vi ? "en" : "vi")"), .text(context.lang == .vi ? "English" : "Tiếng Việt"))
                ),
                .main(content)
            )
        )
        return html.render()
    }

    /// A `<select>` with its options (Plot's typed API has no text content for `<option>`).
    static func select<Context>(name: String, selected: String, options: [(value: String, label: String)]) -> Node<Context> {
        .element(named: "select", nodes: [.attribute(named: "name", value: name), .attribute(named: "id", value: name)] + options.map { option in
            .element(named: "option", nodes: [
                .attribute(named: "value", value: Self.escaped(option.value)),
                option.value == selected ? .attribute(named: "selected", value: "selected") : .empty,
                .text(option.label),
            ])
        })
    }

    /// Plot writes attribute values as given: every value that can hold data goes through here, or a `"` in a
    /// name would end the attribute and let markup in.
    static func escaped(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    static func response(_ html: String, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.add(name: "Content-Security-Policy", value: "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
        headers.add(name: "X-Frame-Options", value: "DENY")
        headers.add(name: "Cache-Control", value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: html))
    }

    static let css = """
    *{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f6f7f9}
    header{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:center;padding:.6rem 1rem;background:#8b0000;color:#fff}
    header a,header button{color:#fff}header .brand{font-weight:700;text-decoration:none;font-size:1.2rem}
    nav{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;flex:1}.who{opacity:.85;font-size:.9rem}
    form.inline{display:inline}form.inline button{background:none;border:1px solid #fff;border-radius:4px;padding:.2rem .6rem}
    main{max-width:1100px;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.4rem 0 1rem}
    table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.45rem .5rem;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
    th{background:#f0f0f0;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
    .card{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:1rem;margin:0 0 1rem}
    .filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}.filters label{display:flex;flex-direction:column;font-size:.85rem}
    fieldset{min-width:0;border:1px solid #ddd;border-radius:6px;margin:0 0 .8rem}input[type=file]{max-width:100%}label.choice{display:block;padding:.25rem 0}
    input,select,button{font:inherit;padding:.45rem .55rem;border:1px solid #bbb;border-radius:4px;min-height:2.4rem}
    button.primary{background:#8b0000;color:#fff;border-color:#8b0000}
    .error{background:#fdecea;border:1px solid #f5c2c0;padding:.8rem;border-radius:6px}.ok{background:#e8f5e9;border:1px solid #b7dfb9;padding:.8rem;border-radius:6px}
    .muted{color:#666;font-size:.9rem}.pager{display:flex;gap:1rem;margin:1rem 0}
    .progress{height:1rem;background:#e3e3e3;border-radius:4px;overflow:hidden}.progress>div{height:100%;background:#2e7d32}
    .bar{display:inline-block;height:.8rem;background:#8b0000;vertical-align:middle}
    mark{background:#fff3a0;padding:0 .15rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}dt{color:#555}dd{margin:0}
    @media (max-width:640px){table.responsive thead{display:none}table.responsive tr{display:block;border-bottom:2px solid #ddd}
    table.responsive td{display:flex;justify-content:space-between;border:0}table.responsive td::before{content:attr(data-label);font-weight:600;margin-right:1rem}}
    """
}
