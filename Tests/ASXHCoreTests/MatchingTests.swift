import Foundation
import Testing

@testable import ASXHCore

@Suite struct MatchingQualityTests {
    @Test(arguments: [(UInt64(1), "standard"), (UInt64(2), "heavy"), (UInt64(3), "standard")])
    func qualityOverGeneratedData(seed: UInt64, mix: String) {
        let population = MatchingPopulation(
            seed: seed, registerSize: 20_000, listSize: 5_000, noise: mix == "heavy" ? .heavy : .standard)
        let register = RegisterIndex(records: population.register)
        let (model, decisions) = MatchEngine.match(population.queries, register: register)
        let quality = MatchingQuality(decisions: decisions, truth: population.truth)
        print("seed \(seed) \(mix): \(quality)")
        print("model: \(model.m.map { String(format: "%.3f", $0) }.joined(separator: " ")) pi0 \(model.notInRegister) rho \(model.idCollision) it \(model.iterations)")
        print("missed: \(quality.missed.sorted { $0.value > $1.value }) clustering \(register.statistics.namesakeClustering)")
        for w in quality.wrong.prefix(10) { print("WRONG row \(w.row) \(w.noise) \(w.status) \(w.reasons)") }
        #expect(quality.precision >= 0.9999)
        if mix == "heavy" {
            // Twice the noise of real lists and three times the namesakes: certainty is rarer, never wrong.
            #expect(quality.recall >= 0.95)
            #expect(quality.reviewRate <= 0.05)
        } else {
            #expect(quality.recall >= 0.98)
            #expect(quality.reviewRate <= 0.03)
        }
    }
}

@Suite struct MatchingDemoQualityTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func qualityOnDemoData(seed: UInt64) throws {
        let bed = try MatchingDemoBed(seed: seed, people: 4_000)
        defer { bed.removeFiles() }
        let (model, decisions) = MatchEngine.match(bed.queries, register: bed.register)
        let quality = MatchingQuality(decisions: decisions, truth: bed.truth)
        print("demo seed \(seed): register \(bed.register.count) skipped \(bed.register.skippedRows) \(quality) pi0 \(model.notInRegister) rho \(model.idCollision)")
        print("missed: \(quality.missed.sorted { $0.value > $1.value }) clustering \(bed.register.statistics.namesakeClustering) \(bed.register.statistics.sameDayNamesakeClustering)")
        for w in quality.wrong.prefix(10) { print("WRONG row \(w.row) \(w.noise) \(w.status) \(w.reasons)") }
        #expect(quality.precision >= 0.9999)
        #expect(quality.recall >= 0.98)
        #expect(quality.reviewRate <= 0.03)
    }
}
