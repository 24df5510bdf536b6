import Foundation

/// Vietnam's provinces, districts and communes in both schemes, and the 2025 conversion of old communes.
///
/// Loaded once from the generated files in `Places/Resources` (see `scripts/gen_admin_units.py` and SOURCES.txt).
/// Codes are zero-padded strings; every method that takes a code also accepts one that lost its leading zeros
/// (see ``normalizedCode(_:level:)``).
public final class AdministrativeUnits: Sendable {
    /// The bundled data, read on first use.
    public static let shared: AdministrativeUnits = {
        do {
            return try AdministrativeUnits(resourceDirectory: AdministrativeUnits.bundledResourceDirectory())
        } catch {
            // The files ship inside the module: their absence is a packaging defect, not a runtime condition.
            fatalError("\(error)")
        }
    }()

    let before2025: PlacesSchemeTable
    let since2025: PlacesSchemeTable
    let conversions: [String: CommuneConversion]

    /// Reads `units-before2025.tsv`, `units-since2025.tsv` and `conversion-2025.tsv` from a folder.
    public init(resourceDirectory: URL) throws {
        self.before2025 = try PlacesSchemeTable(
            scheme: .before2025,
            file: resourceDirectory.appendingPathComponent("units-before2025.tsv")
        )
        self.since2025 = try PlacesSchemeTable(
            scheme: .since2025,
            file: resourceDirectory.appendingPathComponent("units-since2025.tsv")
        )
        self.conversions = try Self.readConversions(resourceDirectory.appendingPathComponent("conversion-2025.tsv"))
    }

    /// The folder of the files inside this module's resource bundle.
    public static func bundledResourceDirectory() throws -> URL {
        if let url = Bundle.module.url(forResource: "Resources", withExtension: nil) {
            return url
        }
        if let base = Bundle.module.resourceURL {
            let url = base.appendingPathComponent("Resources")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw AdministrativeUnitsError.missingResource("Resources")
    }

    func table(_ scheme: AdministrativeScheme) -> PlacesSchemeTable {
        switch scheme {
        case .before2025: self.before2025
        case .since2025: self.since2025
        }
    }

    // MARK: Lookup

    /// The unit with this code at this level of the scheme, or nil.
    public func unit(_ code: String, scheme: AdministrativeScheme, level: AdministrativeLevel) -> AdministrativeUnit? {
        guard let code = Self.normalizedCode(code, level: level) else { return nil }
        let table = self.table(scheme)
        guard let index = table.indexByCode[code] else { return nil }
        return table.units[index]
    }

    /// All units of one level of a scheme, by code.
    public func units(scheme: AdministrativeScheme, level: AdministrativeLevel) -> [AdministrativeUnit] {
        let table = self.table(scheme)
        guard let range = table.levelRanges[level] else { return [] }
        return Array(table.units[range])
    }

    /// The provinces of a scheme (63 before 2025, 34 since), by code.
    public func provinces(scheme: AdministrativeScheme) -> [AdministrativeUnit] {
        self.units(scheme: scheme, level: .province)
    }

    /// The districts of a pre-2025 province, by code.
    public func districts(inProvince provinceCode: String) -> [AdministrativeUnit] {
        guard let code = Self.normalizedCode(provinceCode, level: .province) else { return [] }
        return self.before2025.children(of: code)
    }

    /// The communes of a province in a scheme, by code.
    public func communes(inProvince provinceCode: String, scheme: AdministrativeScheme) -> [AdministrativeUnit] {
        guard let code = Self.normalizedCode(provinceCode, level: .province) else { return [] }
        let table = self.table(scheme)
        return (table.communesByProvince[code] ?? []).map { table.units[$0] }
    }

    /// The communes of a pre-2025 district, by code.
    public func communes(inDistrict districtCode: String) -> [AdministrativeUnit] {
        guard let code = Self.normalizedCode(districtCode, level: .district) else { return [] }
        return self.before2025.children(of: code)
    }

    // MARK: Conversion

    /// Where an old commune went on 1 July 2025; nil for a code the conversion does not know.
    ///
    /// Pass `level: .district` for the five island districts that had no communes (Bạch Long Vĩ, Cồn Cỏ,
    /// Hoàng Sa, Lý Sơn, Côn Đảo). Also knows ten commune codes created in the first half of 2025 that the
    /// pre-2025 unit list (dated January 2025) lacks.
    public func newCommunes(forOld code: String, level: AdministrativeLevel = .commune) -> CommuneConversion? {
        guard level != .province, let code = Self.normalizedCode(code, level: level) else { return nil }
        guard let conversion = self.conversions[code], conversion.oldLevel == level else { return nil }
        return conversion
    }

    private static func readConversions(_ file: URL) throws -> [String: CommuneConversion] {
        var result: [String: CommuneConversion] = [:]
        try PlacesTSV.forEachRow(file) { fields, lineNumber in
            guard fields.count >= 4 else { throw AdministrativeUnitsError.malformedLine(file.lastPathComponent, lineNumber) }
            let level: AdministrativeLevel
            switch fields[0] {
            case "C": level = .commune
            case "D": level = .district
            default: throw AdministrativeUnitsError.malformedLine(file.lastPathComponent, lineNumber)
            }
            let codes = fields[2].isEmpty ? [] : fields[2].split(separator: ",").map(String.init)
            result[fields[1]] = CommuneConversion(
                oldCode: fields[1],
                oldLevel: level,
                newCodes: codes,
                needsStreetOrVillage: fields[3] == "1"
            )
        }
        return result
    }
}

/// One scheme's units with the indexes the queries need; built once, never changed.
struct PlacesSchemeTable: Sendable {
    let units: [AdministrativeUnit]
    let levelRanges: [AdministrativeLevel: Range<Int>]
    /// Codes of different levels differ in length, so one dictionary serves all levels.
    let indexByCode: [String: Int]
    let childrenByParent: [String: [Int]]
    let communesByProvince: [String: [Int]]
    /// Name key (see `PlacesNameKey`) per level.
    let indexByName: [AdministrativeLevel: [String: [Int]]]

    init(scheme: AdministrativeScheme, file: URL) throws {
        var units: [AdministrativeUnit] = []
        units.reserveCapacity(scheme == .before2025 ? 10_900 : 3_400)
        var provinceOfDistrict: [String: String] = [:]
        try PlacesTSV.forEachRow(file) { fields, lineNumber in
            guard fields.count == 5 else { throw AdministrativeUnitsError.malformedLine(file.lastPathComponent, lineNumber) }
            let level: AdministrativeLevel
            let parent: String? = fields[4].isEmpty ? nil : fields[4]
            let province: String
            switch fields[0] {
            case "P":
                level = .province
                province = fields[1]
            case "D":
                level = .district
                province = parent ?? ""
                provinceOfDistrict[fields[1]] = province
            case "C":
                level = .commune
                let parentCode = parent ?? ""
                province = parentCode.utf8.count == 3 ? (provinceOfDistrict[parentCode] ?? "") : parentCode
            default:
                throw AdministrativeUnitsError.malformedLine(file.lastPathComponent, lineNumber)
            }
            units.append(AdministrativeUnit(
                scheme: scheme,
                level: level,
                code: fields[1],
                type: fields[2],
                name: fields[3],
                parentCode: parent,
                provinceCode: province
            ))
        }
        let order: [AdministrativeLevel: Int] = [.province: 0, .district: 1, .commune: 2]
        units.sort { (order[$0.level]!, $0.code) < (order[$1.level]!, $1.code) }

        var levelRanges: [AdministrativeLevel: Range<Int>] = [:]
        var indexByCode: [String: Int] = [:]
        var childrenByParent: [String: [Int]] = [:]
        var communesByProvince: [String: [Int]] = [:]
        var indexByName: [AdministrativeLevel: [String: [Int]]] = [:]
        indexByCode.reserveCapacity(units.count)
        for (index, unit) in units.enumerated() {
            let range = levelRanges[unit.level] ?? index..<index
            levelRanges[unit.level] = range.lowerBound..<(index + 1)
            indexByCode[unit.code] = index
            if let parent = unit.parentCode { childrenByParent[parent, default: []].append(index) }
            if unit.level == .commune { communesByProvince[unit.provinceCode, default: []].append(index) }
            indexByName[unit.level, default: [:]][PlacesNameKey.unitKey(unit.name), default: []].append(index)
        }
        self.units = units
        self.levelRanges = levelRanges
        self.indexByCode = indexByCode
        self.childrenByParent = childrenByParent
        self.communesByProvince = communesByProvince
        self.indexByName = indexByName
    }

    func children(of code: String) -> [AdministrativeUnit] {
        (self.childrenByParent[code] ?? []).map { self.units[$0] }
    }
}

/// Reads the generated tab-separated files: UTF-8, one row a line, `#` starts a comment line.
enum PlacesTSV {
    static func forEachRow(_ file: URL, _ body: ([String], Int) throws -> Void) throws {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw AdministrativeUnitsError.missingResource(file.lastPathComponent)
        }
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var lineNumber = 0
            var lineStart = 0
            var fields: [String] = []
            fields.reserveCapacity(6)
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
                lineNumber += 1
                if lineEnd > lineStart && bytes[lineStart] != 0x23 {  // skip empty and "#" lines
                    fields.removeAll(keepingCapacity: true)
                    var fieldStart = lineStart
                    for position in lineStart...lineEnd where position == lineEnd || bytes[position] == 0x09 {
                        fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStart..<position]), as: UTF8.self))
                        fieldStart = position + 1
                    }
                    try body(fields, lineNumber)
                }
                lineStart = lineEnd + 1
            }
        }
    }
}
