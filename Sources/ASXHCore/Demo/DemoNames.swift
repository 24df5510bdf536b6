/// Vietnamese personal names drawn by realistic frequencies, so namesakes occur as often as they do in a ward.
enum DemoNames {
    /// Family names with their share of the population in percent (the national survey figures; Hoàng/Huỳnh
    /// and Vũ/Võ are split the northern way, since these are Hanoi residents).
    static let familyNameShares: [(String, Double)] = [
        ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 4.8), ("Huỳnh", 0.3),
        ("Phan", 4.5), ("Vũ", 3.5), ("Võ", 0.4), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
        ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5),
        // The tail: 11.3% spread over the remaining northern family names.
        ("Đinh", 1.0), ("Trịnh", 0.9), ("Đào", 0.9), ("Mai", 0.7), ("Cao", 0.6), ("Lương", 0.6), ("Hà", 0.6),
        ("Đoàn", 0.6), ("Chu", 0.5), ("Tạ", 0.5), ("Lưu", 0.4), ("Nghiêm", 0.3), ("Kiều", 0.3), ("Tô", 0.3),
        ("Trương", 0.3), ("Phùng", 0.3), ("Quách", 0.2), ("Khúc", 0.2), ("Lại", 0.2), ("Vương", 0.2),
        ("Tống", 0.2), ("Triệu", 0.2), ("Đàm", 0.2), ("Nông", 0.1), ("Mạc", 0.1), ("Khổng", 0.1), ("Phí", 0.1),
        ("Lã", 0.1), ("Thái", 0.1), ("Giang", 0.1), ("Từ", 0.1),
    ]

    static let familyNames = DemoWeightedTable(Self.familyNameShares)

    /// Middle names for people born before about 1975: Văn and Thị dominate.
    static let oldMaleMiddle = DemoWeightedTable([
        ("Văn", 60.0), ("Đức", 7), ("Hữu", 6), ("Đình", 6), ("Xuân", 4), ("Quang", 4), ("Minh", 3), ("Công", 3),
        ("Ngọc", 2), ("Thanh", 2), ("Trọng", 2), ("Mạnh", 1), ("Bá", 1), ("Khắc", 1), ("Viết", 1), ("Duy", 1),
    ])
    static let oldFemaleMiddle = DemoWeightedTable([
        ("Thị", 82.0), ("Ngọc", 3), ("Thanh", 3), ("Kim", 3), ("Thu", 2), ("Minh", 2), ("Hồng", 2), ("Bích", 1),
        ("Phương", 1), ("Xuân", 1),
    ])
    static let youngMaleMiddle = DemoWeightedTable([
        ("Văn", 25.0), ("Đức", 12), ("Minh", 12), ("Quang", 8), ("Tuấn", 5), ("Hữu", 6), ("Đình", 5),
        ("Xuân", 4), ("Thanh", 4), ("Ngọc", 4), ("Anh", 4), ("Duy", 4), ("Tiến", 3), ("Quốc", 3), ("Mạnh", 2),
        ("Gia", 3), ("Bảo", 2), ("Hoàng", 2),
    ])
    static let youngFemaleMiddle = DemoWeightedTable([
        ("Thị", 45.0), ("Thu", 8), ("Ngọc", 8), ("Thanh", 7), ("Minh", 6), ("Phương", 5), ("Kim", 4),
        ("Hồng", 4), ("Bích", 3), ("Thùy", 3), ("Khánh", 3), ("Mai", 2), ("Bảo", 2),
    ])
    /// The second of two middle names ("Nguyễn Thị Thanh Hương", "Trần Văn Minh Đức").
    static let secondMiddleMale = ["Minh", "Đức", "Quang", "Hữu", "Thanh", "Ngọc", "Xuân", "Anh", "Tuấn"]
    static let secondMiddleFemale = ["Thanh", "Thu", "Ngọc", "Minh", "Kim", "Bích", "Hồng", "Phương", "Thúy"]

    /// Given names of elderly and middle-aged northerners, most common first (weights fall off like Zipf's law).
    static let femaleGiven = Self.zipf([
        "Lan", "Hoa", "Hương", "Thảo", "Nga", "Tuyết", "Hằng", "Hạnh", "Hà", "Thủy", "Mai", "Liên", "Hiền",
        "Huệ", "Hồng", "Loan", "Nhung", "Dung", "Thu", "Yến", "Vân", "Xuân", "Bình", "Hòa", "Thúy", "Phương",
        "Oanh", "Minh", "Cúc", "Tâm", "Thơm", "Nguyệt", "Thanh", "Lý", "Hảo", "Chi", "Ngân", "Thoa", "Quyên",
        "Trang", "Giang", "Đào", "Sen", "Mơ", "Mùi", "Nhàn", "Thắm", "Gấm", "Lụa", "Phượng", "Quế", "Tươi",
        "Hường", "Liễu", "Lành", "Nụ", "Thìn", "Khuyên", "Uyên", "Vui", "Tấm", "Mận", "Ninh", "Điệp", "Luyến",
        "Duyên", "Hậu", "Lệ", "Lợi", "Mến", "Ngọ", "Tình", "Thục", "Thư", "Tuyến", "Vinh", "Xoan", "Yên",
    ], offset: 2)
    static let maleGiven = Self.zipf([
        "Hùng", "Dũng", "Tuấn", "Minh", "Sơn", "Hải", "Bình", "Thắng", "Long", "Hòa", "Thành", "Quang", "Nam",
        "Cường", "Trung", "Hưng", "Đức", "Thanh", "Tiến", "Vinh", "Phúc", "Hiếu", "Toàn", "Tùng", "Quý",
        "Lâm", "Kiên", "Khánh", "Lộc", "Mạnh", "Nghĩa", "Phong", "Quân", "Tân", "Thịnh", "Thọ", "Thông", "Thuận",
        "Tâm", "Việt", "Chiến", "Công", "Đạt", "Định", "Đông", "Giang", "Hà", "Hào", "Hậu", "Hiển", "Hoàng",
        "Học", "Hợp", "Huân", "Khải", "Khoa", "Lân", "Lợi", "Lực", "Nhân", "Sinh", "Tài", "Thao", "Thế", "Thủy",
        "Trường", "Tú", "Vượng", "Xuân", "Chính", "Cảnh", "Doanh", "Luận", "Bằng", "Chung", "Cử", "Dậu",
        "Điệp", "Khang", "Kỳ", "Lai", "Ngọc", "Nhuận", "Phú", "Tảo", "Thụy", "Tĩnh", "Tuệ", "Vĩnh",
    ], offset: 2)
    /// Names of people born after 2000, for the children and young adults of poor households.
    static let youngFemaleGiven = Self.zipf([
        "Linh", "Anh", "Ngọc", "Trang", "Hương", "Huyền", "Vy", "Thảo", "Hà", "Nhi", "Mai", "Hằng", "Châu",
        "Trâm", "My", "Giang", "Phương", "Yến", "Chi", "Ly", "Quỳnh", "Hân", "Diệp", "An", "Khuê", "Ngân",
    ], offset: 3)
    static let youngMaleGiven = Self.zipf([
        "Minh", "Anh", "Huy", "Đức", "Nam", "Hoàng", "Long", "Khánh", "Phúc", "Duy", "Tuấn", "Dũng", "Hiếu",
        "Quân", "Thành", "Trung", "Bảo", "Khôi", "Kiên", "Lâm", "Tùng", "Vinh", "Sơn", "Đạt", "Hải", "Khoa",
    ], offset: 3)

    /// Weights falling off with rank like Zipf's law; `offset` flattens the head so the top name is not
    /// implausibly dominant.
    private static func zipf(_ names: [String], offset: Double) -> DemoWeightedTable<String> {
        var pairs: [(String, Double)] = []
        var seen = Set<String>()
        for name in names where seen.insert(name).inserted {
            pairs.append((name, 1.0 / (Double(pairs.count) + offset)))
        }
        return DemoWeightedTable(pairs)
    }

    /// A full name for a person of `gender` born in `birthYear`: family name, one or two middle names, given name.
    static func fullName(female: Bool, birthYear: Int, random: inout DemoRandom) -> String {
        let family = Self.familyNames.pick(&random)
        let young = birthYear >= 1980
        let middle: String
        if female {
            middle = (young ? Self.youngFemaleMiddle : Self.oldFemaleMiddle).pick(&random)
        } else {
            middle = (young ? Self.youngMaleMiddle : Self.oldMaleMiddle).pick(&random)
        }
        let given: String
        if birthYear >= 1995 {
            given = (female ? Self.youngFemaleGiven : Self.youngMaleGiven).pick(&random)
        } else {
            given = (female ? Self.femaleGiven : Self.maleGiven).pick(&random)
        }
        if random.chance(young ? 0.25 : 0.08) {
            let second = random.pick(female ? Self.secondMiddleFemale : Self.secondMiddleMale)
            if second != middle && second != given {
                return family + " " + middle + " " + second + " " + given
            }
        }
        return family + " " + middle + " " + given
    }
}
