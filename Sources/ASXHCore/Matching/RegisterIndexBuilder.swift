import Foundation

/// Register rows collected by one loading worker, one fixed-size record a row, with the worker's own word numbering.
///
/// Each worker folds the words it meets once (a cache keyed by the bytes as written), so folding costs per
/// distinct spelling, not per row; `RegisterIndex` merges the workers' numberings and sorts the rows. A row is one
/// record rather than a value in each of twenty columns, so that sorting moves each row with one memory access.
struct RegisterIndexBuilder {
    struct Row {
        var citizenID: UInt64
        var oldID: UInt64
        /// year * 10000 + month * 100 + day; month and day 0 when the register has the year only; 0 when no date.
        var birth: UInt32
        var commune: Int32
        var death: UInt32
        /// Key of the house part's folded words (see `MatchAddressFolder`), 0 when there is none.
        var house: UInt32
        /// Number of the address's administrative tail in `tails` (0: none).
        var tail: UInt32
        var nameStart: UInt32
        var houseStart: UInt32
        var tokenStart: UInt32
        var nameLength: UInt16
        var houseLength: UInt16
        /// 0 unknown, 1 male, 2 female.
        var gender: UInt8
        var deceased: Bool
        var oldIDDigits: UInt8
        var tokenCount: UInt8
    }

    var rows: [Row] = []
    /// The words of the names: word number | accent key << 32.
    var tokens: [UInt64] = []
    var nameBytes: [UInt8] = []
    /// The address is kept as its house part (text) and its administrative tail (", Phường …, Quận …"), which
    /// thousands of rows share, as a number into `tails`.
    var houseBytes: [UInt8] = []
    /// Tail texts by number; 0 is the empty tail.
    var tails: [[UInt8]] = [[]]

    var words = MatchVocabulary()
    /// A word as written (hashed bytes) → start << 32 | count of its tokens in `cachedTokens`.
    private var wordCache = MatchKeyTable(expectedCount: 1 << 12)
    private var cachedTokens: [UInt64] = []
    /// Hashed tail bytes → tail number.
    private var tailLookup = MatchKeyTable(expectedCount: 1 << 10)
    private var addressFolder = MatchAddressFolder()

    var problems: [RegisterLoadProblem] = []
    var skippedRows = 0

    var count: Int { self.rows.count }

    /// `reserve`: the rows expected; `textBytes`: the bytes of names and addresses expected.
    init(reserve: Int = 0, textBytes: Int = 0) {
        guard reserve > 0 else { return }
        self.rows.reserveCapacity(reserve)
        self.tokens.reserveCapacity(reserve * 7 / 2)
        self.nameBytes.reserveCapacity(textBytes / 4)
        self.houseBytes.reserveCapacity(textBytes / 4)
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
        let nameAt = self.nameBytes.count
        let nameText = UnsafeBufferPointer(rebasing: name.prefix(Int(UInt16.max)))
        self.nameBytes.append(contentsOf: nameText)
        let (house, tail, houseAt, houseLength) = self.appendAddress(UnsafeBufferPointer(rebasing: address.prefix(Int(UInt16.max))))
        let first = self.tokens.count
        self.appendWords(name)
        if self.tokens.count - first > 255 { self.tokens.removeLast(self.tokens.count - first - 255) }
        self.rows.append(Row(
            citizenID: citizenID, oldID: oldID, birth: birth, commune: commune, death: death, house: house, tail: tail,
            nameStart: UInt32(truncatingIfNeeded: nameAt), houseStart: UInt32(truncatingIfNeeded: houseAt),
            tokenStart: UInt32(truncatingIfNeeded: first), nameLength: UInt16(nameText.count), houseLength: houseLength,
            gender: gender, deceased: deceased, oldIDDigits: UInt8(oldIDDigits), tokenCount: UInt8(self.tokens.count - first)))
    }

    /// Beyond this many distinct tails the extract's addresses are not the usual "house, commune, district"
    /// (a phone number at the end, say): later rows keep their whole address as house text.
    static let maxTails = 1 << 20

    /// Stores the house part and interns the tail; returns the house key, the tail number, and where the house
    /// text is.
    private mutating func appendAddress(_ address: UnsafeBufferPointer<UInt8>) -> (UInt32, UInt32, Int, UInt16) {
        let (key, end) = self.addressFolder.house(address)
        var houseEnd = address.count
        var tailNumber: UInt32 = 0
        if end < address.count {
            let tailBytes = UnsafeBufferPointer(rebasing: address[end...])
            let hash = MatchKeyTable.key(MatchNameText.rawHash(tailBytes, 0, tailBytes.count))
            if let known = self.tailLookup.find(hash) {
                // A hash collision between two different tails keeps the whole address as house text.
                let same = self.tails[Int(known)].withUnsafeBufferPointer { stored in
                    stored.count == tailBytes.count && memcmp(stored.baseAddress!, tailBytes.baseAddress!, stored.count) == 0
                }
                if same {
                    tailNumber = UInt32(known)
                    houseEnd = end
                }
            } else if self.tails.count < Self.maxTails {
                tailNumber = UInt32(self.tails.count)
                self.tails.append(Array(tailBytes))
                self.tailLookup.set(hash, UInt64(tailNumber))
                houseEnd = end
            }
        }
        let at = self.houseBytes.count
        self.houseBytes.append(contentsOf: UnsafeBufferPointer(rebasing: address[..<houseEnd]))
        return (key, tailNumber, at, UInt16(houseEnd))
    }

    private mutating func appendWords(_ name: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = name.count
        while i < n {
            while i < n && (name[i] == 32 || name[i] == 9) { i += 1 }
            let start = i
            while i < n && name[i] != 32 && name[i] != 9 { i += 1 }
            guard i > start else { continue }
            let key = MatchKeyTable.key(MatchNameText.rawHash(name, start, i))
            let entry: UInt64
            if let cached = self.wordCache.find(key) {
                entry = cached
            } else {
                let piece = String(decoding: UnsafeBufferPointer(rebasing: name[start..<i]), as: UTF8.self)
                var found: [MatchNameToken] = []
                MatchNameText.appendTokens(of: piece, to: &found)
                entry = UInt64(self.cachedTokens.count) << 32 | UInt64(found.count)
                for token in found {
                    self.cachedTokens.append(UInt64(self.words.intern(token.folded)) | UInt64(token.accent) << 32)
                }
                self.wordCache.set(key, entry)
            }
            let first = Int(entry >> 32)
            self.tokens.append(contentsOf: self.cachedTokens[first..<first + Int(entry & 0xFFFF_FFFF)])
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
