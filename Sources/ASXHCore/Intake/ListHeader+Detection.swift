extension ListHeader {
    /// Finds the header among the first rows of a list and maps its columns to fields.
    ///
    /// The header row is the one naming the most distinct fields (titles such as "DANH SÁCH ĐỐI TƯỢNG…"
    /// may sit above it). A second header row directly below is read as sub-columns: "Nam" / "Nữ" under
    /// "Ngày sinh" (the layout where the birth date is written in the male or the female column) become
    /// birth-date columns with an implied gender; recognised sub-headers ("Số tài khoản" under
    /// "Thông tin tài khoản") take precedence over their parent. A row of column numbers below the header is
    /// counted as header. A "Số CMND" column whose sample values mostly have 12 digits is read as personal IDs.
    ///
    /// Required: a full-name column, and a birth-date, birth-year or personal-ID column.
    public static func detect(in rows: [TableRow], overrides: [ListColumnOverride] = []) throws(ListHeaderError) -> ListHeader {
        let scanned = Array(rows.prefix(Self.scanLimit))
        let analysed = scanned.map { row in row.cells.map { HeaderCell($0) } }
        let overrideTexts = Set(overrides.compactMap { override -> String? in
            if case .header(let text) = override.target { return IntakeFold.fold(text) }
            return nil
        })

        // The best header row.
        var best: Int?
        var bestScore = 0
        for (i, cells) in analysed.enumerated() {
            var fields = Set<ListField>()
            var extra = 0
            for cell in cells {
                if let field = cell.field { fields.insert(field) } else if overrideTexts.contains(cell.folded) { extra += 1 }
            }
            let score = fields.count + extra
            if score > bestScore {
                best = i
                bestScore = score
            }
        }
        let minimum = overrides.isEmpty ? 2 : 1
        guard let headerIndex = best, bestScore >= minimum else {
            let allByLetter = !overrides.isEmpty && overrides.allSatisfy { if case .letter = $0.target { return true } else { return false } }
            guard allByLetter else { throw .noHeaderRow(scanned: scanned.count) }
            let width = scanned.map(\.cells.count).max() ?? 0
            let columns = (0..<width).map { ListColumn(index: $0, headerText: "") }
            return try Self.finish(columns: columns, auto: [:], headerRows: [], sample: scanned, overrides: overrides)
        }

        let top = analysed[headerIndex]
        var headerRows = [scanned[headerIndex].number]
        var sub: [HeaderCell]?
        if headerIndex + 1 < analysed.count, Self.isSubHeader(analysed[headerIndex + 1], under: top) {
            sub = analysed[headerIndex + 1]
            headerRows.append(scanned[headerIndex + 1].number)
        }
        let afterHeader = headerIndex + headerRows.count
        if afterHeader < scanned.count, ListRowParser.isColumnNumbering(scanned[afterHeader]) {
            headerRows.append(scanned[afterHeader].number)
        }

        // Columns and their automatic mapping.
        let width = max(top.count, sub?.count ?? 0)
        var columns: [ListColumn] = []
        var auto: [Int: (ListField, Gender?)] = [:]
        var carriedParent: HeaderCell?
        var foldedHeaders: [Int: String] = [:]
        for c in 0..<width {
            let parent = c < top.count ? top[c] : HeaderCell(.empty)
            let child = sub.flatMap { c < $0.count ? $0[c] : nil } ?? HeaderCell(.empty)
            if !parent.text.isEmpty {
                carriedParent = parent
            } else if child.text.isEmpty {
                carriedParent = nil
            }
            // A parent merged across columns is stored in its first column only; its sub-columns inherit it.
            let owner = parent.text.isEmpty && !child.text.isEmpty ? carriedParent : parent
            let ownerText = owner?.text ?? ""
            let text = child.text.isEmpty ? ownerText : ownerText.isEmpty ? child.text : "\(ownerText) / \(child.text)"
            columns.append(ListColumn(index: c, headerText: text))
            foldedHeaders[c] = child.text.isEmpty ? parent.folded : child.folded
            if let field = child.field {
                auto[c] = (field, nil)
            } else if let gender = child.gender {
                switch owner?.field {
                case .birthDate?, .birthYear?, .gender?: auto[c] = (owner!.field!, gender)
                default: auto[c] = (.gender, gender)
                }
            } else if child.text.isEmpty, let field = parent.field {
                auto[c] = (field, nil)
            } else if child.text.isEmpty, sub == nil, let gender = parent.gender {
                // A lone "Nam" / "Nữ" column: a mark or a birth date in it says the gender.
                auto[c] = (.gender, gender)
            } else if Self.numberWords.contains(child.folded), let field = owner?.field {
                // "Số" under "Giấy CMND/CCCD", beside "Ngày cấp" and "Nơi cấp".
                auto[c] = (field, nil)
            }
        }
        Self.keepOneFullName(&auto, foldedHeaders: foldedHeaders)
        return try Self.finish(columns: columns, auto: auto, headerRows: headerRows, sample: Array(scanned.dropFirst(afterHeader)), overrides: overrides)
    }

    private static func finish(
        columns: [ListColumn],
        auto: [Int: (ListField, Gender?)],
        headerRows: [Int],
        sample: [TableRow],
        overrides: [ListColumnOverride]
    ) throws(ListHeaderError) -> ListHeader {
        var assigned = auto
        // "Số CMND" columns often hold 12-digit personal IDs since the CCCD replaced the CMND.
        for (c, entry) in assigned where entry.0 == .oldID {
            var twelve = 0
            var nine = 0
            for row in sample {
                guard case .success(let digits) = IdentityScan.digits(of: row[c].text) else { continue }
                if (10...12).contains(digits.count) { twelve += 1 } else if (8...9).contains(digits.count) { nine += 1 }
            }
            if twelve > nine { assigned[c] = (.personalID, nil) }
        }
        var columns = columns
        for override in overrides {
            let index: Int
            switch override.target {
            case .letter(let i):
                let letter = ListColumn.letter(forIndex: i).lowercased()
                index = columns.first { IntakeFold.fold($0.headerText) == letter }?.index ?? i
            case .header(let text):
                let folded = IntakeFold.fold(text)
                guard let column = columns.first(where: { column in
                    let header = IntakeFold.fold(column.headerText)
                    return header == folded || header.hasSuffix(" " + folded) && column.headerText.contains(" / ")
                }) else { throw .unknownOverrideColumn(text) }
                index = column.index
            }
            while columns.count <= index { columns.append(ListColumn(index: columns.count, headerText: "")) }
            if let field = override.field { assigned[index] = (field, nil) } else { assigned[index] = nil }
        }
        let mappings = assigned.keys.sorted().map { c in
            ListColumnMapping(column: columns[c], field: assigned[c]!.0, impliedGender: assigned[c]!.1)
        }
        let unmapped = columns.filter { assigned[$0.index] == nil && !$0.headerText.isEmpty }
        let fields = Set(mappings.map(\.field))
        var missing: [ListField] = []
        if !fields.contains(.fullName) { missing.append(.fullName) }
        let datesInGenderColumns = mappings.contains { $0.field == .gender && $0.impliedGender != nil }
        if fields.isDisjoint(with: [.birthDate, .birthYear, .personalID]) && !datesInGenderColumns {
            missing.append(.birthDate)
        }
        guard missing.isEmpty else { throw .missingRequiredFields(missing: missing, unmapped: unmapped) }
        return ListHeader(headerRowNumbers: headerRows, mappings: mappings, unmappedColumns: unmapped)
    }

    /// A row right under the header is a second header row when the cells under the name column are empty
    /// (a data row always has a name there), at least one cell is a header word, and none looks like data:
    /// short texts without digits ("Số", "Ngày cấp", "Nơi cấp" under "Giấy CMND" are fine).
    private static func isSubHeader(_ cells: [HeaderCell], under top: [HeaderCell]) -> Bool {
        guard top.contains(where: { $0.field == .fullName }) else { return false }
        var recognised = 0
        for (c, cell) in cells.enumerated() where !cell.text.isEmpty {
            if c < top.count, top[c].field == .fullName, cell.field != .fullName { return false }
            if cell.field != nil || cell.gender != nil || Self.numberWords.contains(cell.folded) {
                recognised += 1
                continue
            }
            if cell.text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) { return false }
            if cell.folded.utf8.reduce(1, { $1 == 0x20 ? $0 + 1 : $0 }) > 6 { return false }
        }
        return recognised > 0
    }

    /// Sub-headers that mean "the number" of their parent ("Số" under "Số CCCD").
    static let numberWords: Set<String> = ["so", "so hieu", "ma so", "number", "no"]

    /// Headers naming a part of a name, to be joined: "Họ", "Họ đệm", "Tên".
    static let namePartWords: Set<String> = [
        "ho", "ho dem", "ho va dem", "ho va ten dem", "ho lot", "ten", "ten goi", "first name", "last name",
        "middle name", "given name",
    ]

    /// Name parts are joined, but two whole-name columns ("Họ và tên chủ hộ", "Họ và tên đối tượng"), or a
    /// whole name beside a "Tên" kept for sorting, must not be: keep one whole name, preferring the
    /// beneficiary's, and leave the others unmapped for the person importing to see.
    private static func keepOneFullName(_ auto: inout [Int: (ListField, Gender?)], foldedHeaders: [Int: String]) {
        let nameColumns = auto.filter { $0.value.0 == .fullName }.keys.sorted()
        guard nameColumns.count > 1 else { return }
        let whole = nameColumns.filter { !Self.namePartWords.contains(foldedHeaders[$0] ?? "") }
        guard let first = whole.first else { return }
        let keep = whole.first { c in
            let folded = foldedHeaders[c] ?? ""
            return IntakeFold.hasPhrase(folded, "doi tuong") || IntakeFold.hasPhrase(folded, "nguoi huong")
        } ?? first
        for c in nameColumns where c != keep { auto[c] = nil }
    }
}

/// One header cell, cleaned, folded and recognised once.
struct HeaderCell {
    let text: String
    let folded: String
    let field: ListField?
    let gender: Gender?

    init(_ cell: Cell) {
        self.text = IntakeFold.clean(cell.text)
        self.folded = IntakeFold.fold(self.text)
        self.field = ListField.recognise(folded: self.folded)
        self.gender = self.field == nil ? ListField.genderWord(folded: self.folded) : nil
    }
}
