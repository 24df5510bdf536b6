import Foundation
import Testing

@testable import ASXHCore

@Suite("Banking: the QR code encoder against segno's matrices and the standard's worked examples")
struct BankingQRCodeTests {
    static func mode(_ name: String) -> QRCode.Mode { QRCode.Mode(rawValue: name)! }

    @Test("matrices equal segno's, with the version and mask segno chose", arguments: QRFixtures.all)
    func matchesSegno(fixture: QRFixtures.Fixture) throws {
        let level = QRCode.ErrorCorrection(rawValue: fixture.level)!
        let chosen = try QRCode(fixture.text, errorCorrection: level, mode: Self.mode(fixture.mode))
        #expect(chosen.version == fixture.version)
        #expect(chosen.mask == fixture.mask)
        #expect(chosen.matrixText() == fixture.rows)
        // The same symbol with version and mask forced.
        let forced = try QRCode(fixture.text, errorCorrection: level, version: fixture.version, mask: fixture.mask)
        #expect(forced.matrixText() == fixture.rows)
        #expect(forced.size == fixture.version * 4 + 17)
    }

    @Test("the VietQR sample becomes a version 7-M byte-mode symbol")
    func vietQRSymbol() throws {
        let code = try QRCode(QRFixtures.vietQRVector.text)
        #expect(code.mode == .byte && code.errorCorrection == .medium && code.version == 7)
    }

    @Test("every mask of the VietQR sample differs only in the data modules and the format bits")
    func everyMask() throws {
        let codes = try (0...7).map { try QRCode(QRFixtures.vietQRVector.text, mask: $0) }
        #expect(Set(codes.map(\.mask)) == Set(0...7))
        #expect(Set(codes.map { $0.matrixText() }).count == 8)
        // The finder in the top-left corner never changes.
        for code in codes {
            #expect(code.rows[0].prefix(7).allSatisfy { $0 })
            #expect(code.rows[1].prefix(7) == [true, false, false, false, false, false, true])
        }
    }

    @Test("the penalty score of segno's final VietQR symbol, rule by rule, is segno's own")
    func penaltyRules() {
        let rows = QRFixtures.vietQRVector.rows.split(separator: "\n").map { $0.map { $0 == "#" } }
        let score = QRPenalty.score(rows.flatMap { $0 }, size: rows.count)
        // segno.encoder.mask_scores on the same matrix.
        #expect(score == QRPenalty.Score(runs: 631, blocks: 657, finderLike: 840, balance: 0))
    }

    @Test("format information: level M, masks 0 to 7, and the other levels' first and last (ISO/IEC 18004 Table C.1)")
    func formatBits() {
        let levelM = [
            0b101010000010010, 0b101000100100101, 0b101111001111100, 0b101101101001011,
            0b100010111111001, 0b100000011001110, 0b100111110010111, 0b100101010100000,
        ]
        #expect((0...7).map { QRMatrix.formatBits(errorCorrection: .medium, mask: $0) } == levelM)
        #expect(QRMatrix.formatBits(errorCorrection: .low, mask: 0) == 0b111011111000100)
        #expect(QRMatrix.formatBits(errorCorrection: .quartile, mask: 7) == 0b010101111101101)
        #expect(QRMatrix.formatBits(errorCorrection: .high, mask: 7) == 0b000100000111011)
    }

    @Test("version information for versions 7 and 40 (ISO/IEC 18004 Table D.1)")
    func versionBits() {
        #expect(QRMatrix.versionBits(version: 7) == 0x07C94)
        #expect(QRMatrix.versionBits(version: 40) == 0x28C69)
    }

    @Test("alignment pattern centres (ISO/IEC 18004 Annex E)")
    func alignment() {
        #expect(QRMatrix.alignmentPositions(version: 1) == [])
        #expect(QRMatrix.alignmentPositions(version: 2) == [6, 18])
        #expect(QRMatrix.alignmentPositions(version: 7) == [6, 22, 38])
        #expect(QRMatrix.alignmentPositions(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(QRMatrix.alignmentPositions(version: 40) == [6, 30, 58, 86, 114, 142, 170])
    }

    @Test("Reed–Solomon: HELLO WORLD at 1-M (alphanumeric) and the standard's 01234567 at 1-M (numeric)")
    func reedSolomon() {
        let hello = QRCode.dataCodewords(Array("HELLO WORLD".utf8), mode: .alphanumeric, version: 1, errorCorrection: .medium)
        #expect(hello == [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17])
        let helloECC = QRReedSolomon.remainder(hello, generator: QRReedSolomon.generator(degree: 10))
        #expect(helloECC == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])

        let digits = QRCode.dataCodewords(Array("01234567".utf8), mode: .numeric, version: 1, errorCorrection: .medium)
        #expect(digits == [16, 32, 12, 86, 97, 128, 236, 17, 236, 17, 236, 17, 236, 17, 236, 17])
        #expect(QRCode.interleaved(digits, version: 1, errorCorrection: .medium).suffix(10)
            == [165, 36, 212, 193, 237, 54, 199, 135, 44, 85])
    }

    @Test("a bit stream that ends on a byte boundary gets pad codewords, no zero byte (ISO/IEC 18004 §7.4.10)")
    func padding() {
        // 4 + 8 + 8 bits, then the 4-bit terminator: 24 bits, already whole bytes.
        let codewords = QRCode.dataCodewords(Array("a".utf8), mode: .byte, version: 1, errorCorrection: .medium)
        #expect(codewords == [0x40, 0x16, 0x10, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC])
    }

    @Test("blocks of two lengths interleave: 5-Q has 2 blocks of 15 and 2 of 16 data codewords")
    func interleaving() {
        let data = (0..<62).map { UInt8($0) }
        let codewords = QRCode.interleaved(data, version: 5, errorCorrection: .quartile)
        #expect(codewords.count == 134)
        #expect(Array(codewords.prefix(8)) == [0, 15, 30, 46, 1, 16, 31, 47])
        // After the short blocks run out, only the long blocks' last codewords remain.
        #expect(Array(codewords[56..<62]) == [14, 29, 44, 60, 45, 61])
    }

    @Test("modes: digits numeric, upper-case alphanumeric, anything else bytes of UTF-8")
    func modes() throws {
        #expect(try QRCode("0123456789").mode == .numeric)
        #expect(try QRCode("HTTPS://ASXH.VN/Q/12").mode == .alphanumeric)
        #expect(try QRCode("Nguyễn Văn Ánh").mode == .byte)
        #expect(throws: QRCodeError.modeCannotEncode(.numeric)) { try QRCode("12a", mode: .numeric) }
        #expect(throws: QRCodeError.modeCannotEncode(.alphanumeric)) { try QRCode("abc", mode: .alphanumeric) }
    }

    @Test("the smallest version that holds the data is chosen, up to 40")
    func versions() throws {
        #expect(try QRCode(String(repeating: "a", count: 14)).version == 1)
        #expect(try QRCode(String(repeating: "a", count: 15)).version == 2)
        #expect(try QRCode(String(repeating: "a", count: 2331)).version == 40)
        #expect(throws: QRCodeError.tooLong(bytes: 2332, version: 40)) { try QRCode(String(repeating: "a", count: 2332)) }
        #expect(throws: QRCodeError.tooLong(bytes: 15, version: 1)) { try QRCode(String(repeating: "a", count: 15), version: 1) }
        #expect(throws: QRCodeError.invalidVersion(41)) { try QRCode("a", version: 41) }
        #expect(throws: QRCodeError.invalidMask(8)) { try QRCode("a", mask: 8) }
        let all: [QRCodeError] = [.tooLong(bytes: 1, version: 1), .invalidVersion(0), .invalidMask(9), .modeCannotEncode(.byte)]
        #expect(all.allSatisfy { !$0.messageVI.isEmpty && !$0.messageEN.isEmpty })
    }

    @Test("the SVG is one path of unit squares with a 4-module quiet zone that draws exactly the dark modules")
    func svg() throws {
        let code = try QRCode(QRFixtures.vietQRVector.text)
        let svg = code.svg(moduleSize: 5, title: "VietQR <ACB>")
        let side = code.size + 8
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\""))
        #expect(svg.contains("width=\"\(side * 5)\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.contains("<title>VietQR &lt;ACB&gt;</title>"))
        #expect(svg.components(separatedBy: "<path").count == 2)

        // Paint the path back into a grid.
        let d = try #require(svg.range(of: " d=\"").map { svg[$0.upperBound...].prefix { $0 != "\"" } })
        var painted = [[Bool]](repeating: [Bool](repeating: false, count: side), count: side)
        for rectangle in d.split(separator: "z") {
            let numbers = rectangle.split(whereSeparator: { "Mhv ".contains($0) }).compactMap { Int($0) }
            // M x y h width v 1 h -width
            #expect(numbers.count == 5 && numbers[3] == 1 && numbers[4] == -numbers[2])
            for x in numbers[0]..<(numbers[0] + numbers[2]) { painted[numbers[1]][x] = true }
        }
        #expect(painted.prefix(4).allSatisfy { !$0.contains(true) } && painted.suffix(4).allSatisfy { !$0.contains(true) })
        let inner = painted[4..<(4 + code.size)].map { Array($0[4..<(4 + code.size)]) }
        #expect(inner == code.rows)
    }
}
