import ASXHCore

/// Administrative unit names for screens.
enum Places {
    /// "00004 · Phường Phúc Xá, Quận Ba Đình" or just the code when it is unknown.
    static func describe(_ code: String?, scheme: AdministrativeScheme) -> String {
        guard let code, !code.isEmpty else { return "" }
        guard let unit = AdministrativeUnits.shared.unit(code, scheme: scheme, level: .commune) else { return code }
        var parts = [unit.fullName]
        if let parent = unit.parentCode, let district = AdministrativeUnits.shared.unit(parent, scheme: scheme, level: .district) {
            parts.append(district.fullName)
        }
        return "\(code) · " + parts.joined(separator: ", ")
    }

    /// "Thành phố Hà Nội", "Quận Ba Đình": the unit an area is, by name.
    static func areaName(_ area: Area) -> String {
        AdministrativeUnits.shared.unit(area.code, scheme: area.scheme, level: area.level)?.fullName ?? area.description
    }
}
