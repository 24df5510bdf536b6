import Foundation

/// Receives what `XMLByteScanner` finds. Names are local names (an `x:` prefix is dropped); byte buffers are only
/// valid during the call.
protocol XMLByteHandler {
    /// `attributes` holds the raw bytes between the element name and `>` (or `/>`); see `XMLBytes.forEachAttribute`.
    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws
    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws
    /// Character data between two tags, entities not yet resolved (`cdata` is true for CDATA, which has none).
    mutating func characters(_ text: UnsafeBufferPointer<UInt8>, cdata: Bool) throws
}

/// A small, non-validating XML tokenizer for the machine-written parts of an .xlsx, fed chunk by chunk.
///
/// It keeps only the unfinished tail of a chunk (a split tag or text run), so memory stays flat whatever the size
/// of the part. It does not check well-formedness, DTDs or namespaces: prefixes are dropped, which is how both
/// transitional (`<c>`) and prefixed or strict (`<x:c>`) spreadsheets read the same.
struct XMLByteScanner {
    private var pending: [UInt8] = []

    mutating func feed<Handler: XMLByteHandler>(_ data: Data, into handler: inout Handler) throws {
        if self.pending.isEmpty {
            try data.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                let consumed = try Self.scan(bytes, final: false, into: &handler)
                if consumed < bytes.count {
                    self.pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[consumed...]))
                }
            }
        } else {
            self.pending.append(contentsOf: data)
            let consumed = try self.pending.withUnsafeBufferPointer { try Self.scan($0, final: false, into: &handler) }
            self.pending.removeSubrange(0..<consumed)
        }
    }

    mutating func feed<Handler: XMLByteHandler>(_ bytes: UnsafeBufferPointer<UInt8>, into handler: inout Handler) throws {
        self.pending.append(contentsOf: bytes)
        let consumed = try self.pending.withUnsafeBufferPointer { try Self.scan($0, final: false, into: &handler) }
        self.pending.removeSubrange(0..<consumed)
    }

    /// Flushes trailing text; an unfinished tag at the end is an error.
    mutating func finish<Handler: XMLByteHandler>(into handler: inout Handler) throws {
        guard !self.pending.isEmpty else { return }
        let consumed = try self.pending.withUnsafeBufferPointer { try Self.scan($0, final: true, into: &handler) }
        let leftover = self.pending.count - consumed
        self.pending.removeAll()
        if leftover > 0 { throw TabularFileError.corruptWorkbook(detail: "XML ends inside a tag") }
    }

    /// Handles every complete token in `bytes`; returns how many bytes were used.
    private static func scan<Handler: XMLByteHandler>(
        _ bytes: UnsafeBufferPointer<UInt8>,
        final: Bool,
        into handler: inout Handler
    ) throws -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var i = 0
        while i < count {
            if base[i] != 0x3C {
                guard let found = memchr(base + i, 0x3C, count - i) else {
                    if final {
                        try handler.characters(UnsafeBufferPointer(start: base + i, count: count - i), cdata: false)
                        return count
                    }
                    return i
                }
                let lt = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                try handler.characters(UnsafeBufferPointer(start: base + i, count: lt - i), cdata: false)
                i = lt
            }
            // base[i] is '<'
            guard i + 1 < count else { return i }
            let kind = base[i + 1]
            if kind == 0x2F {  // </name>
                guard let gt = Self.find(0x3E, base, from: i + 2, to: count) else { return i }
                var end = gt
                while end > i + 2 && Self.isSpace(base[end - 1]) { end -= 1 }
                try handler.endElement(Self.localName(base, from: i + 2, to: end))
                i = gt + 1
            } else if kind == 0x3F {  // <? … ?>
                guard let end = Self.find(sequence: "?>", base, from: i + 2, to: count) else { return i }
                i = end
            } else if kind == 0x21 {  // <!-- … -->, <![CDATA[ … ]]>, <!DOCTYPE … >
                if count - i < 9 && !final { return i }
                if Self.matches("<!--", base, at: i, count: count) {
                    guard let end = Self.find(sequence: "-->", base, from: i + 4, to: count) else { return i }
                    i = end
                } else if Self.matches("<![CDATA[", base, at: i, count: count) {
                    guard let end = Self.find(sequence: "]]>", base, from: i + 9, to: count) else { return i }
                    try handler.characters(UnsafeBufferPointer(start: base + i + 9, count: end - 3 - (i + 9)),
                                           cdata: true)
                    i = end
                } else {
                    guard let gt = Self.find(0x3E, base, from: i + 2, to: count) else { return i }
                    i = gt + 1
                }
            } else {  // <name attributes> or <name attributes/>
                var k = i + 1
                var quote: UInt8 = 0
                while k < count {
                    let byte = base[k]
                    if quote != 0 {
                        if byte == quote { quote = 0 }
                    } else if byte == 0x3E {
                        break
                    } else if byte == 0x22 || byte == 0x27 {
                        quote = byte
                    }
                    k += 1
                }
                guard k < count else { return i }
                let selfClosing = base[k - 1] == 0x2F
                let end = selfClosing ? k - 1 : k
                var nameEnd = i + 1
                while nameEnd < end && !Self.isSpace(base[nameEnd]) { nameEnd += 1 }
                let name = Self.localName(base, from: i + 1, to: nameEnd)
                try handler.startElement(name, attributes: UnsafeBufferPointer(start: base + nameEnd, count: end - nameEnd))
                if selfClosing { try handler.endElement(name) }
                i = k + 1
            }
        }
        return i
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    @inline(__always)
    private static func localName(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> UnsafeBufferPointer<UInt8> {
        var colon = end
        while colon > start {
            if base[colon - 1] == 0x3A { break }
            colon -= 1
        }
        let from = colon > start ? colon : start
        return UnsafeBufferPointer(start: base + from, count: end - from)
    }

    @inline(__always)
    private static func find(_ byte: UInt8, _ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard start < end, let found = memchr(base + start, Int32(byte), end - start) else { return nil }
        return UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
    }

    /// Index just after the first occurrence of `sequence` (ASCII) at or after `start`.
    private static func find(sequence: StaticString, _ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        let length = sequence.utf8CodeUnitCount
        let last = sequence.utf8Start[length - 1]
        var from = start
        while let position = self.find(last, base, from: from, to: end) {
            if position - (length - 1) >= start
                && memcmp(base + position - (length - 1), sequence.utf8Start, length) == 0 {
                return position + 1
            }
            from = position + 1
        }
        return nil
    }

    private static func matches(_ prefix: StaticString, _ base: UnsafePointer<UInt8>, at index: Int, count: Int) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard index + length <= count else { return false }
        return memcmp(base + index, prefix.utf8Start, length) == 0
    }
}

/// Helpers for the bytes the scanner hands out.
enum XMLBytes {
    @inline(__always)
    static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        bytes.count == literal.utf8CodeUnitCount
            && (bytes.count == 0 || memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0)
    }

    /// True when the qualified attribute name `bytes` has the local part `literal` (`r:id` matches `id`).
    @inline(__always)
    static func hasLocalName(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard bytes.count >= length else { return false }
        if bytes.count > length && bytes[bytes.count - length - 1] != 0x3A { return false }
        return memcmp(bytes.baseAddress! + (bytes.count - length), literal.utf8Start, length) == 0
    }

    /// Calls `body(name, rawValue)` for each `name="value"` (or `'value'`) in an attribute run.
    @inline(__always)
    static func forEachAttribute(
        _ attributes: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> Void
    ) rethrows {
        guard let base = attributes.baseAddress else { return }
        let count = attributes.count
        var i = 0
        while i < count {
            while i < count && XMLByteScanner.isSpace(base[i]) { i += 1 }
            let nameStart = i
            while i < count && base[i] != 0x3D && !XMLByteScanner.isSpace(base[i]) { i += 1 }
            let nameEnd = i
            while i < count && base[i] != 0x22 && base[i] != 0x27 { i += 1 }
            guard i < count else { return }
            let quote = base[i]
            i += 1
            let valueStart = i
            while i < count && base[i] != quote { i += 1 }
            try body(UnsafeBufferPointer(start: base + nameStart, count: nameEnd - nameStart),
                     UnsafeBufferPointer(start: base + valueStart, count: min(i, count) - valueStart))
            i += 1
        }
    }

    /// Appends `raw` with the five XML entities and character references resolved.
    static func appendResolvingEntities(_ raw: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard let base = raw.baseAddress, !raw.isEmpty else { return }
        guard memchr(base, 0x26, raw.count) != nil else {
            output.append(contentsOf: raw)
            return
        }
        var i = 0
        let count = raw.count
        while i < count {
            let byte = base[i]
            if byte != 0x26 {
                output.append(byte)
                i += 1
                continue
            }
            var end = i + 1
            while end < count && end - i <= 12 && base[end] != 0x3B { end += 1 }
            guard end < count && base[end] == 0x3B else {
                output.append(byte)
                i += 1
                continue
            }
            let entity = UnsafeBufferPointer(start: base + i + 1, count: end - i - 1)
            if let scalar = self.entityScalar(entity) {
                UTF16Transcoder.encode(scalar, to: &output)
            } else {
                output.append(contentsOf: UnsafeBufferPointer(start: base + i, count: end - i + 1))
            }
            i = end + 1
        }
    }

    private static func entityScalar(_ entity: UnsafeBufferPointer<UInt8>) -> UInt32? {
        if self.equals(entity, "lt") { return 0x3C }
        if self.equals(entity, "gt") { return 0x3E }
        if self.equals(entity, "amp") { return 0x26 }
        if self.equals(entity, "quot") { return 0x22 }
        if self.equals(entity, "apos") { return 0x27 }
        guard entity.count >= 2, entity[0] == 0x23 else { return nil }
        var value: UInt32 = 0
        let hex = entity[1] == 0x78 || entity[1] == 0x58
        for byte in entity.dropFirst(hex ? 2 : 1) {
            guard let digit = hex ? self.hexValue(byte) : (byte >= 0x30 && byte <= 0x39 ? UInt32(byte - 0x30) : nil)
            else { return nil }
            value = value &* (hex ? 16 : 10) &+ digit
            if value > 0x10FFFF { return nil }
        }
        if value >= 0xD800 && value <= 0xDFFF { return 0xFFFD }
        return value
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: return UInt32(byte - 0x30)
        case 0x41...0x46: return UInt32(byte - 0x41 + 10)
        case 0x61...0x66: return UInt32(byte - 0x61 + 10)
        default: return nil
        }
    }

    /// An attribute value as a String, entities resolved.
    static func string(attribute raw: UnsafeBufferPointer<UInt8>) -> String {
        var bytes: [UInt8] = []
        self.appendResolvingEntities(raw, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Text content as a String: OOXML `_xHHHH_` escapes (used for control characters such as `_x000D_`, and
    /// `_x005F_` for a literal underscore) resolved, then NFC when combining marks are present.
    static func string(ooxmlText bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { raw -> String in
            guard let base = raw.baseAddress, !raw.isEmpty else { return "" }
            var text: String
            if raw.count >= 7, memchr(base, 0x5F, raw.count) != nil, self.containsEscape(raw) {
                text = String(decoding: self.resolvingEscapes(raw), as: UTF8.self)
            } else {
                text = String(decoding: raw, as: UTF8.self)
            }
            for byte in raw where byte & 0xFE == 0xCC {
                text = text.precomposedStringWithCanonicalMapping
                break
            }
            return text
        }
    }

    private static func containsEscape(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i + 7 <= raw.count {
            if raw[i] == 0x5F && self.escapeUnit(raw, at: i) != nil { return true }
            i += 1
        }
        return false
    }

    /// The UTF-16 unit of `_xHHHH_` at `index`, if there is one.
    @inline(__always)
    private static func escapeUnit(_ raw: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32? {
        guard index + 7 <= raw.count, raw[index] == 0x5F, raw[index + 1] == 0x78, raw[index + 6] == 0x5F else {
            return nil
        }
        var value: UInt32 = 0
        for offset in 2...5 {
            guard let digit = self.hexValue(raw[index + offset]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func resolvingEscapes(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            guard let unit = self.escapeUnit(raw, at: i) else {
                output.append(raw[i])
                i += 1
                continue
            }
            i += 7
            switch unit {
            case 0xD800...0xDBFF:
                if let low = self.escapeUnit(raw, at: i), low >= 0xDC00 && low <= 0xDFFF {
                    UTF16Transcoder.encode(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), to: &output)
                    i += 7
                } else {
                    UTF16Transcoder.encode(0xFFFD, to: &output)
                }
            case 0xDC00...0xDFFF:
                UTF16Transcoder.encode(0xFFFD, to: &output)
            default:
                UTF16Transcoder.encode(unit, to: &output)
            }
        }
        return output
    }
}
