/// A sub-group (diện hưởng) a demo beneficiary can belong to: who is in it (ages, share of women) and what it pays.
struct DemoSubGroup: Sendable {
    let group: PolicyGroup
    /// The Vietnamese name as the department writes it.
    let name: String
    /// Relative frequency inside the group.
    let weight: Double
    let ages: ClosedRange<Int>
    /// How fast frequency falls with age inside `ages`, per year (1 = flat; 0.85 = many more at the low end).
    let ageDecay: Double
    let femaleShare: Double
    /// Monthly amounts in đồng; one is picked per person.
    let amounts: [Int]
}

/// The demo's policy catalogue: sub-groups and monthly amounts modelled on Hanoi's 2024–2025 rates
/// (social assistance standard 500,000đ times a coefficient; meritorious allowances from a 2,789,000đ base).
enum DemoPolicies {
    static let subGroups: [DemoSubGroup] = [
        // Bảo trợ xã hội: mostly the 80+ allowance, so this list is very old and mostly women.
        .init(group: .socialProtection, name: "Người cao tuổi từ 80 tuổi trở lên", weight: 62, ages: 80...104,
              ageDecay: 0.88, femaleShare: 0.64, amounts: [750_000, 750_000, 750_000, 1_080_000]),
        .init(group: .socialProtection, name: "Người cao tuổi thuộc hộ nghèo không có người phụng dưỡng",
              weight: 5, ages: 60...79, ageDecay: 1.0, femaleShare: 0.6, amounts: [750_000]),
        .init(group: .socialProtection, name: "Người khuyết tật đặc biệt nặng", weight: 9, ages: 3...92,
              ageDecay: 1.0, femaleShare: 0.5, amounts: [1_000_000, 1_250_000, 2_160_000]),
        .init(group: .socialProtection, name: "Người khuyết tật nặng", weight: 14, ages: 5...92, ageDecay: 1.0,
              femaleShare: 0.5, amounts: [750_000, 1_000_000]),
        .init(group: .socialProtection, name: "Trẻ em mồ côi cả cha và mẹ", weight: 3, ages: 1...15, ageDecay: 1.0,
              femaleShare: 0.5, amounts: [1_250_000]),
        .init(group: .socialProtection, name: "Người đơn thân nghèo đang nuôi con", weight: 4, ages: 22...50,
              ageDecay: 1.0, femaleShare: 0.9, amounts: [500_000]),
        .init(group: .socialProtection, name: "Người nhiễm HIV/AIDS thuộc hộ nghèo", weight: 3, ages: 20...60,
              ageDecay: 1.0, femaleShare: 0.35, amounts: [750_000]),
        // Người có công: veterans and families of the fallen, 70 to 100.
        .init(group: .meritorious, name: "Thương binh", weight: 34, ages: 70...95, ageDecay: 0.93,
              femaleShare: 0.05, amounts: [2_414_000, 3_348_000, 4_237_000, 5_021_000, 5_857_000]),
        .init(group: .meritorious, name: "Bệnh binh", weight: 12, ages: 70...95, ageDecay: 0.93, femaleShare: 0.06,
              amounts: [2_789_000, 3_905_000, 4_462_000]),
        .init(group: .meritorious, name: "Thân nhân liệt sĩ", weight: 26, ages: 70...100, ageDecay: 0.95,
              femaleShare: 0.7, amounts: [2_789_000, 2_789_000, 5_578_000]),
        .init(group: .meritorious, name: "Người hoạt động kháng chiến bị nhiễm chất độc hóa học", weight: 15,
              ages: 70...92, ageDecay: 0.92, femaleShare: 0.1, amounts: [2_789_000, 3_905_000, 5_021_000]),
        .init(group: .meritorious, name: "Người có công giúp đỡ cách mạng", weight: 9, ages: 80...100,
              ageDecay: 0.9, femaleShare: 0.55, amounts: [2_160_000, 3_500_000]),
        .init(group: .meritorious, name: "Người hoạt động cách mạng trước Tổng khởi nghĩa 19/8/1945", weight: 2,
              ages: 95...104, ageDecay: 0.8, femaleShare: 0.3, amounts: [6_275_000]),
        .init(group: .meritorious, name: "Bà mẹ Việt Nam anh hùng", weight: 2, ages: 92...104, ageDecay: 0.8,
              femaleShare: 1.0, amounts: [8_367_000]),
        // Hộ nghèo / hộ cận nghèo: every member of the household, children included.
        .init(group: .poorHousehold, name: "Thành viên hộ nghèo", weight: 70, ages: 0...90, ageDecay: 1.0,
              femaleShare: 0.52, amounts: [500_000, 500_000, 750_000]),
        .init(group: .poorHousehold, name: "Người cao tuổi thuộc hộ nghèo", weight: 20, ages: 60...95,
              ageDecay: 0.95, femaleShare: 0.6, amounts: [750_000, 1_080_000]),
        .init(group: .poorHousehold, name: "Trẻ em thuộc hộ nghèo", weight: 10, ages: 0...15, ageDecay: 1.0,
              femaleShare: 0.48, amounts: [500_000]),
        .init(group: .nearPoorHousehold, name: "Thành viên hộ cận nghèo", weight: 75, ages: 0...90, ageDecay: 1.0,
              femaleShare: 0.52, amounts: [250_000, 375_000, 540_000]),
        .init(group: .nearPoorHousehold, name: "Người cao tuổi thuộc hộ cận nghèo", weight: 25, ages: 60...95,
              ageDecay: 0.95, femaleShare: 0.6, amounts: [375_000, 540_000]),
        // Khác
        .init(group: .other, name: "Người cao tuổi từ 75 đến dưới 80 tuổi", weight: 50, ages: 75...79,
              ageDecay: 1.0, femaleShare: 0.58, amounts: [360_000, 500_000]),
        .init(group: .other, name: "Hỗ trợ người lao động có hoàn cảnh khó khăn", weight: 30, ages: 18...60,
              ageDecay: 1.0, femaleShare: 0.5, amounts: [1_000_000, 1_500_000]),
        .init(group: .other, name: "Người đang hưởng chế độ chăm sóc tại cộng đồng", weight: 20, ages: 30...95,
              ageDecay: 1.0, femaleShare: 0.55, amounts: [1_080_000, 2_160_000]),
    ]

    /// The list title the department puts above each list.
    static func listTitle(_ group: PolicyGroup) -> String {
        switch group {
        case .socialProtection: return "DANH SÁCH ĐỐI TƯỢNG BẢO TRỢ XÃ HỘI HƯỞNG TRỢ CẤP XÃ HỘI HÀNG THÁNG"
        case .meritorious: return "DANH SÁCH NGƯỜI CÓ CÔNG VỚI CÁCH MẠNG HƯỞNG TRỢ CẤP ƯU ĐÃI HÀNG THÁNG"
        case .poorHousehold: return "DANH SÁCH THÀNH VIÊN HỘ NGHÈO ĐƯỢC HỖ TRỢ"
        case .nearPoorHousehold: return "DANH SÁCH THÀNH VIÊN HỘ CẬN NGHÈO ĐƯỢC HỖ TRỢ"
        case .other: return "DANH SÁCH ĐỐI TƯỢNG HƯỞNG CHÍNH SÁCH AN SINH XÃ HỘI KHÁC"
        }
    }

    /// The file name stem for a group's list ("danh-sach-bao-tro-xa-hoi").
    static func fileStem(_ group: PolicyGroup) -> String {
        switch group {
        case .socialProtection: return "danh-sach-bao-tro-xa-hoi"
        case .meritorious: return "danh-sach-nguoi-co-cong"
        case .poorHousehold: return "danh-sach-ho-ngheo"
        case .nearPoorHousehold: return "danh-sach-ho-can-ngheo"
        case .other: return "danh-sach-khac"
        }
    }

    /// The mix of groups among beneficiaries, in percent.
    static let groupShares: [(PolicyGroup, Double)] = [
        (.socialProtection, 45), (.meritorious, 20), (.poorHousehold, 20), (.nearPoorHousehold, 10), (.other, 5),
    ]

    private static let tables: [PolicyGroup: DemoWeightedTable<Int>] = {
        var out: [PolicyGroup: DemoWeightedTable<Int>] = [:]
        for group in PolicyGroup.allCases {
            let pairs = Self.subGroups.indices.filter { Self.subGroups[$0].group == group }
                .map { ($0, Self.subGroups[$0].weight) }
            out[group] = DemoWeightedTable(pairs)
        }
        return out
    }()

    /// Age tables per sub-group, built once: weight decay^(age - lowest age).
    private static let ageTables: [DemoWeightedTable<Int>] = Self.subGroups.map { sub in
        var pairs: [(Int, Double)] = []
        var weight = 1.0
        for age in sub.ages {
            pairs.append((age, weight))
            weight *= sub.ageDecay
        }
        return DemoWeightedTable(pairs)
    }

    /// A sub-group of `group`, by weight; the returned index addresses `subGroups`.
    static func pickSubGroup(of group: PolicyGroup, random: inout DemoRandom) -> Int {
        Self.tables[group]!.pick(&random)
    }

    /// A sub-group of `group` that someone aged `age` can belong to (for a person's second list); nil if none fits.
    static func pickSubGroup(of group: PolicyGroup, age: Int, random: inout DemoRandom) -> Int? {
        let fitting = Self.subGroups.indices.filter {
            Self.subGroups[$0].group == group && Self.subGroups[$0].ages.contains(age)
        }
        return fitting.isEmpty ? nil : random.pick(fitting)
    }

    static func pickAge(subGroup: Int, random: inout DemoRandom) -> Int {
        Self.ageTables[subGroup].pick(&random)
    }
}
