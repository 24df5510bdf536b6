/// Where one person stands in the campaign. States only move forward, or to `closed` with a reason.
public enum CaseState: String, Sendable, Codable, CaseIterable, Comparable {
    case imported
    case verified
    case assigned
    case visited
    case classified
    case accountRecorded
    case synced
    case paid
    case closed

    private var order: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: CaseState, rhs: CaseState) -> Bool { lhs.order < rhs.order }

    /// Forward moves only; `closed` is reachable from any open state, and nothing leaves `closed` or `paid`.
    public func canMove(to next: CaseState) -> Bool {
        switch (self, next) {
        case (.closed, _), (.paid, _): return false
        case (_, .closed): return true
        default: return next > self
        }
    }

    public var vietnameseName: String {
        switch self {
        case .imported: return "Đã nhập danh sách"
        case .verified: return "Đã đối chiếu"
        case .assigned: return "Đã giao tổ công tác"
        case .visited: return "Đã đến nhà"
        case .classified: return "Đã phân loại"
        case .accountRecorded: return "Đã ghi nhận tài khoản"
        case .synced: return "Đã đồng bộ"
        case .paid: return "Đã chi trả"
        case .closed: return "Đã đóng"
        }
    }

    public var englishName: String {
        switch self {
        case .imported: return "Imported"
        case .verified: return "Verified"
        case .assigned: return "Assigned"
        case .visited: return "Visited"
        case .classified: return "Classified"
        case .accountRecorded: return "Account recorded"
        case .synced: return "Synced"
        case .paid: return "Paid"
        case .closed: return "Closed"
        }
    }
}

/// Why a case was closed. A closed case is kept, never deleted.
public enum CaseClosedReason: String, Sendable, Codable, CaseIterable {
    case deceased
    case movedOut
    case notEntitled
    case mergedDuplicate
}
