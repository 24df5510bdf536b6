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
        print("missed: \(quality.missed.sorted { $0.value > $1.value })")
        for w in quality.wrong.prefix(10) { print("WRONG row \(w.row) \(w.noise) \(w.status) \(w.reasons)") }
        #expect(quality.precision >= 0.9999)
        #expect(quality.recall >= 0.98)
        #expect(quality.reviewRate <= 0.03)
    }
}

@Suite struct MatchingDebug {
    @Test func debugMisses() {
        let population = MatchingPopulation(seed: 5, registerSize: 20_000, listSize: 5_000)
        print(population.queries[0], population.register[0])
        let register = RegisterIndex(records: population.register)
        let (_, decisions) = MatchEngine.match(population.queries, register: register)
        var shown = 0
        let model = LinkageModel.estimate(register: register, queries: population.queries)
        if let i = population.queries.firstIndex(where: { $0.fullName == "Nguyễn Thị Vân" && $0.birthDate?.year == 1961 }) {
            var scratch = MatchScratch(registerCount: register.count)
            let q = register.prepare(population.queries[i], areas: [:], scratch: &scratch)
            register.collectCandidates(q, scratch: &scratch)
            let logU = register.logU(q, model: model, areaCounts: [:])
            print("logU", logU.map { String(format: "%.2f", $0) })
            print("logM", model.logM.map { String(format: "%.2f", $0) })
            var scored: [(Double, Int, PairLevels)] = []
            for row in scratch.candidates {
                let l = register.levels(q, Int(row), areas: [:])
                var s = 0.0
                for f in 0..<5 where !MatchLevel.isNeutral(l.flat(f)) { s += model.logM[l.flat(f)] - logU[l.flat(f)] }
                scored.append((s, Int(row), l))
            }
            scored.sort { $0.0 > $1.0 }
            print("candidates \(scored.count) prior \(log((1 - model.notInRegister) / Double(register.count))) none \(log(model.notInRegister))")
            for (s, row, l) in scored.prefix(8) { print(String(format: "%.2f", s), register.record(at: row).fullName, register.record(at: row).birthDate?.isoString ?? "", register.record(at: row).communeCode, l) }
        }
        for (i, d) in decisions.enumerated() where !d.status.isAutomaticLink && population.truth[i].citizenID != nil && shown < 40 {
            shown += 1
            let q = population.queries[i]
            print("MISS \(population.truth[i].noise) \(d.status) conf \(String(format: "%.5f", d.confidence)) \(MatchReason.joined(d.reasons)) | q: \(q.fullName) \(q.birthDate?.isoString ?? "-") \(q.communeCode ?? "-") id \(q.personalID ?? "-")")
            for c in d.candidates.prefix(3) {
                print("    cand \(c.record.citizenID == population.truth[i].citizenID ? "TRUE" : "    ") \(String(format: "%.5f", c.confidence)) \(c.record.fullName) \(c.record.birthDate?.isoString ?? "-") \(c.record.communeCode) \(MatchReason.joined(c.reasons))")
            }
        }
    }
}
