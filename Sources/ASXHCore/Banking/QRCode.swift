/// A QR code symbol (ISO/IEC 18004 Model 2), encoded here without a library so that asxh can print and show
/// VietQR codes offline.
///
/// One segment in the most compact mode that holds the whole text (numeric, alphanumeric, or bytes of UTF-8),
/// the smallest version 1–40 that fits at the chosen error-correction level, Reed–Solomon blocks interleaved as
/// the standard's tables say, and the mask with the lowest penalty score (all eight are tried). Verified against
/// the `segno` reference encoder and two independent decoders (`scripts/check_qr.py`).
public struct QRCode: Sendable, Hashable {
    /// How much of the symbol can be damaged and still read: about 7, 15, 25 and 30 %.
    public enum ErrorCorrection: String, Sendable, Hashable, CaseIterable {
        case low = "L"
        case medium = "M"
        case quartile = "Q"
        case high = "H"

        /// The two bits the format information carries (ISO/IEC 18004 Table C.1: L 01, M 00, Q 11, H 10).
        var formatBits: Int {
            switch self {
            case .low: 1
            case .medium: 0
            case .quartile: 3
            case .high: 2
            }
        }

        /// Row of the block tables.
        var tableIndex: Int {
            switch self {
            case .low: 0
            case .medium: 1
            case .quartile: 2
            case .high: 3
            }
        }
    }

    /// How the data is written into the bit stream.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Digits 0–9, three to 10 bits.
        case numeric
        /// Digits, upper-case A–Z and ` $%*+-./:`, two to 11 bits.
        case alphanumeric
        /// Any bytes (text as UTF-8), 8 bits each.
        case byte

        var indicator: Int {
            switch self {
            case .numeric: 0b0001
            case .alphanumeric: 0b0010
            case .byte: 0b0100
            }
        }

        /// Width of the character count field, which grows with the version.
        func countBits(version: Int) -> Int {
            let band = version <= 9 ? 0 : (version <= 26 ? 1 : 2)
            switch self {
            case .numeric: return [10, 12, 14][band]
            case .alphanumeric: return [9, 11, 13][band]
            case .byte: return [8, 16, 16][band]
            }
        }
    }

    /// 1 to 40; the symbol is `17 + 4 × version` modules wide.
    public let version: Int
    public let errorCorrection: ErrorCorrection
    public let mode: Mode
    /// The data mask pattern, 0 to 7.
    public let mask: Int
    /// Modules on a side, without the quiet zone.
    public let size: Int
    /// Row-major, `true` for dark.
    let modules: [Bool]

    /// Encodes `text`. `version` forces a version (it must hold the text); `mask` forces a mask pattern; `mode`
    /// forces a mode (it must be able to encode the text). Without them the smallest version and the best mask
    /// are chosen.
    public init(
        _ text: String, errorCorrection: ErrorCorrection = .medium, version: Int? = nil, mask: Int? = nil,
        mode: Mode? = nil
    ) throws(QRCodeError) {
        let bytes = Array(text.utf8)
        let mode = mode ?? Self.bestMode(bytes)
        guard Self.canEncode(bytes, in: mode) else { throw .modeCannotEncode(mode) }
        try self.init(bytes: bytes, mode: mode, errorCorrection: errorCorrection, version: version, mask: mask)
    }

    /// Encodes raw bytes in byte mode.
    public init(bytes: [UInt8], errorCorrection: ErrorCorrection = .medium, version: Int? = nil, mask: Int? = nil)
        throws(QRCodeError)
    {
        try self.init(bytes: bytes, mode: .byte, errorCorrection: errorCorrection, version: version, mask: mask)
    }

    private init(bytes: [UInt8], mode: Mode, errorCorrection: ErrorCorrection, version: Int?, mask: Int?)
        throws(QRCodeError)
    {
        if let version, !(1...40).contains(version) { throw .invalidVersion(version) }
        if let mask, !(0...7).contains(mask) { throw .invalidMask(mask) }
        let chosen = try Self.chooseVersion(bytes, mode: mode, errorCorrection: errorCorrection, forced: version)
        let data = Self.dataCodewords(bytes, mode: mode, version: chosen, errorCorrection: errorCorrection)
        let codewords = Self.interleaved(data, version: chosen, errorCorrection: errorCorrection)
        var matrix = QRMatrix(version: chosen)
        matrix.drawFunctionPatterns()
        matrix.drawCodewords(codewords)
        let best = mask ?? matrix.bestMask()
        matrix.applyMask(best)
        matrix.drawFormatBits(errorCorrection: errorCorrection, mask: best)
        matrix.drawVersionBits()
        self.version = chosen
        self.errorCorrection = errorCorrection
        self.mode = mode
        self.mask = best
        self.size = matrix.size
        self.modules = matrix.modules
    }

    /// Whether the module at this row and column (0-based, quiet zone excluded) is dark.
    public func isDark(row: Int, column: Int) -> Bool {
        self.modules[row * self.size + column]
    }

    /// The rows, top to bottom, `true` for dark.
    public var rows: [[Bool]] {
        (0..<self.size).map { row in Array(self.modules[(row * self.size)..<((row + 1) * self.size)]) }
    }

    /// One line per row, `dark` and `light` characters: for fixtures and terminals.
    public func matrixText(dark: Character = "#", light: Character = ".") -> String {
        self.rows.map { String($0.map { $0 ? dark : light }) }.joined(separator: "\n")
    }

    // MARK: Data

    static let alphanumericCharset = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)

    private static let alphanumericValues: [Int] = {
        var values = [Int](repeating: -1, count: 128)
        for (index, byte) in Self.alphanumericCharset.enumerated() { values[Int(byte)] = index }
        return values
    }()

    static func canEncode(_ bytes: [UInt8], in mode: Mode) -> Bool {
        switch mode {
        case .numeric: return bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        case .alphanumeric: return bytes.allSatisfy { $0 < 0x80 && Self.alphanumericValues[Int($0)] >= 0 }
        case .byte: return true
        }
    }

    /// The mode that encodes the whole input in the fewest bits.
    static func bestMode(_ bytes: [UInt8]) -> Mode {
        if Self.canEncode(bytes, in: .numeric) { return .numeric }
        if Self.canEncode(bytes, in: .alphanumeric) { return .alphanumeric }
        return .byte
    }

    static func dataBitCount(_ count: Int, mode: Mode) -> Int {
        switch mode {
        case .numeric: return count / 3 * 10 + [0, 4, 7][count % 3]
        case .alphanumeric: return count / 2 * 11 + (count % 2) * 6
        case .byte: return count * 8
        }
    }

    private static func chooseVersion(_ bytes: [UInt8], mode: Mode, errorCorrection: ErrorCorrection, forced: Int?)
        throws(QRCodeError) -> Int
    {
        func fits(_ version: Int) -> Bool {
            let countBits = mode.countBits(version: version)
            guard bytes.count < 1 << countBits else { return false }
            let needed = 4 + countBits + Self.dataBitCount(bytes.count, mode: mode)
            return needed <= Self.dataCodewordCount(version: version, errorCorrection: errorCorrection) * 8
        }
        if let forced {
            guard fits(forced) else { throw .tooLong(bytes: bytes.count, version: forced) }
            return forced
        }
        guard let version = (1...40).first(where: fits) else { throw .tooLong(bytes: bytes.count, version: 40) }
        return version
    }

    /// The data codewords: mode, count, data, terminator, padding to a byte, then pad bytes EC 11 EC 11 …
    static func dataCodewords(_ bytes: [UInt8], mode: Mode, version: Int, errorCorrection: ErrorCorrection) -> [UInt8] {
        var bits = QRBitBuffer()
        bits.append(mode.indicator, count: 4)
        bits.append(bytes.count, count: mode.countBits(version: version))
        switch mode {
        case .numeric:
            var index = 0
            while index < bytes.count {
                let group = bytes[index..<min(index + 3, bytes.count)]
                let value = group.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                bits.append(value, count: [0, 4, 7, 10][group.count])
                index += 3
            }
        case .alphanumeric:
            var index = 0
            while index + 1 < bytes.count {
                let value = Self.alphanumericValues[Int(bytes[index])] * 45 + Self.alphanumericValues[Int(bytes[index + 1])]
                bits.append(value, count: 11)
                index += 2
            }
            if index < bytes.count { bits.append(Self.alphanumericValues[Int(bytes[index])], count: 6) }
        case .byte:
            for byte in bytes { bits.append(Int(byte), count: 8) }
        }
        let capacity = Self.dataCodewordCount(version: version, errorCorrection: errorCorrection) * 8
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count * 8 < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    // MARK: Blocks

    /// Modules left for data and error correction once the function patterns and format/version areas are
    /// taken (ISO/IEC 18004 Table 1, computed).
    static func rawDataModuleCount(version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewordCount(version: Int, errorCorrection: ErrorCorrection) -> Int {
        let row = errorCorrection.tableIndex
        return Self.rawDataModuleCount(version: version) / 8
            - Self.eccCodewordsPerBlock[row][version] * Self.blockCount[row][version]
    }

    /// Splits the data into blocks, adds each block's Reed–Solomon codewords, and interleaves: data codewords
    /// column by column across blocks (the longer blocks come last), then error-correction codewords likewise.
    static func interleaved(_ data: [UInt8], version: Int, errorCorrection: ErrorCorrection) -> [UInt8] {
        let row = errorCorrection.tableIndex
        let blocks = Self.blockCount[row][version]
        let eccLength = Self.eccCodewordsPerBlock[row][version]
        let rawCodewords = Self.rawDataModuleCount(version: version) / 8
        let shortBlocks = blocks - rawCodewords % blocks
        let shortDataLength = rawCodewords / blocks - eccLength
        let generator = QRReedSolomon.generator(degree: eccLength)

        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blocks {
            let length = shortDataLength + (index < shortBlocks ? 0 : 1)
            let block = Array(data[offset..<(offset + length)])
            offset += length
            dataBlocks.append(block)
            eccBlocks.append(QRReedSolomon.remainder(block, generator: generator))
        }
        var result: [UInt8] = []
        result.reserveCapacity(rawCodewords)
        for column in 0...shortDataLength {
            for block in dataBlocks where column < block.count { result.append(block[column]) }
        }
        for column in 0..<eccLength {
            for block in eccBlocks { result.append(block[column]) }
        }
        return result
    }

    // ISO/IEC 18004 Table 9, by level (L, M, Q, H) and version (index 0 unused).
    static let eccCodewordsPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    static let blockCount: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]
}

/// Why a QR code cannot be made.
public enum QRCodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The data does not fit in `version` (40: in any version) at the chosen level.
    case tooLong(bytes: Int, version: Int)
    /// A version outside 1–40.
    case invalidVersion(Int)
    /// A mask outside 0–7.
    case invalidMask(Int)
    /// The forced mode cannot encode the text (letters in numeric mode, lower case in alphanumeric mode).
    case modeCannotEncode(QRCode.Mode)

    public var code: String {
        switch self {
        case .tooLong: "qr.too_long"
        case .invalidVersion: "qr.invalid_version"
        case .invalidMask: "qr.invalid_mask"
        case .modeCannotEncode: "qr.mode_cannot_encode"
        }
    }

    public var messageVI: String {
        switch self {
        case .tooLong(let bytes, let version): "Dữ liệu \(bytes) byte quá dài cho mã QR phiên bản \(version)."
        case .invalidVersion(let version): "Phiên bản mã QR \(version) không hợp lệ (1–40)."
        case .invalidMask(let mask): "Mẫu mặt nạ \(mask) không hợp lệ (0–7)."
        case .modeCannotEncode(let mode): "Chế độ \(mode.rawValue) không mã hóa được nội dung này."
        }
    }

    public var messageEN: String {
        switch self {
        case .tooLong(let bytes, let version): "\(bytes) bytes do not fit in a version \(version) QR code."
        case .invalidVersion(let version): "QR version \(version) is not 1–40."
        case .invalidMask(let mask): "Mask \(mask) is not 0–7."
        case .modeCannotEncode(let mode): "The \(mode.rawValue) mode cannot encode this text."
        }
    }

    public var description: String { "\(self.code): \(self.messageEN)" }
}

/// Bits appended most significant first.
struct QRBitBuffer {
    private(set) var bits: [Bool] = []

    var count: Int { self.bits.count }

    mutating func append(_ value: Int, count: Int) {
        guard count > 0 else { return }
        for shift in stride(from: count - 1, through: 0, by: -1) { self.bits.append((value >> shift) & 1 == 1) }
    }

    /// The bits packed into bytes; the count must be a multiple of 8.
    var bytes: [UInt8] {
        stride(from: 0, to: self.bits.count, by: 8).map { start in
            self.bits[start..<(start + 8)].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
    }
}
