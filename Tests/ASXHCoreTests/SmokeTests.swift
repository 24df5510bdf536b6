import Testing
@testable import ASXHCore

@Test func coreLoads() { #expect(true) }
