import Plot
import ASXHCore

/// Counts and shares at each step and class, bars against the 100% target, the trend, and the forecast day per
/// unit, red when it falls after the deadline.
struct ProgressView {
    var context: PageContext
    var report: ProgressReport

    var html: String {
        let t = self.context.t
        let report = self.report
        let whole = report.whole
        let schedule = report.campaign.schedule
        let deadline = schedule.deadlines[.classLists]
        let bars = report.units.map { unit in
            SVGChart.Bar(label: unit.name, share: unit.share, late: unit.late,
                         note: "\(unit.classified)/\(unit.total) · " + (unit.forecast.map { t("dự kiến xong \($0.vietnamese)", "forecast \($0.iso)") } ?? t("chưa có tiến độ", "no pace yet")))
        }
        let trend = whole.classifiedByDay.keys.sorted().suffix(30).map { (day: $0, share: whole.total == 0 ? 0 : Double(whole.classifiedByDay[$0]!) / Double(whole.total)) }
        let drill = Self.childArea(report.area)
        let unitsAreCommunes = ProgressReport.unitColumn(of: report.area).level == .commune
        let unitsAreMembers = ProgressReport.unitColumn(of: report.area).level == nil
        return Layout.html(self.context, title: t("Tiến độ", "Progress"), .div(
            .h1(.text(t("Tiến độ: ", "Progress: ") + whole.name)),
            .p(.class("muted"), .text("\(report.campaign.name) · " + t("hôm nay ", "today ") + report.today.vietnamese),
               .if(unitsAreMembers, .group(.text(" · "), .a(.href("/lists/\(report.area.code)"), .text(t("Danh sách bước 4", "Step 4 lists")))))),
            .div(.class("card"), .attribute(named: "data-classified", value: String(whole.classified)), .attribute(named: "data-total", value: String(whole.total)),
                .p(.strong(.text(t("Đã phân loại \(whole.classified) / \(whole.total) (\(Self.percent(whole.share))) · mục tiêu 100%",
                                    "Classified \(whole.classified) of \(whole.total) (\(Self.percent(whole.share))) · target 100%")))),
                .div(.class("progress"), .div(.style("width:\(Int(whole.share * 100))%"))),
                .p(.text(whole.forecast.map { t("Dự kiến đạt 100%: \($0.vietnamese)", "Forecast 100%: \($0.iso)") } ?? t("Chưa đủ dữ liệu để dự báo.", "Not enough pace to forecast.")),
                   .if(whole.late, .strong(.style("color:#c62828"), .text(t(" — trễ hạn", " — after the deadline"))))),
                .ul(.forEach(CampaignStep.allCases) { step in
                    let overdue = schedule.isOverdue(step, on: report.today) && self.owed(step, whole) > 0
                    return .li(.text("\(t("Bước", "Step")) \(step.rawValue) · \(t(step.vietnameseName, step.englishName)): "),
                               .text(schedule.deadlines[step].map { t("hạn ", "due ") + $0.vietnamese } ?? ""),
                               .if(overdue, .strong(.style("color:#c62828"), .text(t(" · quá hạn, còn \(self.owed(step, whole))", " · overdue, \(self.owed(step, whole)) left")))))
                })
            ),
            .h2(.text(t("Theo phân loại", "By class"))),
            .table(
                .thead(.tr(.forEach(CaseClass.allCases) { .th(.class("num"), .text($0.rawValue)) }, .th(.class("num"), .text(t("Chưa phân loại", "Not yet"))))),
                .tbody(.tr(.forEach(CaseClass.allCases) { .td(.class("num"), .text(String(whole.byClass[$0] ?? 0))) },
                           .td(.class("num"), .text(String(whole.total - whole.classified)))))
            ),
            .h2(.text(t("Xu hướng", "Trend"))),
            .raw(SVGChart.trend(Array(trend), deadline: deadline, title: t("Tỷ lệ đã phân loại theo ngày", "Share classified by day"))),
            .h2(.text(unitsAreMembers ? t("Theo thành viên (chậm nhất trước)", "By member (laggards first)") : t("Các đơn vị (chậm nhất trước)", "Units (laggards first)"))),
            .raw(SVGChart.bars(bars, title: t("Tỷ lệ đã phân loại", "Share classified"))),
            .table(.class("responsive"),
                .thead(.tr(.th(.text(unitsAreMembers ? t("Thành viên tổ công tác", "Working-group member") : t("Đơn vị", "Unit"))), .th(.class("num"), .text(t("Tổng", "Total"))), .th(.class("num"), .text(t("Đã đối chiếu", "Verified"))),
                           .th(.class("num"), .text(t("Đã giao", "Assigned"))), .th(.class("num"), .text(t("Đã phân loại", "Classified"))),
                           .th(.text(t("Dự kiến 100%", "Forecast 100%"))), .if(unitsAreCommunes, .th(.text(t("Danh sách", "Lists")))))),
                .tbody(.forEach(report.units) { unit in
                    .tr(.td(drill.map { level in .a(.href("/progress?area=\(report.area.scheme.rawValue):\(level.rawValue):\(unit.code)"), .text(unit.name)) } ?? .text(unit.name)),
                        .td(.class("num"), .text(String(unit.total))), .td(.class("num"), .text(String(unit.verified))),
                        .td(.class("num"), .text(String(unit.assigned))), .td(.class("num"), .text("\(unit.classified) (\(Self.percent(unit.share)))")),
                        .td(unit.late ? .style("color:#c62828;font-weight:600") : .empty,
                            .text(unit.forecast?.vietnamese ?? t("không tiến triển", "no progress"))),
                        .if(unitsAreCommunes, .td(.a(.href("/lists/\(unit.code)"), .text(t("Danh sách bước 4", "Step 4 lists"))))))
                })
            )
        ))
    }

    /// Cases still owing a step.
    private func owed(_ step: CampaignStep, _ unit: ProgressReport.Unit) -> Int {
        switch step {
        case .matchAndClean: return unit.total - unit.verified
        case .surveyAndVerify: return unit.total - unit.assigned
        case .visitAndClassify, .classLists: return unit.total - unit.classified
        case .syncAndPay: return 0
        }
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded(.down)))%" }

    static func childArea(_ area: Area) -> AdministrativeLevel? {
        switch area.level {
        case .province: return area.scheme == .before2025 ? .district : .commune
        case .district: return .commune
        case .commune: return nil
        }
    }
}
