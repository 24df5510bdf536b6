import Foundation

/// The population register extract held in memory as compact columns, indexed for matching.
///
/// Rows are sorted by (given name, birth year, family name), so the main block of a query, everyone with its
/// given name born in its year, is one contiguous run that the matcher scans without jumping around memory.
/// Other blocks (family + given + commune for a wrong year; family + year + commune for a misspelt given name)
/// are chains through the rows; personal and old IDs have their own tables. Counts of names, dates and
/// communes give the matcher how common a value is (a shared common name proves little).
/// Memory: about 130 bytes a row for 2 million rows (columns, name and address text, tables).
public final class RegisterIndex: Sendable {
    /// Number of register rows.
    public let count: Int
    /// Rows skipped while loading (bad ID, no name…), the first hundred of them.
    public let problems: [RegisterLoadProblem]
    public let skippedRows: Int

    let vocabulary: MatchVocabulary
    let citizenID: [UInt64]
    let oldID: [UInt64]
    let oldIDDigits: [UInt8]
    let birth: [UInt32]
    let gender: [UInt8]
    let commune: [Int32]
    let deceased: [Bool]
    let death: [UInt32]
    let given: [UInt32]
    let family: [UInt32]
    let tokenStart: [UInt32]
    let tokenCount: [UInt8]
    let tokens: [UInt32]
    let accents: [UInt32]
    let nameStart: [UInt32]
    let nameLength: [UInt16]
    let nameBytes: [UInt8]
    let addressStart: [UInt32]
    let addressLength: [UInt16]
    let addressBytes: [UInt8]

    /// (given, birth year) → start << 32 | count of the contiguous run.
    let blocks: MatchKeyTable
    /// (family, given, commune) → first row; `nextSameNameCommune` links the rest.
    let nameCommuneHeads: MatchKeyTable
    let nextSameNameCommune: [Int32]
    /// (family, birth year, commune) → first row; `nextSameFamilyYearCommune` links the rest.
    let familyYearCommuneHeads: MatchKeyTable
    let nextSameFamilyYearCommune: [Int32]
    let byCitizenID: MatchKeyTable
    let byOldID: MatchKeyTable
    let statistics: RegisterStatistics

    /// Builds the index from records given as values (tests, small registers, network answers).
    public convenience init(records: [RegisterRecord]) {
        var builder = RegisterIndexBuilder(reserve: records.count)
        for record in records { builder.append(record) }
        self.init(builders: [builder])
    }

    init(builders: [RegisterIndexBuilder]) {
        var builders = builders
        // One numbering of words for all workers.
        var vocabulary = MatchVocabulary()
        var remaps: [[UInt32]] = []
        for builder in builders {
            var remap = [UInt32](repeating: 0, count: builder.words.count)
            for local in 1..<max(1, builder.words.count) {
                remap[local] = vocabulary.intern(String(decoding: builder.words.strings[local], as: UTF8.self))
            }
            remaps.append(remap)
        }
        vocabulary.buildNeighbourIndex()
        precondition(vocabulary.count < 1 << 24, "More than 16 million distinct name words")

        var offsets: [Int] = []
        var total = 0
        for builder in builders {
            offsets.append(total)
            total += builder.count
        }
        precondition(total < Int(Int32.max), "Register too large for 32-bit row numbers")
        self.count = total
        self.problems = builders.flatMap(\.problems)
        self.skippedRows = builders.reduce(0) { $0 + $1.skippedRows }

        // Sort key: given (24 bits) | year offset (10 bits) | family (24 bits).
        var keys = [UInt64](repeating: 0, count: total)
        var order = [Int32](repeating: 0, count: total)
        for (b, builder) in builders.enumerated() {
            let remap = remaps[b]
            for j in 0..<builder.count {
                let start = Int(builder.tokenStart[j])
                let n = Int(builder.tokenCount[j])
                let g: UInt64 = n > 0 ? UInt64(remap[Int(builder.tokens[start + n - 1])]) : 0
                let f: UInt64 = n > 1 ? UInt64(remap[Int(builder.tokens[start])]) : 0
                let year = UInt64(Self.yearOffset(builder.birth[j]))
                keys[offsets[b] + j] = (g << 34) | (year << 24) | f
                order[offsets[b] + j] = Int32(offsets[b] + j)
            }
        }
        matchRadixSort(keys: &keys, payload: &order)
        keys = []

        let builderOf: (Int) -> (Int, Int) = { global in
            var b = offsets.count - 1
            while offsets[b] > global { b -= 1 }
            return (b, global - offsets[b])
        }
        let locations = order.map { builderOf(Int($0)) }
        order = []

        func gather<T>(_ column: (RegisterIndexBuilder) -> [T]) -> [T] {
            let columns = builders.map(column)
            return locations.map { columns[$0.0][$0.1] }
        }
        let citizenID = gather(\.citizenID)
        let oldID = gather(\.oldID)
        let birth = gather(\.birth)
        let gender = gather(\.gender)
        let commune = gather(\.commune)
        self.citizenID = citizenID
        self.oldID = oldID
        self.birth = birth
        self.gender = gender
        self.commune = commune
        self.oldIDDigits = gather(\.oldIDDigits)
        self.deceased = gather(\.deceased)
        self.death = gather(\.death)
        self.nameLength = gather(\.nameLength)
        self.addressLength = gather(\.addressLength)
        let tokenCount = gather(\.tokenCount)
        self.tokenCount = tokenCount

        // Text arenas are concatenated as they are; only the row pointers move.
        var nameBase: [UInt32] = []
        var addressBase: [UInt32] = []
        var nameBytes: [UInt8] = []
        var addressBytes: [UInt8] = []
        for b in builders.indices {
            precondition(nameBytes.count + builders[b].nameBytes.count < Int(UInt32.max), "Names exceed 4 GiB")
            precondition(addressBytes.count + builders[b].addressBytes.count < Int(UInt32.max), "Addresses exceed 4 GiB")
            nameBase.append(UInt32(nameBytes.count))
            addressBase.append(UInt32(addressBytes.count))
            nameBytes.append(contentsOf: builders[b].nameBytes)
            builders[b].nameBytes = []
            addressBytes.append(contentsOf: builders[b].addressBytes)
            builders[b].addressBytes = []
        }
        self.nameBytes = nameBytes
        self.addressBytes = addressBytes
        self.nameStart = locations.map { builders[$0.0].nameStart[$0.1] + nameBase[$0.0] }
        self.addressStart = locations.map { builders[$0.0].addressStart[$0.1] + addressBase[$0.0] }

        // Word arena rebuilt in sorted order with global numbers, so a block's names lie together.
        var tokens: [UInt32] = []
        var accents: [UInt32] = []
        tokens.reserveCapacity(builders.reduce(0) { $0 + $1.tokens.count })
        accents.reserveCapacity(tokens.capacity)
        var tokenStart = [UInt32](repeating: 0, count: total)
        var given = [UInt32](repeating: 0, count: total)
        var family = [UInt32](repeating: 0, count: total)
        for (i, (b, j)) in locations.enumerated() {
            let start = Int(builders[b].tokenStart[j])
            let n = Int(builders[b].tokenCount[j])
            tokenStart[i] = UInt32(tokens.count)
            for k in start..<start + n {
                tokens.append(remaps[b][Int(builders[b].tokens[k])])
                accents.append(builders[b].accents[k])
            }
            if n > 0 { given[i] = tokens[tokens.count - 1] }
            if n > 1 { family[i] = tokens[tokens.count - n] }
        }
        builders = []
        self.tokens = tokens
        self.accents = accents
        self.tokenStart = tokenStart
        self.given = given
        self.family = family
        self.vocabulary = vocabulary

        // Tables are independent of each other: build them two at a time.
        let built = MatchParallel.map(5) { part -> Any in
            switch part {
            case 0: return Self.buildBlocks(given: given, birth: birth)
            case 1:
                return Self.buildChain(count: total) {
                    family[$0] == 0 || given[$0] == 0 || commune[$0] == 0
                        ? 0 : Self.nameCommuneKey(family: family[$0], given: given[$0], commune: commune[$0])
                }
            case 2:
                return Self.buildChain(count: total) {
                    family[$0] == 0 || birth[$0] == 0 || commune[$0] == 0
                        ? 0 : Self.familyYearCommuneKey(family: family[$0], year: Int(birth[$0] / 10_000), commune: commune[$0])
                }
            case 3:
                return (Self.buildIDTable(citizenID), Self.buildIDTable(oldID))
            default:
                return RegisterStatistics(
                    tokens: tokens, tokenStart: tokenStart, tokenCount: tokenCount, given: given, family: family,
                    birth: birth, gender: gender, commune: commune, citizenID: citizenID, oldID: oldID,
                    vocabularySize: vocabulary.count)
            }
        }
        self.blocks = built[0] as! MatchKeyTable
        (self.nameCommuneHeads, self.nextSameNameCommune) = built[1] as! (MatchKeyTable, [Int32])
        (self.familyYearCommuneHeads, self.nextSameFamilyYearCommune) = built[2] as! (MatchKeyTable, [Int32])
        (self.byCitizenID, self.byOldID) = built[3] as! (MatchKeyTable, MatchKeyTable)
        self.statistics = built[4] as! RegisterStatistics
    }

    static func yearOffset(_ birth: UInt32) -> Int {
        let year = Int(birth / 10_000)
        return year == 0 ? 0 : min(1023, max(1, year - 1800))
    }

    static func blockKey(given: UInt32, year: Int) -> UInt64 {
        MatchKeyTable.combine(UInt64(given), UInt64(year))
    }

    static func nameCommuneKey(family: UInt32, given: UInt32, commune: Int32) -> UInt64 {
        MatchKeyTable.combine(MatchKeyTable.combine(UInt64(family), UInt64(given)), UInt64(UInt32(bitPattern: commune)))
    }

    static func familyYearCommuneKey(family: UInt32, year: Int, commune: Int32) -> UInt64 {
        MatchKeyTable.combine(
            MatchKeyTable.combine(UInt64(family), UInt64(year) | 0x1_0000_0000), UInt64(UInt32(bitPattern: commune)))
    }

    private static func buildBlocks(given: [UInt32], birth: [UInt32]) -> MatchKeyTable {
        var table = MatchKeyTable(expectedCount: given.count / 8 + 16)
        var start = 0
        let n = given.count
        while start < n {
            let g = given[start]
            let year = Int(birth[start] / 10_000)
            var end = start + 1
            while end < n && given[end] == g && Int(birth[end] / 10_000) == year { end += 1 }
            if g != 0 && year != 0 {
                table.set(Self.blockKey(given: g, year: year), UInt64(start) << 32 | UInt64(end - start))
            }
            start = end
        }
        return table
    }

    private static func buildChain(count: Int, key: (Int) -> UInt64) -> (MatchKeyTable, [Int32]) {
        var table = MatchKeyTable(expectedCount: count)
        var next = [Int32](repeating: -1, count: count)
        var i = count - 1
        while i >= 0 {
            let k = key(i)
            if k != 0 {
                if let previous = table.set(k, UInt64(i)) { next[i] = Int32(previous) }
            }
            i -= 1
        }
        return (table, next)
    }

    private static func buildIDTable(_ ids: [UInt64]) -> MatchKeyTable {
        var table = MatchKeyTable(expectedCount: ids.count)
        for (i, id) in ids.enumerated() where id != 0 {
            let key = MatchKeyTable.key(id)
            // The first row keeps a duplicated ID; the extract should not have any.
            if table.find(key) == nil { table.set(key, UInt64(i)) }
        }
        return table
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
        return RegisterRecord(
            citizenID: MatchDigits.string(self.citizenID[index], width: 12),
            oldID: self.oldID[index] == 0 ? nil : MatchDigits.string(self.oldID[index], width: max(9, Int(self.oldIDDigits[index]))),
            fullName: Self.text(self.nameBytes, self.nameStart[index], self.nameLength[index]),
            birthDate: date,
            gender: self.gender[index] == 1 ? .male : self.gender[index] == 2 ? .female : nil,
            communeCode: self.commune[index] == 0 ? "" : MatchDigits.string(UInt64(Self.bcd(Int(self.commune[index]))), width: 5),
            address: Self.text(self.addressBytes, self.addressStart[index], self.addressLength[index]),
            status: self.deceased[index] ? .deceased : .alive,
            deathDate: death == 0
                ? nil : String(format: "%04d-%02d-%02d", Int(death / 10_000), Int(death / 100 % 100), Int(death % 100)))
    }

    /// Row index of a personal ID, if the register has it.
    public func index(ofCitizenID id: String) -> Int? {
        guard let parsed = MatchDigits.parse(id), let found = self.byCitizenID.find(MatchKeyTable.key(parsed.bcd)) else {
            return nil
        }
        return Int(found)
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
