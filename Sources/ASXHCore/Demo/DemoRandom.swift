/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64) whose output depends only on
/// the seed, so a demo generated with `--seed 7` is byte for byte the same on every machine and Swift version.
///
/// The bounded draws (`below`, `int(in:)`, `unit`) are implemented here rather than taken from the standard
/// library's `random(in:using:)`, whose algorithm is not promised to stay the same across Swift releases.
public struct DemoRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        self.s0 = Self.splitMix(&sm)
        self.s1 = Self.splitMix(&sm)
        self.s2 = Self.splitMix(&sm)
        self.s3 = Self.splitMix(&sm)
    }

    /// The generator for item `index` of stream `stream`: person 5's draws never depend on how many draws
    /// person 4 made, which lets the generator stream and regenerate any single item on demand.
    public init(seed: UInt64, stream: UInt64, index: UInt64) {
        var h = Self.finalize(seed ^ 0x6A09_E667_F3BC_C908)
        h = Self.finalize(h ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        h = Self.finalize(h ^ (index &* 0xC2B2_AE3D_27D4_EB4F) ^ 0x3C6E_F372_FE94_F82B)
        self.init(seed: h)
    }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(self.s1 &* 5, 7) &* 9
        let t = self.s1 << 17
        self.s2 ^= self.s0
        self.s3 ^= self.s1
        self.s1 ^= self.s2
        self.s0 ^= self.s3
        self.s2 ^= t
        self.s3 = Self.rotl(self.s3, 45)
        return result
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject, without bias).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = self.next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold {
                m = self.next().multipliedFullWidth(by: b)
            }
        }
        return Int(m.high)
    }

    /// A uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + self.below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func unit() -> Double {
        Double(self.next() >> 11) * 0x1.0p-53
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        probability > 0 && self.unit() < probability
    }

    /// One element of a non-empty array, uniformly.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[self.below(items.count)]
    }

    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.finalize(state)
    }

    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// Items drawn with fixed relative weights; weights are scaled to integers once so draws involve no floating point.
struct DemoWeightedTable<Element: Sendable>: Sendable {
    let items: [Element]
    private let cumulative: [UInt64]

    init(_ pairs: [(Element, Double)]) {
        precondition(!pairs.isEmpty, "a weighted table needs items")
        var items: [Element] = []
        var cumulative: [UInt64] = []
        var total: UInt64 = 0
        for (item, weight) in pairs where weight > 0 {
            total += UInt64((weight * 1_000_000).rounded())
            items.append(item)
            cumulative.append(total)
        }
        self.items = items
        self.cumulative = cumulative
    }

    func pick(_ random: inout DemoRandom) -> Element {
        let x = UInt64(random.below(Int(self.cumulative[self.cumulative.count - 1])))
        var lo = 0
        var hi = self.cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if self.cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return self.items[lo]
    }
}

/// A keyed bijection of `0..<size` (a 4-round Feistel network with cycle walking).
///
/// Used to hand out identity-number serials that look random yet can never collide: distinct inputs give
/// distinct outputs, and `invert` tells which input a given serial belongs to.
struct DemoPermutation: Sendable {
    let size: UInt64
    let key: UInt64
    private let halfBits: UInt64
    private let mask: UInt64

    init(size: UInt64, key: UInt64) {
        precondition(size > 1, "permutation size must exceed 1")
        var bits: UInt64 = 2
        while (UInt64(1) << bits) < size { bits += 2 }
        self.size = size
        self.key = key
        self.halfBits = bits / 2
        self.mask = (UInt64(1) << (bits / 2)) - 1
    }

    func apply(_ x: UInt64) -> UInt64 {
        precondition(x < self.size)
        var y = self.forward(x)
        while y >= self.size { y = self.forward(y) }
        return y
    }

    func invert(_ y: UInt64) -> UInt64 {
        precondition(y < self.size)
        var x = self.backward(y)
        while x >= self.size { x = self.backward(x) }
        return x
    }

    private func round(_ value: UInt64, _ round: UInt64) -> UInt64 {
        DemoRandom.finalize(value ^ self.key ^ (round &* 0x9E37_79B9_7F4A_7C15)) & self.mask
    }

    private func forward(_ x: UInt64) -> UInt64 {
        var left = x >> self.halfBits
        var right = x & self.mask
        for r in UInt64(0)..<4 {
            (left, right) = (right, left ^ self.round(right, r))
        }
        return (left << self.halfBits) | right
    }

    private func backward(_ y: UInt64) -> UInt64 {
        var left = y >> self.halfBits
        var right = y & self.mask
        for r in (UInt64(0)..<4).reversed() {
            (left, right) = (right ^ self.round(left, r), left)
        }
        return (left << self.halfBits) | right
    }
}
