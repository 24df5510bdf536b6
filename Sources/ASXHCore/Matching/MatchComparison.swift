import Foundation

/// The comparison levels of a (list row, register record) pair, one per field, and where each field's levels
/// sit in the flat weight tables of `LinkageModel` (m) and of a query (u).
enum MatchLevel {
    // Fields.
    static let id = 0
    static let name = 1
    static let birth = 2
    static let gender = 3
    static let commune = 4
    static let address = 5
    static let fieldCount = 6
    /// Levels per field; the last level of each field is "missing" (no evidence either way).
    static let counts = [7, 7, 9, 3, 4, 3]
    static let offsets = [0, 7, 14, 23, 26, 30]
    static let total = 33
    /// Flat levels whose m values sum to 1 together. Birth dates have two groups: when both sides give a full
    /// date, and when one gives only the year (or the register's 1 January for an unknown birthday). Which group
    /// applies depends on how precise the two records are, not on whether they are the same person, so each
    /// group has its own m distribution. The house address is compared only inside one commune, so its levels
    /// are conditional on the commune agreeing.
    static let groups: [[Int]] = [
        Array(0...5), Array(7...12), Array(14...18), Array(19...21), [23, 24], Array(26...28), [30, 31],
    ]

    // ID levels.
    static let idExact: UInt8 = 0
    static let idOld: UInt8 = 1
    static let idSubstitution: UInt8 = 2
    static let idTransposition: UInt8 = 3
    static let idSameStructure: UInt8 = 4
    static let idDisagree: UInt8 = 5
    static let idMissing: UInt8 = 6
    // Name levels.
    static let nameExact: UInt8 = 0
    static let nameAccentDiffers: UInt8 = 1
    static let nameOneTypo: UInt8 = 2
    static let nameMiddleDiffers: UInt8 = 3
    static let namePartial: UInt8 = 4
    static let nameDisagree: UInt8 = 5
    static let nameMissing: UInt8 = 6
    // Birth date levels when both dates are full.
    static let birthExact: UInt8 = 0
    static let birthSwapped: UInt8 = 1
    static let birthOnePartDiffers: UInt8 = 2
    static let birthNearYear: UInt8 = 3
    static let birthDisagree: UInt8 = 4
    // Birth date levels when one side knows only the year.
    static let birthYearEqual: UInt8 = 5
    static let birthYearNear: UInt8 = 6
    static let birthYearDisagree: UInt8 = 7
    static let birthMissing: UInt8 = 8
    // Gender levels.
    static let genderAgree: UInt8 = 0
    static let genderDisagree: UInt8 = 1
    static let genderMissing: UInt8 = 2
    // Commune levels.
    static let communeSame: UInt8 = 0
    static let communeSameArea: UInt8 = 1
    static let communeDiffers: UInt8 = 2
    static let communeMissing: UInt8 = 3
    // House address levels (same commune only).
    static let addressSame: UInt8 = 0
    static let addressDiffers: UInt8 = 1
    static let addressMissing: UInt8 = 2

    /// Levels whose likelihood ratio is fixed at 1: missing values, and gender agreement (the given and middle
    /// names already say the gender, so counting it again would double the evidence).
    static func isNeutral(_ flat: Int) -> Bool {
        flat == 6 || flat == 13 || flat == 22 || flat == 23 || flat == 25 || flat == 29 || flat == 32
    }
}

/// Levels of one pair.
struct PairLevels: Sendable, Hashable {
    var id: UInt8
    var name: UInt8
    var birth: UInt8
    var gender: UInt8
    var commune: UInt8
    var address: UInt8

    /// Same name, same birth year with one side knowing only the year, same commune: what a namesake in the
    /// ward also shows, so its frequencies are not independent (see `RegisterStatistics.namesakeClustering`).
    var isNamesakeAgreement: Bool {
        self.name <= MatchLevel.nameAccentDiffers && self.birth == MatchLevel.birthYearEqual
            && self.commune <= MatchLevel.communeSameArea
    }

    /// Same name, same full birth date, same commune.
    var isSameDayNamesakeAgreement: Bool {
        self.name <= MatchLevel.nameAccentDiffers && self.birth == MatchLevel.birthExact
            && self.commune <= MatchLevel.communeSameArea
    }

    /// log of how much the agreement pattern's frequencies underestimate an unseen namesake (0 for other
    /// patterns): weighs "not in the register" up against a candidate showing this pattern.
    @inline(__always)
    func logClustering(_ statistics: RegisterStatistics) -> Double {
        if self.isNamesakeAgreement {
            return log(self.address == MatchLevel.addressSame ? statistics.sameHouseNamesakeClustering : statistics.namesakeClustering)
        }
        if self.isSameDayNamesakeAgreement { return log(statistics.sameDayNamesakeClustering) }
        return 0
    }

    /// The ID prefix (province, century and sex, birth year) agrees, and so does the birth year: the ID's
    /// agreement is then judged among people born that year, since the birth date has counted the year already.
    @inline(__always)
    var idAgreementSharesYear: Bool {
        (self.id == MatchLevel.idSubstitution || self.id == MatchLevel.idTransposition || self.id == MatchLevel.idSameStructure)
            && (self.birth <= MatchLevel.birthOnePartDiffers || self.birth == MatchLevel.birthYearEqual)
    }

    /// log of the pair's likelihood ratio: Σ log(m/u) over the fields, with the ID's u conditioned on the birth
    /// year (`logU[MatchLevel.total]` holds the log share of the register born in the listed year).
    @inline(__always)
    func logLikelihoodRatio(logM: [Double], logU: [Double]) -> Double {
        var s = 0.0
        for field in 0..<MatchLevel.fieldCount {
            let flat = self.flat(field)
            if !MatchLevel.isNeutral(flat) { s += logM[flat] - logU[flat] }
        }
        if self.idAgreementSharesYear { s += logU[MatchLevel.total] }
        return s
    }

    @inline(__always)
    func flat(_ field: Int) -> Int {
        switch field {
        case 0: return Int(self.id)
        case 1: return 7 + Int(self.name)
        case 2: return 14 + Int(self.birth)
        case 3: return 23 + Int(self.gender)
        case 4: return 26 + Int(self.commune)
        default: return 30 + Int(self.address)
        }
    }
}

/// A list row reduced to what comparisons need: BCD IDs, word numbers, date parts, codes.
struct PreparedQuery: Sendable {
    var row: Int
    var id: UInt64 = 0
    var idDigits = 0
    var old: UInt64 = 0
    var oldDigits = 0
    var tokens: [UInt32] = []
    var accents: [UInt32] = []
    /// Words one edit away, per position.
    var near: [[UInt32]] = []
    var hasAccents = false
    var nameKey: UInt64 = 0
    /// Hash of the middle words, as `RegisterIndex.middle`.
    var middle: UInt32 = 0
    var year = 0
    var month = 0
    var day = 0
    var gender: UInt8 = 0
    var commune: Int32 = 0
    var area: Int32 = 0
    /// Key of the house part of the address, 0 when none.
    var house: UInt32 = 0

    var family: UInt32 { self.tokens.count > 1 ? self.tokens[0] : 0 }
    var given: UInt32 { self.tokens.last ?? 0 }
    var nearFamily: [UInt32] { self.tokens.count > 1 ? self.near[0] : [] }
    var nearGiven: [UInt32] { self.near.last ?? [] }
    var isFullDate: Bool { self.month != 0 && self.day != 0 }
    var isJanuaryFirst: Bool { self.month == 1 && self.day == 1 }
}

/// Old commune code → area code (the 2025 commune it became), as a flat table, with the register's rows per area.
struct MatchAreas: Sendable {
    private let table: [Int32]
    /// Register rows per area code.
    let counts: [Int32: Double]

    static let none = MatchAreas()

    private init() {
        self.table = []
        self.counts = [:]
    }

    init(_ areas: [String: String], register: RegisterIndex) {
        var pairs: [(Int32, Int32)] = []
        for (commune, area) in areas {
            guard let c = MatchDigits.parse(commune), c.digits <= 6, let a = MatchDigits.parse(area), a.digits <= 9 else { continue }
            pairs.append((Int32(MatchFields.decimal(c.bcd)), Int32(MatchFields.decimal(a.bcd))))
        }
        var table = [Int32](repeating: 0, count: Int(pairs.map(\.0).max() ?? -1) + 1)
        for (commune, area) in pairs { table[Int(commune)] = area }
        self.table = table
        var counts: [Int32: Double] = [:]
        for (commune, rows) in register.statistics.communeCounts {
            let area = commune >= 0 && Int(commune) < table.count ? table[Int(commune)] : 0
            if area != 0 { counts[area, default: 0] += Double(rows) }
        }
        self.counts = counts
    }

    var isEmpty: Bool { self.table.isEmpty }

    /// The commune's area, 0 when unknown.
    @inline(__always)
    func area(_ commune: Int32) -> Int32 {
        commune >= 0 && Int(commune) < self.table.count ? self.table[Int(commune)] : 0
    }
}

/// One folded word of a listed name with its register word number and the register words one edit away.
struct MatchQueryWord {
    var id: UInt32
    var accent: UInt32
    var near: [UInt32]
}

/// Per-worker caches and scratch space, reused across queries so the hot loop allocates little.
struct MatchScratch {
    /// The query's candidate rows: appended as found (a row may come twice), then sorted and made unique, which
    /// also puts them in memory order for the comparisons.
    var candidates: [Int32] = []
    var idNeighbours: [UInt64] = []
    /// A name word as written (hashed bytes) → its tokens: folding and the neighbour search cost once per spelling.
    var queryWords: [UInt64: [MatchQueryWord]] = [:]
    var addressFolder = MatchAddressFolder()

    mutating func beginQuery() {
        self.candidates.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    mutating func add(_ row: Int) {
        self.candidates.append(Int32(truncatingIfNeeded: row))
    }

    mutating func add(_ rows: Range<Int>) {
        for row in rows { self.add(row) }
    }

    mutating func finishQuery() {
        guard self.candidates.count > 1 else { return }
        self.candidates.sort()
        var kept = 1
        for i in 1..<self.candidates.count where self.candidates[i] != self.candidates[kept - 1] {
            self.candidates[kept] = self.candidates[i]
            kept += 1
        }
        self.candidates.removeLast(self.candidates.count - kept)
    }
}

extension RegisterIndex {
    // MARK: Preparing a query

    func prepare(_ query: MatchQuery, areas: MatchAreas, scratch: inout MatchScratch) -> PreparedQuery {
        var q = PreparedQuery(row: query.row)
        if let text = query.personalID, let parsed = MatchDigits.parse(text), parsed.digits <= 12, parsed.bcd != 0 {
            q.id = parsed.bcd
            q.idDigits = parsed.digits
        }
        if let text = query.oldID, let parsed = MatchDigits.parse(text), parsed.digits <= 12, parsed.bcd != 0 {
            q.old = parsed.bcd
            q.oldDigits = parsed.digits
        }
        var name = query.fullName
        name.withUTF8 { bytes in
            let n = bytes.count
            var i = 0
            while i < n {
                while i < n && Self.isNameSpace(bytes, i) { i += bytes[i] == 0xC2 ? 2 : 1 }
                let start = i
                while i < n && !Self.isNameSpace(bytes, i) { i += 1 }
                guard i > start else { continue }
                let key = MatchNameText.rawHash(bytes, start, i)
                let words: [MatchQueryWord]
                if let cached = scratch.queryWords[key] {
                    words = cached
                } else {
                    var found: [MatchNameToken] = []
                    MatchNameText.appendTokens(of: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self), to: &found)
                    words = found.map {
                        MatchQueryWord(id: self.vocabulary.id($0.folded), accent: $0.accent, near: self.vocabulary.neighbours(of: $0.folded))
                    }
                    scratch.queryWords[key] = words
                }
                for word in words {
                    q.tokens.append(word.id)
                    q.accents.append(word.accent)
                    q.near.append(word.near)
                    if word.accent != 0 { q.hasAccents = true }
                }
            }
        }
        q.nameKey = RegisterStatistics.nameKey(q.tokens, 0, q.tokens.count)
        q.middle = q.tokens.withUnsafeBufferPointer { Self.middleHash($0, 0, $0.count) }
        if let date = query.birthDate, date.year >= 1801, date.year <= 2200 {
            q.year = date.year
            q.month = date.month ?? 0
            q.day = date.day ?? 0
        }
        q.gender = query.gender == .male ? 1 : query.gender == .female ? 2 : 0
        if let text = query.communeCode, let parsed = MatchDigits.parse(text), parsed.digits <= 6 {
            q.commune = Int32(MatchFields.decimal(parsed.bcd))
            q.area = areas.area(q.commune)
        }
        if q.commune != 0, let address = query.address, !address.isEmpty {
            q.house = scratch.addressFolder.houseKey(address)
        }
        return q
    }

    /// ASCII white space, or a no-break space (U+00A0), between the words of a name.
    @inline(__always)
    static func isNameSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = bytes[i]
        return b == 32 || b == 9 || b == 10 || b == 13 || (b == 0xC2 && i + 1 < bytes.count && bytes[i + 1] == 0xA0)
    }

    // MARK: Blocking

    /// Rows that could be the person: same ID or old ID, or an ID one typo away when no row has the ID; in the
    /// given name's run of the birth year, everyone of the family name (and of a family name one edit away, with
    /// the same middle names), the whole run when it is short; with a given name one edit away, the same family
    /// and middle names; rows of other communes only when they could still be the person (see `addPlausible`).
    /// Only when the commune has no one of the whole name born that year: the same name in the commune, born in a
    /// year one typo away (or in any year, when the list has no date). Every stretch is capped, so no query costs
    /// more than a few thousand comparisons.
    func collectCandidates(_ q: PreparedQuery, areas: MatchAreas, scratch: inout MatchScratch) {
        scratch.beginQuery()
        self.addCandidates(q, areas: areas, scratch: &scratch)
        scratch.finishQuery()
    }

    private func addCandidates(_ q: PreparedQuery, areas: MatchAreas, scratch: inout MatchScratch) {
        // Identity numbers.
        for (value, digits) in [(q.id, q.idDigits), (q.old, q.oldDigits)] where value != 0 {
            var found = false
            if let row = self.byCitizenID.find(value, in: self.citizenID) {
                scratch.add(row)
                found = true
            }
            if digits <= self.oldIDMaxDigits, let row = self.byOldID.find(value, in: self.oldID) {
                scratch.add(row)
                found = true
            }
            if !found {
                scratch.idNeighbours.removeAll(keepingCapacity: true)
                MatchDigits.neighbours(of: value, width: 12, into: &scratch.idNeighbours)
                for neighbour in scratch.idNeighbours {
                    if let row = self.byCitizenID.find(neighbour, in: self.citizenID) { scratch.add(row) }
                }
                if value >> 36 == 0 {
                    scratch.idNeighbours.removeAll(keepingCapacity: true)
                    MatchDigits.neighbours(of: value, width: 9, into: &scratch.idNeighbours)
                    for neighbour in scratch.idNeighbours {
                        if let row = self.byOldID.find(neighbour, in: self.oldID) { scratch.add(row) }
                    }
                }
            }
        }
        guard !q.tokens.isEmpty else { return }
        let given = q.given
        let family = q.family
        // A family name no register name has (id 0) can still be one edit from one that some have.
        let familyKnown = family != 0 || q.tokens.count == 1
        var nameSeen = false
        if q.year != 0 {
            if given != 0, let run = self.run(given: given, year: q.year) {
                let stretch = familyKnown ? self.stretch(given: given, year: q.year, family: family) : nil
                if let stretch, q.commune != 0 {
                    nameSeen = self.middleStretch(stretch, q.middle).contains { self.commune[$0] == q.commune }
                }
                if run.count <= Self.shortRun {
                    // A short run is read whole: a family name misspelt beyond one edit, words in another order.
                    self.addPlausible(run, q, areas: areas, sameMiddle: false, scratch: &scratch)
                } else {
                    if let stretch { self.addPlausible(stretch, q, areas: areas, sameMiddle: false, scratch: &scratch) }
                    for nearFamily in q.nearFamily where self.statistics.isFamilyName(nearFamily) {
                        guard let near = self.stretch(given: given, year: q.year, family: nearFamily) else { continue }
                        self.addPlausible(self.middleStretch(near, q.middle), q, areas: areas, sameMiddle: true, scratch: &scratch)
                    }
                }
            }
            if familyKnown {
                for nearGiven in q.nearGiven where self.statistics.isGivenName(nearGiven) {
                    guard let near = self.stretch(given: nearGiven, year: q.year, family: family) else { continue }
                    self.addPlausible(self.middleStretch(near, q.middle), q, areas: areas, sameMiddle: true, scratch: &scratch)
                }
            }
        }
        // The same name in the commune in another year: only when the commune has no one of the whole name born
        // in the listed year (a wrong year in the list), or when the list has no year.
        guard !nameSeen, given != 0, familyKnown, q.commune != 0 else { return }
        if q.year != 0 {
            Self.forEachNearYear(q.year) { self.addSameNameInCommune(q, year: $0, scratch: &scratch) }
        } else {
            for year in self.years { self.addSameNameInCommune(q, year: year, scratch: &scratch) }
        }
    }

    /// Adds the rows of a name stretch that could matter. A row in another commune (and another area) is kept only
    /// when everything else could agree: the same middle names, and a birth date that is not plainly another
    /// one (both days known, neither day nor month in common, not swapped). The rest would need two differences
    /// to be the person and weigh nothing next to any namesake at home; skipping them is what keeps a common name
    /// in a register of ten million to a few dozen comparisons.
    @inline(__always)
    private func addPlausible(
        _ rows: Range<Int>, _ q: PreparedQuery, areas: MatchAreas, sameMiddle: Bool, scratch: inout MatchScratch
    ) {
        let rows = rows.prefix(Self.stretchCap)
        guard q.commune != 0 else {
            scratch.add(rows)
            return
        }
        let precise = q.isFullDate && !q.isJanuaryFirst
        for row in rows {
            let c = self.commune[row]
            if c == q.commune || c == 0 || (q.area != 0 && areas.area(c) == q.area) {
                scratch.add(row)
                continue
            }
            if !sameMiddle && self.middle[row] != q.middle { continue }
            if precise {
                let b = self.birth[row]
                let month = Int(b / 100 % 100)
                let day = Int(b % 100)
                if month != 0 && day != 0 && !(month == 1 && day == 1) && month != q.month && day != q.day
                    && !(month == q.day && day == q.month)
                {
                    continue
                }
            }
            scratch.add(row)
        }
    }

    /// Rows of a stretch read at most: a stretch longer than this is a name so common that its tail adds only
    /// more namesakes.
    static let stretchCap = 2_000
    /// Runs at most this long are read whole.
    static let shortRun = 48

    private func addSameNameInCommune(_ q: PreparedQuery, year: Int, scratch: inout MatchScratch) {
        guard let stretch = self.stretch(given: q.given, year: year, family: q.family) else { return }
        for row in self.middleStretch(stretch, q.middle) {
            let c = self.commune[row]
            if c == q.commune { scratch.add(row) }
        }
    }

    /// The contiguous rows with this given name born in this year.
    @inline(__always)
    func run(given: UInt32, year: Int) -> Range<Int>? {
        guard let packed = self.blocks.find(Self.blockKey(given: given, year: year)) else { return nil }
        let start = Int(packed >> 32)
        return start..<start + Int(packed & 0xFFFF_FFFF)
    }

    /// The rows with this given name born in this year with this family name.
    @inline(__always)
    func stretch(given: UInt32, year: Int, family: UInt32) -> Range<Int>? {
        guard let packed = self.stretches.find(Self.stretchKey(given: given, year: year, family: family)) else { return nil }
        let start = Int(packed >> 32)
        return start..<start + Int(packed & 0xFFFF_FFFF)
    }

    /// The rows of a family stretch with these middle names.
    @inline(__always)
    func middleStretch(_ stretch: Range<Int>, _ middle: UInt32) -> Range<Int> {
        guard !stretch.isEmpty else { return stretch }
        return self.middle.withUnsafeBufferPointer { middles in
            let low = Self.lowerBound(middles, stretch, middle)
            let high = middle == UInt32.max ? stretch.upperBound : Self.lowerBound(middles, low..<stretch.upperBound, middle + 1)
            return low..<high
        }
    }

    @inline(__always)
    private static func lowerBound(_ values: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, _ value: UInt32) -> Int {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let mid = (low + high) >> 1
            if values[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    // MARK: Comparing

    /// The levels of a pair, or nil when the names disagree and the IDs have nothing in common: such a row weighs
    /// nothing next to the others (the name is computed first, so most such rows cost one comparison).
    @inline(__always)
    func plausibleLevels(_ q: PreparedQuery, _ row: Int, areas: MatchAreas) -> PairLevels? {
        let name = self.nameLevel(q, row)
        let id = self.idLevel(q, row)
        if name == MatchLevel.nameDisagree && id >= MatchLevel.idSameStructure { return nil }
        let commune = self.communeLevel(q, row, areas: areas)
        return PairLevels(
            id: id, name: name, birth: self.birthLevel(q, row), gender: self.genderLevel(q, row), commune: commune,
            address: self.addressLevel(q, row, commune: commune))
    }

    @inline(__always)
    func idLevel(_ q: PreparedQuery, _ row: Int) -> UInt8 {
        if q.id == 0 && q.old == 0 { return MatchLevel.idMissing }
        let citizen = self.citizenID[row]
        let old = self.oldID[row]
        let first = q.id != 0 ? Self.idLevel(q.id, citizen: citizen, old: old) : MatchLevel.idDisagree
        if first == MatchLevel.idExact || q.old == 0 { return first }
        return min(first, Self.idLevel(q.old, citizen: citizen, old: old))
    }

    @inline(__always)
    static func idLevel(_ value: UInt64, citizen: UInt64, old: UInt64) -> UInt8 {
        if value == citizen { return MatchLevel.idExact }
        if value == old { return MatchLevel.idOld }
        var best = MatchLevel.idDisagree
        switch MatchDigits.relation(value, citizen) {
        case .substitution: best = MatchLevel.idSubstitution
        case .transposition: best = MatchLevel.idTransposition
        default:
            if value >> 24 == citizen >> 24 && value >> 36 != 0 { best = MatchLevel.idSameStructure }
        }
        if old != 0 && best > MatchLevel.idSubstitution {
            switch MatchDigits.relation(value, old) {
            case .substitution: best = MatchLevel.idSubstitution
            case .transposition: best = min(best, MatchLevel.idTransposition)
            default: break
            }
        }
        return best
    }

    @inline(__always)
    func nameLevel(_ q: PreparedQuery, _ row: Int) -> UInt8 {
        let nq = q.tokens.count
        if nq == 0 { return MatchLevel.nameMissing }
        let start = Int(self.tokenStart[row])
        let nr = Int(self.tokenCount[row])
        if nr == 0 { return MatchLevel.nameDisagree }
        return self.tokens.withUnsafeBufferPointer { all in
            let r = UnsafeBufferPointer(rebasing: all[start..<start + nr])
            if nq == nr {
                var differing = 0
                var nearOnly = true
                for k in 0..<nq where q.tokens[k] != r[k] {
                    differing += 1
                    if !q.near[k].contains(r[k]) { nearOnly = false }
                }
                if differing == 0 {
                    if q.hasAccents {
                        var recordAccented = false
                        var differs = false
                        for k in 0..<nq {
                            let a = self.accents[start + k]
                            if a != 0 { recordAccented = true }
                            if a != q.accents[k] { differs = true }
                        }
                        if recordAccented && differs { return MatchLevel.nameAccentDiffers }
                    }
                    return MatchLevel.nameExact
                }
                if differing == 1 && nearOnly { return MatchLevel.nameOneTypo }
            }
            let qg = q.tokens[nq - 1]
            let rg = r[nr - 1]
            let givenEqual = qg == rg
            let givenNear = !givenEqual && q.near[nq - 1].contains(rg)
            if nq == 1 || nr == 1 {
                return givenEqual ? MatchLevel.namePartial : MatchLevel.nameDisagree
            }
            let qf = q.tokens[0]
            let rf = r[0]
            let familyEqual = qf == rf
            let familyNear = !familyEqual && q.near[0].contains(rf)
            if (familyEqual || familyNear) && (givenEqual || givenNear) {
                return familyEqual && givenEqual ? MatchLevel.nameMiddleDiffers : MatchLevel.namePartial
            }
            if nq == nr {
                // Family name wrong but every other word right, or the words in another order.
                var restEqual = true
                for k in 1..<nq where q.tokens[k] != r[k] { restEqual = false }
                if restEqual { return MatchLevel.namePartial }
                var sameWords = true
                for k in 0..<nq where !r.contains(q.tokens[k]) { sameWords = false }
                if sameWords { return MatchLevel.namePartial }
            }
            return MatchLevel.nameDisagree
        }
    }

    @inline(__always)
    func birthLevel(_ q: PreparedQuery, _ row: Int) -> UInt8 {
        let b = self.birth[row]
        if q.year == 0 || b == 0 { return MatchLevel.birthMissing }
        let ry = Int(b / 10_000)
        let rm = Int(b / 100 % 100)
        let rd = Int(b % 100)
        let precise = q.isFullDate && !q.isJanuaryFirst && rm != 0 && rd != 0 && !(rm == 1 && rd == 1)
        if precise {
            if q.year == ry {
                if q.month == rm && q.day == rd { return MatchLevel.birthExact }
                if q.month == rd && q.day == rm { return MatchLevel.birthSwapped }
                if q.month == rm || q.day == rd { return MatchLevel.birthOnePartDiffers }
                return MatchLevel.birthDisagree
            }
            if q.month == rm && q.day == rd && Self.yearsNear(q.year, ry) { return MatchLevel.birthNearYear }
            return MatchLevel.birthDisagree
        }
        if q.year == ry { return MatchLevel.birthYearEqual }
        return Self.yearsNear(q.year, ry) ? MatchLevel.birthYearNear : MatchLevel.birthYearDisagree
    }

    /// One year apart, or one digit apart (a typo in the year).
    static func yearsNear(_ a: Int, _ b: Int) -> Bool {
        if abs(a - b) == 1 { return true }
        var x = a
        var y = b
        var differing = 0
        while x > 0 || y > 0 {
            if x % 10 != y % 10 { differing += 1 }
            x /= 10
            y /= 10
        }
        return differing == 1
    }

    @inline(__always)
    func genderLevel(_ q: PreparedQuery, _ row: Int) -> UInt8 {
        let g = self.gender[row]
        if q.gender == 0 || g == 0 { return MatchLevel.genderMissing }
        return q.gender == g ? MatchLevel.genderAgree : MatchLevel.genderDisagree
    }

    @inline(__always)
    func communeLevel(_ q: PreparedQuery, _ row: Int, areas: MatchAreas) -> UInt8 {
        let c = self.commune[row]
        if q.commune == 0 || c == 0 { return MatchLevel.communeMissing }
        if q.commune == c { return MatchLevel.communeSame }
        if q.area != 0, areas.area(c) == q.area { return MatchLevel.communeSameArea }
        return MatchLevel.communeDiffers
    }

    /// The house parts are compared only in one commune: elsewhere the same "Thôn Đoài" is another village.
    @inline(__always)
    func addressLevel(_ q: PreparedQuery, _ row: Int, commune: UInt8) -> UInt8 {
        let h = self.house[row]
        if commune != MatchLevel.communeSame || q.house == 0 || h == 0 { return MatchLevel.addressMissing }
        return q.house == h ? MatchLevel.addressSame : MatchLevel.addressDiffers
    }

    // MARK: How common the listed values are

    /// log u per flat level into `out`: the log-probability that a random other register row compares with the
    /// query at that level. Counted from the register where it matters (names, dates, communes, house addresses,
    /// ID neighbourhoods), so agreement on a common value is weak evidence and on a rare one strong. Only the
    /// levels whose bit is set in `needed` (those some candidate shows) are counted, the others left at 0: a
    /// typo's or a near year's namesakes cost dozens of table lookups. `out[MatchLevel.total]` is the log share of
    /// the register born in the listed year (see `PairLevels.idAgreementSharesYear`).
    func logU(_ q: PreparedQuery, model: LinkageModel, areas: MatchAreas, needed: UInt64, into out: inout [Double]) {
        let stats = self.statistics
        let n = Double(max(1, stats.count))
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: repeatElement(0, count: MatchLevel.total + 1))
        func p(_ rows: Double) -> Double { log(max(1, rows) / n) }
        func wants(_ flat: Int) -> Bool { needed & (1 << UInt64(flat)) != 0 }

        // ID.
        let value = q.id != 0 ? q.id : q.old
        if value != 0 {
            out[0] = log(model.idCollision / n)
            out[1] = out[0]
            if wants(2) || wants(3) {
                var neighbours: Double
                if value >> 36 != 0 {
                    // 12-digit ID: the serial part (last 6 digits) is filled as densely as its prefix is common.
                    let sameBucket = stats.idPrefix(value) / 1_000_000
                    neighbours = 54 * sameBucket
                    var variants: [UInt64] = []
                    MatchDigits.neighbours(of: value >> 24, width: 6, into: &variants)
                    for variant in variants { neighbours += stats.idPrefix(variant << 24) / 1_000_000 }
                } else {
                    neighbours = 81 * stats.oldIDPrefix(value) / 1_000_000 + 1
                }
                out[2] = log(max(1, neighbours) / n)
                out[3] = log(max(1, neighbours * 11 / 108) / n)
            }
            if wants(4) { out[4] = p(stats.idPrefix(value)) }
            // An ID near the listed one, or with its prefix, mostly belongs to someone born the same year: how
            // likely that is for a random person born that year (see `PairLevels.idAgreementSharesYear`).
            if q.year != 0 && (wants(2) || wants(3) || wants(4)) {
                out[MatchLevel.total] = min(0, p(stats.year(q.year)))
            }
        }
        // Name.
        if wants(7) || wants(8) {
            out[7] = p(stats.names(q.nameKey))
            out[8] = out[7]
        }
        if !q.tokens.isEmpty {
            if wants(9) {
                var typo = 0.0
                var substituted = q.tokens
                for k in 0..<q.tokens.count {
                    for word in q.near[k] {
                        substituted[k] = word
                        typo += stats.names(RegisterStatistics.nameKey(substituted, 0, substituted.count))
                    }
                    substituted[k] = q.tokens[k]
                }
                out[9] = p(typo)
            }
            if wants(10) { out[10] = p(stats.familyGiven(q.family, q.given)) }
            if wants(11) { out[11] = p(stats.givenName(q.given)) }
        }
        // Birth date. One side's imprecision is a property of the records, the same for matches and
        // non-matches, so a year-only comparison weighs what sharing the year is worth, whatever the precision.
        if q.year != 0 {
            let yearRows = stats.year(q.year)
            if q.isFullDate {
                if wants(14) { out[14] = p(stats.date(year: q.year, month: q.month, day: q.day)) }
                if wants(15) { out[15] = p(stats.date(year: q.year, month: q.day, day: q.month)) }
                if wants(16) { out[16] = p(yearRows * 0.11) }
                if wants(17) {
                    var near = 0.0
                    Self.forEachNearYear(q.year) { near += stats.date(year: $0, month: q.month, day: q.day) }
                    out[17] = p(near)
                }
            }
            if wants(19) { out[19] = p(yearRows) }
            if wants(20) {
                var near = 0.0
                Self.forEachNearYear(q.year) { near += stats.year($0) }
                out[20] = p(near)
            }
        }
        // Gender: u of disagreement is the share of the other sex.
        if q.gender != 0 {
            out[24] = p(Double(stats.genderCounts[q.gender == 1 ? 2 : 1]))
        }
        // Commune.
        if q.commune != 0 {
            let communeRows = stats.commune(q.commune)
            out[26] = p(communeRows)
            if q.area != 0 && wants(27) { out[27] = p(areas.counts[q.area] ?? 0) }
            // House address, given the same commune: the share of the commune's people at that address.
            if q.house != 0 && communeRows > 0 && (wants(30) || wants(31)) {
                let same = min(communeRows, max(1, stats.house(commune: q.commune, house: q.house)))
                out[30] = log(same / communeRows)
                out[31] = log(max(1, communeRows - same) / communeRows)
            }
        }
    }

    /// Years one apart or one digit apart (the last two digits), without building an array.
    @inline(__always)
    static func forEachNearYear(_ year: Int, _ body: (Int) -> Void) {
        body(year - 1)
        body(year + 1)
        for place in [1, 10] {
            let digit = year / place % 10
            for d in 0...9 where d != digit {
                let y = year + (d - digit) * place
                if abs(y - year) != 1 { body(y) }
            }
        }
    }

}
