import Foundation

/// Why a register extract could not be read.
public enum RegisterExtractError: Error, Sendable, Hashable {
    case unreadable(path: String)
    case empty
    case missingColumns([String])

    public var code: String {
        switch self {
        case .unreadable: return "register_unreadable"
        case .empty: return "register_empty"
        case .missingColumns: return "register_missing_columns"
        }
    }

    public var messageVI: String {
        switch self {
        case .unreadable(let path): return "Không đọc được tệp trích xuất CSDL dân cư: \(path)."
        case .empty: return "Tệp trích xuất CSDL dân cư trống."
        case .missingColumns(let names): return "Tệp trích xuất CSDL dân cư thiếu cột: \(names.joined(separator: ", "))."
        }
    }

    public var messageEN: String {
        switch self {
        case .unreadable(let path): return "Cannot read the population register extract: \(path)."
        case .empty: return "The population register extract is empty."
        case .missingColumns(let names): return "The population register extract lacks columns: \(names.joined(separator: ", "))."
        }
    }
}

extension RegisterIndex {
    /// How far loading has got.
    public struct LoadProgress: Sendable {
        public var bytesRead: Int64
        public var totalBytes: Int64
        public var rows: Int
    }

    /// The extract's columns, by header name (any order; extra columns are ignored).
    static let extractColumns = [
        "citizen_id", "old_id", "full_name", "date_of_birth", "gender", "commune_code", "address", "status", "death_date",
    ]

    /// Loads a register extract CSV (UTF-8, header row, the columns of `RegisterRecord`), streaming it in chunks.
    ///
    /// A dedicated byte parser rather than the general `CSVReader`: the extract has one fixed, machine-written
    /// layout and millions of rows, and turning every cell into a `String` (nine allocations a row) would cost
    /// more than all the matching. Here a row's digits and dates are read straight from the bytes; names are
    /// folded once per distinct word. Each chunk is split in two at a line break and both halves are parsed at
    /// once. Quoted cells ("" for a quote) are understood; a line break inside a quoted cell is not (the
    /// police's export writes none): such a row is reported and skipped.
    public static func load(
        contentsOf url: URL, chunkSize: Int = 8 << 20, progress: (@Sendable (LoadProgress) -> Void)? = nil
    ) throws(RegisterExtractError) -> RegisterIndex {
        guard let handle = try? FileHandle(forReadingFrom: url) else { throw .unreadable(path: url.path) }
        defer { try? handle.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0

        let started = Date()
        let workers = max(2, MatchParallel.workerCount)
        let estimate = total > 0 ? Int(total / 110 / Int64(workers)) : 0
        var builders = (0..<workers).map { _ in RegisterIndexBuilder(reserve: estimate, textBytes: Int(total) / workers) }
        var buffer: [UInt8] = []
        var columns: [Int]?
        var bytesRead: Int64 = 0
        var line = 0
        var atEnd = false

        while !atEnd {
            let data = (try? handle.read(upToCount: chunkSize)) ?? nil
            if let data, !data.isEmpty {
                buffer.append(contentsOf: data)
                bytesRead += Int64(data.count)
            } else {
                atEnd = true
            }
            if columns == nil {
                guard let newline = buffer.firstIndex(of: 10) ?? (atEnd ? buffer.count : nil) else { continue }
                columns = try Self.columns(header: Array(buffer[0..<newline]))
                buffer.removeSubrange(0..<min(buffer.count, newline + 1))
                line = 1
            }
            guard let columnMap = columns else { continue }
            // Parse up to the last line break (everything, at the end of the file).
            var end = buffer.count
            if !atEnd {
                guard let last = buffer.lastIndex(of: 10) else { continue }
                end = last + 1
            }
            if end == 0 { continue }
            var cuts = [0]
            for w in 1..<workers {
                var cut = max(cuts[w - 1], end * w / workers)
                while cut < end && cut > 0 && buffer[cut - 1] != 10 { cut += 1 }
                cuts.append(cut)
            }
            cuts.append(end)
            let lineCounts: [Int] = buffer.withUnsafeBufferPointer { bytes in
                let shared = MatchUnsafeBox(bytes)
                return builders.withUnsafeMutableBufferPointer { builderBuffer in
                    let slots = MatchUnsafeSlots(builderBuffer.baseAddress!)
                    return MatchParallel.map(workers) { w in
                        Self.parse(
                            shared.value, from: cuts[w], to: cuts[w + 1], columns: columnMap, into: &slots.pointer[w])
                    }
                }
            }
            // Problems carry line numbers relative to their piece until the pieces' sizes are known.
            var base = line
            for w in 0..<workers {
                for p in builders[w].problems.indices where builders[w].problems[p].line < 0 {
                    builders[w].problems[p].line = base - builders[w].problems[p].line
                }
                base += lineCounts[w]
            }
            line = base
            buffer.removeSubrange(0..<end)
            if let progress {
                progress(LoadProgress(bytesRead: bytesRead, totalBytes: total, rows: builders.reduce(0) { $0 + $1.count }))
            }
        }
        if columns == nil { throw .empty }
        return RegisterIndex(taking: &builders, timings: [PhaseTiming(phase: "read and parse", seconds: Date().timeIntervalSince(started))])
    }

    private static func columns(header: [UInt8]) throws(RegisterExtractError) -> [Int] {
        var text = String(decoding: header, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: " \r\t\"")).lowercased()
        }
        var map: [Int] = []
        var missing: [String] = []
        for column in Self.extractColumns {
            if let index = names.firstIndex(of: column) {
                map.append(index)
            } else {
                missing.append(column)
                map.append(-1)
            }
        }
        // Old ID, address and death date may be absent from a thin extract; the rest identify a person.
        let required: Set<String> = ["citizen_id", "full_name", "date_of_birth", "gender", "commune_code", "status"]
        let missingRequired = missing.filter { required.contains($0) }
        if !missingRequired.isEmpty { throw .missingColumns(missingRequired) }
        return map
    }

    /// Parses the lines in bytes[from..<to] into `builder`; returns how many lines it read. Problems get
    /// negative line numbers (-1 for the piece's first line) for the caller to rebase.
    private static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int, columns: [Int], into builder: inout RegisterIndexBuilder
    ) -> Int {
        var starts = [Int](repeating: 0, count: 32)
        var ends = [Int](repeating: 0, count: 32)
        var escaped = [Bool](repeating: false, count: 32)
        var nameScratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
        var addressScratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
        defer {
            nameScratch.deallocate()
            addressScratch.deallocate()
        }
        let maxColumn = columns.max() ?? 0
        var lines = 0
        var i = from
        while i < to {
            lines += 1
            var lineEnd = to
            if let found = memchr(bytes.baseAddress! + i, 10, to - i) {
                lineEnd = i + (UnsafeRawPointer(found) - UnsafeRawPointer(bytes.baseAddress! + i))
            }
            let next = lineEnd + 1
            var contentEnd = lineEnd
            if contentEnd > i && bytes[contentEnd - 1] == 13 { contentEnd -= 1 }
            if contentEnd == i {
                i = next
                continue
            }
            // Split into fields.
            var field = 0
            var p = i
            var broken = false
            while field < 32 {
                escaped[field] = false
                if p < contentEnd && bytes[p] == 34 {
                    var q = p + 1
                    while true {
                        guard q < contentEnd, let quote = memchr(bytes.baseAddress! + q, 34, contentEnd - q) else {
                            broken = true
                            break
                        }
                        q += UnsafeRawPointer(quote) - UnsafeRawPointer(bytes.baseAddress! + q)
                        if q + 1 < contentEnd && bytes[q + 1] == 34 {
                            escaped[field] = true
                            q += 2
                            continue
                        }
                        break
                    }
                    if broken { break }
                    starts[field] = p + 1
                    ends[field] = q
                    p = q + 1
                    while p < contentEnd && bytes[p] != 44 { p += 1 }
                } else {
                    starts[field] = p
                    while p < contentEnd && bytes[p] != 44 { p += 1 }
                    ends[field] = p
                }
                field += 1
                if p >= contentEnd { break }
                p += 1
            }
            if broken {
                builder.reject(line: -lines, .unterminatedQuote)
                i = next
                continue
            }
            if field <= maxColumn {
                builder.reject(line: -lines, .tooFewColumns)
                i = next
                continue
            }
            guard let id = MatchDigits.parse(bytes, from: starts[columns[0]], to: ends[columns[0]]), id.digits <= 12 else {
                builder.reject(line: -lines, .badCitizenID)
                i = next
                continue
            }
            var old: (bcd: UInt64, digits: Int)?
            if columns[1] >= 0 { old = MatchDigits.parse(bytes, from: starts[columns[1]], to: ends[columns[1]]) }
            let nameColumn = columns[2]
            let name = Self.field(bytes, starts[nameColumn], ends[nameColumn], escaped[nameColumn], scratch: &nameScratch)
            if name.allSatisfy({ $0 == 32 }) {
                builder.reject(line: -lines, .missingName)
                i = next
                continue
            }
            let birth = MatchFields.parseDate(bytes, starts[columns[3]], ends[columns[3]])
            let gender = Self.gender(bytes, starts[columns[4]], ends[columns[4]])
            let commune = MatchDigits.parse(bytes, from: starts[columns[5]], to: ends[columns[5]]).map {
                Int32(truncatingIfNeeded: MatchFields.decimal($0.bcd))
            } ?? 0
            let address = columns[6] >= 0
                ? Self.field(bytes, starts[columns[6]], ends[columns[6]], escaped[columns[6]], scratch: &addressScratch)
                : UnsafeBufferPointer(rebasing: bytes[0..<0])
            let deceased = Self.isDeceased(bytes, starts[columns[7]], ends[columns[7]])
            let death = columns[8] >= 0 ? MatchFields.parseDate(bytes, starts[columns[8]], ends[columns[8]]) : 0
            builder.append(
                citizenID: id.bcd, oldID: old?.bcd ?? 0, oldIDDigits: old?.digits ?? 0, birth: birth,
                gender: gender, commune: commune, deceased: deceased, death: death, name: name, address: address)
            i = next
        }
        return lines
    }

    /// A cell's bytes without surrounding spaces: the extract's own bytes, or, for a quoted cell with doubled
    /// quotes, their unescaped copy in `scratch` (valid until the next call with the same scratch).
    @inline(__always)
    private static func field(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ escaped: Bool, scratch: inout UnsafeMutableBufferPointer<UInt8>
    ) -> UnsafeBufferPointer<UInt8> {
        var s = start
        var e = end
        while s < e && bytes[s] == 32 { s += 1 }
        while e > s && bytes[e - 1] == 32 { e -= 1 }
        guard escaped else { return UnsafeBufferPointer(rebasing: bytes[s..<e]) }
        if scratch.count < e - s {
            scratch.deallocate()
            scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(256, 2 * (e - s)))
        }
        var n = 0
        var k = s
        while k < e {
            scratch[n] = bytes[k]
            n += 1
            k += bytes[k] == 34 && k + 1 < e && bytes[k + 1] == 34 ? 2 : 1
        }
        return UnsafeBufferPointer(rebasing: scratch[0..<n])
    }

    /// Nam → 1, Nữ (or Nu, F, female) → 2, anything else → 0.
    private static func gender(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt8 {
        var s = start
        while s < end && bytes[s] == 32 { s += 1 }
        guard s < end else { return 0 }
        let first = bytes[s] | 0x20
        let second: UInt8 = s + 1 < end ? bytes[s + 1] : 0
        if first == UInt8(ascii: "n") {
            if second | 0x20 == UInt8(ascii: "a") { return 1 }
            if second | 0x20 == UInt8(ascii: "u") || second >= 0x80 { return 2 }
            return 0
        }
        if first == UInt8(ascii: "m") { return 1 }
        if first == UInt8(ascii: "f") { return 2 }
        return 0
    }

    /// "deceased" (or Vietnamese "đã chết", "chết") → true.
    private static func isDeceased(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var s = start
        while s < end && bytes[s] == 32 { s += 1 }
        guard s < end else { return false }
        let first = bytes[s] | 0x20
        if first == UInt8(ascii: "d") || first == UInt8(ascii: "c") { return true }
        return bytes[s] == 0xC4 && s + 1 < end && (bytes[s + 1] == 0x90 || bytes[s + 1] == 0x91)
    }
}
