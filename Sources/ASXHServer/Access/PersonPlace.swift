import ASXHCore
import SQLKit

/// Where a person is, in the columns that place people (see `Area.personFilters`), and so the place an audit event
/// concerns. Decodes from a row of `people` (`province_code`, …) with `.convertFromSnakeCase`.
struct PersonPlace: Sendable, Equatable, Decodable {
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

    /// The place columns of a result row, read one by one (a bulk path: `SQLRow.decode(model:)` costs several times more).
    init(row: any SQLRow) throws {
        self.init(provinceCode: try row.optional("province_code", as: String.self), districtCode: try row.optional("district_code", as: String.self),
                  communeCode: try row.optional("commune_code", as: String.self), province2025Code: try row.optional("province2025_code", as: String.self),
                  commune2025Code: try row.optional("commune2025_code", as: String.self))
    }

    /// Where a person is.
    init(_ person: Person) {
        self.init(provinceCode: person.provinceCode, districtCode: person.districtCode, communeCode: person.communeCode,
                  province2025Code: person.province2025Code, commune2025Code: person.commune2025Code)
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

    /// Inside `area` by the same columns and values that scope every people query: the one rule for "in my area"
    /// outside SQL (import rows, known people).
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
