import Foundation
import Testing

@testable import ASXHCore

@Suite("TimeOrderedUUIDs")
struct TimeOrderedUUIDsTests {
    private static func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }

    @Test("version 7 layout: Unix milliseconds first, then version and variant bits")
    func layout() {
        var ids = TimeOrderedUUIDs(seed: 1)
        let now = Date(timeIntervalSince1970: 1_764_460_800.123)
        let bytes = Self.bytes(ids.next(now: now))
        let millis = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(millis == 1_764_460_800_123)
        #expect(bytes[6] >> 4 == 7)
        #expect(bytes[8] >> 6 == 0b10)
    }

    @Test("IDs from one generator strictly increase byte-wise, also past 4,096 in one millisecond")
    func increasing() {
        var ids = TimeOrderedUUIDs(seed: 7)
        let now = Date(timeIntervalSince1970: 1_764_460_800)
        // The database compares UUIDs byte by byte, so this is the order its indexes see.
        let made = (0..<10_000).map { _ in Self.bytes(ids.next(now: now)) }
        for (earlier, later) in zip(made, made.dropFirst()) {
            #expect(earlier.lexicographicallyPrecedes(later))
        }
        #expect(Set(made).count == made.count)
    }

    @Test("a later millisecond sorts after everything made earlier")
    func laterTime() {
        var ids = TimeOrderedUUIDs(seed: 3)
        let first = Self.bytes(ids.next(now: Date(timeIntervalSince1970: 1_000)))
        let second = Self.bytes(ids.next(now: Date(timeIntervalSince1970: 1_000.001)))
        #expect(first.lexicographicallyPrecedes(second))
    }
}
