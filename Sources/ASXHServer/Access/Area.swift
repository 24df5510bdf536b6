import ASXHCore

/// The part of the country a user works in: a province (city), a pre-2025 district, or a commune in either scheme.
struct Area: Codable, Hashable, Sendable {
    var scheme: AdministrativeScheme
    var level: AdministrativeLevel
    var code: String

    static let hanoi = Area(scheme: .before2025, level: .province, code: "01")

    /// Parses "before2025:commune:00004" style area strings (command line, forms).
    init?(_ text: String) {
        let parts = text.split(separator: ":").map(String.init)
        guard parts.count == 3,
              let scheme = AdministrativeScheme(rawValue: parts[0]),
              let level = AdministrativeLevel(rawValue: parts[1]),
              !parts[2].isEmpty, parts[2].allSatisfy(\.isNumber)
        else { return nil }
        if scheme == .since2025 && level == .district { return nil }
        self.init(scheme: scheme, level: level, code: parts[2])
    }

    init(scheme: AdministrativeScheme, level: AdministrativeLevel, code: String) {
        self.scheme = scheme
        self.level = level
        self.code = code
    }

    var description: String { "\(self.scheme.rawValue):\(self.level.rawValue):\(self.code)" }

    /// The `people` columns and values that place someone in this area: equalities on an indexed column (or, for
    /// a pre-2025 commune, on the (district, commune) index, so the commune names its district too).
    var personFilters: [(column: String, code: String)] {
        switch (self.scheme, self.level) {
        case (.before2025, .province): return [("province_code", self.code)]
        case (.before2025, .district): return [("district_code", self.code)]
        case (.before2025, .commune):
            guard let district = AdministrativeUnits.shared.unit(self.code, scheme: .before2025, level: .commune)?.parentCode else {
                return [("commune_code", self.code)]
            }
            return [("district_code", district), ("commune_code", self.code)]
        case (.since2025, .province): return [("province2025_code", self.code)]
        case (.since2025, _): return [("commune2025_code", self.code)]
        }
    }

    /// Whether `other` lies within this area (itself included), in the same scheme.
    func contains(_ other: Area) -> Bool {
        guard other.scheme == self.scheme else { return false }
        if other == self { return true }
        let units = AdministrativeUnits.shared
        switch (self.level, other.level) {
        case (.province, .district), (.province, .commune):
            return units.unit(other.code, scheme: other.scheme, level: other.level)?.provinceCode == self.code
        case (.district, .commune):
            return units.unit(other.code, scheme: other.scheme, level: .commune)?.parentCode == self.code
        default:
            return false
        }
    }
}
