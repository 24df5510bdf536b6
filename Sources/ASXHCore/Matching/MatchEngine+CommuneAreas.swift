extension MatchEngine {
    /// Every pre-2025 commune code → the 2025 commune it became (for a commune split between several, the one the
    /// conversion puts an address without street or village in): the default `communeAreas`.
    ///
    /// A list row whose commune differs from the register's but became the same 2025 commune is compared at the
    /// "same area" level, whose weight the model estimates apart from a move across the city: people who moved
    /// next door, and lists that wrote a neighbouring ward that has since merged, lose less than a real move.
    public static let communeAreas2025: [String: String] = {
        let units = AdministrativeUnits.shared
        var areas: [String: String] = [:]
        for commune in units.units(scheme: .before2025, level: .commune) {
            if let conversion = units.newCommunes(forOld: commune.code), let area = conversion.newCodes.first {
                areas[commune.code] = area
            }
        }
        return areas
    }()
}
