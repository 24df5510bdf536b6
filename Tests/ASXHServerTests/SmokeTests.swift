import Testing
import VaporTesting
@testable import ASXHServer

@Test func serverLoads() { #expect(true) }
