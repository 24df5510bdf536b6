/// An open-addressing hash table from a non-zero `UInt64` key to a `UInt64` value.
///
/// The register index holds tens of millions of block keys; Swift's `Dictionary` costs several times the memory
/// and time per entry, so the hot tables are flat arrays probed linearly. Key 0 marks an empty slot (callers map
/// their keys through `MatchKeyTable.key(_:)`, which never returns 0).
struct MatchKeyTable: Sendable {
    private(set) var keys: [UInt64]
    private(set) var values: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(expectedCount: Int) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        self.keys = [UInt64](repeating: 0, count: capacity)
        self.values = [UInt64](repeating: 0, count: capacity)
        self.mask = capacity - 1
    }

    /// A well-mixed non-zero key (splitmix64 finalizer).
    @inline(__always)
    static func key(_ raw: UInt64) -> UInt64 {
        var z = raw &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z = z ^ (z >> 31)
        return z == 0 ? 1 : z
    }

    /// Combines parts of a composite key (order matters).
    @inline(__always)
    static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        key(a &* 0x1000_0000_01B3 ^ (b &+ 0x51_7CC1_B727_220A))
    }

    @inline(__always)
    func find(_ key: UInt64) -> UInt64? {
        var slot = Int(truncatingIfNeeded: key) & self.mask
        return self.keys.withUnsafeBufferPointer { keys in
            while true {
                let k = keys[slot]
                if k == key { return self.values[slot] }
                if k == 0 { return nil }
                slot = (slot + 1) & self.mask
            }
        }
    }

    /// Inserts or replaces; returns the previous value.
    @discardableResult
    mutating func set(_ key: UInt64, _ value: UInt64) -> UInt64? {
        if (self.count + 1) * 10 > self.keys.count * 7 { self.grow() }
        var slot = Int(truncatingIfNeeded: key) & self.mask
        while true {
            let k = self.keys[slot]
            if k == key {
                let old = self.values[slot]
                self.values[slot] = value
                return old
            }
            if k == 0 {
                self.keys[slot] = key
                self.values[slot] = value
                self.count += 1
                return nil
            }
            slot = (slot + 1) & self.mask
        }
    }

    /// Adds `delta` to the value stored under `key` (0 when absent).
    mutating func add(_ key: UInt64, _ delta: UInt64) {
        if (self.count + 1) * 10 > self.keys.count * 7 { self.grow() }
        var slot = Int(truncatingIfNeeded: key) & self.mask
        while true {
            let k = self.keys[slot]
            if k == key {
                self.values[slot] &+= delta
                return
            }
            if k == 0 {
                self.keys[slot] = key
                self.values[slot] = delta
                self.count += 1
                return
            }
            slot = (slot + 1) & self.mask
        }
    }

    private mutating func grow() {
        let oldKeys = self.keys
        let oldValues = self.values
        let capacity = oldKeys.count * 2
        self.keys = [UInt64](repeating: 0, count: capacity)
        self.values = [UInt64](repeating: 0, count: capacity)
        self.mask = capacity - 1
        self.count = 0
        for i in 0..<oldKeys.count where oldKeys[i] != 0 {
            var slot = Int(truncatingIfNeeded: oldKeys[i]) & self.mask
            while self.keys[slot] != 0 { slot = (slot + 1) & self.mask }
            self.keys[slot] = oldKeys[i]
            self.values[slot] = oldValues[i]
            self.count += 1
        }
    }
}

/// An open-addressing table from an ID to the row that has it, storing only row numbers: the key of a slot is
/// read from the ID column itself, so the table costs 4–8 bytes a row instead of a key–value table's 32.
struct MatchRowTable: Sendable {
    private let slots: [Int32]
    private let mask: Int

    /// Indexes every non-zero ID of `ids`; an ID that occurs twice keeps its first row (the extract should have none).
    init(ids: [UInt64]) {
        let present = ids.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        var capacity = 16
        while capacity * 5 < present * 8 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        ids.withUnsafeBufferPointer { ids in
            slots.withUnsafeMutableBufferPointer { slots in
                for (row, id) in ids.enumerated() where id != 0 {
                    var slot = Int(truncatingIfNeeded: MatchKeyTable.key(id)) & mask
                    while true {
                        let occupant = slots[slot]
                        if occupant < 0 {
                            slots[slot] = Int32(row)
                            break
                        }
                        if ids[Int(occupant)] == id { break }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        self.slots = slots
        self.mask = mask
    }

    /// The row whose ID in `ids` (the column the table was built from) is `id`.
    @inline(__always)
    func find(_ id: UInt64, in ids: [UInt64]) -> Int? {
        guard id != 0 else { return nil }
        return self.slots.withUnsafeBufferPointer { slots in
            ids.withUnsafeBufferPointer { ids in
                var slot = Int(truncatingIfNeeded: MatchKeyTable.key(id)) & self.mask
                while true {
                    let occupant = slots[slot]
                    if occupant < 0 { return nil }
                    if ids[Int(occupant)] == id { return Int(occupant) }
                    slot = (slot + 1) & self.mask
                }
            }
        }
    }
}

/// Sorts rows by (major, minor) with a stable LSD radix sort (16-bit digits, constant digits skipped), moving both
/// keys and the payload: the minor key's digits first, then the major key's.
func matchRadixSort(major: inout [UInt64], minor: inout [UInt32], payload: inout [Int32]) {
    let n = major.count
    guard n > 1 else { return }
    var orMajor: UInt64 = 0
    var andMajor: UInt64 = ~0
    for k in major {
        orMajor |= k
        andMajor &= k
    }
    var orMinor: UInt32 = 0
    var andMinor: UInt32 = ~0
    for k in minor {
        orMinor |= k
        andMinor &= k
    }
    // (use the minor key, shift) for every digit that varies, least significant first.
    var passes: [(Bool, UInt64)] = []
    for shift in stride(from: 0, to: 32, by: 16) where ((orMinor ^ andMinor) >> UInt32(shift)) & 0xFFFF != 0 {
        passes.append((true, UInt64(shift)))
    }
    for shift in stride(from: 0, to: 64, by: 16) where ((orMajor ^ andMajor) >> UInt64(shift)) & 0xFFFF != 0 {
        passes.append((false, UInt64(shift)))
    }
    var tmpMajor = [UInt64](repeating: 0, count: n)
    var tmpMinor = [UInt32](repeating: 0, count: n)
    var tmpPayload = [Int32](repeating: 0, count: n)
    var counts = [Int](repeating: 0, count: 65_536)
    for (useMinor, shift) in passes {
        for i in 0..<counts.count { counts[i] = 0 }
        if useMinor {
            for k in minor { counts[Int((UInt64(k) >> shift) & 0xFFFF)] += 1 }
        } else {
            for k in major { counts[Int((k >> shift) & 0xFFFF)] += 1 }
        }
        var sum = 0
        for i in 0..<counts.count {
            let c = counts[i]
            counts[i] = sum
            sum += c
        }
        major.withUnsafeBufferPointer { srcMajor in
            minor.withUnsafeBufferPointer { srcMinor in
                payload.withUnsafeBufferPointer { srcPayload in
                    tmpMajor.withUnsafeMutableBufferPointer { dstMajor in
                        tmpMinor.withUnsafeMutableBufferPointer { dstMinor in
                            tmpPayload.withUnsafeMutableBufferPointer { dstPayload in
                                counts.withUnsafeMutableBufferPointer { counts in
                                    for i in 0..<n {
                                        let d = useMinor
                                            ? Int((UInt64(srcMinor[i]) >> shift) & 0xFFFF) : Int((srcMajor[i] >> shift) & 0xFFFF)
                                        let at = counts[d]
                                        counts[d] = at + 1
                                        dstMajor[at] = srcMajor[i]
                                        dstMinor[at] = srcMinor[i]
                                        dstPayload[at] = srcPayload[i]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        swap(&major, &tmpMajor)
        swap(&minor, &tmpMinor)
        swap(&payload, &tmpPayload)
    }
}
