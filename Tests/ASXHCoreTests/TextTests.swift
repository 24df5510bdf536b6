import Foundation
import Testing

@testable import ASXHCore

/// Realistic names: common surnames, middle names and given names, in Unicode.
enum SampleNames {
    static let surnames = [
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
        "Dương", "Lý", "Trương", "Đinh", "Lương", "Tạ", "Khuất", "Quách", "Kiều", "Mạc",
    ]
    static let middles = [
        "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Quang", "Xuân", "Thanh", "Thu", "Đình", "Công", "Khánh",
    ]
    static let givens = [
        "An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hằng", "Hiếu", "Hoà", "Hòa",
        "Hùng", "Hương", "Huyền", "Khoa", "Khuê", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Ngọc", "Nhung",
        "Oanh", "Phúc", "Phương", "Quân", "Quý", "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng", "Thuý", "Thúy", "Thủy",
        "Tiến", "Trang", "Trung", "Tuấn", "Tùng", "Uyên", "Vân", "Việt", "Xuyến", "Yến", "Ánh", "Ước", "Khoẻ",
        "Nguyệt", "Hưởng", "Giàu", "Quyết", "Khương", "Thuở", "Ngoan",
    ]
    static var all: [String] {
        var names: [String] = []
        for surname in Self.surnames {
            for middle in Self.middles {
                for given in Self.givens { names.append("\(surname) \(middle) \(given)") }
            }
        }
        return names
    }
}

/// Every Vietnamese letter that has a legacy code: 12 vowels × 6 tones × 2 cases, and đ Đ.
private let allVietnameseLetters: [Unicode.Scalar] = VietnameseAlphabet.lower + VietnameseAlphabet.upper + ["đ", "Đ"]

/// What Excel's CSV export on Vietnamese Windows, read back as Windows-1258 and NFC-normalised, makes of
/// text that `LegacyEncoding.encode` produced as Windows-1252.
private func asWindows1258(_ windows1252: String) -> String {
    var view = String.UnicodeScalarView()
    for scalar in windows1252.unicodeScalars {
        let byte = scalar.value < 0x80 ? UInt8(scalar.value) : LegacyTables.cp1252Bytes[scalar.value]!
        view.append(Unicode.Scalar(LegacyTables.cp1258Scalar(byte))!)
    }
    return String(view).precomposedStringWithCanonicalMapping
}

@Suite("VietnameseText")
struct VietnameseTextTests {
    @Test func alphabetRowsHaveSixPrecomposedLetters() {
        for row in VietnameseAlphabet.lowerRows + VietnameseAlphabet.upperRows {
            #expect(row.unicodeScalars.count == 6, "\(row)")
        }
        #expect(Set(allVietnameseLetters).count == 146)
    }

    @Test(arguments: [
        ("Nguyễn  Văn Đức", "nguyen van duc"),
        ("ĐẶNG THỊ HỒNG", "dang thi hong"),
        ("Nguye\u{302}\u{303}n Va\u{306}n \u{110}u\u{31B}\u{301}c", "nguyen van duc"),  // decomposed
        ("Hoà Thuý Khoẻ", "hoa thuy khoe"),
        ("Hòa Thúy Khỏe", "hoa thuy khoe"),
        ("Nguyễn-Văn,Đức.", "nguyen van duc"),
        ("  Số 5, ngõ 12/3 phố Huế ", "so 5 ngo 12 3 pho hue"),
        ("", ""),
        (" \t\u{A0} ", ""),
        ("Ðức", "duc"),  // Icelandic eth typed for Đ
        ("Nguyễn\u{A0}Văn\u{200B}Đức", "nguyen van duc"),
        ("Ng\u{200D}uyễn", "nguyen"),
        ("H'Hen Niê", "h hen nie"),
        ("Søren Müller Œuvre Straße", "soren muller oeuvre strasse"),
        ("Ｎｇｕｙễｎ", "nguyen"),
        ("Иван Đức", "иван duc"),  // other scripts take the general path, same result for Latin
        ("Đức 李小龍", "duc 李小龍"),
        ("Nguyễn 😀 Đức", "nguyen duc"),
    ])
    func fold(input: String, expected: String) {
        #expect(VietnameseText.fold(input) == expected)
    }

    @Test func foldReducesEveryVietnameseLetterToItsASCIIBase() {
        let bases = "aaaeeiooouuy"
        for (isUpper, letters) in [(false, VietnameseAlphabet.lower), (true, VietnameseAlphabet.upper)] {
            for (index, letter) in letters.enumerated() {
                let base = String(Array(bases)[index / 6])
                let text = String(letter)
                #expect(VietnameseText.fold(text) == base, "\(text) upper: \(isUpper)")
                #expect(VietnameseText.fold(text.decomposedStringWithCanonicalMapping) == base)
            }
        }
        #expect(VietnameseText.fold("đĐ") == "dd")
    }

    @Test func foldAgreesWithCleanAndWithDecomposedInput() {
        for name in SampleNames.all.prefix(2000) {
            let folded = VietnameseText.fold(name)
            #expect(VietnameseText.fold(name.decomposedStringWithCanonicalMapping) == folded)
            #expect(VietnameseText.fold(VietnameseText.clean(name)) == folded)
            #expect(VietnameseText.fold(name.uppercased()) == folded)
            #expect(folded.utf8.allSatisfy { $0 == 0x20 || ($0 >= 0x61 && $0 <= 0x7A) })
        }
    }

    @Test func foldFastAndGeneralPathsAgree() {
        // A Cyrillic letter sends the whole string down the general path.
        for name in SampleNames.all.prefix(500) {
            #expect(VietnameseText.fold(name + " Ж") == VietnameseText.fold(name) + " ж")
        }
    }

    @Test func nfc() {
        let decomposed = "Nguye\u{302}\u{303}n"
        #expect(VietnameseText.nfc(decomposed).unicodeScalars.count == 6)
        #expect(VietnameseText.nfc(decomposed) == "Nguyễn")
        #expect(VietnameseText.nfc("Nguyễn Văn Đức") == "Nguyễn Văn Đức")
        #expect(VietnameseText.nfc("Hoa\u{300}").unicodeScalars.map(\.value) == [0x48, 0x6F, 0xE0])
    }

    @Test(arguments: [
        ("  Nguyễn   Văn\tĐức \n", "Nguyễn Văn Đức"),
        ("Nguyễn\u{A0}Văn\u{2009}Đức", "Nguyễn Văn Đức"),
        ("Nguyễn\u{200B}Văn", "Nguyễn Văn"),
        ("Ng\u{200D}uy\u{FEFF}ễn", "Nguyễn"),
        ("Nguye\u{302}\u{303}n", "Nguyễn"),
        ("Ｎｇｕｙễｎ　Ｖăｎ", "Nguyễn Văn"),
        ("\u{201C}Đức\u{201D} O\u{2019}Brien", "\"Đức\" O'Brien"),
        ("Số 5 \u{2013} ngõ 12", "Số 5 - ngõ 12"),
        ("Ðức ðông", "Đức đông"),
        ("Hòa", "Hoà"), ("Hoà", "Hoà"), ("HÒA", "HOÀ"), ("Thúy", "Thuý"), ("Thủy", "Thuỷ"),
        ("Khỏe", "Khoẻ"), ("Lòe", "Loè"), ("Hoàng", "Hoàng"), ("Thuận", "Thuận"), ("Quý", "Quý"),
        ("Qúy", "Quý"), ("gìa", "già"), ("Gìn", "Gìn"), ("Mùa", "Mùa"), ("Múa", "Múa"), ("Hoài", "Hoài"),
        ("Người", "Người"), ("Khuyến", "Khuyến"), ("Thuở", "Thuở"), ("Khuỷu", "Khuỷu"), ("Ngoẹo", "Ngoẹo"),
        ("Xoáy", "Xoáy"), ("Tuấn", "Tuấn"), ("Hươu", "Hươu"), ("Lụa", "Lụa"), ("Hoá", "Hoá"),
        ("Müller José Chloé", "Müller José Chloé"),
        ("Ng\u{AD}uyễn", "Nguyễn"),  // soft hyphen dropped from certain Unicode…
        ("Tr\u{AD}¬ng", "Tr\u{AD}¬ng"),  // …but kept where it may be TCVN3's ư
        ("  ", ""),
        ("", ""),
    ])
    func clean(input: String, expected: String) {
        #expect(VietnameseText.clean(input) == expected)
    }

    @Test func cleanMakesBothTonePlacementsEqual() {
        let pairs = [
            ("Hoà", "Hòa"), ("Thuý", "Thúy"), ("Khoẻ", "Khỏe"), ("Nguyễn Thị Thuỷ", "Nguyễn Thị Thủy"),
            ("Lê Hoà Bình", "Lê Hòa Bình"), ("HOÀ", "HÒA"), ("Xoè", "Xòe"), ("Tuỵ", "Tụy"),
        ]
        for style in VietnameseText.ToneStyle.allCases {
            for (modern, traditional) in pairs {
                #expect(
                    VietnameseText.clean(modern, toneStyle: style)
                        == VietnameseText.clean(traditional, toneStyle: style))
            }
        }
        #expect(VietnameseText.clean("Hoà Thuý Khoẻ", toneStyle: .traditional) == "Hòa Thúy Khỏe")
        #expect(VietnameseText.clean("Hòa Thúy Khỏe", toneStyle: .modern) == "Hoà Thuý Khoẻ")
    }

    @Test func cleanIsIdempotentAndKeepsWellFormedNames() {
        for name in SampleNames.all.prefix(3000) {
            let cleaned = VietnameseText.clean(name)
            #expect(VietnameseText.clean(cleaned) == cleaned)
            #expect(VietnameseText.fold(cleaned) == VietnameseText.fold(name))
        }
    }

    @Test(arguments: [
        ("Nguyễn Văn Đức", "NGUYEN VAN DUC"),
        ("  trần   thị-ánh ", "TRAN THI ANH"),
        ("Đặng Thị Hoà", "DANG THI HOA"),
        ("Lê Ðức", "LE DUC"),
        ("Nguyễn Văn A 李", "NGUYEN VAN A"),
    ])
    func bankName(input: String, expected: String) {
        #expect(VietnameseText.bankName(input) == expected)
    }

    @Test func nameTokens() {
        #expect(VietnameseText.nameTokens("  Nguyễn  Văn-Đức ") == ["nguyen", "van", "duc"])
        #expect(VietnameseText.nameTokens("") == [])
    }

    @Test(arguments: [
        ("NGUYỄN VĂN ĐỨC", "Nguyễn Văn Đức"),
        ("nguyễn văn đức", "Nguyễn Văn Đức"),
        ("ĐẶNG THỊ ÁNH", "Đặng Thị Ánh"),
        ("h'hen niê", "H'Hen Niê"),
        ("nguye\u{302}\u{303}n", "Nguyễn"),
    ])
    func titleCase(input: String, expected: String) {
        #expect(VietnameseText.titleCase(input) == expected)
    }
}

@Suite("LegacyEncoding")
struct LegacyEncodingTests {
    @Test(arguments: [
        ("NguyÔn V¨n §øc", "Nguyễn Văn Đức"),
        ("TrÇn ThÞ Thu H»ng", "Trần Thị Thu Hằng"),
        ("Lª Hoµng Nam", "Lê Hoàng Nam"),
        ("Ph¹m Quang Huy", "Phạm Quang Huy"),
        ("§ç ThÞ Thanh Hµ", "Đỗ Thị Thanh Hà"),
        ("B¶o Th¾ng", "Bảo Thắng"),
        ("M\u{AD}êng Kh\u{AD}¬ng", "Mường Khương"),
        ("Tr\u{AD}¬ng C«ng ViÖt", "Trương Công Việt"),
        ("NGUYÔN V¡N §øC", "NGUYỄN VĂN ĐỨC"),
        ("NguyÔn V¨n ¸nh", "Nguyễn Văn Ánh"),  // capital toned vowel restored from the other words
        ("§INH THÞ HµO", "ĐINH THỊ HÀO"),
        ("Sè 5 ngâ 12 phè HuÕ", "Số 5 ngõ 12 phố Huế"),
    ])
    func decodeTCVN3(legacy: String, unicode: String) {
        #expect(LegacyEncoding.decode(legacy, from: .tcvn3) == unicode)
        #expect(LegacyEncoding.detect(legacy) == .tcvn3)
        #expect(LegacyEncoding.repair(legacy) == (unicode, .tcvn3))
        // The same bytes read as Windows-1258 (CSV) and NFC-normalised.
        #expect(LegacyEncoding.repair(asWindows1258(legacy)) == (unicode, .tcvn3))
    }

    @Test(arguments: [
        ("Nguyeãn Vaên Ñöùc", "Nguyễn Văn Đức"),
        ("Traàn Thò Thu Haèng", "Trần Thị Thu Hằng"),
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("NGUYEÃN VAÊN ÑÖÙC", "NGUYỄN VĂN ĐỨC"),
        ("Tröông Coâng Vieät", "Trương Công Việt"),
        ("Ñaëng Thò Hoaø", "Đặng Thị Hoà"),
        ("Quyønh Thuûy", "Quỳnh Thủy"),
    ])
    func decodeVNI(legacy: String, unicode: String) {
        #expect(LegacyEncoding.decode(legacy, from: .vni) == unicode)
        #expect(LegacyEncoding.detect(legacy) == .vni)
        #expect(LegacyEncoding.repair(legacy) == (unicode, .vni))
        #expect(LegacyEncoding.repair(asWindows1258(legacy)) == (unicode, .vni))
    }

    @Test(arguments: [
        // Unicode Vietnamese, both placements, decomposed, all caps, without the letters that exit early.
        "Nguyễn Văn Đức", "Lê Văn Tâm", "Hoà Bình", "Hòa Bình", "Thuý", "Thúy", "Khoẻ", "LÊ THỊ HẠNH",
        "Lê Thị Hạnh", "Nguye\u{302}\u{303}n Thi\u{323} Ha\u{323}nh", "Đào Duy Tùng", "Tô Thị Yên", "Hà Nội",
        "Phùng Khắc Khoan", "Vũ Thị Lý", "Mạc Thị Bưởi",
        // ASCII.
        "Nguyen Van Duc", "", "12345", "001203004567", "Tran Thi B",
        // Western European names and text.
        "François Müller", "Hélène Côté", "José Núñez", "Loïc", "Zoë", "Søren Kierkegaard", "Anaïs", "Raphaël",
        "Noël", "Chloé", "Björk Guðmundsdóttir", "São Paulo", "João Gonçalves", "Ångström", "Œuvre", "« Oui »",
        "goût", "Gaël", "Thaïs", "Maëlle", "Dvořák", "Łukasz Wałęsa", "Peña", "Ñandú", "Müller-Lüdenscheidt",
        "Zoé Aimée Renée", "Straße", "Ærø", "Mañana où ça", "naïve café", "Conceição", "Gaétan", "Raphaëlle",
        "Café 5 €", "Giá: 50.000 ₫", "±5 mm", "Noé", "Loïc Noël", "Renée Loïc",
        "FRANÇOIS MÜLLER", "HÉLÈNE CÔTÉ", "JOSÉ NÚÑEZ", "LOÏC", "NOËL", "CHLOÉ", "THÉO", "LÉA", "RENÉ", "ZOË",
        "ANAÏS", "SØREN", "JOÃO", "MAËLLE", "GAËL", "ÉLODIE", "INÈS", "AGNÈS", "JÉRÔME", "BENOÎT", "GAËTAN",
        "Anaïs Dupont", "Loïc Dupont", "Jérôme", "Benoît", "Mégane", "Clémence", "Céline", "Josée", "Noémie",
        "Raúl", "María José", "Ángel", "Iñaki", "Müşerref", "Göran", "Åsa", "Jürgen", "Özil", "Ümit", "Pérez",
        "Vũ Thị Mùa", "Số 12, ngõ 34 phố Huế, phường Hàng Bài, quận Hoàn Kiếm, Hà Nội", "Thôn Đông, xã Văn Lâm",
        "Nguyễn V¨n §øc",  // half retyped: no single reading explains it
    ])
    func detectLeavesUnicodeAlone(text: String) {
        #expect(LegacyEncoding.detect(text) == .unicode)
        #expect(LegacyEncoding.repair(text).text == VietnameseText.nfc(text))
    }

    @Test func detectNeverFlagsUnicodeNames() {
        for name in SampleNames.all {
            #expect(LegacyEncoding.detect(name) == .unicode, "\(name)")
            #expect(LegacyEncoding.detect(name.uppercased()) == .unicode, "\(name)")
            #expect(LegacyEncoding.detect(name.decomposedStringWithCanonicalMapping) == .unicode, "\(name)")
        }
    }

    /// Every sample name (title case and all caps, 1252 and 1258 readings) decodes exactly; detection never
    /// picks the wrong legacy encoding. It may leave a name alone when its words read as Vietnamese both ways
    /// ("VUÕ": Vũ in VNI, "Vuế" in TCVN3; "Dòng" is Dũng in TCVN3 and a Unicode word too).
    @Test(arguments: [LegacyEncoding.tcvn3, .vni])
    func encodedNamesAreDetectedAndRepaired(encoding: LegacyEncoding) {
        var missed: [String] = []
        var missedWithHint: [String] = []
        var total = 0
        for name in SampleNames.all {
            for text in [name, name.uppercased()] {
                let encoded = LegacyEncoding.encode(text, as: encoding)
                guard encoded != text else { continue }
                for legacy in [encoded, asWindows1258(encoded)] {
                    total += 1
                    #expect(LegacyEncoding.decode(legacy, from: encoding) == text, "\(legacy)")
                    let repaired = LegacyEncoding.repair(legacy)
                    #expect(
                        repaired == (text, encoding) || repaired == (VietnameseText.nfc(legacy), .unicode), "\(legacy)")
                    if repaired.encoding != encoding { missed.append(legacy) }
                    let hinted = LegacyEncoding.repair(legacy, columnHint: encoding)
                    #expect(hinted == (text, encoding) || hinted == (VietnameseText.nfc(legacy), .unicode), "\(legacy)")
                    if hinted.encoding != encoding { missedWithHint.append(legacy) }
                }
            }
        }
        print(
            "\(encoding): of \(total) legacy names, \(missed.count) left alone by repair, \(missedWithHint.count) with the column hint; e.g. \(missed.prefix(6)) \(missedWithHint.prefix(6))"
        )
        #expect(missed.count * 50 <= total)
        #expect(missedWithHint.count * 100 <= total)
    }

    @Test(arguments: [LegacyEncoding.tcvn3, .vni])
    func everyLetterRoundTrips(encoding: LegacyEncoding) {
        for letter in allVietnameseLetters {
            let text = String(letter)
            // TCVN3 writes upper-case toned vowels with the lower-case code; the word's case restores them.
            let inWord = letter.properties.isUppercase ? "X\(text)X" : "x\(text)x"
            #expect(LegacyEncoding.decode(LegacyEncoding.encode(inWord, as: encoding), from: encoding) == inWord)
            #expect(
                LegacyEncoding.decode(asWindows1258(LegacyEncoding.encode(inWord, as: encoding)), from: encoding)
                    == inWord)
            let alone = LegacyEncoding.decode(LegacyEncoding.encode(text, as: encoding), from: encoding)
            if encoding == .vni || !letter.properties.isUppercase || VietnameseAlphabet.vowel(letter)?.tone ?? 0 == 0 {
                #expect(alone == text)
            } else {
                #expect(alone == text.lowercased())
            }
            // Lower-case context: mixed-case words keep the letter's own case.
            let lowerWord = "x\(text.lowercased())x"
            #expect(LegacyEncoding.decode(LegacyEncoding.encode(lowerWord, as: encoding), from: encoding) == lowerWord)
        }
    }

    @Test func encodeKnownForms() {
        #expect(LegacyEncoding.encode("Nguyễn Văn Đức", as: .tcvn3) == "NguyÔn V¨n §øc")
        #expect(LegacyEncoding.encode("Nguyễn Văn Đức", as: .vni) == "Nguyeãn Vaên Ñöùc")
        #expect(LegacyEncoding.encode("Nguyễn Văn Đức", as: .unicode) == "Nguyễn Văn Đức")
        #expect(LegacyEncoding.encode("Müller", as: .tcvn3) == "Müller")
    }

    @Test func tcvn3CaseOfLoneWords() {
        #expect(LegacyEncoding.decode("Hµ", from: .tcvn3) == "Hà")  // "HÀ" or "Hà": title case assumed
        #expect(LegacyEncoding.decode("¸nh", from: .tcvn3) == "ánh")
        #expect(LegacyEncoding.decode("HµNG", from: .tcvn3) == "HÀNG")
        #expect(LegacyEncoding.decode("Hµ NéI", from: .tcvn3) == "HÀ NỘI")
    }

    @Test func columnEvidenceDecidesThinCells() {
        let column = ["Ngoïc", "Lan", "Huøng", "Tuaán", "Hoa", "Nguyễn Văn An"]
        #expect(LegacyEncoding.detect("Ngoïc") == .unicode)  // alone, it could be a French "Loïc"
        let hint = LegacyEncoding.detect(column: column)
        #expect(hint == .vni)
        #expect(LegacyEncoding.repair("Ngoïc", columnHint: hint) == ("Ngọc", .vni))
        #expect(LegacyEncoding.repair("Lan", columnHint: hint) == ("Lan", .unicode))
        #expect(LegacyEncoding.repair("Nguyễn Văn An", columnHint: hint) == ("Nguyễn Văn An", .unicode))
        #expect(LegacyEncoding.detect(column: ["Loïc", "Noël", "Zoé", "Chloé"]) == .unicode)
        #expect(LegacyEncoding.detect(column: ["Phan Minh Dòng", "Lª Thu", "Hµ"]) == .tcvn3)
        #expect(LegacyEncoding.repair("Hµ", columnHint: .tcvn3) == ("Hà", .tcvn3))
        #expect(LegacyEncoding.detect(column: SampleNames.all.prefix(200)) == .unicode)
    }
}
