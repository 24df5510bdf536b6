/// Which administrative map a code belongs to. Codes were reused when communes merged in 2025,
/// so a code means nothing without its scheme.
public enum AdministrativeScheme: String, Sendable, Codable, CaseIterable {
    /// Three levels (province, district, commune) in force until 30 June 2025.
    case before2025
    /// Two levels (province, commune) since 1 July 2025.
    case since2025
}

/// The level of an administrative unit. Districts exist only in `AdministrativeScheme.before2025`.
public enum AdministrativeLevel: String, Sendable, Codable, CaseIterable {
    case province
    case district
    case commune
}
