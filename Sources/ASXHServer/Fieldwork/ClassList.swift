import ASXHCore
import Fluent
import Foundation
import SQLKit

/// The step-4 lists of one commune: every classified person, by class, with the columns the official lists
/// carry (STT, Họ và tên, Ngày sinh, Số CCCD, Địa chỉ, Nhóm đối tượng, class, reason or support plan, and
/// empty columns for the signatures).
struct ClassList {
    struct Row {
        var fullName: String
        var birth: String
        var personalID: String
        var address: String
        var groups: String
        var caseClass: CaseClass
        var detail: String
    }

    var commune: Area
    var rows: [CaseClass: [Row]]
    /// The last time a case of the commune was classified: a sign-off before it is out of date.
    var lastChange: Date?

    var counts: [String: Int] { Dictionary(uniqueKeysWithValues: CaseClass.allCases.map { ($0.rawValue, self.rows[$0]?.count ?? 0) }) }

    static let header = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Địa chỉ", "Nhóm đối tượng", "Phân loại", "Lý do / phương án hỗ trợ",
                         "Chữ ký đối tượng", "Chữ ký cán bộ"]
    static let columnWidths: [Double] = [6, 26, 12, 16, 40, 24, 10, 40, 18, 18]

    static func load(_ commune: Area, campaign: Campaign, for role: Role, on database: any Database) async throws -> ClassList {
        let sql = database as! any SQLDatabase
        let filters = commune.personFilters.map { "p.\(ident: $0.column) = \(bind: $0.code)" as SQLQueryString }
        let inArea = filters.dropFirst().reduce(filters[0]) { "\($0) AND \($1)" }
        let rows = try await sql.raw("""
            SELECT p.id AS person_id, p.full_name, p.birth_year, p.birth_month, p.birth_day, p.personal_id, p.address,
                   c.case_class, c.classification, c.classified_at
            FROM campaign_cases c JOIN people p ON p.id = c.person_id
            WHERE c.campaign_id = \(bind: campaign.requireID()) AND c.case_class IS NOT NULL AND c.state <> \(bind: CaseState.closed.rawValue) AND \(inArea)
            ORDER BY p.folded_name, p.id
            """).all()
        var people: [UUID] = []
        for row in rows { people.append(try row.decode(column: "person_id", as: UUID.self)) }
        let groups = try await Self.groups(of: people, on: sql)
        var list = ClassList(commune: commune, rows: [:], lastChange: nil)
        for (index, row) in rows.enumerated() {
            guard let caseClass = try row.decode(column: "case_class", as: String?.self).flatMap(CaseClass.init(rawValue:)) else { continue }
            let classification = try row.decode(column: "classification", as: String?.self)
                .flatMap { try? JSONDecoder().decode(Classification.self, from: Data($0.utf8)) }
            let birth = [try row.decode(column: "birth_day", as: Int?.self), try row.decode(column: "birth_month", as: Int?.self)]
                .compactMap { $0.map { String(format: "%02d", $0) } } + [try row.decode(column: "birth_year", as: Int?.self).map(String.init) ?? ""]
            list.rows[caseClass, default: []].append(Row(
                fullName: try row.decode(column: "full_name", as: String.self), birth: birth.joined(separator: "/"),
                personalID: Masking.id(try row.decode(column: "personal_id", as: String?.self), for: role),
                address: try row.decode(column: "address", as: String?.self) ?? "",
                groups: groups[people[index]]?.map(\.labelVI).sorted().joined(separator: ", ") ?? "",
                caseClass: caseClass, detail: classification?.detailVi ?? ""))
            if let at = try row.decode(column: "classified_at", as: Date?.self), at > (list.lastChange ?? .distantPast) { list.lastChange = at }
        }
        return list
    }

    /// Each person's policy groups, a thousand people per query.
    private static func groups(of people: [UUID], on sql: any SQLDatabase) async throws -> [UUID: Set<PolicyGroup>] {
        var groups: [UUID: Set<PolicyGroup>] = [:]
        for start in stride(from: 0, to: people.count, by: 1_000) {
            let chunk = Array(people[start..<min(start + 1_000, people.count)])
            for row in try await sql.raw("SELECT person_id, policy_group FROM enrolments WHERE person_id IN (\(binds: chunk))").all() {
                guard let group = PolicyGroup(rawValue: try row.decode(column: "policy_group", as: String.self)) else { continue }
                groups[try row.decode(column: "person_id", as: UUID.self), default: []].insert(group)
            }
        }
        return groups
    }

    /// The lists as one workbook, a sheet per class, each with its title rows and the official header.
    func writeXLSX(to path: String, communeName: String, campaignName: String) throws {
        let writer = try XLSXWriter(path: path)
        for caseClass in CaseClass.allCases {
            try writer.addSheet("\(caseClass.rawValue) \(caseClass.vietnameseName)", columnWidths: Self.columnWidths, boldHeader: false, freezeHeader: false)
            try writer.addRow(["DANH SÁCH \(caseClass.rawValue): \(caseClass.vietnameseName.uppercased())"])
            try writer.addRow(["\(communeName) · \(campaignName)"])
            try writer.addRow(Self.header)
            for (index, row) in (self.rows[caseClass] ?? []).enumerated() {
                try writer.addRow([String(index + 1), row.fullName, row.birth, row.personalID, row.address, row.groups, row.caseClass.rawValue, row.detail, "", ""])
            }
        }
        try writer.close()
    }
}
