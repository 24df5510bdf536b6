/// Tỉnh/Thành phố · Quận/Huyện · Xã/Phường/Thị trấn.
public enum AdministrativeLevel: String, Sendable, Codable, CaseIterable {
    case province
    /// Exists only in ``AdministrativeScheme/before2025``.
    case district
    case commune

    /// Digits of a code at this level: province 2, district 3, commune 5.
    public var codeLength: Int {
        switch self {
        case .province: 2
        case .district: 3
        case .commune: 5
        }
    }
}
