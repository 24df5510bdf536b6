/// The house part of an address: what comes before the commune ("Số 12, ngõ 45 Kim Mã" in
/// "Số 12, ngõ 45 Kim Mã, Phường Kim Mã, Quận Ba Đình, Thành phố Hà Nội"), reduced to a key of its folded words.
///
/// Lists and the register write the administrative part differently ("P. Kim Mã, Q. Ba Đình" against the
/// register's full names up to the city), but the house part is what tells two people of one ward apart, so only
/// it is compared, and only when both sides name the same commune. The house part ends at the first
/// comma-separated piece that starts with a unit word (phường, xã, thị trấn, thị xã, quận, huyện, thành phố, tỉnh
/// or their abbreviations P., X., TT., TX., Q., H., TP.). Words are folded (no diacritics, lower case), so
/// "Số 12 phố Xã Đàn" and "SO 12 PHO XA DAN" have the same key; punctuation only separates words.
struct MatchAddressFolder {
    /// Raw bytes of a non-ASCII word (hashed) → hash of its folded form: folding costs once per spelling.
    private var cache = MatchKeyTable(expectedCount: 1 << 10)
    private var words: [UInt64] = []

    /// The house part's key (0 when the address has no house part) and the byte offset where the house part ends
    /// (the comma before the first unit piece, or the end).
    mutating func house(_ bytes: UnsafeBufferPointer<UInt8>) -> (key: UInt32, end: Int) {
        let n = bytes.count
        var key: UInt64 = 0xCBF2_9CE4_8422_2325
        var any = false
        var segmentStart = 0
        while segmentStart <= n {
            var segmentEnd = segmentStart
            while segmentEnd < n && bytes[segmentEnd] != 44 && bytes[segmentEnd] != 59 { segmentEnd += 1 }
            self.words.removeAll(keepingCapacity: true)
            self.appendWords(bytes, segmentStart, segmentEnd)
            if !self.words.isEmpty {
                if Self.startsWithUnit(self.words) {
                    // The house part ends at the comma before this piece (trailing spaces stay with the house).
                    return (any ? Self.finish(key) : 0, segmentStart == 0 ? 0 : segmentStart - 1)
                }
                for word in self.words {
                    key = (key ^ word) &* 0x100_0000_01B3
                    key ^= key >> 29
                }
                key = (key ^ 0x2C) &* 0x100_0000_01B3
                any = true
            }
            segmentStart = segmentEnd + 1
        }
        return (any ? Self.finish(key) : 0, n)
    }

    /// The key of an address written as text (a list's cell).
    mutating func houseKey(_ text: String) -> UInt32 {
        var text = text
        return text.withUTF8 { self.house($0).key }
    }

    private static func finish(_ key: UInt64) -> UInt32 {
        let mixed = MatchKeyTable.key(key)
        let folded = UInt32(truncatingIfNeeded: mixed ^ (mixed >> 32))
        return folded == 0 ? 1 : folded
    }

    private mutating func appendWords(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        var i = start
        while i < end {
            while i < end && Self.isSeparator(bytes[i]) { i += 1 }
            let wordStart = i
            var ascii = true
            while i < end && !Self.isSeparator(bytes[i]) {
                if bytes[i] >= 0x80 { ascii = false }
                i += 1
            }
            guard i > wordStart else { continue }
            if ascii {
                var hash: UInt64 = 0xCBF2_9CE4_8422_2325
                for k in wordStart..<i {
                    var b = bytes[k]
                    if b >= 65 && b <= 90 { b |= 0x20 }
                    hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3
                }
                self.words.append(hash)
                continue
            }
            let raw = MatchKeyTable.key(MatchNameText.rawHash(bytes, wordStart, i))
            let folded: UInt64
            if let cached = self.cache.find(raw) {
                folded = cached
            } else {
                let text = VietnameseText.fold(String(decoding: UnsafeBufferPointer(rebasing: bytes[wordStart..<i]), as: UTF8.self))
                var hash: UInt64 = 0xCBF2_9CE4_8422_2325
                for b in text.utf8 where b != 32 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
                folded = text.isEmpty ? 0 : hash
                self.cache.set(raw, folded)
            }
            if folded != 0 { self.words.append(folded) }
        }
    }

    /// Space, tab, and the punctuation people put inside addresses; commas and semicolons end a piece.
    @inline(__always)
    private static func isSeparator(_ b: UInt8) -> Bool {
        b == 32 || b == 9 || b == 46 || b == 47 || b == 45 || b == 40 || b == 41 || b == 58 || b == 34 || b == 39
            || b == 13 || b == 10
    }

    static func asciiHash(_ word: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in word.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        return hash
    }

    private static let unitWords: Set<UInt64> = Set(
        ["phuong", "p", "xa", "x", "tt", "tx", "tp", "quan", "q", "huyen", "h", "tinh"].map(Self.asciiHash))
    private static let thi = Self.asciiHash("thi")
    private static let thiFollowers: Set<UInt64> = [Self.asciiHash("tran"), Self.asciiHash("xa")]
    private static let thanh = Self.asciiHash("thanh")
    private static let pho = Self.asciiHash("pho")

    private static func startsWithUnit(_ words: [UInt64]) -> Bool {
        let first = words[0]
        if Self.unitWords.contains(first) { return true }
        guard words.count > 1 else { return false }
        if first == Self.thi { return Self.thiFollowers.contains(words[1]) }
        if first == Self.thanh { return words[1] == Self.pho }
        return false
    }
}
