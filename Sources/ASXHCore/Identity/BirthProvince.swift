/// A province of birth as coded in the first three digits of a personal ID.
///
/// The codes are the 63 provinces that existed before the 2025 merger; they equal the GSO province codes
/// zero-padded to three digits. IDs keep these codes after the merger, so the table never changes.
public struct BirthProvince: Sendable, Hashable {
    /// Three digits, "001" … "096".
    public let code: String
    public let name: String

    /// The 63 pre-2025 provinces, in code order.
    public static let all: [BirthProvince] = [
        .init(code: "001", name: "Hà Nội"),
        .init(code: "002", name: "Hà Giang"),
        .init(code: "004", name: "Cao Bằng"),
        .init(code: "006", name: "Bắc Kạn"),
        .init(code: "008", name: "Tuyên Quang"),
        .init(code: "010", name: "Lào Cai"),
        .init(code: "011", name: "Điện Biên"),
        .init(code: "012", name: "Lai Châu"),
        .init(code: "014", name: "Sơn La"),
        .init(code: "015", name: "Yên Bái"),
        .init(code: "017", name: "Hòa Bình"),
        .init(code: "019", name: "Thái Nguyên"),
        .init(code: "020", name: "Lạng Sơn"),
        .init(code: "022", name: "Quảng Ninh"),
        .init(code: "024", name: "Bắc Giang"),
        .init(code: "025", name: "Phú Thọ"),
        .init(code: "026", name: "Vĩnh Phúc"),
        .init(code: "027", name: "Bắc Ninh"),
        .init(code: "030", name: "Hải Dương"),
        .init(code: "031", name: "Hải Phòng"),
        .init(code: "033", name: "Hưng Yên"),
        .init(code: "034", name: "Thái Bình"),
        .init(code: "035", name: "Hà Nam"),
        .init(code: "036", name: "Nam Định"),
        .init(code: "037", name: "Ninh Bình"),
        .init(code: "038", name: "Thanh Hóa"),
        .init(code: "040", name: "Nghệ An"),
        .init(code: "042", name: "Hà Tĩnh"),
        .init(code: "044", name: "Quảng Bình"),
        .init(code: "045", name: "Quảng Trị"),
        .init(code: "046", name: "Thừa Thiên Huế"),
        .init(code: "048", name: "Đà Nẵng"),
        .init(code: "049", name: "Quảng Nam"),
        .init(code: "051", name: "Quảng Ngãi"),
        .init(code: "052", name: "Bình Định"),
        .init(code: "054", name: "Phú Yên"),
        .init(code: "056", name: "Khánh Hòa"),
        .init(code: "058", name: "Ninh Thuận"),
        .init(code: "060", name: "Bình Thuận"),
        .init(code: "062", name: "Kon Tum"),
        .init(code: "064", name: "Gia Lai"),
        .init(code: "066", name: "Đắk Lắk"),
        .init(code: "067", name: "Đắk Nông"),
        .init(code: "068", name: "Lâm Đồng"),
        .init(code: "070", name: "Bình Phước"),
        .init(code: "072", name: "Tây Ninh"),
        .init(code: "074", name: "Bình Dương"),
        .init(code: "075", name: "Đồng Nai"),
        .init(code: "077", name: "Bà Rịa - Vũng Tàu"),
        .init(code: "079", name: "Hồ Chí Minh"),
        .init(code: "080", name: "Long An"),
        .init(code: "082", name: "Tiền Giang"),
        .init(code: "083", name: "Bến Tre"),
        .init(code: "084", name: "Trà Vinh"),
        .init(code: "086", name: "Vĩnh Long"),
        .init(code: "087", name: "Đồng Tháp"),
        .init(code: "089", name: "An Giang"),
        .init(code: "091", name: "Kiên Giang"),
        .init(code: "092", name: "Cần Thơ"),
        .init(code: "093", name: "Hậu Giang"),
        .init(code: "094", name: "Sóc Trăng"),
        .init(code: "095", name: "Bạc Liêu"),
        .init(code: "096", name: "Cà Mau"),
    ]

    /// Codes used for citizens whose birth was registered abroad (101–295).
    public static let abroadCodes: ClosedRange<Int> = 101...295

    /// Names indexed by numeric code (0…96); nil where no province has the code.
    static let namesByNumber: [String?] = {
        var names = [String?](repeating: nil, count: 97)
        for province in BirthProvince.all {
            names[Int(province.code)!] = province.name
        }
        return names
    }()

    /// The province with this numeric code, or nil (also nil for codes of births abroad).
    public static func named(code: Int) -> BirthProvince? {
        guard code >= 0, code < Self.namesByNumber.count, let name = Self.namesByNumber[code] else { return nil }
        return BirthProvince(code: Self.padded(code), name: name)
    }

    static func padded(_ code: Int) -> String {
        code < 10 ? "00\(code)" : code < 100 ? "0\(code)" : "\(code)"
    }
}
