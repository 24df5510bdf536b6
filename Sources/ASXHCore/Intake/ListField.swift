/// A column of a beneficiary list that intake understands.
public enum ListField: String, Sendable, Hashable, Codable, CaseIterable {
    case sequence
    case fullName
    case birthDate
    case birthYear
    case gender
    case personalID
    case oldID
    case address
    case communeCode
    case communeName
    case policyGroup
    case subGroup
    case monthlyAmount
    case accountNumber
    case bankName
    /// "Ghi chú": recognised so that it is not reported as unmapped; its values are not read.
    case notes

    public var labelVI: String {
        switch self {
        case .sequence: return "STT"
        case .fullName: return "Họ và tên"
        case .birthDate: return "Ngày sinh"
        case .birthYear: return "Năm sinh"
        case .gender: return "Giới tính"
        case .personalID: return "Số định danh cá nhân (CCCD)"
        case .oldID: return "Số CMND"
        case .address: return "Địa chỉ"
        case .communeCode: return "Mã xã/phường"
        case .communeName: return "Xã/Phường"
        case .policyGroup: return "Nhóm đối tượng"
        case .subGroup: return "Diện hưởng"
        case .monthlyAmount: return "Mức hưởng"
        case .accountNumber: return "Số tài khoản"
        case .bankName: return "Ngân hàng"
        case .notes: return "Ghi chú"
        }
    }

    public var labelEN: String {
        switch self {
        case .sequence: return "No."
        case .fullName: return "Full name"
        case .birthDate: return "Date of birth"
        case .birthYear: return "Year of birth"
        case .gender: return "Gender"
        case .personalID: return "Personal ID"
        case .oldID: return "Old ID (CMND)"
        case .address: return "Address"
        case .communeCode: return "Commune code"
        case .communeName: return "Commune"
        case .policyGroup: return "Policy group"
        case .subGroup: return "Sub-group"
        case .monthlyAmount: return "Monthly amount"
        case .accountNumber: return "Account number"
        case .bankName: return "Bank"
        case .notes: return "Notes"
        }
    }
}
