import ASXHCore
import Fluent
import Vapor

/// Appends audit events. Every write in asxh goes through here, inside the same transaction as the write.
enum Audit {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func json(_ value: (some Encodable)?) -> String? {
        guard let value else { return nil }
        return (try? Self.encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }
    }

    static func record(
        on database: any Database,
        actor: User?,
        action: String,
        entityType: String,
        entityID: String?,
        before: (some Encodable)? = String?.none,
        after: (some Encodable)? = String?.none,
        place: AuditPlace? = nil,
        at date: Date = Date()
    ) async throws {
        let place = place ?? actor.map { AuditPlace($0.area) } ?? AuditPlace()
        let event = AuditEvent()
        event.at = date
        event.actorID = actor?.id
        event.actor = actor?.username ?? "system"
        event.action = action
        event.entityType = entityType
        event.entityID = entityID
        event.before = Self.json(before)
        event.after = Self.json(after)
        event.provinceCode = place.provinceCode
        event.districtCode = place.districtCode
        event.communeCode = place.communeCode
        event.province2025Code = place.province2025Code
        event.commune2025Code = place.commune2025Code
        try await event.create(on: database)
    }
}

/// Where a person is, in the columns that place people (see `Area.personFilters`), and so the place an audit event
/// concerns. Decodes from a row of `people` (`province_code`, …) with `.convertFromSnakeCase`.
struct AuditPlace: Sendable, Equatable, Decodable {
    var provinceCode: String?
    var districtCode: String?
    var communeCode: String?
    var province2025Code: String?
    var commune2025Code: String?

    static let columns = ["province_code", "district_code", "commune_code", "province2025_code", "commune2025_code"]

    init(provinceCode: String? = nil, districtCode: String? = nil, communeCode: String? = nil, province2025Code: String? = nil, commune2025Code: String? = nil) {
        self.provinceCode = provinceCode
        self.districtCode = districtCode
        self.communeCode = communeCode
        self.province2025Code = province2025Code
        self.commune2025Code = commune2025Code
    }

    /// Where a person is.
    init(_ person: Person) {
        self.init(provinceCode: person.provinceCode, districtCode: person.districtCode, communeCode: person.communeCode,
                  province2025Code: person.province2025Code, commune2025Code: person.commune2025Code)
    }

    /// A placement made for a list or register row.
    init(_ placement: AreaCheck.Placement) {
        self.init(provinceCode: placement.provinceCode, districtCode: placement.districtCode, communeCode: placement.communeCode,
                  province2025Code: placement.province2025Code, commune2025Code: placement.commune2025Code)
    }

    /// A user's whole area, with the units above it filled in (a district's province, a commune's district).
    init(_ area: Area) {
        let units = AdministrativeUnits.shared
        switch (area.scheme, area.level) {
        case (.before2025, .province):
            self.init(provinceCode: area.code)
        case (.before2025, .district):
            self.init(provinceCode: units.unit(area.code, scheme: .before2025, level: .district)?.provinceCode, districtCode: area.code)
        case (.before2025, .commune):
            let unit = units.unit(area.code, scheme: .before2025, level: .commune)
            self.init(provinceCode: unit?.provinceCode, districtCode: unit?.parentCode, communeCode: area.code)
        case (.since2025, .province):
            self.init(province2025Code: area.code)
        case (.since2025, _):
            self.init(province2025Code: units.unit(area.code, scheme: .since2025, level: .commune)?.provinceCode, commune2025Code: area.code)
        }
    }

    /// Inside `area` by the same columns and values that scope every people query.
    func isInside(_ area: Area) -> Bool {
        area.personFilters.allSatisfy { filter in
            switch filter.column {
            case "province_code": return self.provinceCode == filter.code
            case "district_code": return self.districtCode == filter.code
            case "commune_code": return self.communeCode == filter.code
            case "province2025_code": return self.province2025Code == filter.code
            case "commune2025_code": return self.commune2025Code == filter.code
            default: return false
            }
        }
    }

    var bulkValues: [BulkValue] {
        [BulkValue(self.provinceCode), BulkValue(self.districtCode), BulkValue(self.communeCode), BulkValue(self.province2025Code), BulkValue(self.commune2025Code)]
    }
}
