import Foundation
import Plot
import ASXHCore

/// Published survey versions and the form that publishes the next one (JSON, starting from the latest).
struct QuestionnairesView {
    var context: PageContext
    var versions: [StoredQuestionnaire]

    var html: String {
        let t = self.context.t
        let latest = self.versions.first.map(\.body) ?? StoredQuestionnaire.encode(.standard)
        return Layout.html(self.context, title: t("Bộ câu hỏi khảo sát", "Survey questionnaires"), .div(
            .h1(.text(t("Bộ câu hỏi khảo sát", "Survey questionnaires"))),
            .table(
                .thead(.tr(.th(.text(t("Phiên bản", "Version"))), .th(.text(t("Số câu hỏi", "Questions"))), .th(.text(t("Công bố", "Published"))), .th())),
                .tbody(.forEach(self.versions) { stored in
                    let questions = (try? stored.decoded().questions.count).map(String.init) ?? "?"
                    return .tr(.td(.text(String(stored.version))), .td(.class("num"), .text(questions)),
                               .td(.text(Formatting.dateTime(stored.publishedAt) + (stored.publishedBy.map { " · \($0.displayName)" } ?? ""))),
                               .td(.a(.href("/api/v1/questionnaires/\(stored.version)"), .text("JSON"))))
                })
            ),
            .form(.class("card"), .method(.post), .action("/questionnaires"), self.context.csrfField,
                .h2(.text(t("Công bố phiên bản mới", "Publish a new version"))),
                .p(.class("muted"), .text(t("Sửa JSON dưới đây (bắt đầu từ phiên bản mới nhất). Các câu hỏi mà quy tắc phân loại dùng phải giữ nguyên mã. Lần đến nhà cũ giữ phiên bản của chúng.",
                                            "Edit the JSON below (it starts from the latest version). Questions the class rules read must keep their ids. Earlier visits keep their version."))),
                .textarea(.name("definition"), .attribute(named: "rows", value: "24"), .attribute(named: "style", value: "width:100%;font-family:monospace"), .text(latest)),
                .p(.button(.class("primary"), .type(.submit), .text(t("Công bố", "Publish"))))
            )
        ))
    }
}
