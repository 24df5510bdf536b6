import Plot
import ASXHCore

/// One list row beside its register candidates, differing fields highlighted, with the police's decisions.
struct ReviewView {
    var context: PageContext
    var match: RegisterMatch

    private func heading(_ candidate: ReviewCandidate, number: Int) -> String {
        let percent = Int((candidate.confidence * 100).rounded())
        let deceased = candidate.deceased ? " · " + self.context.t("đã chết", "deceased") : ""
        return "\(self.context.t("Ứng viên", "Candidate")) \(number) · \(percent)%\(deceased)"
    }

    /// A masked ID with how it compares to the list's: "••••••••8441 (khác 2 chữ số: vị trí 5, 6)".
    static func comparedID(_ id: String, with listed: String, lang: Lang) -> String {
        let masked = Masking.id(id, for: .auditor)
        guard !id.isEmpty, !listed.isEmpty else { return masked }
        if id == listed { return masked + lang.t(" (trùng)", " (same)") }
        guard id.count == listed.count else { return masked + lang.t(" (khác)", " (different)") }
        let positions = zip(id, listed).enumerated().filter { $0.element.0 != $0.element.1 }.map { String($0.offset + 1) }
        return masked + lang.t(" (khác \(positions.count) chữ số: vị trí \(positions.joined(separator: ", ")))",
                               " (\(positions.count) digits differ: positions \(positions.joined(separator: ", ")))")
    }

    var html: String {
        let t = self.context.t
        let role = self.context.user?.role ?? .auditor
        let person = self.match.person
        let candidates = self.match.decodedCandidates()
        let open = self.match.review == .open || self.match.review == .fieldCheck
        let listed: [(String, String)] = [
            (t("Họ và tên", "Full name"), person.fullName),
            (t("Ngày sinh", "Born"), person.birthText),
            (t("Giới tính", "Gender"), PeopleListView.genderText(person.gender, self.context.lang)),
            (t("Số CCCD", "Personal ID"), person.personalID ?? ""),
            (t("Số CMND", "Old ID"), person.oldID ?? ""),
            (t("Mã xã", "Commune"), person.communeCode ?? ""),
            (t("Địa chỉ", "Address"), person.address ?? ""),
        ]
        func values(_ c: ReviewCandidate) -> [String] {
            [c.fullName, c.birth, PeopleListView.genderText(c.gender, self.context.lang), c.citizenID, c.oldID ?? "", c.communeCode, c.address]
        }
        let idRows: Set<Int> = [3, 4]
        return Layout.html(self.context, title: t("Xem xét", "Review"), .div(
            .p(.a(.href("/review"), .text(t("← Danh sách cần xem xét", "← Review queue")))),
            .h1(.text(person.fullName)),
            .p(.class("muted"), .text("\(self.match.sourceList.fileName), \(t("dòng", "row")) \(self.match.enrolment.sourceRow) · \(self.match.reasons)")),
            .table(
                .thead(.tr(.th(), .th(.text(t("Danh sách", "List"))),
                           .forEach(candidates.indices) { index in .th(.text(self.heading(candidates[index], number: index + 1))) })),
                .tbody(.forEach(listed.indices) { row in
                    .tr(.th(.text(listed[row].0)),
                        .td(.text(idRows.contains(row) ? Masking.id(listed[row].1, for: .auditor) : listed[row].1)),
                        .forEach(candidates) { candidate in
                            let value = values(candidate)[row]
                            // Compared with diacritics (a wrong tone mark is a difference the police should see), not case.
                            let differs = !value.isEmpty && VietnameseText.clean(value).lowercased() != VietnameseText.clean(listed[row].1).lowercased()
                            // IDs stay masked here, for every role; what differs is said instead of shown.
                            let shown = idRows.contains(row) ? Self.comparedID(value, with: listed[row].1, lang: self.context.lang) : value
                            return .td(differs ? .element(named: "mark", nodes: [.text(shown)]) : .text(shown))
                        })
                })),
            .if(open && role.canDecideReviews, .div(.class("card"),
                .h2(.text(t("Quyết định", "Decision"))),
                .forEach(candidates.indices) { index in
                    .form(.class("inline"), .method(.post), .action("/review/\(self.match.id?.uuidString ?? "")"),
                          self.context.csrfField,
                          .input(.type(.hidden), .name("action"), .value("accept")),
                          .input(.type(.hidden), .name("candidate"), .value(String(index))),
                          .button(.class("primary"), .type(.submit), .text(t("Là ứng viên \(index + 1): ", "Candidate \(index + 1): ") + candidates[index].fullName)))
                },
                .form(.class("inline"), .method(.post), .action("/review/\(self.match.id?.uuidString ?? "")"), self.context.csrfField,
                      .input(.type(.hidden), .name("action"), .value("none")),
                      .button(.type(.submit), .text(t("Không phải ai trong số này", "None of these")))),
                .form(.class("inline"), .method(.post), .action("/review/\(self.match.id?.uuidString ?? "")"), self.context.csrfField,
                      .input(.type(.hidden), .name("action"), .value("field")),
                      .button(.type(.submit), .text(t("Chuyển tổ công tác xác minh tại nhà", "Send to the working group to verify at the door")))))),
            .if(!open, .p(.class("ok"), .text(t("Đã quyết định: ", "Decided: ") + (self.match.reviewState ?? ""))))
        ))
    }
}
