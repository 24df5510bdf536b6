/// How common each value is in the register: the chance that a random other person shares a name, a birth
/// date or a commune with the listed one (the u-probabilities of Fellegi–Sunter, value by value), so that
/// sharing a common name ("Nguyễn Thị Lan") weighs less than sharing a rare one.
struct RegisterStatistics: Sendable {
    let count: Int
    /// Hash of the whole folded name → rows.
    let nameCounts: MatchKeyTable
    /// (family, given) → rows, whatever the middle names.
    let familyGivenCounts: MatchKeyTable
    /// Word number → rows with it as given name.
    let givenCounts: [UInt32]
    /// Year offset * 512 + month * 32 + day → rows (month and day 0 for year-only rows).
    let dateCounts: [UInt32]
    /// Year offset → rows born that year (any precision).
    let yearCounts: [UInt32]
    let communeCounts: [Int32: UInt32]
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

    init(
        tokens: [UInt32], tokenStart: [UInt32], tokenCount: [UInt8], given: [UInt32], family: [UInt32],
        birth: [UInt32], gender: [UInt8], commune: [Int32], citizenID: [UInt64], oldID: [UInt64], vocabularySize: Int
    ) {
        let n = given.count
        self.count = n
        var names = MatchKeyTable(expectedCount: n / 2 + 16)
        var familyGiven = MatchKeyTable(expectedCount: n / 8 + 16)
        var givenCounts = [UInt32](repeating: 0, count: vocabularySize)
        var dates = [UInt32](repeating: 0, count: 1024 * 512)
        var years = [UInt32](repeating: 0, count: 1024)
        var communes: [Int32: UInt32] = [:]
        var prefixes = MatchKeyTable(expectedCount: 4096)
        var oldPrefixes = MatchKeyTable(expectedCount: 1024)
        var genders = [0, 0, 0]
        var oldCount = 0
        for i in 0..<n {
            let start = Int(tokenStart[i])
            names.add(Self.nameKey(tokens, start, Int(tokenCount[i])), 1)
            if given[i] != 0 {
                givenCounts[Int(given[i])] += 1
                familyGiven.add(Self.familyGivenKey(family[i], given[i]), 1)
            }
            let b = birth[i]
            if b != 0 {
                let y = RegisterIndex.yearOffset(b)
                dates[y * 512 + Int(b / 100 % 100) * 32 + Int(b % 100)] += 1
                years[y] += 1
            }
            communes[commune[i], default: 0] += 1
            prefixes.add(MatchKeyTable.key(citizenID[i] >> 24), 1)
            if oldID[i] != 0 {
                oldPrefixes.add(MatchKeyTable.key(oldID[i] >> 24), 1)
                oldCount += 1
            }
            genders[Int(min(gender[i], 2))] += 1
        }
        let total = Double(max(1, n))
        // Observed versus independent-chance namesakes in the same commune, born the same year, and born the
        // same day (1 January excluded: it often stands for an unknown birthday).
        func clustering(sameDay: Bool) -> Double {
            var local = MatchKeyTable(expectedCount: n)
            var keys = [UInt64](repeating: 0, count: n)
            for i in 0..<n where birth[i] != 0 && commune[i] != 0 {
                let b = birth[i]
                if sameDay && (b / 100 % 100 == 0 || b % 100 == 0 || b % 10_000 == 101) { continue }
                let key = MatchKeyTable.combine(
                    MatchKeyTable.combine(Self.nameKey(tokens, Int(tokenStart[i]), Int(tokenCount[i])), UInt64(sameDay ? b : b / 10_000)),
                    UInt64(UInt32(bitPattern: commune[i])))
                keys[i] = key
                local.add(key, 1)
            }
            var observed = 0.0
            var expected = 0.0
            for i in 0..<n where keys[i] != 0 {
                observed += Double((local.find(keys[i]) ?? 1) - 1)
                let sameName = Double((names.find(Self.nameKey(tokens, Int(tokenStart[i]), Int(tokenCount[i]))) ?? 1) - 1)
                let b = birth[i]
                let y = RegisterIndex.yearOffset(b)
                let birthShare = sameDay ? Double(dates[y * 512 + Int(b / 100 % 100) * 32 + Int(b % 100)]) / total : Double(years[y]) / total
                expected += sameName * birthShare * Double(communes[commune[i]] ?? 0) / total
            }
            return expected > 0 ? max(1, observed / expected) : 1
        }
        self.namesakeClustering = clustering(sameDay: false)
        self.sameDayNamesakeClustering = clustering(sameDay: true)
        self.nameCounts = names
        self.familyGivenCounts = familyGiven
        self.givenCounts = givenCounts
        self.dateCounts = dates
        self.yearCounts = years
        self.communeCounts = communes
        self.idPrefixCounts = prefixes
        self.oldIDPrefixCounts = oldPrefixes
        self.oldIDCount = oldCount
        self.genderCounts = genders
    }

    static func nameKey(_ tokens: [UInt32], _ start: Int, _ count: Int) -> UInt64 {
        var key = MatchKeyTable.key(UInt64(count))
        for k in start..<start + count { key = MatchKeyTable.combine(key, UInt64(tokens[k])) }
        return key
    }

    static func familyGivenKey(_ family: UInt32, _ given: UInt32) -> UInt64 {
        MatchKeyTable.combine(UInt64(family) | 0x2_0000_0000, UInt64(given))
    }

    func names(_ key: UInt64) -> Double { Double(self.nameCounts.find(key) ?? 0) }

    func familyGiven(_ family: UInt32, _ given: UInt32) -> Double {
        Double(self.familyGivenCounts.find(Self.familyGivenKey(family, given)) ?? 0)
    }

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

    func commune(_ code: Int32) -> Double { Double(self.communeCounts[code] ?? 0) }

    func idPrefix(_ bcd: UInt64) -> Double { Double(self.idPrefixCounts.find(MatchKeyTable.key(bcd >> 24)) ?? 0) }

    func oldIDPrefix(_ bcd: UInt64) -> Double { Double(self.oldIDPrefixCounts.find(MatchKeyTable.key(bcd >> 24)) ?? 0) }
}
