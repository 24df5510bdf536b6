/// Byte tables of the two legacy encodings and of the Windows code pages through which their bytes reach us.
///
/// Sources, cross-checked: the TCVN 5712:1993 VN3 ("ABC", fonts .VnTime) and VNI-Windows tables of xvnkb
/// (Dao Hai Lam, VISC, files tcvn.h and vni.h) and the conversion tables of public Vietnamese converters
/// (vietnamese-conversion, convertTcvn3ToUnicode); every letter is round-trip tested in TextTests.
enum LegacyTables {
    // MARK: TCVN3 (VN3)

    /// TCVN3 byte of each vowel base (a ă â e ê i o ô ơ u ư y) in tone order none, acute, grave, hook, tilde, dot.
    /// Lower case only: VN3 has upper-case codes for Ă Â Ê Ô Ơ Ư Đ and nothing for upper-case toned vowels.
    static let tcvn3Lower: [[UInt8]] = [
        [0x61, 0xB8, 0xB5, 0xB6, 0xB7, 0xB9],  // a á à ả ã ạ
        [0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6],  // ă ắ ằ ẳ ẵ ặ
        [0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB],  // â ấ ầ ẩ ẫ ậ
        [0x65, 0xD0, 0xCC, 0xCE, 0xCF, 0xD1],  // e é è ẻ ẽ ẹ
        [0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6],  // ê ế ề ể ễ ệ
        [0x69, 0xDD, 0xD7, 0xD8, 0xDC, 0xDE],  // i í ì ỉ ĩ ị
        [0x6F, 0xE3, 0xDF, 0xE1, 0xE2, 0xE4],  // o ó ò ỏ õ ọ
        [0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9],  // ô ố ồ ổ ỗ ộ
        [0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE],  // ơ ớ ờ ở ỡ ợ
        [0x75, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4],  // u ú ù ủ ũ ụ
        [0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9],  // ư ứ ừ ử ữ ự
        [0x79, 0xFD, 0xFA, 0xFB, 0xFC, 0xFE],  // y ý ỳ ỷ ỹ ỵ
    ]
    /// Upper-case vowel without tone: A Ă Â E Ê I O Ô Ơ U Ư Y.
    static let tcvn3UpperPlain: [UInt8] = [0x41, 0xA1, 0xA2, 0x45, 0xA3, 0x49, 0x4F, 0xA4, 0xA5, 0x55, 0xA6, 0x59]
    static let tcvn3D: UInt8 = 0xAE
    static let tcvn3CapitalD: UInt8 = 0xA7

    struct DecodedLetter {
        var scalar: Unicode.Scalar
        /// Set for toned vowels: VN3 has only the lower-case code, so the case must come from the word.
        var caseFromContext: Bool
    }

    /// Decoding table for bytes 0xA0...0xFF (index byte - 0xA0).
    static let tcvn3Decode: [DecodedLetter?] = {
        var table = [DecodedLetter?](repeating: nil, count: 0x60)
        for (base, row) in LegacyTables.tcvn3Lower.enumerated() {
            for (tone, byte) in row.enumerated() where byte >= 0xA0 {
                let scalar = VietnameseVowel(base: base, tone: tone, isUpper: false).scalar
                table[Int(byte) - 0xA0] = DecodedLetter(scalar: scalar, caseFromContext: tone != 0)
            }
        }
        for (base, byte) in LegacyTables.tcvn3UpperPlain.enumerated() where byte >= 0xA0 {
            let scalar = VietnameseVowel(base: base, tone: 0, isUpper: true).scalar
            table[Int(byte) - 0xA0] = DecodedLetter(scalar: scalar, caseFromContext: false)
        }
        table[Int(LegacyTables.tcvn3D) - 0xA0] = DecodedLetter(
            scalar: VietnameseAlphabet.dStroke, caseFromContext: false)
        table[Int(LegacyTables.tcvn3CapitalD) - 0xA0] = DecodedLetter(
            scalar: VietnameseAlphabet.capitalDStroke, caseFromContext: false)
        return table
    }()

    static func tcvn3Letter(_ byte: UInt8) -> DecodedLetter? {
        byte >= 0xA0 ? Self.tcvn3Decode[Int(byte) - 0xA0] : nil
    }

    /// TCVN3 bytes that are symbols in Windows-1252 (¡…®, µ…¹, »…¾, ×, Þ, ÷, þ): no Latin-script name uses
    /// them inside a word, so they are strong evidence.
    static func isTCVN3Symbol(_ byte: UInt8) -> Bool {
        switch byte {
        case 0xA1...0xAE, 0xB5...0xB9, 0xBB...0xBE, 0xD7, 0xDE, 0xF7, 0xFE: return true
        default: return false
        }
    }

    // MARK: VNI-Windows

    /// Tone byte written after a vowel (acute, grave, hook, tilde, dot): ù ø û õ ï and Ù Ø Û Õ Ï.
    static let vniToneLower: [UInt8] = [0xF9, 0xF8, 0xFB, 0xF5, 0xEF]
    static let vniToneUpper: [UInt8] = [0xD9, 0xD8, 0xDB, 0xD5, 0xCF]
    /// Circumflex with tone none…dot, after a, e, o: â á à å ã ä.
    static let vniCircumflexLower: [UInt8] = [0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4]
    static let vniCircumflexUpper: [UInt8] = [0xC2, 0xC1, 0xC0, 0xC5, 0xC3, 0xC4]
    /// Breve with tone none…dot, after a: ê é è ú ü ë.
    static let vniBreveLower: [UInt8] = [0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB]
    static let vniBreveUpper: [UInt8] = [0xCA, 0xC9, 0xC8, 0xDA, 0xDC, 0xCB]
    /// i in one byte per tone: i í ì æ ó ò.
    static let vniILower: [UInt8] = [0x69, 0xED, 0xEC, 0xE6, 0xF3, 0xF2]
    static let vniIUpper: [UInt8] = [0x49, 0xCD, 0xCC, 0xC6, 0xD3, 0xD2]
    static let vniOHorn: (lower: UInt8, upper: UInt8) = (0xF4, 0xD4)
    static let vniUHorn: (lower: UInt8, upper: UInt8) = (0xF6, 0xD6)
    static let vniYDot: (lower: UInt8, upper: UInt8) = (0xEE, 0xCE)
    static let vniD: (lower: UInt8, upper: UInt8) = (0xF1, 0xD1)

    /// The VNI bytes of one Vietnamese vowel.
    static func vniBytes(_ vowel: VietnameseVowel) -> [UInt8] {
        let upper = vowel.isUpper
        let tone = vowel.tone
        func plain(_ letter: UInt8) -> [UInt8] {
            let base = upper ? letter - 0x20 : letter
            return tone == 0 ? [base] : [base, (upper ? Self.vniToneUpper : Self.vniToneLower)[tone - 1]]
        }
        func horn(_ pair: (lower: UInt8, upper: UInt8)) -> [UInt8] {
            let base = upper ? pair.upper : pair.lower
            return tone == 0 ? [base] : [base, (upper ? Self.vniToneUpper : Self.vniToneLower)[tone - 1]]
        }
        let circumflex = upper ? Self.vniCircumflexUpper : Self.vniCircumflexLower
        switch vowel.base {
        case VietnameseVowel.a: return plain(0x61)
        case VietnameseVowel.aBreve:
            return [upper ? 0x41 : 0x61, (upper ? Self.vniBreveUpper : Self.vniBreveLower)[tone]]
        case VietnameseVowel.aCircumflex: return [upper ? 0x41 : 0x61, circumflex[tone]]
        case VietnameseVowel.e: return plain(0x65)
        case VietnameseVowel.eCircumflex: return [upper ? 0x45 : 0x65, circumflex[tone]]
        case VietnameseVowel.i: return [(upper ? Self.vniIUpper : Self.vniILower)[tone]]
        case VietnameseVowel.o: return plain(0x6F)
        case VietnameseVowel.oCircumflex: return [upper ? 0x4F : 0x6F, circumflex[tone]]
        case VietnameseVowel.oHorn: return horn(Self.vniOHorn)
        case VietnameseVowel.u: return plain(0x75)
        case VietnameseVowel.uHorn: return horn(Self.vniUHorn)
        default: return tone == 5 ? [upper ? Self.vniYDot.upper : Self.vniYDot.lower] : plain(0x79)
        }
    }

    /// A VNI base vowel byte: a e o u y (either case) and the horned ơ ư, which also take tone bytes.
    static func vniBase(_ byte: UInt8) -> VietnameseVowel? {
        switch byte {
        case 0x61, 0x41: return VietnameseVowel(base: VietnameseVowel.a, tone: 0, isUpper: byte == 0x41)
        case 0x65, 0x45: return VietnameseVowel(base: VietnameseVowel.e, tone: 0, isUpper: byte == 0x45)
        case 0x6F, 0x4F: return VietnameseVowel(base: VietnameseVowel.o, tone: 0, isUpper: byte == 0x4F)
        case 0x75, 0x55: return VietnameseVowel(base: VietnameseVowel.u, tone: 0, isUpper: byte == 0x55)
        case 0x79, 0x59: return VietnameseVowel(base: VietnameseVowel.y, tone: 0, isUpper: byte == 0x59)
        case 0xF4, 0xD4: return VietnameseVowel(base: VietnameseVowel.oHorn, tone: 0, isUpper: byte == 0xD4)
        case 0xF6, 0xD6: return VietnameseVowel(base: VietnameseVowel.uHorn, tone: 0, isUpper: byte == 0xD6)
        default: return nil
        }
    }

    /// The vowel a base byte and the byte after it spell, if they belong together. The case follows the base.
    static func vniCombine(_ base: VietnameseVowel, _ mark: UInt8) -> VietnameseVowel? {
        var vowel = base
        if let tone = Self.vniToneLower.firstIndex(of: mark) ?? Self.vniToneUpper.firstIndex(of: mark) {
            vowel.tone = tone + 1
            return vowel
        }
        if let tone = Self.vniCircumflexLower.firstIndex(of: mark) ?? Self.vniCircumflexUpper.firstIndex(of: mark) {
            switch base.base {
            case VietnameseVowel.a: vowel.base = VietnameseVowel.aCircumflex
            case VietnameseVowel.e: vowel.base = VietnameseVowel.eCircumflex
            case VietnameseVowel.o: vowel.base = VietnameseVowel.oCircumflex
            default: return nil
            }
            vowel.tone = tone
            return vowel
        }
        if base.base == VietnameseVowel.a,
            let tone = Self.vniBreveLower.firstIndex(of: mark) ?? Self.vniBreveUpper.firstIndex(of: mark)
        {
            vowel.base = VietnameseVowel.aBreve
            vowel.tone = tone
            return vowel
        }
        return nil
    }

    /// Letters VNI writes in one byte: the i series, ỵ, đ, ơ, ư.
    static func vniSingle(_ byte: UInt8) -> Unicode.Scalar? {
        if let tone = Self.vniILower.firstIndex(of: byte), byte >= 0x80 {
            return VietnameseVowel(base: VietnameseVowel.i, tone: tone, isUpper: false).scalar
        }
        if let tone = Self.vniIUpper.firstIndex(of: byte), byte >= 0x80 {
            return VietnameseVowel(base: VietnameseVowel.i, tone: tone, isUpper: true).scalar
        }
        switch byte {
        case Self.vniYDot.lower: return VietnameseVowel(base: VietnameseVowel.y, tone: 5, isUpper: false).scalar
        case Self.vniYDot.upper: return VietnameseVowel(base: VietnameseVowel.y, tone: 5, isUpper: true).scalar
        case Self.vniD.lower: return VietnameseAlphabet.dStroke
        case Self.vniD.upper: return VietnameseAlphabet.capitalDStroke
        case 0xF4, 0xD4, 0xF6, 0xD6: return Self.vniBase(byte)?.scalar
        default: return nil
        }
    }

    /// Pairs a Latin-script name never contains but VNI writes all the time: aâ eá oà… (circumflex series after
    /// a/e/o), aê aé… (breve series after a), a tone byte after ơ/ư, ø (grave) after a vowel. Not õ after a vowel:
    /// TCVN3 writes ế as Õ, so "XUYÕN" is XUYẾN there and the ambiguity is left to TCVN3, Hanoi's usual code.
    static func isVNIStrongPair(_ first: UInt8, _ second: UInt8) -> Bool {
        let lowerFirst = first < 0x80 ? first | 0x20 : first
        let isCircumflex = Self.vniCircumflexLower.contains(second) || Self.vniCircumflexUpper.contains(second)
        let isBreve = Self.vniBreveLower.contains(second) || Self.vniBreveUpper.contains(second)
        let isTone = Self.vniToneLower.contains(second) || Self.vniToneUpper.contains(second)
        let isGrave = second == 0xF8 || second == 0xD8
        switch lowerFirst {
        case 0x61: return isCircumflex || isBreve || isGrave
        case 0x65, 0x6F: return isCircumflex || isGrave
        case 0x75, 0x79: return isGrave
        case 0xF4, 0xD4, 0xF6, 0xD6: return isTone
        default: return false
        }
    }

    // MARK: Windows code pages

    /// Windows-1252 for 0x80...0x9F; the five undefined bytes map to the C1 control of the same value.
    static let cp1252C1: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D,
        0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D,
        0x17E, 0x178,
    ]
    /// Where Windows-1258 differs from Windows-1252 (0x80...0xFF).
    static let cp1258Differences: [UInt8: UInt32] = [
        0x8A: 0x8A, 0x8E: 0x8E, 0x9A: 0x9A, 0x9E: 0x9E,
        0xC3: 0x102, 0xCC: 0x300, 0xD0: 0x110, 0xD2: 0x309, 0xD5: 0x1A0, 0xDD: 0x1AF, 0xDE: 0x303,
        0xE3: 0x103, 0xEC: 0x301, 0xF0: 0x111, 0xF2: 0x323, 0xF5: 0x1A1, 0xFD: 0x1B0, 0xFE: 0x20AB,
    ]

    static func cp1252Scalar(_ byte: UInt8) -> UInt32 {
        if byte < 0x80 || byte >= 0xA0 { return UInt32(byte) }
        return Self.cp1252C1[Int(byte) - 0x80]
    }

    static func cp1258Scalar(_ byte: UInt8) -> UInt32 {
        Self.cp1258Differences[byte] ?? Self.cp1252Scalar(byte)
    }

    /// Scalar → byte for the high half of each code page (ASCII maps to itself and is not stored).
    static let (cp1252Bytes, cp1258Bytes): ([UInt32: UInt8], [UInt32: UInt8]) = {
        var cp1252: [UInt32: UInt8] = [:]
        var cp1258: [UInt32: UInt8] = [:]
        for byte in UInt8(0x80)...UInt8(0xFF) {
            cp1252[LegacyTables.cp1252Scalar(byte)] = byte
            cp1258[LegacyTables.cp1258Scalar(byte)] = byte
        }
        // Windows itself decodes the bytes undefined in 1258 but used by 1252 as C1 controls; accept both readings.
        for byte: UInt8 in [0x8A, 0x8E, 0x9A, 0x9E] { cp1258[LegacyTables.cp1252Scalar(byte)] = byte }
        return (cp1252, cp1258)
    }()

    /// Scalars only Windows-1258 produces (Ă ă Đ đ Ơ ơ Ư ư ₫ and its five combining tone marks): their presence
    /// says the text went through 1258, where Excel's CSV export puts it.
    static func isCP1258Only(_ value: UInt32) -> Bool {
        switch value {
        case 0x102, 0x103, 0x110, 0x111, 0x1A0, 0x1A1, 0x1AF, 0x1B0, 0x20AB, 0x300, 0x301, 0x303, 0x309, 0x323:
            return true
        default:
            return false
        }
    }
}
