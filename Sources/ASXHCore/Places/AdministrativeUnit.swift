/// One province, district or commune of one scheme.
public struct AdministrativeUnit: Sendable, Hashable, Codable {
    public let scheme: AdministrativeScheme
    public let level: AdministrativeLevel
    /// Zero-padded official code: "01", "001", "00001".
    public let code: String
    /// The Vietnamese type word as written before the name: "Tỉnh", "Thành phố", "Quận", "Huyện", "Thị xã",
    /// "Phường", "Xã", "Thị trấn", "Đặc khu". A "Thành phố" at district level is a city under a province.
    public let type: String
    /// The name without its type: "Ba Đình", "1" for "Phường 1".
    public let name: String
    /// The code of the unit one level up (district for a pre-2025 commune, province otherwise); nil for provinces.
    public let parentCode: String?
    /// The province this unit lies in (its own code for a province).
    public let provinceCode: String

    public init(
        scheme: AdministrativeScheme,
        level: AdministrativeLevel,
        code: String,
        type: String,
        name: String,
        parentCode: String?,
        provinceCode: String
    ) {
        self.scheme = scheme
        self.level = level
        self.code = code
        self.type = type
        self.name = name
        self.parentCode = parentCode
        self.provinceCode = provinceCode
    }

    /// Type and name as written on documents: "Phường Ba Đình", "Thành phố Hà Nội".
    public var fullName: String { self.type + " " + self.name }
}
