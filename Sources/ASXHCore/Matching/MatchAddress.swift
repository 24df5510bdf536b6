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

    /// The house part's key (0 when the address has no house part) and the byte offset where the house part ends
    /// (the comma before the first unit piece, or the end).
    mutating func house(_ bytes: UnsafeBufferPointer<UInt8>) -> (key: UInt32, end: Int) {
        let n = bytes.count
        var key: UInt64 = 0xCBF2_9CE4_8422_2325
        var any = false
        var segmentStart = 0
        while segmentStart <= n {
            // One comma-separated piece: its first two words decide whether it names a unit.
            var i = segmentStart
            var words = 0
            var first: UInt64 = 0
            var pieceKey: UInt64 = 0xCBF2_9CE4_8422_2325
            while i < n && bytes[i] != 44 && bytes[i] != 59 {
                while i < n && Self.isSeparator(bytes[i]) { i += 1 }
                let wordStart = i
                var ascii = true
                while i < n && bytes[i] != 44 && bytes[i] != 59 && !Self.isSeparator(bytes[i]) {
                    if bytes[i] >= 0x80 { ascii = false }
                    i += 1
                }
                guard i > wordStart else { continue }
                let word = ascii ? Self.asciiWordHash(bytes, wordStart, i) : self.foldedWordHash(bytes, wordStart, i)
                guard word != 0 else { continue }
                if words == 0 {
                    first = word
                    if Self.isUnitWord(word) {
                        return (any ? Self.finish(key) : 0, segmentStart == 0 ? 0 : segmentStart - 1)
                    }
                } else if words == 1 && ((first == Self.thi && (word == Self.tran || word == Self.xa)) || (first == Self.thanh && word == Self.pho)) {
                    return (any ? Self.finish(key) : 0, segmentStart == 0 ? 0 : segmentStart - 1)
                }
                words += 1
                pieceKey = (pieceKey ^ word) &* 0x100_0000_01B3
                pieceKey ^= pieceKey >> 29
            }
            if words > 0 {
                key = (key ^ pieceKey) &* 0x100_0000_01B3
                key ^= key >> 31
                any = true
            }
            segmentStart = i + 1
        }
        return (any ? Self.finish(key) : 0, n)
    }

    @inline(__always)
    private static func asciiWordHash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in start..<end {
            var b = bytes[k]
            if b >= 65 && b <= 90 { b |= 0x20 }
            hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3
        }
        return hash
    }

    private mutating func foldedWordHash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        let raw = MatchKeyTable.key(MatchNameText.rawHash(bytes, start, end))
        if let cached = self.cache.find(raw) { return cached }
        let text = VietnameseText.fold(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 where b != 32 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        let folded = text.isEmpty ? 0 : hash
        self.cache.set(raw, folded)
        return folded
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

    private static let unitWords: [UInt64] =
        ["phuong", "p", "xa", "x", "tt", "tx", "tp", "quan", "q", "huyen", "h", "tinh"].map(Self.asciiHash)
    private static let thi = Self.asciiHash("thi")
    private static let tran = Self.asciiHash("tran")
    private static let xa = Self.asciiHash("xa")
    private static let thanh = Self.asciiHash("thanh")
    private static let pho = Self.asciiHash("pho")

    @inline(__always)
    private static func isUnitWord(_ word: UInt64) -> Bool {
        for unit in Self.unitWords where unit == word { return true }
        return false
    }
}
