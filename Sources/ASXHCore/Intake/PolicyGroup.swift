/// The group of social-security policy a beneficiary belongs to (nhóm đối tượng).
public enum PolicyGroup: String, Sendable, Hashable, Codable, CaseIterable {
    case socialProtection
    case meritorious
    case poorHousehold
    case nearPoorHousehold
    case other

    public var labelVI: String {
        switch self {
        case .socialProtection: return "Bảo trợ xã hội"
        case .meritorious: return "Người có công"
        case .poorHousehold: return "Hộ nghèo"
        case .nearPoorHousehold: return "Hộ cận nghèo"
        case .other: return "Khác"
        }
    }

    public var labelEN: String {
        switch self {
        case .socialProtection: return "Social protection"
        case .meritorious: return "Meritorious people"
        case .poorHousehold: return "Poor household"
        case .nearPoorHousehold: return "Near-poor household"
        case .other: return "Other"
        }
    }

    /// The abbreviation used in departmental lists: BTXH, NCC, HN, HCN; nil for `other`.
    public var abbreviation: String? {
        switch self {
        case .socialProtection: return "BTXH"
        case .meritorious: return "NCC"
        case .poorHousehold: return "HN"
        case .nearPoorHousehold: return "HCN"
        case .other: return nil
        }
    }

    /// The usual cell texts, folded, answered by one lookup instead of a phrase search.
    static let commonTexts: [String: PolicyGroup] = [
        "bao tro xa hoi": .socialProtection, "btxh": .socialProtection, "doi tuong bao tro xa hoi": .socialProtection,
        "nguoi co cong": .meritorious, "ncc": .meritorious, "nguoi co cong voi cach mang": .meritorious,
        "ho ngheo": .poorHousehold, "hn": .poorHousehold, "ho can ngheo": .nearPoorHousehold, "hcn": .nearPoorHousehold,
        "khac": .other,
    ]

    /// Reads a group cell: the Vietnamese names with or without diacritics ("Bảo trợ xã hội",
    /// "Doi tuong BTXH", "1. Người có công"), the abbreviations BTXH, NCC, HN, HCN, the English names,
    /// and the best-known categories that belong to one group only (thương binh, liệt sĩ → meritorious;
    /// người cao tuổi, khuyết tật, mồ côi → social protection). Nil when none applies.
    public init?(parsing text: String) {
        let folded = IntakeFold.fold(text)
        guard !folded.isEmpty else { return nil }
        if let known = Self.commonTexts[folded] {
            self = known
            return
        }
        func has(_ phrase: String) -> Bool { IntakeFold.hasPhrase(folded, phrase) }
        // A household that escaped poverty is in neither poverty group; let a person decide.
        if has("thoat ngheo") { return nil }
        // "cận nghèo" contains "nghèo": test the narrower group first.
        if has("can ngheo") || has("hcn") || has("near poor") || has("nearpoor") {
            self = .nearPoorHousehold
        } else if has("ngheo") || has("hn") || has("poor") || has("poor household") {
            self = .poorHousehold
        } else if has("co cong") || has("ncc") || has("meritorious") || has("thuong binh") || has("liet si")
            || has("benh binh") || has("me viet nam anh hung") || has("chat doc hoa hoc")
        {
            self = .meritorious
        } else if has("bao tro") || has("btxh") || has("social protection") || has("social assistance")
            || has("tro cap xa hoi") || has("cao tuoi") || has("khuyet tat") || has("mo coi")
        {
            self = .socialProtection
        } else if folded == "khac" || folded == "other" || folded == "others" || has("doi tuong khac") || has("nhom khac") {
            self = .other
        } else {
            return nil
        }
    }
}
