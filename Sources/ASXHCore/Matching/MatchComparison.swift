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
    static let fieldCount = 5
    /// Levels per field; the last level of each field is "missing" (no evidence either way).
    static let counts = [7, 7, 9, 3, 4]
    static let offsets = [0, 7, 14, 23, 26]
    static let total = 30
    /// Flat levels whose m values sum to 1 together. Birth dates have two groups: when both sides give a full
    /// date, and when one gives only the year (or the register's 1 January for an unknown birthday). Which group
    /// applies depends on how precise the two records are, not on whether they are the same person, so each
    /// group has its own m distribution.
    static let groups: [[Int]] = [Array(0...5), Array(7...12), Array(14...18), Array(19...21), [23, 24], Array(26...28)]

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

    /// Levels whose likelihood ratio is fixed at 1: missing values, and gender agreement (the given and middle
    /// names already say the gender, so counting it again would double the evidence).
    static func isNeutral(_ flat: Int) -> Bool {
        flat == 6 || flat == 13 || flat == 22 || flat == 23 || flat == 25 || flat == 29
    }
}

/// Levels of one pair.
struct PairLevels: Sendable, Hashable {
    var id: UInt8
    var name: UInt8
    var birth: UInt8
    var gender: UInt8
    var commune: UInt8

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
        if self.isNamesakeAgreement { return log(statistics.namesakeClustering) }
        if self.isSameDayNamesakeAgreement { return log(statistics.sameDayNamesakeClustering) }
        return 0
    }

    @inline(__always)
    func flat(_ field: Int) -> Int {
        switch field {
        case 0: return Int(self.id)
        case 1: return 7 + Int(self.name)
        case 2: return 14 + Int(self.birth)
        case 3: return 23 + Int(self.gender)
        default: return 26 + Int(self.commune)
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
    var words: [String] = []
    /// Words one edit away, per position.
    var near: [[UInt32]] = []
    var hasAccents = false
    var nameKey: UInt64 = 0
    var year = 0
    var month = 0
    var day = 0
    var gender: UInt8 = 0
    var commune: Int32 = 0
    var area: Int32 = 0

    var family: UInt32 { self.tokens.count > 1 ? self.tokens[0] : 0 }
    var given: UInt32 { self.tokens.last ?? 0 }
    var nearFamily: [UInt32] { self.tokens.count > 1 ? self.near[0] : [] }
    var nearGiven: [UInt32] { self.near.last ?? [] }
    var isFullDate: Bool { self.month != 0 && self.day != 0 }
    var isJanuaryFirst: Bool { self.month == 1 && self.day == 1 }
}

/// Per-worker caches and scratch space, reused across queries so the hot loop allocates little.
struct MatchScratch {
    var stamps: [UInt32]
    var generation: UInt32 = 0
    var candidates: [Int32] = []
    var idNeighbours: [UInt64] = []
    var wordTokens: [String: [MatchNameToken]] = [:]
    var nearWords: [String: [UInt32]] = [:]

    init(registerCount: Int) {
        self.stamps = [UInt32](repeating: 0, count: registerCount)
    }

    mutating func beginQuery() {
        self.candidates.removeAll(keepingCapacity: true)
        self.generation &+= 1
        if self.generation == 0 {
            for i in 0..<self.stamps.count { self.stamps[i] = 0 }
            self.generation = 1
        }
    }

    @inline(__always)
    mutating func add(_ row: Int) {
        if self.stamps[row] != self.generation {
            self.stamps[row] = self.generation
            self.candidates.append(Int32(row))
        }
    }
}

extension RegisterIndex {
    // MARK: Preparing a query

    func prepare(_ query: MatchQuery, areas: [Int32: Int32], scratch: inout MatchScratch) -> PreparedQuery {
        var q = PreparedQuery(row: query.row)
        if let text = query.personalID, let parsed = MatchDigits.parse(text), parsed.digits <= 12, parsed.bcd != 0 {
            q.id = parsed.bcd
            q.idDigits = parsed.digits
        }
        if let text = query.oldID, let parsed = MatchDigits.parse(text), parsed.digits <= 12, parsed.bcd != 0 {
            q.old = parsed.bcd
            q.oldDigits = parsed.digits
        }
        for piece in query.fullName.split(whereSeparator: { $0.isWhitespace }) {
            let key = String(piece)
            let tokens: [MatchNameToken]
            if let cached = scratch.wordTokens[key] {
                tokens = cached
            } else {
                var found: [MatchNameToken] = []
                MatchNameText.appendTokens(of: key, to: &found)
                scratch.wordTokens[key] = found
                tokens = found
            }
            for token in tokens {
                let id = self.vocabulary.id(token.folded)
                q.tokens.append(id)
                q.accents.append(token.accent)
                q.words.append(token.folded)
                if token.accent != 0 { q.hasAccents = true }
                if let near = scratch.nearWords[token.folded] {
                    q.near.append(near)
                } else {
                    let near = self.vocabulary.neighbours(of: token.folded)
                    scratch.nearWords[token.folded] = near
                    q.near.append(near)
                }
            }
        }
        q.nameKey = RegisterStatistics.nameKey(q.tokens, 0, q.tokens.count)
        if let date = query.birthDate, date.year >= 1801, date.year <= 2200 {
            q.year = date.year
            q.month = date.month ?? 0
            q.day = date.day ?? 0
        }
        q.gender = query.gender == .male ? 1 : query.gender == .female ? 2 : 0
        if let text = query.communeCode, let parsed = MatchDigits.parse(text), parsed.digits <= 6 {
            q.commune = Int32(MatchFields.decimal(parsed.bcd))
            q.area = areas[q.commune] ?? 0
        }
        return q
    }

    // MARK: Blocking

    /// Rows that could be the person: same ID, old ID or an ID one typo away; the run of the given name (or a
    /// word one edit from it) in the birth year, narrowed to the family name when the run is long; same family
    /// and given name in the commune (a wrong year); same family name and year in the commune (a misspelt given
    /// name). Every source is capped so no query costs more than a few thousand comparisons.
    func collectCandidates(_ q: PreparedQuery, scratch: inout MatchScratch) {
        scratch.beginQuery()
        // Identity numbers.
        for value in [q.id, q.old] where value != 0 {
            var found = false
            if let row = self.byCitizenID.find(MatchKeyTable.key(value)) {
                scratch.add(Int(row))
                found = true
            }
            if let row = self.byOldID.find(MatchKeyTable.key(value)) {
                scratch.add(Int(row))
                found = true
            }
            if !found {
                scratch.idNeighbours.removeAll(keepingCapacity: true)
                MatchDigits.neighbours(of: value, width: 12, into: &scratch.idNeighbours)
                for neighbour in scratch.idNeighbours {
                    if let row = self.byCitizenID.find(MatchKeyTable.key(neighbour)) { scratch.add(Int(row)) }
                }
                if value >> 48 == 0 {
                    scratch.idNeighbours.removeAll(keepingCapacity: true)
                    MatchDigits.neighbours(of: value, width: 9, into: &scratch.idNeighbours)
                    for neighbour in scratch.idNeighbours {
                        if let row = self.byOldID.find(MatchKeyTable.key(neighbour)) { scratch.add(Int(row)) }
                    }
                }
            }
        }
        guard !q.tokens.isEmpty else { return }
        // The given-name run in the birth year.
        if q.year != 0 {
            var givens: [UInt32] = q.given != 0 ? [q.given] : []
            givens.append(contentsOf: q.nearGiven)
            var families: [UInt32] = q.family != 0 ? [q.family] : []
            families.append(contentsOf: q.nearFamily)
            for (k, g) in givens.enumerated() {
                guard let run = self.blocks.find(Self.blockKey(given: g, year: q.year)) else { continue }
                let start = Int(run >> 32)
                let count = Int(run & 0xFFFF_FFFF)
                // A short run is read whole (a family name misspelt beyond one edit); otherwise, and always for a
                // given name one edit away, only the family name's stretch and its one-edit neighbours. Long runs
                // of a given name one edit away are left to the family + year + commune chain below.
                if families.isEmpty || (k == 0 && q.given != 0 && count <= 48) {
                    for row in start..<start + min(count, 2000) { scratch.add(row) }
                    continue
                }
                for f in families {
                    if k > 0 && q.commune != 0 && count > 400 { break }
                    var lo = start
                    var hi = start + count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if self.family[mid] < f { lo = mid + 1 } else { hi = mid }
                    }
                    var row = lo
                    while row < start + count && self.family[row] == f && row - lo < 2000 {
                        scratch.add(row)
                        row += 1
                    }
                }
            }
        }
        guard q.commune != 0, q.family != 0 else { return }
        if q.given != 0, var row = self.nameCommuneHeads.find(Self.nameCommuneKey(family: q.family, given: q.given, commune: q.commune)).map({ Int32($0) }) {
            var steps = 0
            while row >= 0 && steps < 256 {
                scratch.add(Int(row))
                row = self.nextSameNameCommune[Int(row)]
                steps += 1
            }
        }
        if q.year != 0, var row = self.familyYearCommuneHeads.find(Self.familyYearCommuneKey(family: q.family, year: q.year, commune: q.commune)).map({ Int32($0) }) {
            var steps = 0
            while row >= 0 && steps < 256 {
                scratch.add(Int(row))
                row = self.nextSameFamilyYearCommune[Int(row)]
                steps += 1
            }
        }
    }

    // MARK: Comparing

    @inline(__always)
    func levels(_ q: PreparedQuery, _ row: Int, areas: [Int32: Int32]) -> PairLevels {
        PairLevels(
            id: self.idLevel(q, row), name: self.nameLevel(q, row), birth: self.birthLevel(q, row),
            gender: self.genderLevel(q, row), commune: self.communeLevel(q, row, areas: areas))
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
    func communeLevel(_ q: PreparedQuery, _ row: Int, areas: [Int32: Int32]) -> UInt8 {
        let c = self.commune[row]
        if q.commune == 0 || c == 0 { return MatchLevel.communeMissing }
        if q.commune == c { return MatchLevel.communeSame }
        if q.area != 0, !areas.isEmpty, areas[c] == q.area { return MatchLevel.communeSameArea }
        return MatchLevel.communeDiffers
    }

    // MARK: How common the listed values are

    /// log u for every level of every field: the log-probability that a random other register row compares
    /// with the query at that level. Counted from the register where it matters (names, dates, communes, ID
    /// neighbourhoods), so agreement on a common value is weak evidence and on a rare one strong.
    func logU(_ q: PreparedQuery, model: LinkageModel, areaCounts: [Int32: Double]) -> [Double] {
        let stats = self.statistics
        let n = Double(max(1, stats.count))
        var u = [Double](repeating: 1, count: MatchLevel.total)
        func p(_ rows: Double) -> Double { max(1, rows) / n }

        // ID.
        let value = q.id != 0 ? q.id : q.old
        if value != 0 {
            u[0] = model.idCollision / n
            u[1] = model.idCollision / n
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
            u[2] = max(1, neighbours) / n
            u[3] = max(1, neighbours * 11 / 108) / n
            u[4] = p(stats.idPrefix(value))
        }
        // Name.
        let exact = p(stats.names(q.nameKey))
        u[7] = exact
        u[8] = exact
        if !q.tokens.isEmpty {
            var typo = 0.0
            var substituted = q.tokens
            for k in 0..<q.tokens.count {
                for word in q.near[k] {
                    substituted[k] = word
                    typo += stats.names(RegisterStatistics.nameKey(substituted, 0, substituted.count))
                }
                substituted[k] = q.tokens[k]
            }
            u[9] = p(typo)
            u[10] = p(stats.familyGiven(q.family, q.given))
            u[11] = p(stats.givenName(q.given))
        }
        // Birth date. One side's imprecision is a property of the records, the same for matches and
        // non-matches, so a year-only comparison weighs what sharing the year is worth, whatever the precision.
        if q.year != 0 {
            let yearRows = stats.year(q.year)
            if q.isFullDate {
                u[14] = p(stats.date(year: q.year, month: q.month, day: q.day))
                u[15] = p(stats.date(year: q.year, month: q.day, day: q.month))
                u[16] = p(yearRows * 0.11)
                var near = 0.0
                for y in Self.nearYears(q.year) { near += stats.date(year: y, month: q.month, day: q.day) }
                u[17] = p(near)
            }
            u[19] = p(yearRows)
            var near = 0.0
            for y in Self.nearYears(q.year) { near += stats.year(y) }
            u[20] = p(near)
        }
        // Gender: u of disagreement is the share of the other sex.
        if q.gender != 0 {
            u[24] = p(Double(stats.genderCounts[q.gender == 1 ? 2 : 1]))
        }
        // Commune.
        if q.commune != 0 {
            u[26] = p(stats.commune(q.commune))
            if q.area != 0 { u[27] = p(areaCounts[q.area] ?? 0) }
        }
        return u.map { log($0) }
    }

    static func nearYears(_ year: Int) -> [Int] {
        var out = [year - 1, year + 1]
        for place in [1, 10] {
            let digit = year / place % 10
            for d in 0...9 where d != digit {
                let y = year + (d - digit) * place
                if abs(y - year) != 1 { out.append(y) }
            }
        }
        return out
    }
}
