import Foundation

/// The small corruptions people and old software make to names, numbers and dates in lists.
enum DemoNoise {
    // Combining marks in NFD Vietnamese: five tones, and the three vowel modifiers.
    static let toneMarks: [Unicode.Scalar] = ["\u{0300}", "\u{0301}", "\u{0303}", "\u{0309}", "\u{0323}"]
    static let modifierMarks: Set<Unicode.Scalar> = ["\u{0302}", "\u{0306}", "\u{031B}"]

    /// The name without diacritics, as typed on a keyboard without Vietnamese input: "Nguyen Van Hung" or
    /// "NGUYEN VAN HUNG".
    static func withoutDiacritics(_ name: String, upperCase: Bool) -> String {
        let ascii = VietnameseText.bankName(name)
        return upperCase ? ascii : VietnameseText.titleCase(ascii)
    }

    /// One letter wrong: a tone changed or dropped, a vowel modifier dropped (ư → u), a consonant confused
    /// (l/n, s/x, d/đ, i/y) or a letter left out. Nil only for names too short to misspell.
    static func misspelt(_ name: String, random: inout DemoRandom) -> String? {
        var scalars = Array(name.decomposedStringWithCanonicalMapping.unicodeScalars)
        let tones = scalars.indices.filter { Self.toneMarks.contains(scalars[$0]) }
        let modifiers = scalars.indices.filter { Self.modifierMarks.contains(scalars[$0]) }
        let confusable = scalars.indices.filter { Self.confusions[scalars[$0]] != nil }
        let letters = scalars.indices.filter {
            scalars[$0].properties.isAlphabetic && !Self.isMark(scalars[$0])
                && ($0 + 1 < scalars.count && scalars[$0 + 1] != " ")  // keep every word's last letter
                && ($0 > 0 && scalars[$0 - 1] != " ")  // and its first
        }
        let choice = random.below(4)
        if choice == 0, !tones.isEmpty {
            let position = random.pick(tones)
            let others = Self.toneMarks.filter { $0 != scalars[position] }
            if random.chance(0.3) {
                scalars.remove(at: position)
            } else {
                scalars[position] = random.pick(others)
            }
        } else if choice == 1, !modifiers.isEmpty {
            scalars.remove(at: random.pick(modifiers))
        } else if choice == 2, !confusable.isEmpty {
            let position = random.pick(confusable)
            scalars[position] = Self.confusions[scalars[position]]!
        } else if !letters.isEmpty {
            let position = random.pick(letters)
            scalars.remove(at: position)
            // A tone or modifier left without its letter would sit on the previous one: drop it too.
            while position < scalars.count && Self.isMark(scalars[position]) { scalars.remove(at: position) }
        } else {
            return nil
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        let result = String(view).precomposedStringWithCanonicalMapping
        return result == name ? nil : result
    }

    private static let confusions: [Unicode.Scalar: Unicode.Scalar] = [
        "l": "n", "n": "l", "s": "x", "x": "s", "d": "đ", "đ": "d", "i": "y", "y": "i",
        "L": "N", "N": "L", "S": "X", "X": "S", "D": "Đ", "Đ": "D",
    ]

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        (0x0300...0x036F).contains(scalar.value)
    }

    /// The other tone placement for syllables ending in oa, oe or uy (Hòa ↔ Hoà, Thủy ↔ Thuỷ); nil when the name
    /// has no such syllable, so both styles spell it the same.
    static func tonePlacementVariant(_ name: String) -> String? {
        let modern = VietnameseText.clean(name, toneStyle: .modern)
        if modern != name { return modern }
        let traditional = VietnameseText.clean(name, toneStyle: .traditional)
        return traditional != name ? traditional : nil
    }

    /// One digit replaced by another, at `positions`.
    static func digitTypo(_ id: String, positions: ClosedRange<Int>, random: inout DemoRandom) -> String {
        var bytes = Array(id.utf8)
        let position = random.int(in: positions)
        bytes[position] = UInt8(0x30 + (Int(bytes[position] - 0x30) + 1 + random.below(9)) % 10)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Two neighbouring, different digits swapped; nil when all candidate pairs are equal.
    static func transposed(_ id: String, firstPositions: ClosedRange<Int>, random: inout DemoRandom) -> String? {
        var bytes = Array(id.utf8)
        let candidates = firstPositions.filter { bytes[$0] != bytes[$0 + 1] }
        guard !candidates.isEmpty else { return nil }
        let position = random.pick(candidates)
        bytes.swapAt(position, position + 1)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A digit replaced by a letter that looks like it (O for 0, l for 1) or a stray letter.
    static func lettersInID(_ id: String, random: inout DemoRandom) -> String {
        var bytes = Array(id.utf8)
        let position = random.below(bytes.count)
        switch bytes[position] {
        case UInt8(ascii: "0"): bytes[position] = UInt8(ascii: "O")
        case UInt8(ascii: "1"): bytes[position] = UInt8(ascii: "l")
        default: bytes[position] = UInt8(ascii: "A") + UInt8(random.below(26))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// "1.080.000": an amount typed as text with Vietnamese thousands separators.
    static func amountText(_ amount: Int) -> String {
        let digits = Array(String(amount).utf8)
        var out: [UInt8] = []
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(UInt8(ascii: ".")) }
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
