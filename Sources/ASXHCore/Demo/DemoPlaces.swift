/// One of Hanoi's pre-2025 communes as the demo uses it: code, names and how many people live there.
struct DemoCommune: Sendable {
    /// 5-digit GSO code, e.g. "00028".
    let code: String
    /// "Phường Kim Mã".
    let fullName: String
    /// "Quận Ba Đình".
    let districtFullName: String
    let districtName: String
    let districtCode: String
    /// Wards (phường) and towns (thị trấn) are built up: streets and alleys rather than villages.
    let urban: Bool
    /// Relative population: wards hold more people than rural communes.
    let weight: Double
    /// ", Phường Kim Mã, Quận Ba Đình, Thành phố Hà Nội": the register's address ending, built once.
    let registerSuffix: String
}

/// Hanoi's communes and the addresses written in them.
struct DemoPlaces: Sendable {
    let communes: [DemoCommune]
    /// Indexes of communes by district, for a "moved" person who usually moves nearby.
    let communesByDistrict: [String: [Int]]

    /// Hanoi's pre-2025 communes from the administrative-unit tables, in code order.
    init(units: AdministrativeUnits) {
        var communes: [DemoCommune] = []
        var byDistrict: [String: [Int]] = [:]
        for unit in units.communes(inProvince: "01", scheme: .before2025) {
            let district = unit.parentCode.flatMap { units.unit($0, scheme: .before2025, level: .district) }
            let urban = unit.type != "Xã"
            // A per-commune spread, fixed by the code, so ward sizes differ but never with the seed.
            let spread = 0.6 + Double(DemoRandom.finalize(UInt64(unit.code) ?? 0) % 800) / 1000
            byDistrict[unit.parentCode ?? "", default: []].append(communes.count)
            communes.append(DemoCommune(
                code: unit.code,
                fullName: unit.fullName,
                districtFullName: district?.fullName ?? "",
                districtName: district?.name ?? "",
                districtCode: unit.parentCode ?? "",
                urban: urban,
                weight: (urban ? 3.0 : 1.0) * spread,
                registerSuffix: ", " + unit.fullName + ", " + (district?.fullName ?? "") + ", Thành phố Hà Nội"
            ))
        }
        precondition(!communes.isEmpty, "the administrative-unit tables have no communes for Hà Nội")
        self.communes = communes
        self.communesByDistrict = byDistrict
    }

    /// Splits `count` people over the communes by weight: commune c gets indexes `starts[c]..<starts[c+1]`, so a
    /// person's commune follows from their index alone and lists come out ordered by commune.
    func blockStarts(count: Int) -> [Int] {
        let total = self.communes.reduce(0) { $0 + $1.weight }
        var starts: [Int] = [0]
        var cumulative = 0.0
        for commune in self.communes {
            cumulative += commune.weight
            starts.append(min(count, Int((cumulative / total * Double(count)).rounded())))
        }
        starts[starts.count - 1] = count
        return starts
    }

    /// The commune whose block holds `index`.
    static func block(of index: Int, starts: [Int]) -> Int {
        var lo = 0
        var hi = starts.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Another commune for someone who moved: usually in the same district, sometimes anywhere in the city.
    func nearbyCommune(to commune: Int, random: inout DemoRandom) -> Int {
        let sameDistrict = self.communesByDistrict[self.communes[commune].districtCode] ?? []
        if sameDistrict.count > 1 && random.chance(0.7) {
            let pick = random.below(sameDistrict.count - 1)
            let candidate = sameDistrict[pick]
            return candidate == commune ? sameDistrict[sameDistrict.count - 1] : candidate
        }
        let other = random.below(self.communes.count - 1)
        return other >= commune ? other + 1 : other
    }

    // MARK: addresses

    static let streetsByDistrict: [String: [String]] = [
        "Ba Đình": ["Kim Mã", "Đội Cấn", "Hoàng Hoa Thám", "Liễu Giai", "Giảng Võ", "Văn Cao", "Ngọc Hà", "Quán Thánh",
                    "Phan Đình Phùng", "Nguyễn Thái Học", "Thành Công", "Vĩnh Phúc"],
        "Hoàn Kiếm": ["Hàng Bông", "Hàng Gai", "Hàng Bạc", "Hàng Đào", "Hàng Buồm", "Lò Sũ", "Hàng Chiếu", "Phùng Hưng",
                      "Hàng Bài", "Bà Triệu", "Trần Hưng Đạo", "Lý Thường Kiệt"],
        "Tây Hồ": ["Lạc Long Quân", "Âu Cơ", "Thụy Khuê", "Xuân Diệu", "Nghi Tàm", "An Dương Vương", "Võng Thị"],
        "Long Biên": ["Nguyễn Văn Cừ", "Ngọc Lâm", "Ngô Gia Tự", "Nguyễn Sơn", "Cổ Linh", "Thạch Bàn", "Sài Đồng"],
        "Cầu Giấy": ["Cầu Giấy", "Xuân Thủy", "Trần Duy Hưng", "Nguyễn Khánh Toàn", "Hoàng Quốc Việt", "Trần Thái Tông",
                     "Nghĩa Tân", "Dịch Vọng"],
        "Đống Đa": ["Tây Sơn", "Xã Đàn", "Láng", "Khâm Thiên", "Nguyễn Lương Bằng", "Chùa Bộc", "Thái Hà", "Hào Nam",
                    "Tôn Đức Thắng", "Văn Chương", "Khương Thượng", "Trung Liệt"],
        "Hai Bà Trưng": ["Bạch Mai", "Minh Khai", "Kim Ngưu", "Lò Đúc", "Trần Khát Chân", "Thanh Nhàn", "Lạc Trung",
                         "Vĩnh Tuy", "Đại La", "Trương Định"],
        "Hoàng Mai": ["Tam Trinh", "Lĩnh Nam", "Giải Phóng", "Định Công", "Kim Giang", "Tân Mai", "Nguyễn Đức Cảnh",
                      "Hoàng Mai", "Bằng Liệt"],
        "Thanh Xuân": ["Nguyễn Trãi", "Khương Đình", "Vũ Trọng Phụng", "Quan Nhân", "Lê Văn Lương", "Khương Trung",
                       "Nguyễn Tuân", "Hạ Đình"],
        "Hà Đông": ["Quang Trung", "Tô Hiệu", "Trần Phú", "Lê Trọng Tấn", "Nguyễn Trãi", "Vạn Phúc", "Bà Triệu",
                    "Phùng Hưng"],
        "Nam Từ Liêm": ["Mỹ Đình", "Hồ Tùng Mậu", "Lê Đức Thọ", "Phú Đô", "Mễ Trì", "Trung Văn", "Đại Mỗ"],
        "Bắc Từ Liêm": ["Phạm Văn Đồng", "Cổ Nhuế", "Đông Ngạc", "Thụy Phương", "Tây Tựu", "Phú Diễn", "Xuân Đỉnh"],
    ]
    static let genericStreets = ["Trần Phú", "Lê Lợi", "Quang Trung", "Nguyễn Trãi", "Hùng Vương", "Lý Thường Kiệt",
                                 "Chợ", "Ga", "Đình", "Chùa"]
    static let villageNames = ["Đông", "Đoài", "Nam", "Bắc", "Thượng", "Hạ", "Trung", "Đình", "Chùa", "Cầu", "Mới",
                               "An Lạc", "Phú Mỹ", "Văn Quán", "Yên Thái", "Bình Minh", "Tân Lập", "Đồng Tâm"]

    /// The house part of an address ("Số 12, ngõ 45 phố Kim Mã" / "Xóm 3, thôn Đoài"), without commune and district.
    static func houseAddress(in commune: DemoCommune, random: inout DemoRandom) -> String {
        if commune.urban {
            let streets = Self.streetsByDistrict[commune.districtName] ?? Self.genericStreets
            let street = random.pick(streets)
            let house = random.int(in: 1...180)
            switch random.below(10) {
            case 0..<3:
                return "Số \(house) phố \(street)"
            case 3..<7:
                return "Số \(house), ngõ \(random.int(in: 1...320)) \(street)"
            case 7..<9:
                let lane = random.int(in: 1...200)
                return "Số \(house), ngách \(lane)/\(random.int(in: 1...90)), ngõ \(lane) \(street)"
            default:
                return "Tổ dân phố \(random.int(in: 1...40))"
            }
        }
        let village = random.pick(Self.villageNames)
        switch random.below(10) {
        case 0..<5: return "Thôn \(village)"
        case 5..<8: return "Xóm \(random.int(in: 1...12)), thôn \(village)"
        default: return "Đội \(random.int(in: 1...15)), thôn \(village)"
        }
    }
}
