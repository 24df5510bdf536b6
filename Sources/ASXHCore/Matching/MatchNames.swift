/// One word of a name: its folded form (compared) and a key of its diacritics (to tell Hương from Hường when
/// both sides wrote diacritics).
struct MatchNameToken: Sendable, Hashable {
    var folded: String
    /// 0 when the word was written without diacritics; otherwise a hash of its cleaned lower-case spelling, so
    /// that tone-mark placement (Hòa / Hoà) and decomposed Unicode do not make two spellings differ.
    var accent: UInt32
}

enum MatchNameText {
    /// The tokens of one whitespace-free piece (a hyphen or dot inside it may still split it).
    static func appendTokens(of piece: String, to out: inout [MatchNameToken]) {
        let folded = VietnameseText.fold(piece)
        guard !folded.isEmpty else { return }
        let accent = self.accentKey(piece)
        for part in folded.split(separator: " ") {
            out.append(MatchNameToken(folded: String(part), accent: accent))
        }
    }

    static func accentKey(_ piece: String) -> UInt32 {
        let canonical = VietnameseText.clean(piece).lowercased()
        var hash: UInt32 = 2_166_136_261
        var ascii = true
        for byte in canonical.utf8 {
            if byte >= 0x80 { ascii = false }
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return ascii ? 0 : (hash == 0 ? 1 : hash)
    }

    /// FNV-1a over raw bytes: the key of the per-loader cache from a word as written to its tokens.
    @inline(__always)
    static func rawHash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var i = start
        while i < end {
            hash = (hash ^ UInt64(bytes[i])) &* 0x100_0000_01B3
            i += 1
        }
        return hash
    }
}

/// The folded words of every register name, numbered (0 means "no word"), with a deletion index that finds the
/// words one edit away from any word (SymSpell-style: two words at edit distance 1 share a one-deletion variant).
struct MatchVocabulary: Sendable {
    private(set) var strings: [[UInt8]] = [[]]
    private var lookup: [String: UInt32] = [:]
    private var deletions: [UInt64: [UInt32]] = [:]

    var count: Int { self.strings.count }

    mutating func intern(_ folded: String) -> UInt32 {
        if let id = self.lookup[folded] { return id }
        let id = UInt32(self.strings.count)
        self.strings.append(Array(folded.utf8))
        self.lookup[folded] = id
        return id
    }

    /// The word's number, or 0 when no register name uses it.
    func id(_ folded: String) -> UInt32 {
        self.lookup[folded] ?? 0
    }

    mutating func buildNeighbourIndex() {
        var index: [UInt64: [UInt32]] = [:]
        index.reserveCapacity(self.strings.count * 7)
        for id in 1..<self.strings.count {
            Self.forEachVariant(self.strings[id]) { hash in
                index[hash, default: []].append(UInt32(id))
            }
        }
        self.deletions = index
    }

    /// Words at edit distance exactly 1 (one letter inserted, deleted, replaced, or two neighbours swapped).
    func neighbours(of folded: String) -> [UInt32] {
        let word = Array(folded.utf8)
        guard !word.isEmpty else { return [] }
        var found: [UInt32] = []
        Self.forEachVariant(word) { hash in
            guard let ids = self.deletions[hash] else { return }
            for id in ids where !found.contains(id) && Self.isOneEditApart(word, self.strings[Int(id)]) {
                found.append(id)
            }
        }
        return found
    }

    private static func forEachVariant(_ word: [UInt8], _ body: (UInt64) -> Void) {
        body(self.hash(word, skipping: -1))
        if word.count > 1 {
            for skip in 0..<word.count { body(self.hash(word, skipping: skip)) }
        }
    }

    private static func hash(_ word: [UInt8], skipping: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in 0..<word.count where i != skipping {
            hash = (hash ^ UInt64(word[i])) &* 0x100_0000_01B3
        }
        return hash
    }

    /// Optimal string alignment distance == 1.
    static func isOneEditApart(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        if a.count == b.count {
            var first = -1
            var second = -1
            for i in 0..<a.count where a[i] != b[i] {
                if first < 0 {
                    first = i
                } else if second < 0 {
                    second = i
                } else {
                    return false
                }
            }
            if first < 0 { return false }
            if second < 0 { return true }
            return second == first + 1 && a[first] == b[second] && a[second] == b[first]
        }
        let (long, short) = a.count > b.count ? (a, b) : (b, a)
        guard long.count == short.count + 1 else { return false }
        var i = 0
        while i < short.count && short[i] == long[i] { i += 1 }
        while i < short.count {
            if short[i] != long[i + 1] { return false }
            i += 1
        }
        return true
    }
}
