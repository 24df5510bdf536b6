import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The population register extract held in memory as compact columns, indexed for matching.
///
/// Rows are sorted by (given name, birth year, family name, middle names), so everyone with a given name born in a
/// year is one contiguous run, and inside it everyone of one family name, and inside that everyone with the same
/// middle names: a query reads its block, and the stretches of a misspelt word's neighbours, by binary search,
/// without jumping around memory. Personal and old IDs have their own tables. Counts of names, dates, communes and
/// house addresses give the matcher how common a value is (a shared common name proves little). An address is kept
/// as its house part and a shared administrative tail.
/// Memory: about 160 bytes a row (columns, name and house text, tables, statistics): 1.6 GB for the demo's 10 million
/// rows, 1.9 GB at the peak of building.
public final class RegisterIndex: Sendable {
    /// Number of register rows.
    public let count: Int
    /// Rows skipped while loading (bad ID, no name…), the first hundred of them.
    public let problems: [RegisterLoadProblem]
    public let skippedRows: Int
    /// How long each step of building the index took (reading the extract is timed by `load`).
    public let timings: [PhaseTiming]

    let vocabulary: MatchVocabulary
    let citizenID: [UInt64]
    let oldID: [UInt64]
    let oldIDDigits: [UInt8]
    let birth: [UInt32]
    let gender: [UInt8]
    let commune: [Int32]
    let deceased: [Bool]
    let death: [UInt32]
    let family: [UInt32]
    /// Hash of the middle words (0 when the name has none): the last sort key.
    let middle: [UInt32]
    let tokenStart: [UInt32]
    let tokenCount: [UInt8]
    let tokens: [UInt32]
    let accents: [UInt32]
    let nameStart: [UInt32]
    let nameLength: [UInt16]
    let nameBytes: [UInt8]
    let houseStart: [UInt32]
    let houseLength: [UInt16]
    let houseBytes: [UInt8]
    let tail: [UInt32]
    let tails: [[UInt8]]
    /// Key of the house part of the address (see `MatchAddressFolder`), 0 when there is none.
    let house: [UInt32]

    /// (given, birth year) → start << 32 | count of the contiguous run.
    let blocks: MatchKeyTable
    /// (given, birth year, family) → start << 32 | count of that family's stretch of the run.
    let stretches: MatchKeyTable
    /// Birth years present, for a query without one (empty when no row has a date).
    let years: Range<Int>
    let byCitizenID: MatchRowTable
    let byOldID: MatchRowTable
    /// The most digits an old ID of the register has: a longer listed number is not looked up among old IDs.
    let oldIDMaxDigits: Int
    let statistics: RegisterStatistics

    /// How long one step took.
    public struct PhaseTiming: Sendable, Hashable {
        public var phase: String
        public var seconds: Double
    }

    /// Builds the index from records given as values (tests, small registers, network answers).
    public convenience init(records: [RegisterRecord]) {
        var builder = RegisterIndexBuilder(reserve: records.count)
        for record in records { builder.append(record) }
        var builders = [consume builder]
        self.init(taking: &builders)
    }

    /// Takes the workers' builders over (`workers` is left empty), so that their columns are freed one by one as
    /// they are copied.
    init(taking workers: inout [RegisterIndexBuilder], timings: [PhaseTiming] = []) {
        var builders: [RegisterIndexBuilder] = []
        swap(&builders, &workers)
        var timings = timings
        var clock = Date()
        func lap(_ phase: String) {
            Self.releaseFreedMemory()
            let now = Date()
            timings.append(PhaseTiming(phase: phase, seconds: now.timeIntervalSince(clock)))
            clock = now
        }
        // One numbering of words and of address tails for all workers.
        var vocabulary = MatchVocabulary()
        var remaps: [[UInt32]] = []
        var tails: [[UInt8]] = [[]]
        var tailNumbers: [[UInt8]: UInt32] = [[]: 0]
        var tailRemaps: [[UInt32]] = []
        for builder in builders {
            var remap = [UInt32](repeating: 0, count: builder.words.count)
            for local in 1..<max(1, builder.words.count) {
                remap[local] = vocabulary.intern(String(decoding: builder.words.strings[local], as: UTF8.self))
            }
            remaps.append(remap)
            var tailRemap = [UInt32](repeating: 0, count: builder.tails.count)
            for (local, text) in builder.tails.enumerated() where local > 0 {
                if let known = tailNumbers[text] {
                    tailRemap[local] = known
                } else {
                    tailRemap[local] = UInt32(tails.count)
                    tailNumbers[text] = UInt32(tails.count)
                    tails.append(text)
                }
            }
            tailRemaps.append(tailRemap)
        }
        tailNumbers = [:]
        vocabulary.buildNeighbourIndex()
        precondition(vocabulary.count < 1 << 24, "More than 16 million distinct name words")

        let total = builders.reduce(0) { $0 + $1.count }
        precondition(total < Int(Int32.max), "Register too large for 32-bit row numbers")
        self.count = total
        self.problems = builders.flatMap(\.problems)
        self.skippedRows = builders.reduce(0) { $0 + $1.skippedRows }

        // Words, names and house texts end to end, each worker's freed once copied; row records stay with their
        // worker until sorted.
        var rowBase: [Int] = []
        var tokenBase: [Int] = []
        var nameBase: [Int] = []
        var houseBase: [Int] = []
        var allTokens: [UInt64] = []
        allTokens.reserveCapacity(builders.reduce(0) { $0 + $1.tokens.count })
        var nameBytes: [UInt8] = []
        nameBytes.reserveCapacity(builders.reduce(0) { $0 + $1.nameBytes.count })
        var houseBytes: [UInt8] = []
        houseBytes.reserveCapacity(builders.reduce(0) { $0 + $1.houseBytes.count })
        var rows = 0
        for b in builders.indices {
            rowBase.append(rows)
            rows += builders[b].count
            tokenBase.append(allTokens.count)
            nameBase.append(nameBytes.count)
            houseBase.append(houseBytes.count)
            let remap = remaps[b]
            allTokens.append(contentsOf: builders[b].tokens.lazy.map { UInt64(remap[Int($0 & 0xFFFF_FFFF)]) | ($0 & 0xFFFF_FFFF_0000_0000) })
            builders[b].tokens = []
            nameBytes.append(contentsOf: builders[b].nameBytes)
            builders[b].nameBytes = []
            houseBytes.append(contentsOf: builders[b].houseBytes)
            builders[b].houseBytes = []
        }
        precondition(allTokens.count < Int(UInt32.max) && nameBytes.count < Int(UInt32.max) && houseBytes.count < Int(UInt32.max),
            "Register text exceeds 4 GiB")
        self.nameBytes = nameBytes
        self.houseBytes = houseBytes
        lap("merge workers")

        // Sort by given | year | family, then middle words, reading each worker's rows and words in order.
        var major = [UInt64](repeating: 0, count: total)
        var minor = [UInt32](repeating: 0, count: total)
        var order = [Int32](repeating: 0, count: total)
        allTokens.withUnsafeBufferPointer { tokens in
            for b in builders.indices {
                let base = rowBase[b]
                let wordsAt = tokenBase[b]
                builders[b].rows.withUnsafeBufferPointer { rows in
                    for j in 0..<rows.count {
                        let row = rows[j]
                        let start = wordsAt + Int(row.tokenStart)
                        let n = Int(row.tokenCount)
                        let g: UInt64 = n > 0 ? tokens[start + n - 1] & 0xFFFF_FFFF : 0
                        let f: UInt64 = n > 1 ? tokens[start] & 0xFFFF_FFFF : 0
                        major[base + j] = (g << 34) | (UInt64(Self.yearOffset(row.birth)) << 24) | f
                        minor[base + j] = Self.middleHash(tokens, start, n)
                        order[base + j] = Int32(base + j)
                    }
                }
            }
        }
        matchRadixSort(major: &major, minor: &minor, payload: &order)
        major = []
        lap("sort")

        // Rows in sorted order: one random read of each row record, text offsets made global on the way.
        let sorted: [RegisterIndexBuilder.Row] = builders.withUnsafeBufferPointer { builders in
            let parts = builders.map { $0.rows }
            let box = MatchUnsafeBox((parts, rowBase, tokenBase, nameBase, houseBase, tailRemaps))
            return order.withUnsafeBufferPointer { order in
                MatchParallel.array(total) { k in
                    let (parts, rowBase, tokenBase, nameBase, houseBase, tailRemaps) = box.value
                    let g = Int(order[k])
                    var b = rowBase.count - 1
                    while rowBase[b] > g { b -= 1 }
                    var row = parts[b][g - rowBase[b]]
                    row.tokenStart += UInt32(tokenBase[b])
                    row.nameStart += UInt32(nameBase[b])
                    row.houseStart += UInt32(houseBase[b])
                    row.tail = tailRemaps[b][Int(row.tail)]
                    return row
                }
            }
        }
        order = []
        builders = []
        self.tails = tails
        func column<T>(_ value: (RegisterIndexBuilder.Row) -> T) -> [T] {
            sorted.withUnsafeBufferPointer { rows in
                let box = MatchUnsafeBox(rows)
                return MatchParallel.array(total) { value(box.value[$0]) }
            }
        }
        let birth = column(\.birth)
        self.birth = birth
        let citizenID = column(\.citizenID)
        self.citizenID = citizenID
        let oldID = column(\.oldID)
        self.oldID = oldID
        let oldIDDigits = column(\.oldIDDigits)
        self.oldIDDigits = oldIDDigits
        self.oldIDMaxDigits = Int(oldIDDigits.max() ?? 0)
        let gender = column(\.gender)
        self.gender = gender
        let commune = column(\.commune)
        self.commune = commune
        self.deceased = column(\.deceased)
        self.death = column(\.death)
        let house = column(\.house)
        self.house = house
        self.tail = column(\.tail)
        self.nameStart = column(\.nameStart)
        self.nameLength = column(\.nameLength)
        self.houseStart = column(\.houseStart)
        self.houseLength = column(\.houseLength)
        let tokenCount = column(\.tokenCount)
        self.tokenCount = tokenCount
        let sourceStart = column(\.tokenStart)

        // Word arena rebuilt in sorted order, so a block's names lie together; chunks of rows are copied at once.
        var tokenStartSorted = [UInt32](repeating: 0, count: total)
        var tokenTotal = 0
        for k in 0..<total {
            tokenStartSorted[k] = UInt32(tokenTotal)
            tokenTotal += Int(tokenCount[k])
        }
        var sortedTokens = [UInt32](repeating: 0, count: tokenTotal)
        var sortedAccents = [UInt32](repeating: 0, count: tokenTotal)
        var given = [UInt32](repeating: 0, count: total)
        var family = [UInt32](repeating: 0, count: total)
        allTokens.withUnsafeBufferPointer { tokens in
            sortedTokens.withUnsafeMutableBufferPointer { outTokens in
                sortedAccents.withUnsafeMutableBufferPointer { outAccents in
                    given.withUnsafeMutableBufferPointer { outGiven in
                        family.withUnsafeMutableBufferPointer { outFamily in
                            let box = MatchUnsafeBox((outTokens, outAccents, outGiven, outFamily))
                            MatchParallel.forChunks(total) { range in
                                let (outTokens, outAccents, outGiven, outFamily) = box.value
                                for k in range {
                                    let start = Int(sourceStart[k])
                                    let n = Int(tokenCount[k])
                                    var at = Int(tokenStartSorted[k])
                                    for t in start..<start + n {
                                        outTokens[at] = UInt32(truncatingIfNeeded: tokens[t])
                                        outAccents[at] = UInt32(truncatingIfNeeded: tokens[t] >> 32)
                                        at += 1
                                    }
                                    if n > 0 { outGiven[k] = UInt32(truncatingIfNeeded: tokens[start + n - 1]) }
                                    if n > 1 { outFamily[k] = UInt32(truncatingIfNeeded: tokens[start]) }
                                }
                            }
                        }
                    }
                }
            }
        }
        allTokens = []
        let middle = minor
        minor = []
        self.tokens = sortedTokens
        self.accents = sortedAccents
        self.tokenStart = tokenStartSorted
        self.family = family
        self.middle = middle
        self.vocabulary = vocabulary
        lap("arrange columns")

        // Tables and counts are independent of each other: built two at a time; then the namesake clustering.
        let sortedTokensFinal = sortedTokens
        let tokenStartFinal = tokenStartSorted
        let built = MatchParallel.map(5) { part -> Any in
            switch part {
            case 0: return RegisterStatistics.countNames(
                tokens: sortedTokensFinal, tokenStart: tokenStartFinal, tokenCount: tokenCount, given: given, family: family,
                vocabularySize: vocabulary.count)
            case 1: return RegisterStatistics.countOthers(
                birth: birth, gender: gender, commune: commune, house: house, citizenID: citizenID, oldID: oldID)
            case 2: return Self.buildBlocks(given: given, family: family, birth: birth)
            case 3: return MatchRowTable(ids: citizenID)
            default: return MatchRowTable(ids: oldID)
            }
        }
        let (blocks, stretches, years) = built[2] as! (MatchKeyTable, MatchKeyTable, Range<Int>)
        self.blocks = blocks
        self.stretches = stretches
        self.years = years
        self.byCitizenID = built[3] as! MatchRowTable
        self.byOldID = built[4] as! MatchRowTable
        self.statistics = RegisterStatistics(
            names: built[0] as! RegisterStatistics.NameCounts, others: built[1] as! RegisterStatistics.OtherCounts,
            tokens: sortedTokensFinal, tokenStart: tokenStartFinal, tokenCount: tokenCount, given: given, family: family,
            middle: middle, birth: birth, commune: commune, house: house)
        lap("tables and statistics")
        self.timings = timings
    }

    /// Hands the pages of freed columns back to the system: the build frees gigabytes of worker columns and
    /// copies, which the allocator would otherwise keep (on Linux) and count in the process's memory.
    static func releaseFreedMemory() {
        #if canImport(Glibc)
        Self.mallocTrim?(0)
        #endif
    }

    #if canImport(Glibc)
    /// glibc's `malloc_trim`, looked up at run time (Swift's Glibc module does not declare it; other C libraries
    /// may lack it).
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
    #endif

    static func yearOffset(_ birth: UInt32) -> Int {
        let year = Int(birth / 10_000)
        return year == 0 ? 0 : min(1023, max(1, year - 1800))
    }

    /// The middle words (all but the first and the last) as one number; 0 for a name of one or two words.
    @inline(__always)
    static func middleHash(_ tokens: UnsafeBufferPointer<UInt64>, _ start: Int, _ count: Int) -> UInt32 {
        guard count > 2 else { return 0 }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in start + 1..<start + count - 1 {
            hash = (hash ^ (tokens[k] & 0xFFFF_FFFF)) &* 0x100_0000_01B3
        }
        let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        return folded == 0 ? 1 : folded
    }

    @inline(__always)
    static func middleHash(_ tokens: UnsafeBufferPointer<UInt32>, _ start: Int, _ count: Int) -> UInt32 {
        guard count > 2 else { return 0 }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in start + 1..<start + count - 1 {
            hash = (hash ^ UInt64(tokens[k])) &* 0x100_0000_01B3
        }
        let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        return folded == 0 ? 1 : folded
    }

    static func blockKey(given: UInt32, year: Int) -> UInt64 {
        MatchKeyTable.combine(UInt64(given), UInt64(year))
    }

    static func stretchKey(given: UInt32, year: Int, family: UInt32) -> UInt64 {
        MatchKeyTable.combine(MatchKeyTable.combine(UInt64(given), UInt64(year) | 0x2_0000_0000), UInt64(family))
    }

    private static func buildBlocks(
        given: [UInt32], family: [UInt32], birth: [UInt32]
    ) -> (MatchKeyTable, MatchKeyTable, Range<Int>) {
        var blocks = MatchKeyTable(expectedCount: 1024)
        var stretches = MatchKeyTable(expectedCount: 1 << 14)
        var start = 0
        let n = given.count
        var low = Int.max
        var high = Int.min
        while start < n {
            let g = given[start]
            let year = Int(birth[start] / 10_000)
            var end = start + 1
            while end < n && given[end] == g && Int(birth[end] / 10_000) == year { end += 1 }
            if g != 0 && year != 0 {
                blocks.set(Self.blockKey(given: g, year: year), UInt64(start) << 32 | UInt64(end - start))
                low = min(low, year)
                high = max(high, year)
                var from = start
                while from < end {
                    let f = family[from]
                    var to = from + 1
                    while to < end && family[to] == f { to += 1 }
                    stretches.set(Self.stretchKey(given: g, year: year, family: f), UInt64(from) << 32 | UInt64(to - from))
                    from = to
                }
            }
            start = end
        }
        return (blocks, stretches, low <= high ? low..<high + 1 : 0..<0)
    }

    // MARK: Reading rows

    /// The row at `index` as a value.
    public func record(at index: Int) -> RegisterRecord {
        let birth = self.birth[index]
        var date: BirthDate?
        if birth != 0 {
            let month = Int(birth / 100 % 100)
            let day = Int(birth % 100)
            date = BirthDate(year: Int(birth / 10_000), month: month == 0 ? nil : month, day: day == 0 ? nil : day)
        }
        let death = self.death[index]
        let houseFrom = Int(self.houseStart[index])
        let houseCount = Int(self.houseLength[index])
        let tail = self.tails[Int(self.tail[index])]
        let address = String(unsafeUninitializedCapacity: houseCount + tail.count) { out in
            self.houseBytes.withUnsafeBufferPointer { house in
                for k in 0..<houseCount { out[k] = house[houseFrom + k] }
            }
            for k in 0..<tail.count { out[houseCount + k] = tail[k] }
            return houseCount + tail.count
        }
        return RegisterRecord(
            citizenID: MatchDigits.string(self.citizenID[index], width: 12),
            oldID: self.oldID[index] == 0 ? nil : MatchDigits.string(self.oldID[index], width: max(9, Int(self.oldIDDigits[index]))),
            fullName: Self.text(self.nameBytes, self.nameStart[index], self.nameLength[index]),
            birthDate: date,
            gender: self.gender[index] == 1 ? .male : self.gender[index] == 2 ? .female : nil,
            communeCode: self.commune[index] == 0 ? "" : MatchDigits.string(UInt64(Self.bcd(Int(self.commune[index]))), width: 5),
            address: address,
            status: self.deceased[index] ? .deceased : .alive,
            deathDate: death == 0
                ? nil : String(format: "%04d-%02d-%02d", Int(death / 10_000), Int(death / 100 % 100), Int(death % 100)))
    }

    /// Row index of a personal ID, if the register has it.
    public func index(ofCitizenID id: String) -> Int? {
        guard let parsed = MatchDigits.parse(id) else { return nil }
        return self.byCitizenID.find(parsed.bcd, in: self.citizenID)
    }

    private static func text(_ arena: [UInt8], _ start: UInt32, _ length: UInt16) -> String {
        let from = Int(start)
        return String(decoding: arena[from..<from + Int(length)], as: UTF8.self)
    }

    static func bcd(_ value: Int) -> UInt64 {
        var v = value
        var out: UInt64 = 0
        var shift: UInt64 = 0
        while v > 0 {
            out |= UInt64(v % 10) << shift
            v /= 10
            shift += 4
        }
        return out
    }
}
