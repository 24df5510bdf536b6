/// Which map of administrative units a code or name belongs to.
///
/// On 1 July 2025 districts were abolished and communes merged; new units reuse old codes for
/// different areas, so a code means nothing without its scheme.
public enum AdministrativeScheme: String, Sendable, Codable, CaseIterable {
    /// 63 provinces, districts, communes (in force until 30 June 2025).
    case before2025
    /// 34 provinces and communes, no districts (since 1 July 2025).
    case since2025
}
