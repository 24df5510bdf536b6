import Foundation

/// The encoding a piece of Vietnamese text was typed in, and repair of text typed with legacy fonts.
///
/// Old workbooks hold names typed with TCVN3 fonts (".VnTime", the "ABC" code, TCVN 5712:1993 VN3) or VNI fonts
/// ("VNI-Times"). The bytes survive, but we receive them as the characters Windows-1252 (XLSX, the common case)
/// or Windows-1258 (CSV saved by Excel on Vietnamese Windows, decoded by `Formats` and then NFC-normalised)
/// shows for them: "NguyÔn V¨n §øc" (TCVN3) or "Nguyeãn Vaên Ñöùc" (VNI) for "Nguyễn Văn Đức".
/// Both readings are accepted, including 1258 text whose combining tone marks NFC fused with the letter before.
///
/// Upper case in TCVN3: VN3 has upper-case codes only for Ă Â Ê Ô Ơ Ư Đ. Typists wrote upper-case toned vowels
/// with the lower-case code (Unikey does the same) and relied on the ".VnTimeH" capitals font. `decode` gives
/// such a vowel the case its context implies: upper case inside an upper-case word ("NGUYÔN" → "NGUYỄN", and
/// "Hµ" when the whole text has no lower-case letter), a capital at the start of a word when every other word
/// starts with one ("NguyÔn V¨n ¸nh" → "Nguyễn Văn Ánh"), lower case otherwise (a lone "¸nh" stays "ánh").
/// The VN1 upper-case codes in the C0/C1 ranges are not decoded: in Windows-1252 they read as quotes and dashes
/// that real text contains.
///
/// A text that mixes a legacy encoding with real Unicode Vietnamese ("Nguyễn V¨n §øc") is left alone: no
/// single reading explains it.
public enum LegacyEncoding: String, Sendable, CaseIterable {
    case unicode
    case tcvn3
    case vni

    /// The encoding `text` was most likely typed in. Conservative: plain ASCII, genuine Unicode Vietnamese
    /// (precomposed or decomposed, either tone placement) and French, German, Spanish or Nordic names stay
    /// `.unicode`. A legacy answer needs words that are not Vietnamese as they stand but become well-formed
    /// Vietnamese syllables (spelling, rime, tone placement) once decoded, none that decoding would spoil, and
    /// either two such words, or one with a byte pattern no Latin-script name has (TCVN3 "¨ © ª « ¬ ® § ¸ µ", a
    /// capital inside a word as in "NguyÔn"; VNI "eã aê oâ öù", a word-initial "Ñ"), or one in a text whose
    /// other two or more words read as Vietnamese ("Phaïm Thò An"). Words that read as Vietnamese both ways
    /// ("Dòng" is Dũng in TCVN3) decide nothing, and when TCVN3 and VNI explain a text equally well the answer
    /// is `.unicode`. A lone ambiguous word ("Ngoïc": VNI Ngọc, or a French Loïc?) stays `.unicode`; use
    /// `detect(column:)` and `repair(_:columnHint:)` when a whole column is at hand.
    public static func detect(_ text: String) -> LegacyEncoding {
        guard let evidence = LegacyEvidence.measure(text) else { return .unicode }
        return evidence.verdict(column: false)
    }

    /// The encoding most cells of a column were typed in, weighing the evidence of all of them together.
    /// Cells that are plain ASCII or genuine Unicode do not vote, so a column mixing retyped Unicode cells with
    /// legacy ones still reports the legacy encoding.
    public static func detect(column texts: some Sequence<String>) -> LegacyEncoding {
        var total = LegacyEvidence()
        for text in texts {
            if let evidence = LegacyEvidence.measure(text) { total.add(evidence) }
        }
        return total.verdict(column: true)
    }

    /// `text` read as `encoding`, as NFC Unicode. Characters that are not part of a legacy letter pass through.
    public static func decode(_ text: String, from encoding: LegacyEncoding) -> String {
        switch encoding {
        case .unicode: return VietnameseText.nfc(text)
        case .tcvn3, .vni:
            let scalars = Array(text.unicodeScalars)
            return Self.string(Self.decode(scalars, from: encoding, codePage: LegacyCodePage(scalars)))
        }
    }

    /// `text` (Unicode) as it looks when typed in `encoding` and read back as Windows-1252: the inverse of
    /// `decode`, used to make realistic noisy demo lists. Characters that are not Vietnamese letters pass
    /// through unchanged. TCVN3 writes upper-case toned vowels with the lower-case code (see the type notes).
    public static func encode(_ text: String, as encoding: LegacyEncoding) -> String {
        let text = VietnameseText.nfc(text)
        guard encoding != .unicode else { return text }
        var view = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let bytes = Self.bytes(of: scalar, in: encoding)
            if bytes.isEmpty {
                view.append(scalar)
            } else {
                for byte in bytes { view.append(Unicode.Scalar(LegacyTables.cp1252Scalar(byte))!) }
            }
        }
        return String(view)
    }

    /// Detects and decodes in one step; `encoding` says what was found (`.unicode`: returned as NFC, untouched).
    public static func repair(_ text: String) -> (text: String, encoding: LegacyEncoding) {
        let encoding = Self.detect(text)
        return (Self.decode(text, from: encoding), encoding)
    }

    /// Like `repair(_:)`, but trusts `columnHint` (from `detect(column:)`) for a cell whose own evidence is
    /// too thin to decide alone, provided decoding it turns some word into Vietnamese and spoils none.
    public static func repair(_ text: String, columnHint: LegacyEncoding) -> (text: String, encoding: LegacyEncoding) {
        guard let evidence = LegacyEvidence.measure(text) else { return (VietnameseText.nfc(text), .unicode) }
        var encoding = evidence.verdict(column: false)
        if encoding == .unicode && columnHint != .unicode && evidence[columnHint].supportsHint {
            encoding = columnHint
        }
        return (Self.decode(text, from: encoding), encoding)
    }

    // MARK: - Encoding

    private static func bytes(of scalar: Unicode.Scalar, in encoding: LegacyEncoding) -> [UInt8] {
        if scalar == VietnameseAlphabet.dStroke {
            return [encoding == .tcvn3 ? LegacyTables.tcvn3D : LegacyTables.vniD.lower]
        }
        if scalar == VietnameseAlphabet.capitalDStroke {
            return [encoding == .tcvn3 ? LegacyTables.tcvn3CapitalD : LegacyTables.vniD.upper]
        }
        guard scalar.value >= 0x80, let vowel = VietnameseAlphabet.vowel(scalar) else { return [] }
        switch encoding {
        case .tcvn3:
            if vowel.isUpper && vowel.tone == 0 { return [LegacyTables.tcvn3UpperPlain[vowel.base]] }
            return [LegacyTables.tcvn3Lower[vowel.base][vowel.tone]]
        case .vni:
            return LegacyTables.vniBytes(vowel)
        case .unicode:
            return []
        }
    }

    // MARK: - Decoding

    static func decode(
        _ scalars: [Unicode.Scalar], from encoding: LegacyEncoding, codePage: LegacyCodePage
    ) -> [Unicode.Scalar] {
        switch encoding {
        case .unicode: return scalars
        case .tcvn3: return Self.decodeTCVN3(codePage.units(scalars, for: .tcvn3))
        case .vni: return Self.decodeVNI(codePage.units(scalars, for: .vni))
        }
    }

    private static func decodeTCVN3(_ units: [LegacyUnit]) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        var caseFromContext: [Bool] = []
        output.reserveCapacity(units.count)
        caseFromContext.reserveCapacity(units.count)
        var anyFromContext = false
        for unit in units {
            if let byte = unit.byte, let letter = LegacyTables.tcvn3Letter(byte) {
                output.append(letter.scalar)
                caseFromContext.append(letter.caseFromContext)
                anyFromContext = anyFromContext || letter.caseFromContext
            } else {
                output.append(unit.scalar)
                caseFromContext.append(false)
            }
        }
        if anyFromContext { Self.applyWordCase(&output, caseFromContext) }
        return output
    }

    /// Gives the lower-case-only TCVN3 vowels the case their context implies: all of a word when the word is
    /// upper case ("NGUYÔN", or "Hµ" in a string with no lower-case letter at all), the first letter of a word
    /// when every other word of the string starts with a capital ("NguyÔn V¨n ¸nh" → "Nguyễn Văn Ánh").
    private static func applyWordCase(_ scalars: inout [Unicode.Scalar], _ caseFromContext: [Bool]) {
        struct Word {
            var range: Range<Int>
            var upper = 0
            var lower = 0
            var hasContextual = false
            var startsContextual = false
            var startsUpper = false
        }
        var words: [Word] = []
        var start = 0
        while start < scalars.count {
            guard scalars[start].properties.isAlphabetic else {
                start += 1
                continue
            }
            var end = start
            var word = Word(range: start..<start)
            word.startsContextual = caseFromContext[start]
            word.startsUpper = !caseFromContext[start] && scalars[start].properties.isUppercase
            while end < scalars.count && scalars[end].properties.isAlphabetic {
                if caseFromContext[end] {
                    word.hasContextual = true
                } else if scalars[end].properties.isUppercase {
                    word.upper += 1
                } else if scalars[end].properties.isLowercase {
                    word.lower += 1
                }
                end += 1
            }
            word.range = start..<end
            words.append(word)
            start = end
        }
        let allCaps = words.allSatisfy { $0.lower == 0 } && words.reduce(0) { $0 + $1.upper } >= 2
        let decided = words.filter { !$0.startsContextual }
        let titleCase = !decided.isEmpty && decided.allSatisfy(\.startsUpper)
        func upperCase(_ index: Int) {
            if var vowel = VietnameseAlphabet.vowel(scalars[index]) {
                vowel.isUpper = true
                scalars[index] = vowel.scalar
            }
        }
        for word in words where word.hasContextual {
            if word.lower == 0 && (word.upper >= 2 || allCaps) {
                for index in word.range where caseFromContext[index] { upperCase(index) }
            } else if word.startsContextual && titleCase {
                upperCase(word.range.lowerBound)
            }
        }
    }

    private static func decodeVNI(_ units: [LegacyUnit]) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(units.count)
        var index = 0
        while index < units.count {
            if let byte = units[index].byte {
                if let base = LegacyTables.vniBase(byte), index + 1 < units.count, let mark = units[index + 1].byte,
                    let vowel = LegacyTables.vniCombine(base, mark)
                {
                    output.append(vowel.scalar)
                    index += 2
                    continue
                }
                if let single = LegacyTables.vniSingle(byte) {
                    output.append(single)
                    index += 1
                    continue
                }
            }
            output.append(units[index].scalar)
            index += 1
        }
        return output
    }

    static func string(_ scalars: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return VietnameseText.nfc(String(view))
    }
}

/// One legacy byte recovered from the string, or a character that is no legacy byte.
struct LegacyUnit {
    var byte: UInt8?
    var scalar: Unicode.Scalar
}

/// Which Windows code page turned the legacy bytes into the characters we hold.
enum LegacyCodePage {
    case windows1252
    case windows1258

    init(_ scalars: [Unicode.Scalar]) {
        self = .windows1252
        for scalar in scalars where scalar.value >= 0x80 {
            if LegacyTables.isCP1258Only(scalar.value) {
                self = .windows1258
                return
            }
            if scalar.value >= 0x100, LegacyTables.cp1252Bytes[scalar.value] == nil,
                let pieces = Self.decomposition(scalar), pieces.contains(where: { LegacyTables.isCP1258Only($0.value) })
            {
                self = .windows1258
                return
            }
        }
    }

    private var table: [UInt32: UInt8] {
        self == .windows1252 ? LegacyTables.cp1252Bytes : LegacyTables.cp1258Bytes
    }

    func directByte(_ scalar: Unicode.Scalar) -> UInt8? {
        scalar.value < 0x80 ? UInt8(scalar.value) : self.table[scalar.value]
    }

    /// The bytes of a character NFC built from a letter and a 1258 combining mark ("ḿ" = m + 0xEC).
    func decomposedBytes(_ scalar: Unicode.Scalar) -> [(UInt8, Unicode.Scalar)]? {
        guard self == .windows1258, scalar.value >= 0xC0, let pieces = Self.decomposition(scalar) else { return nil }
        var bytes: [(UInt8, Unicode.Scalar)] = []
        for piece in pieces {
            guard let byte = self.directByte(piece) else { return nil }
            bytes.append((byte, piece))
        }
        return bytes
    }

    /// Non-ASCII scalars that some legacy byte sequence can produce through either code page. Anything else
    /// (ễ, ầ, ữ, a lone combining circumflex…) proves the text is Unicode; most Vietnamese names hold one.
    static let possibleScalars: Set<UInt32> = {
        var possible = Set(LegacyTables.cp1252Bytes.keys).union(LegacyTables.cp1258Bytes.keys)
        for (value, pieces) in Self.decompositions
        where pieces.allSatisfy({ $0.value < 0x80 || LegacyTables.cp1258Bytes[$0.value] != nil }) {
            possible.insert(value)
        }
        return possible
    }()

    func isRepresentable(_ scalar: Unicode.Scalar) -> Bool {
        self.directByte(scalar) != nil || self.decomposedBytes(scalar) != nil
    }

    /// Canonical decompositions of the Latin letters (U+00C0...U+024F, U+1E00...U+1EFF), the only ones that can
    /// hide a Windows-1258 tone mark; computed once.
    private static let decompositions: [UInt32: [Unicode.Scalar]] = {
        var table: [UInt32: [Unicode.Scalar]] = [:]
        for value in Array(0xC0..<0x250) + Array(0x1E00..<0x1F00) {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            let pieces = Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
            if pieces.count > 1 { table[UInt32(value)] = pieces }
        }
        return table
    }()

    static func decomposition(_ scalar: Unicode.Scalar) -> [Unicode.Scalar]? {
        Self.decompositions[scalar.value]
    }

    /// The legacy units of `scalars`. A character that is both a byte of its own and a fused letter + mark
    /// ("á" in 1258 text: byte 0xE1, or a + 0xEC) is read as its own byte when that byte means something in
    /// `encoding`, else split.
    func units(_ scalars: [Unicode.Scalar], for encoding: LegacyEncoding) -> [LegacyUnit] {
        var units: [LegacyUnit] = []
        units.reserveCapacity(scalars.count)
        for scalar in scalars {
            if let byte = self.directByte(scalar) {
                let meaningful = byte < 0x80 || encoding != .tcvn3 || LegacyTables.tcvn3Letter(byte) != nil
                if meaningful || self.decomposedBytes(scalar) == nil {
                    units.append(LegacyUnit(byte: byte, scalar: scalar))
                    continue
                }
            }
            if let pieces = self.decomposedBytes(scalar) {
                for (byte, piece) in pieces { units.append(LegacyUnit(byte: byte, scalar: piece)) }
            } else {
                units.append(LegacyUnit(byte: nil, scalar: scalar))
            }
        }
        return units
    }
}
