/// Where an old (pre-2025) commune went on 1 July 2025.
public struct CommuneConversion: Sendable, Hashable, Codable {
    /// The old code as stored (zero-padded): a commune, or one of the island districts that had no communes.
    public let oldCode: String
    /// ``AdministrativeLevel/commune``, or ``AdministrativeLevel/district`` for an island district without communes.
    public let oldLevel: AdministrativeLevel
    /// Codes of ``AdministrativeScheme/since2025`` communes. When the old commune was split, the first one is the
    /// conversion dataset's default (where an address without street or village is put), the rest follow by code.
    /// Empty when the source data could not place the old commune (two cases, see SOURCES.txt).
    public let newCodes: [String]
    /// The old commune was split among several new communes: only the street or village (thôn, tổ dân phố)
    /// tells which one an address belongs to.
    public let needsStreetOrVillage: Bool

    public init(oldCode: String, oldLevel: AdministrativeLevel, newCodes: [String], needsStreetOrVillage: Bool) {
        self.oldCode = oldCode
        self.oldLevel = oldLevel
        self.newCodes = newCodes
        self.needsStreetOrVillage = needsStreetOrVillage
    }

    /// Exactly one new commune: the conversion needs nothing else.
    public var isUnambiguous: Bool { self.newCodes.count == 1 }
}
