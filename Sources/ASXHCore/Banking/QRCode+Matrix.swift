/// The module grid while a symbol is built: function patterns first, then codewords, mask, format and version.
/// Coordinates are (x: column, y: row), origin top left.
struct QRMatrix {
    let version: Int
    let size: Int
    /// Row-major, `true` for dark.
    var modules: [Bool]
    /// Modules that belong to function patterns or to the reserved format/version areas: never data, never masked.
    var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        self.size = version * 4 + 17
        self.modules = [Bool](repeating: false, count: self.size * self.size)
        self.isFunction = [Bool](repeating: false, count: self.size * self.size)
    }

    subscript(x: Int, y: Int) -> Bool {
        get { self.modules[y * self.size + x] }
        set { self.modules[y * self.size + x] = newValue }
    }

    private mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
        self.modules[y * self.size + x] = dark
        self.isFunction[y * self.size + x] = true
    }

    // MARK: Function patterns

    /// Timing, finders with separators, alignment patterns, and the format, version and dark-module areas reserved
    /// light: the mask is chosen on the symbol without them, as ISO/IEC 18004 orders the steps (§7.1: masking,
    /// then format and version information).
    mutating func drawFunctionPatterns() {
        for index in 0..<self.size {
            self.setFunction(6, index, index % 2 == 0)
            self.setFunction(index, 6, index % 2 == 0)
        }
        self.drawFinder(x: 3, y: 3)
        self.drawFinder(x: self.size - 4, y: 3)
        self.drawFinder(x: 3, y: self.size - 4)
        let positions = Self.alignmentPositions(version: self.version)
        let last = positions.count - 1
        for (i, y) in positions.enumerated() {
            for (j, x) in positions.enumerated() {
                // The three corners that a finder occupies.
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                self.drawAlignment(x: x, y: y)
            }
        }
        for (x, y) in self.formatPositions.first + self.formatPositions.second + [self.darkModule] {
            self.setFunction(x, y, false)
        }
        for (x, y) in self.versionPositions.flatMap({ [$0.0, $0.1] }) {
            self.setFunction(x, y, false)
        }
    }

    /// A 7×7 finder centred on (x, y) with its light separator, clipped at the edges.
    private mutating func drawFinder(x: Int, y: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let column = x + dx
                let row = y + dy
                guard (0..<self.size).contains(column), (0..<self.size).contains(row) else { continue }
                let distance = max(abs(dx), abs(dy))
                self.setFunction(column, row, distance != 2 && distance != 4)
            }
        }
    }

    private mutating func drawAlignment(x: Int, y: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                self.setFunction(x + dx, y + dy, max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// Centre rows and columns of the alignment patterns (ISO/IEC 18004 Annex E): 6, then evenly spaced (an even
    /// step) down to size − 7.
    static func alignmentPositions(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let size = version * 4 + 17
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        var positions = [Int](repeating: 6, count: count)
        var position = size - 7
        for index in stride(from: count - 1, through: 1, by: -1) {
            positions[index] = position
            position -= step
        }
        return positions
    }

    // MARK: Format and version information

    /// Where the 15 format bits go, bit 0 first: around the top-left finder, and split between the top-right and
    /// bottom-left finders.
    var formatPositions: (first: [(Int, Int)], second: [(Int, Int)]) {
        var first: [(Int, Int)] = (0...5).map { (8, $0) }
        first += [(8, 7), (8, 8), (7, 8)]
        first += (9..<15).map { (14 - $0, 8) }
        var second: [(Int, Int)] = (0..<8).map { (self.size - 1 - $0, 8) }
        second += (8..<15).map { (8, self.size - 15 + $0) }
        return (first, second)
    }

    /// Always dark, beside the bottom-left finder.
    var darkModule: (Int, Int) { (8, self.size - 8) }

    /// The 18 version bits' two places (versions 7 and up), bit 0 first.
    var versionPositions: [((Int, Int), (Int, Int))] {
        guard self.version >= 7 else { return [] }
        return (0..<18).map { index in
            let a = self.size - 11 + index % 3
            let b = index / 3
            return ((a, b), (b, a))
        }
    }

    /// The 15-bit format information: level and mask, BCH(15,5) with generator 0x537, XOR 0x5412 so that it is
    /// never all light.
    static func formatBits(errorCorrection: QRCode.ErrorCorrection, mask: Int) -> Int {
        let data = errorCorrection.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18-bit version information: the version, BCH(18,6) with generator 0x1F25.
    static func versionBits(version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }

    mutating func drawFormatBits(errorCorrection: QRCode.ErrorCorrection, mask: Int) {
        let bits = Self.formatBits(errorCorrection: errorCorrection, mask: mask)
        let positions = self.formatPositions
        for index in 0..<15 {
            let dark = (bits >> index) & 1 == 1
            self.setFunction(positions.first[index].0, positions.first[index].1, dark)
            self.setFunction(positions.second[index].0, positions.second[index].1, dark)
        }
        self.setFunction(self.darkModule.0, self.darkModule.1, true)
    }

    mutating func drawVersionBits() {
        guard self.version >= 7 else { return }
        let bits = Self.versionBits(version: self.version)
        for (index, places) in self.versionPositions.enumerated() {
            let dark = (bits >> index) & 1 == 1
            self.setFunction(places.0.0, places.0.1, dark)
            self.setFunction(places.1.0, places.1.1, dark)
        }
    }

    // MARK: Codewords

    /// Places the codewords' bits, most significant first, in two-module columns from the bottom right, going
    /// up and down in turn and skipping the vertical timing column; modules left over stay light.
    mutating func drawCodewords(_ codewords: [UInt8]) {
        let totalBits = codewords.count * 8
        var bit = 0
        var right = self.size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for vertical in 0..<self.size {
                let y = upward ? self.size - 1 - vertical : vertical
                for offset in 0..<2 {
                    let x = right - offset
                    guard !self.isFunction[y * self.size + x] else { continue }
                    if bit < totalBits {
                        self[x, y] = (codewords[bit >> 3] >> (7 - (bit & 7))) & 1 == 1
                        bit += 1
                    }
                }
            }
            right -= 2
        }
    }

    // MARK: Masks

    /// Whether mask `pattern` inverts the module at (x, y) (ISO/IEC 18004 Table 10; i is the row, j the column).
    static func masks(_ pattern: Int, x: Int, y: Int) -> Bool {
        switch pattern {
        case 0: return (x + y) % 2 == 0
        case 1: return y % 2 == 0
        case 2: return x % 3 == 0
        case 3: return (x + y) % 3 == 0
        case 4: return (x / 3 + y / 2) % 2 == 0
        case 5: return x * y % 2 + x * y % 3 == 0
        case 6: return (x * y % 2 + x * y % 3) % 2 == 0
        default: return ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    /// Inverts the data modules the pattern selects. Applying it twice undoes it.
    mutating func applyMask(_ pattern: Int) {
        for y in 0..<self.size {
            for x in 0..<self.size where !self.isFunction[y * self.size + x] && Self.masks(pattern, x: x, y: y) {
                self.modules[y * self.size + x].toggle()
            }
        }
    }

    /// The mask with the lowest penalty; the lowest-numbered one on a tie.
    mutating func bestMask() -> Int {
        var best = 0
        var bestPenalty = Int.max
        for pattern in 0...7 {
            self.applyMask(pattern)
            let penalty = QRPenalty.score(self.modules, size: self.size).total
            self.applyMask(pattern)
            if penalty < bestPenalty {
                best = pattern
                bestPenalty = penalty
            }
        }
        return best
    }
}

/// The four penalty rules of ISO/IEC 18004 §7.8.3.1 that choose a mask.
enum QRPenalty {
    struct Score: Equatable {
        /// Runs of five or more same-coloured modules in a row or column: 3 + (run − 5) each.
        var runs: Int
        /// Each 2×2 block of one colour: 3.
        var blocks: Int
        /// Each dark-light-dark×3-light-dark (1:1:3:1:1) pattern with four light modules on either side: 40.
        var finderLike: Int
        /// 10 for each full 5 % that the dark share strays from 50 %.
        var balance: Int

        var total: Int { self.runs + self.blocks + self.finderLike + self.balance }
    }

    static func score(_ modules: [Bool], size: Int) -> Score {
        var runs = 0
        var blocks = 0
        var finderLike = 0
        var dark = 0
        var row = [Bool](repeating: false, count: size)
        var column = [Bool](repeating: false, count: size)
        for index in 0..<size {
            for other in 0..<size {
                row[other] = modules[index * size + other]
                column[other] = modules[other * size + index]
                if row[other] { dark += 1 }
                if index > 0 && other > 0 {
                    let value = row[other]
                    if modules[index * size + other - 1] == value && modules[(index - 1) * size + other] == value
                        && modules[(index - 1) * size + other - 1] == value
                    {
                        blocks += 3
                    }
                }
            }
            runs += Self.runPenalty(row) + Self.runPenalty(column)
            finderLike += Self.finderLikePenalty(row) + Self.finderLikePenalty(column)
        }
        let total = size * size
        // |dark/total − 50 %| in whole steps of 5 %, without floating point.
        let balance = 10 * (abs(dark * 100 - total * 50) / (total * 5))
        return Score(runs: runs, blocks: blocks, finderLike: finderLike, balance: balance)
    }

    private static func runPenalty(_ line: [Bool]) -> Int {
        var penalty = 0
        var run = 1
        for index in 1..<line.count {
            if line[index] == line[index - 1] {
                run += 1
            } else {
                if run >= 5 { penalty += run - 2 }
                run = 1
            }
        }
        if run >= 5 { penalty += run - 2 }
        return penalty
    }

    /// Finds 1011101 and counts it when the four modules before or after it are light; the area outside the
    /// symbol counts as light (it is the quiet zone). After a counted pattern the search resumes past it,
    /// otherwise at its centre, as the reference encoder segno does, so that the chosen masks agree.
    private static func finderLikePenalty(_ line: [Bool]) -> Int {
        let pattern = [true, false, true, true, true, false, true]
        let size = line.count
        var penalty = 0
        var start = 0
        while start + 7 <= size {
            guard (0..<7).allSatisfy({ line[start + $0] == pattern[$0] }) else {
                start += 1
                continue
            }
            let before = line[max(start - 4, 0)..<start].allSatisfy { !$0 }
            let after = line[(start + 7)..<min(start + 11, size)].allSatisfy { !$0 }
            if before || after {
                penalty += 40
                start += 7
            } else {
                start += 4
            }
        }
        return penalty
    }
}
