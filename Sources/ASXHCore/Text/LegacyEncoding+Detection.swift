/// What decoding a text as TCVN3 and as VNI would do to its words.
///
/// A word "counts" only if it holds a non-ASCII character. It is *fixed* by an encoding when it is not a
/// well-formed Vietnamese syllable as it stands but is one (of two letters or more) once decoded; *spoilt* when
/// it was well-formed and decoding makes it ill-formed; *still bad* when neither reading is Vietnamese.
/// *Strong* counts fixed words that also show a byte pattern of that encoding no Latin-script name has.
struct LegacyEvidence {
    struct Tally {
        var fixed = 0
        var strong = 0
        var spoilt = 0
        var stillBad = 0

        mutating func add(_ other: Tally) {
            self.fixed += other.fixed
            self.strong += other.strong
            self.spoilt += other.spoilt
            self.stillBad += other.stillBad
        }

        /// One fixed word is enough with a strong pattern, or when the rest of the string is a Vietnamese name
        /// (two more words that read as Vietnamese: "Phaïm Thò An", but not "Loïc" or "Loïc Dupont").
        func isConvincing(column: Bool, context: Int) -> Bool {
            if column {
                return self.fixed >= 2 && self.strong >= 1 && self.fixed > 2 * (self.stillBad + self.spoilt)
            }
            guard self.fixed >= 1 && self.fixed > self.stillBad && 3 * self.spoilt < self.fixed else { return false }
            if self.strong >= 1 || self.fixed >= 2 { return true }
            return context >= 2 && self.stillBad == 0 && self.spoilt == 0
        }

        /// Enough for a cell of a column already known to be in this encoding.
        var supportsHint: Bool { self.fixed >= 1 && self.spoilt == 0 && self.fixed > self.stillBad }

        var score: (Int, Int) { (self.strong, self.fixed - self.stillBad - self.spoilt) }
    }

    var tcvn3 = Tally()
    var vni = Tally()
    /// Words that read as Vietnamese as they stand, ASCII ones included ("Thò An" around "Phaïm").
    var context = 0

    subscript(encoding: LegacyEncoding) -> Tally {
        switch encoding {
        case .tcvn3: return self.tcvn3
        case .vni: return self.vni
        case .unicode: return Tally()
        }
    }

    mutating func add(_ other: LegacyEvidence) {
        self.tcvn3.add(other.tcvn3)
        self.vni.add(other.vni)
        self.context += other.context
    }

    func verdict(column: Bool) -> LegacyEncoding {
        let tcvn3 = self.tcvn3.isConvincing(column: column, context: column ? 0 : self.context)
        let vni = self.vni.isConvincing(column: column, context: column ? 0 : self.context)
        switch (tcvn3, vni) {
        case (true, true):
            // Both readings make Vietnamese of the text: decide only on clearly better evidence.
            if self.vni.score > self.tcvn3.score { return .vni }
            if self.tcvn3.score > self.vni.score { return .tcvn3 }
            return .unicode
        case (true, false): return .tcvn3
        case (false, true): return .vni
        case (false, false): return .unicode
        }
    }

    /// nil when the text cannot be legacy at all: plain ASCII, or a character neither code page produces
    /// (any Vietnamese letter such as ễ ầ ữ, which is how most genuine Unicode names leave early).
    static func measure(_ text: String) -> LegacyEvidence? {
        var nonASCII = false
        for scalar in text.unicodeScalars where scalar.value >= 0x80 {
            guard LegacyCodePage.possibleScalars.contains(scalar.value) else { return nil }
            nonASCII = true
        }
        guard nonASCII else { return nil }
        let scalars = Array(text.unicodeScalars)
        var words: [Range<Int>] = []
        var suspicious = false
        var start = 0
        while start < scalars.count {
            guard Self.isWordScalar(scalars[start]) else {
                start += 1
                continue
            }
            var end = start
            var wordHasNonASCII = false
            while end < scalars.count && Self.isWordScalar(scalars[end]) {
                wordHasNonASCII = wordHasNonASCII || scalars[end].value >= 0x80
                end += 1
            }
            words.append(start..<end)
            if wordHasNonASCII && !suspicious && !Self.readsAsVietnamese(scalars[start..<end]) { suspicious = true }
            start = end
        }
        // Genuine Unicode Vietnamese leaves here: every word with a non-ASCII letter already reads as Vietnamese,
        // so no decoding could fix anything.
        guard suspicious else { return nil }
        let codePage = LegacyCodePage(scalars)
        for scalar in scalars where scalar.value >= 0x80 {
            guard codePage.isRepresentable(scalar) else { return nil }
        }
        var evidence = LegacyEvidence()
        for range in words {
            let word = Array(scalars[range])
            if word.contains(where: { $0.value >= 0x80 }) {
                evidence.measureWord(word, codePage: codePage)
            } else if Self.isVietnamese(word) {
                evidence.context += 1
            }
        }
        return evidence
    }

    /// The word as written is a well-formed Vietnamese syllable, without a capital inside ("NguyÔn").
    private static func readsAsVietnamese(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
        if Self.hasInnerCapital(word) { return false }
        if word.allSatisfy({ $0.value < 0x300 || ($0.value >= 0x1E00 && $0.value < 0x1F00) }) {
            return Self.isVietnamese(word)
        }
        return Self.isVietnamese(Array(LegacyEncoding.string(Array(word)).unicodeScalars))
    }

    /// Words are split at ASCII punctuation, digits and white space only: legacy letters look like
    /// punctuation (¨ § ª) and must stay inside their word.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 {
            let lower = scalar.value | 0x20
            return lower >= 0x61 && lower <= 0x7A
        }
        return !scalar.properties.isWhitespace && scalar.value != 0x200B
    }

    private mutating func measureWord(_ word: [Unicode.Scalar], codePage: LegacyCodePage) {
        let asWritten = Array(LegacyEncoding.string(word).unicodeScalars)
        let readsAsVietnamese = Self.readsAsVietnamese(word[...])
        if readsAsVietnamese { self.context += 1 }
        var decodedReadings: [(decoded: [Unicode.Scalar], isVietnamese: Bool)] = []
        for encoding in [LegacyEncoding.tcvn3, .vni] {
            let decoded = Array(
                LegacyEncoding.string(LegacyEncoding.decode(word, from: encoding, codePage: codePage)).unicodeScalars)
            decodedReadings.append((decoded, decoded != asWritten && decoded.count >= 2 && Self.isVietnamese(decoded)))
        }
        for (encoding, reading) in zip([LegacyEncoding.tcvn3, .vni], decodedReadings) {
            guard reading.decoded != asWritten else {
                if !readsAsVietnamese { self.update(encoding) { $0.stillBad += 1 } }
                continue
            }
            switch (readsAsVietnamese, reading.isVietnamese) {
            case (true, false):
                self.update(encoding) { $0.spoilt += 1 }
            case (false, true):
                var strong = Self.hasStrongPattern(word, codePage: codePage, encoding: encoding)
                // A capital after a capital vowel ("VUÕ") is TCVN3's ế or VNI's tilde alike: it counts only when
                // the VNI reading is no Vietnamese ("XUYÕN": XUYẾN, not XUỸN).
                if !strong && encoding == .tcvn3 && !decodedReadings[1].isVietnamese {
                    strong = Self.hasTCVN3CapitalPattern(word)
                }
                self.update(encoding) {
                    $0.fixed += 1
                    if strong { $0.strong += 1 }
                }
            case (false, false):
                self.update(encoding) { $0.stillBad += 1 }
            case (true, true):
                break
            }
        }
    }

    private mutating func update(_ encoding: LegacyEncoding, _ body: (inout Tally) -> Void) {
        switch encoding {
        case .tcvn3: body(&self.tcvn3)
        case .vni: body(&self.vni)
        case .unicode: break
        }
    }

    private static func isVietnamese(_ scalars: some Collection<Unicode.Scalar>) -> Bool {
        VietnameseSyllable(scalars)?.hasTonePlacedRight ?? false
    }

    /// An upper-case non-ASCII letter straight after a lower-case letter: "NguyÔn", "TrÇn".
    private static func hasInnerCapital(_ word: some Collection<Unicode.Scalar>) -> Bool {
        var previousIsLower = false
        for scalar in word {
            let properties = scalar.properties
            if scalar.value >= 0x80 && properties.isUppercase && previousIsLower { return true }
            previousIsLower = properties.isLowercase
        }
        return false
    }

    /// Case that only TCVN3 produces in an upper-case word, where its toned vowels keep their one code: a
    /// Latin-1 capital inside the word ("TRÇN", "XUYÕN") or a lower-case Latin-1 letter between capitals
    /// ("NGäC"). VNI capitals look the same ("VUÕ" is VŨ), so this counts only when the VNI reading fails.
    private static func hasTCVN3CapitalPattern(_ word: [Unicode.Scalar]) -> Bool {
        for index in word.indices.dropFirst() where word[index].value >= 0xC0 && word[index].value <= 0xFF {
            let properties = word[index].properties
            if properties.isUppercase && word[index].value < 0xDF { return true }
            if properties.isLowercase && word[index - 1].properties.isUppercase && index + 1 < word.count
                && word[index + 1].properties.isUppercase
            {
                return true
            }
        }
        return false
    }

    private static func hasStrongPattern(_ word: [Unicode.Scalar], codePage: LegacyCodePage, encoding: LegacyEncoding)
        -> Bool
    {
        if Self.hasMarkOnConsonant(word) { return true }
        let bytes = codePage.units(word, for: encoding).map { $0.byte }
        switch encoding {
        case .tcvn3:
            if Self.hasInnerCapital(word) { return true }
            return bytes.contains { $0.map(LegacyTables.isTCVN3Symbol) ?? false }
        case .vni:
            if let first = bytes.first, first == LegacyTables.vniD.lower || first == LegacyTables.vniD.upper,
                bytes.count >= 2
            {
                return true
            }
            for index in bytes.indices.dropLast() {
                if let first = bytes[index], let second = bytes[index + 1], LegacyTables.isVNIStrongPair(first, second)
                {
                    return true
                }
            }
            return false
        case .unicode:
            return false
        }
    }

    /// A combining mark on a consonant ("Th̃", or fused by NFC as "ḿ", "ḥ"): what Windows-1258 makes of a legacy
    /// vowel byte that follows a consonant, and never Vietnamese.
    private static func hasMarkOnConsonant(_ word: [Unicode.Scalar]) -> Bool {
        var previousIsConsonant = false
        for scalar in word {
            let value = scalar.value
            if value >= 0x300 && value < 0x370 && previousIsConsonant { return true }
            if value >= 0x1E00 && value < 0x1EA0 {
                // Latin Extended Additional below the Vietnamese block: consonants with marks (ḿ ḥ ṇ …) and a few
                // vowels; the Vietnamese letters all sit from U+1EA0.
                if let base = LegacyCodePage.decomposition(scalar)?.first, base.value < 0x80,
                    !"aeiouyAEIOUY".unicodeScalars.contains(base)
                {
                    return true
                }
            }
            if value == 0x144 || value == 0x1F9 || value == 0x155 || value == 0x15B || value == 0x107 || value == 0x13A
                || value == 0x17A || value == 0x1F5
            {
                return true  // ń ǹ ŕ ś ć ĺ ź ǵ
            }
            let lower = value | 0x20
            previousIsConsonant =
                value < 0x80 && lower >= 0x61 && lower <= 0x7A
                && !"aeiouy".unicodeScalars.contains(Unicode.Scalar(lower)!)
        }
        return false
    }
}
