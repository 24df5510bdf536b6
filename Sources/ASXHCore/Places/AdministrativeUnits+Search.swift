extension AdministrativeUnits {
    /// Units whose name matches, by code; empty when none does. Several can match (names repeat across
    /// provinces, and folding merges "Văn Lang" and "Văn Lăng"), so narrow with `within`.
    ///
    /// Tolerates what lists contain: missing diacritics and any case ("phuc xa"), a type prefix written out or
    /// abbreviated ("Phường", "P.", "P12", "Xã", "X.", "TT", "Thị trấn", "Q.1", "TX", "TP", "Tỉnh"), zero-padded
    /// or Roman numbers ("Phường 01" = "Phường 1", "II" = "2"), spacing and punctuation ("Ea Ly" = "Ealy",
    /// "Phan Rang-Tháp Chàm"), the common province shorthands "HN", "HCM", "TP.HCM", and "Thừa Thiên Huế". When the query names a
    /// type and units of that type match, other types are left out ("Xã Tân An" does not return "Phường Tân An").
    ///
    /// - Parameters:
    ///   - within: a province (any level below it) or, before 2025, a district (communes) of the same scheme.
    public func find(
        name: String,
        level: AdministrativeLevel,
        scheme: AdministrativeScheme,
        within parent: AdministrativeUnit? = nil
    ) -> [AdministrativeUnit] {
        if let parent, parent.scheme != scheme || parent.level == .commune { return [] }
        let table = self.table(scheme)
        guard let index = table.indexByName[level] else { return [] }
        let query = PlacesNameKey(query: name, level: level)

        func inside(_ unit: AdministrativeUnit) -> Bool {
            guard let parent else { return true }
            switch parent.level {
            case .province: return unit.provinceCode == parent.code && unit.code != parent.code
            case .district: return unit.parentCode == parent.code
            case .commune: return false
            }
        }

        var found = (index[query.key] ?? []).map { table.units[$0] }.filter(inside)
        if let type = query.type, found.contains(where: { $0.type == type }) {
            found.removeAll { $0.type != type }
        }
        // "Xa Lý", "Phương Liệt": what looked like a type word may be the start of the name itself.
        if let whole = query.unstrippedKey {
            for unit in (index[whole] ?? []).map({ table.units[$0] }).filter(inside) where !found.contains(unit) {
                found.append(unit)
            }
        }
        return found.sorted { $0.code < $1.code }
    }
}

/// The comparable form of a unit name: folded, type prefix removed, numbers canonical, spaces dropped.
struct PlacesNameKey {
    /// Key of the query with its type prefix (if any) removed.
    let key: String
    /// The canonical type word the query started with, if any.
    let type: String?
    /// Key of the whole query when a prefix was removed, in case the "prefix" belongs to the name.
    let unstrippedKey: String?

    init(query: String, level: AdministrativeLevel) {
        var tokens = VietnameseText.fold(query).split(separator: " ").map(String.init)
        // "p12", "q1", "f7": abbreviation glued to a ward or district number.
        if let first = tokens.first, let letter = first.unicodeScalars.first, first.unicodeScalars.count > 1,
           "pqf".unicodeScalars.contains(letter),
           first.unicodeScalars.dropFirst().allSatisfy({ $0.properties.numericType != nil }) {
            tokens = [String(letter), String(first.unicodeScalars.dropFirst())] + tokens.dropFirst()
        }
        var type: String?
        var rest = tokens[...]
        for (prefix, word) in Self.prefixes(level) where tokens.count > prefix.count && tokens.starts(with: prefix) {
            // "f" alone is a ward only before a number (HCMC's "F.12").
            if prefix == ["f"], tokens[1].unicodeScalars.first?.properties.numericType == nil { continue }
            type = word
            rest = tokens.dropFirst(prefix.count)
            break
        }
        var key = Self.join(rest)
        if level == .province, let alias = Self.provinceAliases[key] { key = alias }
        self.key = key
        self.type = type
        self.unstrippedKey = type == nil ? nil : Self.join(tokens[...])
    }

    /// Key of a stored unit's bare name (no prefix to strip: "Xa Lý" is a name, not "Xã Lý").
    static func unitKey(_ name: String) -> String {
        Self.join(VietnameseText.fold(name).split(separator: " ").map(String.init)[...])
    }

    private static func join(_ tokens: ArraySlice<String>) -> String {
        var key = ""
        for token in tokens {
            if token.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                let trimmed = token.drop { $0 == "0" }
                key += trimmed.isEmpty ? "0" : String(trimmed)
            } else if let number = Self.romanNumerals[token] {
                key += number
            } else {
                key += token
            }
        }
        return key
    }

    private static let romanNumerals: [String: String] = ["ii": "2", "iii": "3", "iv": "4"]

    private static let provinceAliases: [String: String] = [
        "hn": "hanoi",
        "hcm": "hochiminh",
        "tphcm": "hochiminh",
        "sg": "hochiminh",
        "saigon": "hochiminh",
        "thuathienhue": "hue",  // the province's name until 1 January 2025
    ]

    private static func prefixes(_ level: AdministrativeLevel) -> [([String], String)] {
        switch level {
        case .province: Self.provincePrefixes
        case .district: Self.districtPrefixes
        case .commune: Self.communePrefixes
        }
    }

    private static let provincePrefixes: [([String], String)] = [
        (["thanh", "pho"], "Thành phố"), (["tp"], "Thành phố"), (["t", "p"], "Thành phố"), (["tinh"], "Tỉnh"),
    ]
    private static let districtPrefixes: [([String], String)] = [
        (["thanh", "pho"], "Thành phố"), (["tp"], "Thành phố"), (["t", "p"], "Thành phố"),
        (["thi", "xa"], "Thị xã"), (["tx"], "Thị xã"), (["t", "x"], "Thị xã"), (["quan"], "Quận"), (["q"], "Quận"), (["huyen"], "Huyện"), (["h"], "Huyện"),
    ]
    private static let communePrefixes: [([String], String)] = [
        (["thi", "tran"], "Thị trấn"), (["tt"], "Thị trấn"), (["t", "t"], "Thị trấn"), (["phuong"], "Phường"), (["p"], "Phường"),
        (["f"], "Phường"), (["xa"], "Xã"), (["x"], "Xã"), (["dac", "khu"], "Đặc khu"), (["dk"], "Đặc khu"),
    ]
}
