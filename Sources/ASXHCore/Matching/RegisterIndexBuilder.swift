/// Register rows collected by one loading worker, in compact columns, with the worker's own word numbering.
///
/// Each worker folds the words it meets once (a cache keyed by the bytes as written), so folding costs per
/// distinct spelling, not per row; `RegisterIndex` merges the workers' numberings and sorts the rows.
struct RegisterIndexBuilder {
    var citizenID: [UInt64] = []
    var oldID: [UInt64] = []
    var oldIDDigits: [UInt8] = []
    /// year * 10000 + month * 100 + day; month and day 0 when the register has the year only; 0 when no date.
    var birth: [UInt32] = []
    /// 0 unknown, 1 male, 2 female.
    var gender: [UInt8] = []
    var commune: [Int32] = []
    var deceased: [Bool] = []
    var death: [UInt32] = []
    var tokenStart: [UInt32] = []
    var tokenCount: [UInt8] = []
    var tokens: [UInt32] = []
    var accents: [UInt32] = []
    var nameStart: [UInt32] = []
    var nameLength: [UInt16] = []
    var nameBytes: [UInt8] = []
    var addressStart: [UInt32] = []
    var addressLength: [UInt16] = []
    var addressBytes: [UInt8] = []

    var words = MatchVocabulary()
    private var wordCache: [UInt64: (start: Int32, count: Int32)] = [:]
    private var cachedTokens: [MatchNameToken] = []
    private var cachedIDs: [UInt32] = []

    var problems: [RegisterLoadProblem] = []
    var skippedRows = 0

    var count: Int { self.citizenID.count }

    init(reserve: Int = 0) {
        guard reserve > 0 else { return }
        self.citizenID.reserveCapacity(reserve)
        self.oldID.reserveCapacity(reserve)
        self.oldIDDigits.reserveCapacity(reserve)
        self.birth.reserveCapacity(reserve)
        self.gender.reserveCapacity(reserve)
        self.commune.reserveCapacity(reserve)
        self.deceased.reserveCapacity(reserve)
        self.death.reserveCapacity(reserve)
        self.tokenStart.reserveCapacity(reserve)
        self.tokenCount.reserveCapacity(reserve)
        self.nameStart.reserveCapacity(reserve)
        self.nameLength.reserveCapacity(reserve)
        self.addressStart.reserveCapacity(reserve)
        self.addressLength.reserveCapacity(reserve)
    }

    /// Records a rejected row (keeping the first few for the report).
    mutating func reject(line: Int, _ kind: RegisterLoadProblem.Kind) {
        self.skippedRows += 1
        if self.problems.count < 100 { self.problems.append(RegisterLoadProblem(line: line, kind: kind)) }
    }

    /// Appends one row whose fields are already checked. `name` and `address` are the text as written.
    mutating func append(
        citizenID: UInt64, oldID: UInt64, oldIDDigits: Int, birth: UInt32, gender: UInt8, commune: Int32,
        deceased: Bool, death: UInt32, name: UnsafeBufferPointer<UInt8>, address: UnsafeBufferPointer<UInt8>
    ) {
        self.citizenID.append(citizenID)
        self.oldID.append(oldID)
        self.oldIDDigits.append(UInt8(oldIDDigits))
        self.birth.append(birth)
        self.gender.append(gender)
        self.commune.append(commune)
        self.deceased.append(deceased)
        self.death.append(death)

        let nameAt = self.nameBytes.count
        self.nameBytes.append(contentsOf: name.prefix(Int(UInt16.max)))
        self.nameStart.append(UInt32(truncatingIfNeeded: nameAt))
        self.nameLength.append(UInt16(self.nameBytes.count - nameAt))
        let addressAt = self.addressBytes.count
        self.addressBytes.append(contentsOf: address.prefix(Int(UInt16.max)))
        self.addressStart.append(UInt32(truncatingIfNeeded: addressAt))
        self.addressLength.append(UInt16(self.addressBytes.count - addressAt))

        let first = self.tokens.count
        self.appendWords(name)
        self.tokenStart.append(UInt32(truncatingIfNeeded: first))
        self.tokenCount.append(UInt8(min(self.tokens.count - first, 255)))
        if self.tokens.count - first > 255 { self.tokens.removeLast(self.tokens.count - first - 255) }
    }

    private mutating func appendWords(_ name: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = name.count
        while i < n {
            while i < n && (name[i] == 32 || name[i] == 9) { i += 1 }
            let start = i
            while i < n && name[i] != 32 && name[i] != 9 { i += 1 }
            guard i > start else { continue }
            let key = MatchNameText.rawHash(name, start, i)
            let entry: (start: Int32, count: Int32)
            if let cached = self.wordCache[key] {
                entry = cached
            } else {
                let piece = String(decoding: UnsafeBufferPointer(rebasing: name[start..<i]), as: UTF8.self)
                var found: [MatchNameToken] = []
                MatchNameText.appendTokens(of: piece, to: &found)
                entry = (Int32(self.cachedTokens.count), Int32(found.count))
                for token in found {
                    self.cachedTokens.append(token)
                    self.cachedIDs.append(self.words.intern(token.folded))
                }
                self.wordCache[key] = entry
            }
            for k in Int(entry.start)..<Int(entry.start + entry.count) {
                self.tokens.append(self.cachedIDs[k])
                self.accents.append(self.cachedTokens[k].accent)
            }
        }
    }

    /// Appends a record given as values (tests, and registers reached over the network).
    mutating func append(_ record: RegisterRecord) {
        guard let id = MatchDigits.parse(record.citizenID) else {
            self.reject(line: self.count + self.skippedRows + 1, .badCitizenID)
            return
        }
        let old = record.oldID.flatMap(MatchDigits.parse)
        var birth: UInt32 = 0
        if let date = record.birthDate {
            birth = UInt32(date.year * 10_000 + (date.month ?? 0) * 100 + (date.day ?? 0))
        }
        let gender: UInt8 = record.gender == .male ? 1 : record.gender == .female ? 2 : 0
        let commune = Int32(MatchDigits.parse(record.communeCode).map { MatchFields.decimal($0.bcd) } ?? 0)
        let death = record.deathDate.map { MatchFields.parseDate(Array($0.utf8)) } ?? 0
        var name = Array(record.fullName.utf8)
        var address = Array(record.address.utf8)
        name.withUnsafeMutableBufferPointer { nameBuffer in
            address.withUnsafeMutableBufferPointer { addressBuffer in
                self.append(
                    citizenID: id.bcd, oldID: old?.bcd ?? 0, oldIDDigits: old?.digits ?? 0, birth: birth,
                    gender: gender, commune: commune, deceased: record.status == .deceased, death: death,
                    name: UnsafeBufferPointer(nameBuffer), address: UnsafeBufferPointer(addressBuffer))
            }
        }
    }
}

/// A register row the loader skipped, by its line in the extract.
public struct RegisterLoadProblem: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case badCitizenID = "bad_citizen_id"
        case missingName = "missing_name"
        case tooFewColumns = "too_few_columns"
        case unterminatedQuote = "unterminated_quote"
    }

    /// 1-based line number in the extract (the header is line 1).
    public var line: Int
    public var kind: Kind

    public var messageVI: String {
        switch self.kind {
        case .badCitizenID: return "Dòng \(self.line): số định danh cá nhân không hợp lệ, bỏ qua dòng."
        case .missingName: return "Dòng \(self.line): thiếu họ tên, bỏ qua dòng."
        case .tooFewColumns: return "Dòng \(self.line): thiếu cột, bỏ qua dòng."
        case .unterminatedQuote: return "Dòng \(self.line): dấu ngoặc kép không đóng, bỏ qua dòng."
        }
    }

    public var messageEN: String {
        switch self.kind {
        case .badCitizenID: return "Line \(self.line): invalid personal ID, row skipped."
        case .missingName: return "Line \(self.line): no full name, row skipped."
        case .tooFewColumns: return "Line \(self.line): missing columns, row skipped."
        case .unterminatedQuote: return "Line \(self.line): unterminated quote, row skipped."
        }
    }
}

/// Small field parsers shared by the loader and the query preparation.
enum MatchFields {
    /// The decimal value of a BCD number.
    @inline(__always)
    static func decimal(_ bcd: UInt64) -> Int {
        var value = 0
        var shift = 60
        while shift >= 0 {
            value = value * 10 + Int((bcd >> UInt64(shift)) & 0xF)
            shift -= 4
        }
        return value
    }

    /// `YYYY-MM-DD`, `YYYY` or `DD/MM/YYYY` as year * 10000 + month * 100 + day (month and day 0 when absent);
    /// 0 when unreadable.
    static func parseDate(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { self.parseDate($0, 0, $0.count) }
    }

    static func parseDate(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32 {
        var parts: (Int, Int, Int) = (0, 0, 0)
        var widths: (Int, Int, Int) = (0, 0, 0)
        var index = 0
        var i = start
        while i < end {
            let b = bytes[i]
            if b >= 48 && b <= 57 {
                let d = Int(b - 48)
                switch index {
                case 0: parts.0 = parts.0 * 10 + d; widths.0 += 1
                case 1: parts.1 = parts.1 * 10 + d; widths.1 += 1
                case 2: parts.2 = parts.2 * 10 + d; widths.2 += 1
                default: return 0
                }
            } else if b == UInt8(ascii: "-") || b == UInt8(ascii: "/") || b == UInt8(ascii: ".") {
                index += 1
            } else if b != 32 {
                return 0
            }
            i += 1
        }
        var year = 0, month = 0, day = 0
        if widths.0 == 4 {
            year = parts.0
            month = parts.1
            day = parts.2
        } else if widths.2 == 4 {
            year = parts.2
            month = parts.1
            day = parts.0
        } else {
            return 0
        }
        guard year >= 1800 && year <= 2200, month <= 12, day <= 31, !(month == 0 && day != 0) else { return 0 }
        return UInt32(year * 10_000 + month * 100 + day)
    }
}
