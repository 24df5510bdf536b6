/// How common each value is in the register: the chance that a random other person shares a name, a birth
/// date, a commune or a house address with the listed one (the u-probabilities of Fellegi–Sunter, value by
/// value), so that sharing a common name ("Nguyễn Thị Lan") weighs less than sharing a rare one.
struct RegisterStatistics: Sendable {
    let count: Int
    /// Hash of the whole folded name → rows.
    let nameCounts: MatchKeyTable
    /// (family, given) → rows, whatever the middle names.
    let familyGivenCounts: MatchKeyTable
    /// Word number → rows with it as given name.
    let givenCounts: [UInt32]
    /// Word number → rows with it as family name.
    let familyCounts: [UInt32]
    /// Year offset * 512 + month * 32 + day → rows (month and day 0 for year-only rows).
    let dateCounts: [UInt32]
    /// Year offset → rows born that year (any precision).
    let yearCounts: [UInt32]
    /// Commune code → rows, for codes below `RegisterStatistics.flatCommunes`; larger codes in `otherCommuneCounts`.
    let flatCommuneCounts: [UInt32]
    let otherCommuneCounts: [Int32: UInt32]
    /// (commune, house key) → rows.
    let houseCounts: MatchKeyTable
    /// First six digits of personal IDs (province, century and sex, year) → rows.
    let idPrefixCounts: MatchKeyTable
    /// First three digits of old IDs → rows.
    let oldIDPrefixCounts: MatchKeyTable
    let oldIDCount: Int
    /// Rows by gender code (0 unknown, 1 male, 2 female).
    let genderCounts: [Int]
    /// How much more often than chance two register rows share a name, a birth year and a commune (≥ 1).
    /// Namesakes cluster: families reuse names and stay in their ward. Agreement on exactly these three
    /// fields is worth that much less than the product of their frequencies says.
    let namesakeClustering: Double
    /// The same for namesakes born on the same day in the same commune.
    let sameDayNamesakeClustering: Double
    /// The same for namesakes born the same year at the same house address.
    let sameHouseNamesakeClustering: Double

    static let flatCommunes = 1 << 20

    /// Counts by name words.
    struct NameCounts {
        var names = MatchKeyTable(expectedCount: 1 << 14)
        var familyGiven = MatchKeyTable(expectedCount: 1 << 12)
        var given: [UInt32]
        var family: [UInt32]
    }

    /// Counts by date, place, ID prefix and gender.
    struct OtherCounts {
        var dates = [UInt32](repeating: 0, count: 1024 * 512)
        var years = [UInt32](repeating: 0, count: 1024)
        var communes = [UInt32](repeating: 0, count: RegisterStatistics.flatCommunes)
        var otherCommunes: [Int32: UInt32] = [:]
        var houses = MatchKeyTable(expectedCount: 1 << 14)
        var prefixes = MatchKeyTable(expectedCount: 4096)
        var oldPrefixes = MatchKeyTable(expectedCount: 1024)
        var oldCount = 0
        var genders = [0, 0, 0]
    }

    static func countNames(
        tokens: [UInt32], tokenStart: [UInt32], tokenCount: [UInt8], given: [UInt32], family: [UInt32], vocabularySize: Int
    ) -> NameCounts {
        var counts = NameCounts(
            given: [UInt32](repeating: 0, count: vocabularySize), family: [UInt32](repeating: 0, count: vocabularySize))
        tokens.withUnsafeBufferPointer { tokens in
            for i in 0..<given.count {
                counts.names.add(Self.nameKey(tokens, Int(tokenStart[i]), Int(tokenCount[i])), 1)
                if given[i] != 0 {
                    counts.given[Int(given[i])] += 1
                    counts.family[Int(family[i])] += 1
                    counts.familyGiven.add(Self.familyGivenKey(family[i], given[i]), 1)
                }
            }
        }
        return counts
    }

    static func countOthers(
        birth: [UInt32], gender: [UInt8], commune: [Int32], house: [UInt32], citizenID: [UInt64], oldID: [UInt64]
    ) -> OtherCounts {
        var counts = OtherCounts()
        for i in 0..<birth.count {
            let b = birth[i]
            if b != 0 {
                let y = RegisterIndex.yearOffset(b)
                counts.dates[y * 512 + Int(b / 100 % 100) * 32 + Int(b % 100)] += 1
                counts.years[y] += 1
            }
            let c = commune[i]
            if c >= 0 && Int(c) < Self.flatCommunes {
                counts.communes[Int(c)] += 1
            } else {
                counts.otherCommunes[c, default: 0] += 1
            }
            if house[i] != 0 { counts.houses.add(Self.houseKey(c, house[i]), 1) }
            if citizenID[i] != 0 { counts.prefixes.add(MatchKeyTable.key(citizenID[i] >> 24), 1) }
            if oldID[i] != 0 {
                counts.oldPrefixes.add(MatchKeyTable.key(oldID[i] >> 24), 1)
                counts.oldCount += 1
            }
            counts.genders[Int(min(gender[i], 2))] += 1
        }
        return counts
    }

    /// The statistics from the counts, and the namesake clustering measured on rows sorted by (given, year,
    /// family, middle) (see `RegisterIndex`).
    init(
        names: NameCounts, others: OtherCounts, tokens: [UInt32], tokenStart: [UInt32], tokenCount: [UInt8],
        given: [UInt32], family: [UInt32], middle: [UInt32], birth: [UInt32], commune: [Int32], house: [UInt32]
    ) {
        let n = given.count
        self.count = n
        self.nameCounts = names.names
        self.familyGivenCounts = names.familyGiven
        self.givenCounts = names.given
        self.familyCounts = names.family
        self.dateCounts = others.dates
        self.yearCounts = others.years
        self.flatCommuneCounts = others.communes
        self.otherCommuneCounts = others.otherCommunes
        self.houseCounts = others.houses
        self.idPrefixCounts = others.prefixes
        self.oldIDPrefixCounts = others.oldPrefixes
        self.oldIDCount = others.oldCount
        self.genderCounts = others.genders

        // Observed versus independent-chance namesakes in the same commune born the same year, born the same day
        // (1 January excluded: it often stands for an unknown birthday), and born the same year at the same house.
        // One name's rows of one year lie together: pairs are counted inside each such stretch, a few chunks of
        // stretches at a time.
        func sameGroup(_ a: Int, _ b: Int) -> Bool {
            given[a] == given[b] && family[a] == family[b] && middle[a] == middle[b] && birth[a] / 10_000 == birth[b] / 10_000
        }
        let chunks = n < 4096 ? 1 : MatchParallel.workerCount * 4
        var cuts = [0]
        for c in 1..<chunks {
            var cut = max(cuts[c - 1], n * c / chunks)
            while cut > 0 && cut < n && sameGroup(cut - 1, cut) { cut += 1 }
            cuts.append(cut)
        }
        cuts.append(n)
        let total = Double(max(1, n))
        let parts: [[Double]] = tokens.withUnsafeBufferPointer { tokens in
            let shared = MatchUnsafeBox(tokens)
            return MatchParallel.map(chunks) { c in
                let tokens = shared.value
                var sums = [Double](repeating: 0, count: 6)
                var byCommune: [UInt64] = []
                var byDay: [UInt64] = []
                var byHouse: [UInt64] = []
                var start = cuts[c]
                while start < cuts[c + 1] {
                    var end = start + 1
                    while end < n && sameGroup(start, end) { end += 1 }
                    let year = birth[start] / 10_000
                    if year != 0 {
                        byCommune.removeAll(keepingCapacity: true)
                        byDay.removeAll(keepingCapacity: true)
                        byHouse.removeAll(keepingCapacity: true)
                        let sameName = Double((names.names.find(Self.nameKey(tokens, Int(tokenStart[start]), Int(tokenCount[start]))) ?? 1) - 1)
                        let yearShare = Double(others.years[RegisterIndex.yearOffset(birth[start])]) / total
                        for i in start..<end where commune[i] != 0 {
                            let c = commune[i]
                            let communeRows = Double(
                                c >= 0 && Int(c) < Self.flatCommunes ? others.communes[Int(c)] : others.otherCommunes[c] ?? 0)
                            let communeBits = UInt64(UInt32(bitPattern: c)) << 32
                            byCommune.append(communeBits)
                            sums[3] += sameName * yearShare * communeRows / total
                            let b = birth[i]
                            if !(b / 100 % 100 == 0 || b % 100 == 0 || b % 10_000 == 101) {
                                byDay.append(communeBits | UInt64(b))
                                let dayShare = Double(others.dates[RegisterIndex.yearOffset(b) * 512 + Int(b / 100 % 100) * 32 + Int(b % 100)]) / total
                                sums[4] += sameName * dayShare * communeRows / total
                            }
                            if house[i] != 0 {
                                byHouse.append(communeBits | UInt64(house[i]))
                                sums[5] += sameName * yearShare * Double(others.houses.find(Self.houseKey(c, house[i])) ?? 0) / total
                            }
                        }
                        sums[0] += Self.pairs(&byCommune)
                        sums[1] += Self.pairs(&byDay)
                        sums[2] += Self.pairs(&byHouse)
                    }
                    start = end
                }
                return sums
            }
        }
        var sums = [Double](repeating: 0, count: 6)
        for part in parts {
            for k in 0..<6 { sums[k] += part[k] }
        }
        func ratio(_ observed: Double, _ expected: Double) -> Double { expected > 0 ? max(1, observed / expected) : 1 }
        self.namesakeClustering = ratio(sums[0], sums[3])
        self.sameDayNamesakeClustering = ratio(sums[1], sums[4])
        self.sameHouseNamesakeClustering = ratio(sums[2], sums[5])
    }

    /// Ordered pairs of equal keys: Σ k(k − 1) over runs of equal keys.
    private static func pairs(_ keys: inout [UInt64]) -> Double {
        guard keys.count > 1 else { return 0 }
        keys.sort()
        var sum = 0.0
        var run = 1
        for k in 1...keys.count {
            if k < keys.count && keys[k] == keys[k - 1] {
                run += 1
            } else {
                sum += Double(run * (run - 1))
                run = 1
            }
        }
        return sum
    }

    static func nameKey(_ tokens: UnsafeBufferPointer<UInt32>, _ start: Int, _ count: Int) -> UInt64 {
        var key = MatchKeyTable.key(UInt64(count))
        for k in start..<start + count { key = MatchKeyTable.combine(key, UInt64(tokens[k])) }
        return key
    }

    static func nameKey(_ tokens: [UInt32], _ start: Int, _ count: Int) -> UInt64 {
        tokens.withUnsafeBufferPointer { self.nameKey($0, start, count) }
    }

    static func familyGivenKey(_ family: UInt32, _ given: UInt32) -> UInt64 {
        MatchKeyTable.combine(UInt64(family) | 0x2_0000_0000, UInt64(given))
    }

    static func houseKey(_ commune: Int32, _ house: UInt32) -> UInt64 {
        MatchKeyTable.combine(UInt64(UInt32(bitPattern: commune)) | 0x4_0000_0000, UInt64(house))
    }

    /// Communes with their rows, for the area counts.
    var communeCounts: [Int32: UInt32] {
        var out = self.otherCommuneCounts
        for (code, rows) in self.flatCommuneCounts.enumerated() where rows > 0 { out[Int32(code)] = rows }
        return out
    }

    func names(_ key: UInt64) -> Double { Double(self.nameCounts.find(key) ?? 0) }

    func familyGiven(_ family: UInt32, _ given: UInt32) -> Double {
        Double(self.familyGivenCounts.find(Self.familyGivenKey(family, given)) ?? 0)
    }

    /// Whether some register name has the word as its given name, or as its family name.
    @inline(__always)
    func isGivenName(_ word: UInt32) -> Bool { Int(word) < self.givenCounts.count && self.givenCounts[Int(word)] > 0 }

    @inline(__always)
    func isFamilyName(_ word: UInt32) -> Bool { Int(word) < self.familyCounts.count && self.familyCounts[Int(word)] > 0 }

    func givenName(_ given: UInt32) -> Double {
        given == 0 || Int(given) >= self.givenCounts.count ? 0 : Double(self.givenCounts[Int(given)])
    }

    /// Rows born on that date; month and day 0 count the rows whose register date is the year alone.
    func date(year: Int, month: Int, day: Int) -> Double {
        guard year >= 1801 && year <= 2823, month >= 0 && month <= 12, day >= 0 && day <= 31 else { return 0 }
        return Double(self.dateCounts[(year - 1800) * 512 + month * 32 + day])
    }

    func year(_ year: Int) -> Double {
        guard year >= 1801 && year <= 2823 else { return 0 }
        return Double(self.yearCounts[year - 1800])
    }

    func commune(_ code: Int32) -> Double {
        code >= 0 && Int(code) < Self.flatCommunes
            ? Double(self.flatCommuneCounts[Int(code)]) : Double(self.otherCommuneCounts[code] ?? 0)
    }

    /// Rows of the commune with that house address.
    func house(commune: Int32, house: UInt32) -> Double {
        Double(self.houseCounts.find(Self.houseKey(commune, house)) ?? 0)
    }

    func idPrefix(_ bcd: UInt64) -> Double { Double(self.idPrefixCounts.find(MatchKeyTable.key(bcd >> 24)) ?? 0) }

    func oldIDPrefix(_ bcd: UInt64) -> Double { Double(self.oldIDPrefixCounts.find(MatchKeyTable.key(bcd >> 24)) ?? 0) }
}
