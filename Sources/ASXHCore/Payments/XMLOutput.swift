import Foundation

/// Bytes of an XML file being written: appended into one buffer that is handed to the file every
/// megabyte, so memory stays flat however many transactions a file holds.
struct XMLOutput {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 20

    init(handle: FileHandle) {
        self.handle = handle
        self.buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Markup written as is.
    @inline(__always)
    mutating func raw(_ text: StaticString) {
        self.buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Text known to need no escaping (digits, codes the writer made itself).
    @inline(__always)
    mutating func plain(_ text: String) {
        self.buffer.append(contentsOf: text.utf8)
    }

    /// Character data with `&`, `<` and `>` escaped, and characters XML 1.0 forbids turned into spaces.
    mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var clean = true
            for byte in bytes where byte == 0x26 || byte == 0x3C || byte == 0x3E || (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) {
                clean = false
                break
            }
            if clean {
                self.buffer.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 0x26: self.raw("&amp;")
                case 0x3C: self.raw("&lt;")
                case 0x3E: self.raw("&gt;")
                case 0x09, 0x0A, 0x0D: self.buffer.append(byte)
                case 0..<0x20: self.buffer.append(0x20)
                default: self.buffer.append(byte)
                }
            }
        }
    }

    /// A whole number of đồng in decimal, no separators, no decimals.
    mutating func integer(_ value: Int64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for the 20 characters of any Int64
        var magnitude = value.magnitude
        withUnsafeMutableBytes(of: &digits) { raw in
            var index = raw.count
            repeat {
                index -= 1
                raw[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                index -= 1
                raw[index] = UInt8(ascii: "-")
            }
            self.buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[index...]))
        }
    }

    /// `<name>text</name>` with `text` escaped.
    @inline(__always)
    mutating func element(_ open: StaticString, _ text: String, _ close: StaticString) {
        self.raw(open)
        self.text(text)
        self.raw(close)
    }

    /// Hands buffered bytes to the file once a megabyte has gathered (or always, with `force`).
    mutating func flush(force: Bool = false) throws(PaymentFileError) {
        guard force ? !self.buffer.isEmpty : self.buffer.count >= Self.flushThreshold else { return }
        do {
            try self.handle.write(contentsOf: self.buffer)
        } catch {
            throw .writeFailed(detail: "\(error)")
        }
        self.buffer.removeAll(keepingCapacity: true)
    }
}
