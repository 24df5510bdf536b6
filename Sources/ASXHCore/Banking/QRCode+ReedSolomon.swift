/// Reed–Solomon error correction over GF(256) with the QR field polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D) and
/// generator roots α⁰ … α^(n−1), α = 2 (ISO/IEC 18004 §7.5.2).
enum QRReedSolomon {
    /// exp[i] = αⁱ for i in 0..<255, repeated once so that products need no modulo.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for index in 0..<255 {
            table[index] = UInt8(value)
            table[index + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    /// log[x] for x in 1...255 (log[0] unused).
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for index in 0..<255 { table[Int(Self.exp[index])] = index }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        guard a != 0, b != 0 else { return 0 }
        return Self.exp[Self.log[Int(a)] + Self.log[Int(b)]]
    }

    /// The generator polynomial's coefficients after the leading 1, highest degree first:
    /// (x − α⁰)(x − α¹)…(x − α^(degree−1)).
    static func generator(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1  // start from the polynomial 1, stored as its last coefficient
        var root: UInt8 = 1
        for _ in 0..<degree {
            // Multiply by (x − root): shift up one degree and add root × the old coefficients.
            for index in 0..<degree {
                coefficients[index] = Self.multiply(coefficients[index], root)
                if index + 1 < degree { coefficients[index] ^= coefficients[index + 1] }
            }
            root = Self.multiply(root, 2)
        }
        return coefficients
    }

    /// The error-correction codewords: the remainder of data(x) · x^degree divided by the generator.
    static func remainder(_ data: [UInt8], generator: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ result[0]
            result.removeFirst()
            result.append(0)
            for index in 0..<result.count { result[index] ^= Self.multiply(generator[index], factor) }
        }
        return result
    }
}
