/// Where a visit leaves a person (phân loại). Derived from the survey answers by `Classification`, never typed.
public enum CaseClass: String, Sendable, Codable, CaseIterable, Comparable {
    /// Has an account and wants benefits paid into it.
    case a1 = "A1"
    /// Has no account, wants one: the opening is tracked until the account is recorded.
    case a2 = "A2"
    /// Declines account payment: only with the citizen's own confirmation and a specific reason.
    case b = "B"
    /// Cannot transact alone: a support plan with an owner and a due date.
    case c = "C"
    /// Unreachable (moved, deceased, not found): back to step 1 data correction.
    case d = "D"

    public static func < (lhs: CaseClass, rhs: CaseClass) -> Bool {
        Self.allCases.firstIndex(of: lhs)! < Self.allCases.firstIndex(of: rhs)!
    }

    public var vietnameseName: String {
        switch self {
        case .a1: return "Đã có tài khoản, nhận qua tài khoản"
        case .a2: return "Chưa có tài khoản, đăng ký mở"
        case .b: return "Không nhận qua tài khoản"
        case .c: return "Không có khả năng giao dịch, cần hỗ trợ"
        case .d: return "Không liên hệ được"
        }
    }

    public var englishName: String {
        switch self {
        case .a1: return "Has an account, paid into it"
        case .a2: return "No account, opening one"
        case .b: return "Declines account payment"
        case .c: return "Cannot transact, needs support"
        case .d: return "Unreachable"
        }
    }

    /// The people counted towards the goal: everyone who has or opens an account and wants account payment.
    public var wantsAccountPayment: Bool { self == .a1 || self == .a2 }
}

/// Listed reasons a citizen gives for declining account payment (class B); `other` needs the reason written out.
public enum DeclineReason: String, Sendable, Codable, CaseIterable {
    case prefersCash
    case elderlyUnfamiliar
    case noPhone
    case farFromBank
    case fees
    case distrust
    case other

    public var vietnameseName: String {
        switch self {
        case .prefersCash: return "Muốn nhận tiền mặt"
        case .elderlyUnfamiliar: return "Cao tuổi, không quen giao dịch ngân hàng"
        case .noPhone: return "Không có điện thoại"
        case .farFromBank: return "Xa ngân hàng, cây ATM"
        case .fees: return "Lo ngại phí"
        case .distrust: return "Không tin tưởng ngân hàng"
        case .other: return "Khác"
        }
    }

    public var englishName: String {
        switch self {
        case .prefersCash: return "Prefers cash"
        case .elderlyUnfamiliar: return "Elderly, unfamiliar with banking"
        case .noPhone: return "No phone"
        case .farFromBank: return "Far from a bank or ATM"
        case .fees: return "Worried about fees"
        case .distrust: return "Does not trust banks"
        case .other: return "Other"
        }
    }
}

/// How a person who cannot transact alone (class C) is paid.
public enum SupportPlanKind: String, Sendable, Codable, CaseIterable {
    case assistedOpening
    case representativeAccount
    case cashAtHome
    case cashAtOffice

    public var vietnameseName: String {
        switch self {
        case .assistedOpening: return "Hỗ trợ mở tài khoản"
        case .representativeAccount: return "Tài khoản người được ủy quyền"
        case .cashAtHome: return "Chi trả tại nhà"
        case .cashAtOffice: return "Chi trả tại UBND xã / bưu điện"
        }
    }

    public var englishName: String {
        switch self {
        case .assistedOpening: return "Assisted account opening"
        case .representativeAccount: return "Authorised representative's account"
        case .cashAtHome: return "Cash at home"
        case .cashAtOffice: return "Cash at the commune office or post office"
        }
    }
}

/// Why a person is unreachable (class D).
public enum UnreachableReason: String, Sendable, Codable, CaseIterable {
    case moved
    case deceased
    case notFound
    case identityDiffers

    public var vietnameseName: String {
        switch self {
        case .moved: return "Đã chuyển đi"
        case .deceased: return "Đã chết"
        case .notFound: return "Không gặp sau nhiều lần đến"
        case .identityDiffers: return "Thông tin khác CCCD"
        }
    }

    public var englishName: String {
        switch self {
        case .moved: return "Moved away"
        case .deceased: return "Deceased"
        case .notFound: return "Not found after repeated visits"
        case .identityDiffers: return "Details differ from the ID card"
        }
    }
}
