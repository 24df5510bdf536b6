/// One row of one department list after matching, as the deduplicator needs it.
public struct CrossListEntry: Sendable, Hashable {
    /// Which list the row came from (file name or list id).
    public var list: String
    public var row: Int
    /// The matcher's status and, for automatic links, the register's personal ID.
    public var status: MatchStatus
    public var citizenID: String?
    /// The personal (or old) ID as the list wrote it.
    public var listedID: String?
    public var fullName: String
    public var birthDate: BirthDate?
    public var communeCode: String?
    public var policyGroup: PolicyGroup
    public var subGroup: String?
    public var monthlyAmount: Int?

    public init(
        list: String, row: Int, status: MatchStatus, citizenID: String?, listedID: String?, fullName: String,
        birthDate: BirthDate?, communeCode: String?, policyGroup: PolicyGroup, subGroup: String? = nil,
        monthlyAmount: Int? = nil
    ) {
        self.list = list
        self.row = row
        self.status = status
        self.citizenID = citizenID
        self.listedID = listedID
        self.fullName = fullName
        self.birthDate = birthDate
        self.communeCode = communeCode
        self.policyGroup = policyGroup
        self.subGroup = subGroup
        self.monthlyAmount = monthlyAmount
    }

    /// Builds an entry from a parsed list row and its decision.
    public init(list: String, listRow: ListRow, decision: MatchDecision) {
        self.init(
            list: list, row: listRow.rowNumber, status: decision.status, citizenID: decision.citizenID,
            listedID: listRow.personalID?.digits ?? listRow.oldID?.digits, fullName: listRow.fullName,
            birthDate: listRow.birthDate, communeCode: listRow.communeCode, policyGroup: listRow.policyGroup,
            subGroup: listRow.subGroup, monthlyAmount: listRow.monthlyAmount)
    }
}

/// Why a group of rows believed to be one person must go to review.
public enum CrossListConflict: Sendable, Hashable {
    /// The same person gets different monthly amounts in one policy group.
    case differentAmounts(group: PolicyGroup, amounts: [Int])
    /// The rows carry two or more different personal IDs.
    case differentIDs([String])
    /// The person appears twice on one list.
    case sameListTwice(list: String)
    /// Rows were joined by the ID as written or by name, full birth date and commune, but not all of them
    /// are certain links to the register.
    case unconfirmedLink

    public var code: String {
        switch self {
        case .differentAmounts: return "different_amounts"
        case .differentIDs: return "different_ids"
        case .sameListTwice: return "same_list_twice"
        case .unconfirmedLink: return "unconfirmed_link"
        }
    }

    public var messageVI: String {
        switch self {
        case .differentAmounts(let group, let amounts):
            return "Cùng một người, nhóm \(group.rawValue), có các mức hưởng khác nhau: \(amounts.map(String.init).joined(separator: ", "))."
        case .differentIDs(let ids): return "Cùng một người nhưng có nhiều số định danh: \(ids.joined(separator: ", "))."
        case .sameListTwice(let list): return "Người này có hai dòng trong danh sách \(list)."
        case .unconfirmedLink: return "Các dòng được ghép theo họ tên, ngày sinh, xã hoặc số ghi trên danh sách, chưa xác thực với CSDL dân cư."
        }
    }

    public var messageEN: String {
        switch self {
        case .differentAmounts(let group, let amounts):
            return "One person has different monthly amounts in group \(group.rawValue): \(amounts.map(String.init).joined(separator: ", "))."
        case .differentIDs(let ids): return "One person carries several personal IDs: \(ids.joined(separator: ", "))."
        case .sameListTwice(let list): return "This person has two rows on list \(list)."
        case .unconfirmedLink: return "Rows joined by name, birth date and commune or by the ID as written, not confirmed by the register."
        }
    }
}

/// Rows of several lists that are one person: one person with several enrolments.
public struct CrossListGroup: Sendable, Hashable {
    /// The register's personal ID when the group's certain links agree on one.
    public var citizenID: String?
    /// Indices into the entries given to `CrossListDeduplicator.group`, in order.
    public var members: [Int]
    public var conflicts: [CrossListConflict]

    public var needsReview: Bool { !self.conflicts.isEmpty }
}

/// Joins the rows of several lists into people.
///
/// Rows are one person when the matcher linked them to the same register record, when the lists wrote the same
/// ID (leading zeros ignored), or, failing both, when folded name, full birth date and commune agree. A group
/// whose rows disagree (two IDs, two amounts for one group, two rows on one list, joins without a certain link)
/// goes to review; nothing is merged silently.
public enum CrossListDeduplicator {
    public static func group(_ entries: [CrossListEntry]) -> [CrossListGroup] {
        var parent = Array(entries.indices)
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a)
            let rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var firstByKey: [String: Int] = [:]
        func join(_ key: String, _ i: Int) {
            if let first = firstByKey[key] { union(first, i) } else { firstByKey[key] = i }
        }
        for (i, entry) in entries.enumerated() {
            if entry.status.isAutomaticLink, let id = entry.citizenID { join("c:" + Self.normalizedID(id), i) }
            if let listed = entry.listedID, !Self.normalizedID(listed).isEmpty { join("c:" + Self.normalizedID(listed), i) }
            if let date = entry.birthDate, date.isFullDate, let commune = entry.communeCode {
                let name = VietnameseText.fold(entry.fullName)
                if !name.isEmpty { join("p:\(name)|\(date.isoString)|\(Self.normalizedID(commune))", i) }
            }
        }
        var members: [Int: [Int]] = [:]
        for i in entries.indices { members[find(i), default: []].append(i) }
        return members.keys.sorted().map { root in
            Self.describe(members[root]!, entries)
        }
    }

    private static func describe(_ members: [Int], _ entries: [CrossListEntry]) -> CrossListGroup {
        let rows = members.map { entries[$0] }
        let linked = Set(rows.filter(\.status.isAutomaticLink).compactMap { $0.citizenID.map(Self.normalizedID) })
        var conflicts: [CrossListConflict] = []
        if linked.count > 1 {
            conflicts.append(.differentIDs(rows.compactMap(\.citizenID).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }))
        } else if linked.isEmpty {
            let listed = rows.compactMap(\.listedID).reduce(into: [String]()) {
                if !$0.map(Self.normalizedID).contains(Self.normalizedID($1)) { $0.append($1) }
            }
            if listed.count > 1 { conflicts.append(.differentIDs(listed)) }
        }
        var amounts: [PolicyGroup: [Int]] = [:]
        for row in rows {
            if let amount = row.monthlyAmount, !(amounts[row.policyGroup] ?? []).contains(amount) {
                amounts[row.policyGroup, default: []].append(amount)
            }
        }
        for group in PolicyGroup.allCases {
            if let values = amounts[group], values.count > 1 { conflicts.append(.differentAmounts(group: group, amounts: values)) }
        }
        var lists: [String] = []
        for row in rows {
            if lists.contains(row.list) {
                if !conflicts.contains(.sameListTwice(list: row.list)) { conflicts.append(.sameListTwice(list: row.list)) }
            } else {
                lists.append(row.list)
            }
        }
        if rows.count > 1 && rows.contains(where: { !$0.status.isAutomaticLink }) { conflicts.append(.unconfirmedLink) }
        return CrossListGroup(citizenID: linked.count == 1 ? rows.first { $0.status.isAutomaticLink }?.citizenID : nil, members: members, conflicts: conflicts)
    }

    private static func normalizedID(_ id: String) -> String {
        String(id.filter(\.isNumber).drop(while: { $0 == "0" }))
    }
}
