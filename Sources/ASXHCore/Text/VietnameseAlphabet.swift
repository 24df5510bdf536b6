/// The twelve Vietnamese vowel letters, each in six tones, as precomposed Unicode scalars.
///
/// Shared by tone-mark placement (`VietnameseText.clean`), the syllable check that keeps legacy-encoding
/// detection honest, and the TCVN3 / VNI tables, so that all three agree on what a Vietnamese letter is.
struct VietnameseVowel: Equatable, Sendable {
    /// 0...11 for a ă â e ê i o ô ơ u ư y.
    var base: Int
    /// 0 none (ngang), 1 acute (sắc), 2 grave (huyền), 3 hook above (hỏi), 4 tilde (ngã), 5 dot below (nặng).
    var tone: Int
    var isUpper: Bool

    static let a = 0, aBreve = 1, aCircumflex = 2, e = 3, eCircumflex = 4, i = 5
    static let o = 6, oCircumflex = 7, oHorn = 8, u = 9, uHorn = 10, y = 11

    /// Vowels that carry a vowel mark (breve, circumflex, horn): the tone goes on them.
    var hasVowelMark: Bool {
        switch self.base {
        case Self.aBreve, Self.aCircumflex, Self.eCircumflex, Self.oCircumflex, Self.oHorn, Self.uHorn: return true
        default: return false
        }
    }

    var scalar: Unicode.Scalar {
        let index = self.base * 6 + self.tone
        return self.isUpper ? VietnameseAlphabet.upper[index] : VietnameseAlphabet.lower[index]
    }
}

enum VietnameseAlphabet {
    /// Rows in tone order: none, acute, grave, hook above, tilde, dot below.
    static let lowerRows = [
        "aáàảãạ", "ăắằẳẵặ", "âấầẩẫậ", "eéèẻẽẹ", "êếềểễệ", "iíìỉĩị",
        "oóòỏõọ", "ôốồổỗộ", "ơớờởỡợ", "uúùủũụ", "ưứừửữự", "yýỳỷỹỵ",
    ]
    static let upperRows = [
        "AÁÀẢÃẠ", "ĂẮẰẲẴẶ", "ÂẤẦẨẪẬ", "EÉÈẺẼẸ", "ÊẾỀỂỄỆ", "IÍÌỈĨỊ",
        "OÓÒỎÕỌ", "ÔỐỒỔỖỘ", "ƠỚỜỞỠỢ", "UÚÙỦŨỤ", "ƯỨỪỬỮỰ", "YÝỲỶỸỴ",
    ]
    static let lower: [Unicode.Scalar] = Self.lowerRows.flatMap { $0.unicodeScalars }
    static let upper: [Unicode.Scalar] = Self.upperRows.flatMap { $0.unicodeScalars }

    static let dStroke: Unicode.Scalar = "đ"
    static let capitalDStroke: Unicode.Scalar = "Đ"

    /// Lookup for scalars below U+01B1 (up to ư) and for U+1EA0...U+1EF9; 0xFF = not a Vietnamese vowel,
    /// else bit 7 = upper case and the low bits = base * 6 + tone.
    private static let (latinTable, extendedTable): ([UInt8], [UInt8]) = {
        var latin = [UInt8](repeating: 0xFF, count: 0x1B1)
        var extended = [UInt8](repeating: 0xFF, count: 0x1EFA - 0x1EA0)
        for (isUpper, scalars) in [(false, VietnameseAlphabet.lower), (true, VietnameseAlphabet.upper)] {
            for (index, scalar) in scalars.enumerated() {
                let code = UInt8(index) | (isUpper ? 0x80 : 0)
                if scalar.value < 0x1B1 {
                    latin[Int(scalar.value)] = code
                } else {
                    extended[Int(scalar.value) - 0x1EA0] = code
                }
            }
        }
        return (latin, extended)
    }()

    static func vowel(_ scalar: Unicode.Scalar) -> VietnameseVowel? {
        let value = Int(scalar.value)
        let code: UInt8
        if value < 0x1B1 {
            code = Self.latinTable[value]
        } else if value >= 0x1EA0 && value < 0x1EFA {
            code = Self.extendedTable[value - 0x1EA0]
        } else {
            return nil
        }
        if code == 0xFF { return nil }
        let index = Int(code & 0x7F)
        return VietnameseVowel(base: index / 6, tone: index % 6, isUpper: code & 0x80 != 0)
    }
}

/// One written Vietnamese syllable split into onset, nucleus and coda, as far as the spelling rules allow.
///
/// Deliberately strict (spelling of k/c, gh/g, ngh/ng; codas; stop codas take only sắc or nặng): it decides
/// whether a word "reads as Vietnamese", and a lenient answer would turn French names into false TCVN3 hits.
struct VietnameseSyllable {
    enum Letter: Equatable {
        case vowel(VietnameseVowel)
        /// Lower-case ASCII consonant, or "D" for đ.
        case consonant(UInt8)
    }

    var letters: [Letter]
    /// letters[0..<nucleusStart] is the onset (including the u of qu and the i of gi).
    var nucleusStart: Int
    var codaStart: Int
    var hasCoda: Bool { self.codaStart < self.letters.count }

    /// The rimes (vần) of standard Vietnamese spelling, toneless: nucleus vowels and coda. A syllable whose rime
    /// is not here ("uêng", "uyn", "âo") does not read as Vietnamese even if each part does.
    private static let rimes: Set<UInt32> = Set(
        """
        a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
        e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
        i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu y yêm yên yêng yêt yêu
        o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
        oe oen oeo oet oong ooc ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
        u uc ui um un ung up ut ua uân uâng uât uây uê uêch uênh uy uych uya uyên uyêt uynh uyt uyu
        uôc uôi uôm uôn uông uôt uơ ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
        """.split(whereSeparator: \.isWhitespace).map { rime in
            rime.unicodeScalars.reduce(UInt32(0)) { key, scalar in
                if let vowel = VietnameseAlphabet.vowel(scalar) { return key << 5 | UInt32(vowel.base + 1) }
                return key << 5 | UInt32(Self.codaSymbol(UInt8(scalar.value))!)
            }
        }
    )

    /// Rime keys pack five bits per letter: vowel base + 1 (1...12), then coda letters 13...19.
    private static func codaSymbol(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "c"): return 13
        case UInt8(ascii: "h"): return 14
        case UInt8(ascii: "m"): return 15
        case UInt8(ascii: "n"): return 16
        case UInt8(ascii: "g"): return 17
        case UInt8(ascii: "p"): return 18
        case UInt8(ascii: "t"): return 19
        default: return nil
        }
    }

    private static func pack(_ text: String) -> UInt32 { text.utf8.reduce(0) { $0 << 8 | UInt32($1) } }

    private static let onsets: Set<UInt32> = Set(
        [
            "b", "c", "ch", "d", "D", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p", "ph", "r", "s",
            "t", "th", "tr", "v", "x",
        ].map(Self.pack)
    )
    private static let stopCodas: Set<UInt32> = Set(["c", "ch", "p", "t"].map(Self.pack))
    /// Onsets written only before i, e, ê (and y): k, gh, ngh; and the ones that may not be: c, g, ng.
    private static let frontOnly: Set<UInt32> = Set(["k", "gh", "ngh"].map(Self.pack))
    private static let notFront: Set<UInt32> = Set(["c", "g", "ng"].map(Self.pack))

    static func letter(_ scalar: Unicode.Scalar) -> Letter? {
        if let vowel = VietnameseAlphabet.vowel(scalar) { return .vowel(vowel) }
        switch scalar.value {
        case 0x41...0x5A: return Self.consonant(UInt8(scalar.value) | 0x20)
        case 0x61...0x7A: return Self.consonant(UInt8(scalar.value))
        case 0x110, 0x111: return .consonant(UInt8(ascii: "D"))
        default: return nil
        }
    }

    private static func consonant(_ byte: UInt8) -> Letter? {
        switch byte {
        case UInt8(ascii: "f"), UInt8(ascii: "j"), UInt8(ascii: "w"), UInt8(ascii: "z"): return nil
        default: return .consonant(byte)
        }
    }

    /// Parses one word (letters only, NFC); nil when it is not a well-formed Vietnamese syllable.
    init?(_ scalars: some Collection<Unicode.Scalar>) {
        var letters: [Letter] = []
        letters.reserveCapacity(scalars.count)
        for scalar in scalars {
            guard let letter = Self.letter(scalar) else { return nil }
            letters.append(letter)
        }
        self.init(letters: letters)
    }

    init?(letters: [Letter]) {
        guard !letters.isEmpty, letters.count <= 8 else { return nil }
        var toned = 0
        for case .vowel(let vowel) in letters where vowel.tone != 0 { toned += 1 }
        guard toned <= 1 else { return nil }

        var index = 0
        var onset: UInt32 = 0
        while index < letters.count, case .consonant(let byte) = letters[index] {
            onset = onset << 8 | UInt32(byte)
            index += 1
        }
        guard index <= 3 else { return nil }
        let q = Self.pack("q")
        let g = Self.pack("g")
        if onset == q {
            // qu: the u belongs to the onset.
            guard index < letters.count, case .vowel(let vowel) = letters[index], vowel.base == VietnameseVowel.u
            else { return nil }
            index += 1
        } else if onset == g, index + 1 < letters.count, case .vowel(let vowel) = letters[index],
            vowel.base == VietnameseVowel.i, case .vowel = letters[index + 1]
        {
            // gi + vowel: the i belongs to the onset (gia, giêng); alone it is the nucleus (gì, gìn).
            index += 1
        } else if onset != 0 && !Self.onsets.contains(onset) {
            return nil
        }
        let nucleusStart = index
        var firstBase = -1
        var rime: UInt32 = 0
        while index < letters.count, case .vowel(let vowel) = letters[index] {
            if firstBase < 0 { firstBase = vowel.base }
            rime = rime << 5 | UInt32(vowel.base + 1)
            index += 1
        }
        guard firstBase >= 0, index - nucleusStart <= 3 else { return nil }
        let codaStart = index
        var coda: UInt32 = 0
        while index < letters.count {
            guard case .consonant(let byte) = letters[index], let symbol = Self.codaSymbol(byte) else { return nil }
            coda = coda << 8 | UInt32(byte)
            rime = rime << 5 | UInt32(symbol)
            index += 1
        }
        guard letters.count - codaStart <= 2 else { return nil }
        let giOnset = onset == g && nucleusStart == 2
        // The u of qu and the i of gi also spell the rime: quyết = qu + yêt (uyêt), giếng = gi + êng (iêng).
        let shift = UInt32(5 * (letters.count - nucleusStart))
        let withU = UInt32(VietnameseVowel.u + 1) << shift | rime
        let withI = UInt32(VietnameseVowel.i + 1) << shift | rime
        guard
            Self.rimes.contains(rime) || (onset == q && Self.rimes.contains(withU))
                || (giOnset && Self.rimes.contains(withI))
        else { return nil }
        if onset != q && !giOnset {
            let first = firstBase
            let front =
                first == VietnameseVowel.e || first == VietnameseVowel.eCircumflex
                || first == VietnameseVowel.i || first == VietnameseVowel.y
            if Self.frontOnly.contains(onset) && !front { return nil }
            if Self.notFront.contains(onset) && front && !(onset == g && first == VietnameseVowel.i) { return nil }
        }
        if Self.stopCodas.contains(coda) {
            // Syllables closed by p, t, c, ch take only sắc or nặng.
            var tone = 0
            for case .vowel(let vowel) in letters where vowel.tone != 0 { tone = vowel.tone }
            guard tone == 1 || tone == 5 else { return nil }
        }
        self.letters = letters
        self.nucleusStart = nucleusStart
        self.codaStart = codaStart
    }

    /// Index in `letters` of the vowel that should carry the tone.
    func toneIndex(style: VietnameseText.ToneStyle) -> Int {
        let nucleus = self.nucleusStart..<self.codaStart
        var lastMarked: Int?
        for index in nucleus {
            if case .vowel(let vowel) = self.letters[index], vowel.hasVowelMark { lastMarked = index }
        }
        if let lastMarked { return lastMarked }
        switch nucleus.count {
        case 1: return nucleus.lowerBound
        case 3: return nucleus.lowerBound + 1
        default:
            if self.hasCoda { return nucleus.lowerBound + 1 }
            guard case .vowel(let first) = self.letters[nucleus.lowerBound],
                case .vowel(let second) = self.letters[nucleus.lowerBound + 1]
            else { return nucleus.lowerBound }
            let glide =
                (first.base == VietnameseVowel.o
                    && (second.base == VietnameseVowel.a || second.base == VietnameseVowel.e))
                || (first.base == VietnameseVowel.u && second.base == VietnameseVowel.y)
            return glide && style == .modern ? nucleus.lowerBound + 1 : nucleus.lowerBound
        }
    }

    /// True when the tone mark sits where either tone style puts it ("hòa", "hoà"; not "hòang", "qúy").
    var hasTonePlacedRight: Bool {
        guard let current = self.currentTone else { return true }
        return current.index == self.toneIndex(style: .modern) || current.index == self.toneIndex(style: .traditional)
    }

    /// The tone of the syllable and where it currently sits.
    var currentTone: (index: Int, tone: Int)? {
        for (index, letter) in self.letters.enumerated() {
            if case .vowel(let vowel) = letter, vowel.tone != 0 { return (index, vowel.tone) }
        }
        return nil
    }
}
