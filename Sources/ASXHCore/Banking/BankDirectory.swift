import Foundation

/// What a bank name typed by an officer resolves to.
public enum BankResolution: Sendable, Hashable {
    /// One bank (always its current row, even when the text named a former name).
    case bank(Bank)
    /// Several banks fit ("Viet", "Kookmin"): the officer chooses. Sorted by short name.
    case ambiguous([Bank])
    /// Nothing fits.
    case unknown
}

/// The banks NAPAS routes to, read from a CSV file (`bin,short_name,name,swift_code,status`), with a resolver for
/// the free text officers type ("VCB", "NH Ngoại thương VN", "Agri", "970436", "LienVietPostBank").
///
/// The module ships a copy of the campaign's file (`scripts/update-bank-directory.sh` refreshes it); an operator
/// can load a newer file with `init(csv:)` without a new release. Rows without a BIN are skipped: a payment
/// cannot be routed to them.
public struct BankDirectory: Sendable {
    /// Every row that has a BIN, current and former names alike, in file order.
    public let banks: [Bank]
    /// The current bank of each BIN.
    private let currentByBIN: [String: Bank]
    /// Folded keys (short names, aliases, SWIFT codes) → BINs.
    private let nameKeys: [String: Set<String>]
    /// Folded registered names → BINs; weaker than `nameKeys` ("Sài Gòn" is SCB's name and part of others').
    private let registeredNameKeys: [String: Set<String>]
    /// Keys a typed prefix may complete, each with the shortest prefix it accepts: short names from 2 letters
    /// ("Agri"), aliases from 3 (so that "VB" does not guess VBARD), registered names from 4.
    private let prefixKeys: [(key: String, bins: Set<String>, minimum: Int)]

    /// The expected first line of the file.
    public static let header = ["bin", "short_name", "name", "swift_code", "status"]

    /// Reads a directory file. Accepts a UTF-8 BOM, CRLF line ends and quoted fields.
    public init(csv: Data, aliases: [(alias: String, bin: String)] = BankDirectory.aliases) throws(BankDirectoryError) {
        guard let text = String(data: csv, encoding: .utf8) else { throw .notUTF8 }
        var lines = Self.records(text).enumerated().makeIterator()
        guard let (_, header) = lines.next(),
            header.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) == Self.header
        else { throw .badHeader }
        var banks: [Bank] = []
        while let (index, fields) = lines.next() {
            let line = index + 1
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard fields.count == 5 else { throw .malformedLine(line) }
            let field = fields.map { $0.trimmingCharacters(in: .whitespaces) }
            guard let status = Bank.Status(rawValue: field[4]) else { throw .unknownStatus(line, field[4]) }
            guard !field[1].isEmpty, !field[2].isEmpty else { throw .malformedLine(line) }
            if field[0].isEmpty { continue }
            guard field[0].utf8.count == 6, field[0].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .badBIN(line, field[0])
            }
            let bank = Bank(
                bin: field[0], shortName: field[1], name: VietnameseText.nfc(field[2]),
                swiftCode: field[3].isEmpty ? nil : field[3], status: status)
            banks.append(bank)
        }
        guard !banks.isEmpty else { throw .empty }
        try self.init(banks: banks, aliases: aliases)
    }

    /// A directory from rows already read. Each BIN needs exactly one row that is not `renamed`.
    public init(banks: [Bank], aliases: [(alias: String, bin: String)] = BankDirectory.aliases) throws(BankDirectoryError) {
        var current: [String: Bank] = [:]
        for bank in banks where bank.status != .renamed {
            guard current[bank.bin] == nil else { throw .duplicateBIN(bank.bin) }
            current[bank.bin] = bank
        }
        for bank in banks where current[bank.bin] == nil { throw .noCurrentName(bank.bin) }
        self.banks = banks
        self.currentByBIN = current

        var nameKeys: [String: Set<String>] = [:]
        var registeredNameKeys: [String: Set<String>] = [:]
        var shortNameKeys: [String: Set<String>] = [:]
        var aliasKeys: [String: Set<String>] = [:]
        func add(_ key: String, _ bin: String, to table: inout [String: Set<String>]) {
            guard !key.isEmpty else { return }
            table[key, default: []].insert(bin)
        }
        for bank in banks {
            add(Self.key(bank.shortName), bank.bin, to: &nameKeys)
            add(Self.key(bank.shortName), bank.bin, to: &shortNameKeys)
            // "MB Bank" is also typed "MBBank": keep the word the noise filter drops.
            add(Self.key(bank.shortName, dropNoise: false), bank.bin, to: &nameKeys)
            add(Self.key(bank.shortName, dropNoise: false), bank.bin, to: &shortNameKeys)
            if let swift = bank.swiftCode { add(Self.key(swift), bank.bin, to: &nameKeys) }
            add(Self.key(bank.name), bank.bin, to: &registeredNameKeys)
        }
        // An alias for a BIN the loaded file lacks is ignored, so that an older or trimmed file still loads.
        for (alias, bin) in aliases where current[bin] != nil {
            add(Self.key(alias), bin, to: &nameKeys)
            add(Self.key(alias), bin, to: &aliasKeys)
        }
        self.nameKeys = nameKeys
        self.registeredNameKeys = registeredNameKeys
        self.prefixKeys =
            shortNameKeys.map { ($0.key, $0.value, 2) } + aliasKeys.map { ($0.key, $0.value, 3) }
            + registeredNameKeys.map { ($0.key, $0.value, 4) }
    }

    /// The directory shipped with this module.
    public static func bundled() throws(BankDirectoryError) -> BankDirectory {
        // A file resource sits at the bundle root; a folder resource would put it under "Resources".
        let url =
            Bundle.module.url(forResource: "vn-banks", withExtension: "csv")
            ?? Bundle.module.url(forResource: "vn-banks", withExtension: "csv", subdirectory: "Resources")
        guard let url, let data = try? Data(contentsOf: url) else { throw .missingResource }
        return try BankDirectory(csv: data)
    }

    // MARK: Lookup

    /// The bank that holds this BIN today: a former name's BIN answers with the new name.
    public func bank(bin: String) -> Bank? {
        self.currentByBIN[bin.trimmingCharacters(in: .whitespaces)]
    }

    /// The former names of the bank that holds this BIN, oldest first as the file lists them.
    public func formerNames(bin: String) -> [Bank] {
        self.banks.filter { $0.bin == bin && $0.status == .renamed }
    }

    /// Resolves what an officer typed: a BIN, a short name or its unique prefix, a well-known abbreviation, an
    /// old or registered Vietnamese name. Case, diacritics and noise words ("Ngân hàng", "NH", "TMCP",
    /// "Việt Nam", "VN", "Bank") are ignored, and so is a branch ("chi nhánh Ba Đình", or "Agribank Gia Lâm").
    ///
    /// Order: BIN; exact names and aliases; registered names; prefixes of names and aliases; then the longest
    /// leading words that are exactly a name ("Agribank Gia Lâm" → Agribank). The first step that finds anything
    /// decides; several banks found there are `.ambiguous`.
    public func resolve(_ text: String) -> BankResolution {
        let words = Self.words(text)
        if let first = words.first, first.utf8.count == 6, first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // "970436" or "970436 - Vietcombank" as a picker writes it; the BIN decides.
            return self.bank(bin: first).map(BankResolution.bank) ?? .unknown
        }
        let key = Self.key(words: words)
        guard !key.isEmpty else { return .unknown }
        if let bins = self.exactBINs(key) { return self.resolution(bins) }
        let length = key.utf8.count
        var bins: Set<String> = []
        for candidate in self.prefixKeys where length >= candidate.minimum && candidate.key.hasPrefix(key) {
            bins.formUnion(candidate.bins)
        }
        if !bins.isEmpty { return self.resolution(bins) }
        for count in stride(from: words.count - 1, through: 1, by: -1) {
            let leading = Self.key(words: Array(words.prefix(count)))
            if !leading.isEmpty, let bins = self.exactBINs(leading) { return self.resolution(bins) }
        }
        return .unknown
    }

    private func exactBINs(_ key: String) -> Set<String>? {
        self.nameKeys[key] ?? self.registeredNameKeys[key]
    }

    private func resolution(_ bins: Set<String>) -> BankResolution {
        let banks = bins.compactMap { self.currentByBIN[$0] }
        switch banks.count {
        case 0: return .unknown
        case 1: return .bank(banks[0])
        default: return .ambiguous(banks.sorted { ($0.shortName.lowercased(), $0.bin) < ($1.shortName.lowercased(), $1.bin) })
        }
    }

    // MARK: Keys

    /// Word sequences that say nothing about which bank is meant.
    static let noise: [[String]] = [
        ["ngan", "hang"], ["nh"], ["tmcp"], ["thuong", "mai", "co", "phan"], ["tnhh"], ["mtv"],
        ["mot", "thanh", "vien"], ["viet", "nam"], ["vietnam"], ["vn"], ["bank"],
    ]

    /// Words after which the text names a branch, not a bank.
    static let branchMarkers: [[String]] = [["chi", "nhanh"], ["cn"], ["pgd"], ["phong", "giao", "dich"], ["so", "giao", "dich"]]

    /// Folded words, cut at a branch marker: "NH Ngoại thương VN - CN Ba Đình" → ["nh", "ngoai", "thuong", "vn"].
    static func words(_ text: String) -> [String] {
        // fold keeps "&" and other symbols inside words; banks are named by letters and digits only.
        let folded = VietnameseText.fold(text)
        var words: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        for index in words.indices where index > 0 {
            if Self.branchMarkers.contains(where: { Self.starts(words, at: index, with: $0) }) {
                return Array(words[..<index])
            }
        }
        return words
    }

    /// The comparison key of a name: folded words without noise, joined without spaces ("Nam A Bank" → "nama").
    static func key(_ text: String, dropNoise: Bool = true) -> String {
        let words = Self.words(text)
        return dropNoise ? Self.key(words: words) : words.joined()
    }

    static func key(words: [String]) -> String {
        var kept: [String] = []
        var index = 0
        while index < words.count {
            if let phrase = Self.noise.first(where: { Self.starts(words, at: index, with: $0) }) {
                index += phrase.count
                continue
            }
            kept.append(words[index])
            index += 1
        }
        return kept.joined()
    }

    private static func starts(_ words: [String], at index: Int, with phrase: [String]) -> Bool {
        index + phrase.count <= words.count && Array(words[index..<(index + phrase.count)]) == phrase
    }

    /// CSV records: fields split on commas, double quotes honoured (a quoted field may hold commas, quotes
    /// doubled, line breaks), CR before LF dropped, a leading BOM dropped.
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var scalars = Substring(text).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                quoted = true
            case ",":
                fields.append(field)
                field = ""
            case "\r" where pending == "\n":
                continue
            case "\n", "\r":
                fields.append(field)
                records.append(fields)
                fields = []
                field = ""
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append(fields)
        }
        return records
    }
}

/// Problems reading a bank directory file.
public enum BankDirectoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The module's own copy is missing from its bundle.
    case missingResource
    /// The bytes are not UTF-8.
    case notUTF8
    /// The first line is not `bin,short_name,name,swift_code,status`.
    case badHeader
    /// A line (1-based) does not have the five fields, or lacks a short name or name.
    case malformedLine(Int)
    /// A BIN that is not 6 digits, with its line.
    case badBIN(Int, String)
    /// A status other than current, renamed, e-wallet, with its line.
    case unknownStatus(Int, String)
    /// Two rows that are not `renamed` claim one BIN.
    case duplicateBIN(String)
    /// A BIN has only `renamed` rows: nothing to resolve it to.
    case noCurrentName(String)
    /// No bank rows.
    case empty

    /// A stable code for logs and API responses.
    public var code: String {
        switch self {
        case .missingResource: "banks.missing_resource"
        case .notUTF8: "banks.not_utf8"
        case .badHeader: "banks.bad_header"
        case .malformedLine: "banks.malformed_line"
        case .badBIN: "banks.bad_bin"
        case .unknownStatus: "banks.unknown_status"
        case .duplicateBIN: "banks.duplicate_bin"
        case .noCurrentName: "banks.no_current_name"
        case .empty: "banks.empty"
        }
    }

    public var messageVI: String {
        switch self {
        case .missingResource: "Thiếu tệp danh mục ngân hàng (vn-banks.csv)."
        case .notUTF8: "Tệp danh mục ngân hàng phải mã hóa UTF-8."
        case .badHeader: "Dòng đầu tệp danh mục ngân hàng phải là: bin,short_name,name,swift_code,status."
        case .malformedLine(let line): "Dòng \(line) của tệp danh mục ngân hàng sai định dạng (cần 5 cột, có tên ngân hàng)."
        case .badBIN(let line, let bin): "Dòng \(line): mã BIN \"\(bin)\" phải gồm 6 chữ số."
        case .unknownStatus(let line, let status): "Dòng \(line): trạng thái \"\(status)\" không hợp lệ (current, renamed, e-wallet)."
        case .duplicateBIN(let bin): "Mã BIN \(bin) được gán cho hai ngân hàng đang hoạt động."
        case .noCurrentName(let bin): "Mã BIN \(bin) chỉ có tên cũ, thiếu tên hiện tại."
        case .empty: "Tệp danh mục ngân hàng không có ngân hàng nào."
        }
    }

    public var messageEN: String {
        switch self {
        case .missingResource: "The bank directory file (vn-banks.csv) is missing."
        case .notUTF8: "The bank directory file must be UTF-8."
        case .badHeader: "The bank directory must start with: bin,short_name,name,swift_code,status."
        case .malformedLine(let line): "Line \(line) of the bank directory is malformed (5 fields, with the bank's names)."
        case .badBIN(let line, let bin): "Line \(line): BIN \"\(bin)\" must be 6 digits."
        case .unknownStatus(let line, let status): "Line \(line): unknown status \"\(status)\" (current, renamed, e-wallet)."
        case .duplicateBIN(let bin): "BIN \(bin) is given to two current banks."
        case .noCurrentName(let bin): "BIN \(bin) has only former names, no current one."
        case .empty: "The bank directory has no banks."
        }
    }

    public var description: String { "\(self.code): \(self.messageEN)" }
}
