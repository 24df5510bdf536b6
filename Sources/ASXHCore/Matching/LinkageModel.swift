import Foundation

/// The Fellegi–Sunter model the matcher scores with: for each field and comparison level, m = the chance that
/// the list row and the register record of the same person compare at that level.
///
/// The u side (the chance for two different people) is not stored here: it depends on the listed values and
/// is counted in the register for each query (see `RegisterStatistics`). A list row may match at most one
/// register record, so a candidate's probability is its likelihood ratio against all its competitors and
/// against "the person is not in the register" (`notInRegister`):
/// P(record i) = (1 − π₀)/N · LRᵢ / (π₀ + (1 − π₀)/N · Σⱼ LRⱼ).
/// `estimate` fits m, π₀ and `idCollision` to the lists being matched by expectation–maximisation over that
/// same one-to-one mixture, starting from `prior`.
public struct LinkageModel: Sendable, Hashable, Codable {
    /// m per level, flat: ID (7 levels), name (7), birth date (9), gender (3), commune (4), house address in the
    /// same commune (3); see `MatchLevel`.
    public var m: [Double]
    /// Share of list rows whose person is not in the register at all (π₀).
    public var notInRegister: Double
    /// Share of list IDs that are the exact ID of someone else (a typo that hit a real person, a relative's ID).
    public var idCollision: Double
    /// EM iterations run and list rows sampled (0 for the prior).
    public var iterations: Int
    public var sampledRows: Int

    public init(m: [Double], notInRegister: Double, idCollision: Double, iterations: Int = 0, sampledRows: Int = 0) {
        precondition(m.count == MatchLevel.total, "LinkageModel needs \(MatchLevel.total) m values")
        self.m = m
        self.notInRegister = notInRegister
        self.idCollision = idCollision
        self.iterations = iterations
        self.sampledRows = sampledRows
    }

    /// What department lists are like before looking at the data: most IDs right, some old or mistyped, most
    /// names and dates right. EM starts here and keeps it as a weak prior (`priorWeight` pseudo-rows).
    public static let prior = LinkageModel(
        m: [
            0.80, 0.06, 0.03, 0.015, 0.01, 0.01, 0,  // ID: exact, old, substitution, transposition, same structure, other, missing
            0.85, 0.01, 0.06, 0.03, 0.03, 0.02, 0,  // name: exact, accents, one typo, middle, partial, other, missing
            0.93, 0.03, 0.02, 0.01, 0.01,  // full birth dates: exact, day/month swapped, one part, year typo, other
            0.95, 0.03, 0.02, 0,  // a year only on one side: same year, year typo, other; missing
            0.99, 0.01, 0,  // gender: agree, disagree, missing
            0.93, 0.02, 0.05, 0,  // commune: same, same area, other, missing
            0.7, 0.3, 0,  // house address when the commune is the same: same, other, missing
        ],
        notInRegister: 0.03, idCollision: 0.005)

    static let priorWeight = 50.0

    /// log m per flat level (log 0 → a very small number).
    var logM: [Double] { self.m.map { log(max($0, 1e-12)) } }

    /// Fits the model to `queries` (a sample of at most `sampleSize` rows, spread over the list) against `register`.
    public static func estimate(
        register: RegisterIndex, queries: [MatchQuery], communeAreas: [String: String] = MatchEngine.communeAreas2025,
        sampleSize: Int = 20_000, maxIterations: Int = 60, start: LinkageModel = .prior
    ) -> LinkageModel {
        guard !queries.isEmpty else { return start }
        let areas = MatchAreas(communeAreas, register: register)
        let step = max(1, queries.count / max(1, sampleSize))
        let sample = stride(from: 0, to: queries.count, by: step).map { queries[$0] }

        // Comparison levels and u of every sampled pair, computed once.
        struct Sampled {
            var logU: [Double]
            var levels: [PairLevels]
            var hasID: Bool
        }
        let chunks = MatchParallel.workerCount
        let chunkSize = (sample.count + chunks - 1) / chunks
        let parts: [[Sampled]] = MatchParallel.map(chunks) { c in
            var scratch = MatchScratch()
            var out: [Sampled] = []
            for query in sample[min(sample.count, c * chunkSize)..<min(sample.count, (c + 1) * chunkSize)] {
                let q = register.prepare(query, areas: areas, scratch: &scratch)
                register.collectCandidates(q, areas: areas, scratch: &scratch)
                let levels = scratch.candidates.compactMap { register.plausibleLevels(q, Int($0), areas: areas) }
                var needed: UInt64 = 0
                for l in levels {
                    for field in 0..<MatchLevel.fieldCount { needed |= 1 << UInt64(l.flat(field)) }
                }
                var logU: [Double] = []
                register.logU(q, model: start, areas: areas, needed: needed, into: &logU)
                out.append(Sampled(logU: logU, levels: levels, hasID: q.id != 0 || q.old != 0))
            }
            return out
        }
        var rows = parts.flatMap { $0 }
        let n = Double(max(1, register.count))
        let rowsWithID = Double(rows.filter(\.hasID).count)

        var model = start
        var iterations = 0
        var posteriors: [Double] = []
        for iteration in 1...maxIterations {
            iterations = iteration
            let logM = model.logM
            let logPrior = log((1 - model.notInRegister) / n)
            let logNone = log(model.notInRegister)
            // The ID-exact u depends on idCollision, which EM updates.
            let logCollision = log(model.idCollision / n)
            var counts = [Double](repeating: 0, count: MatchLevel.total)
            var noneSum = 0.0
            var collisions = 0.0
            for r in rows.indices {
                rows[r].logU[0] = logCollision
                rows[r].logU[1] = logCollision
                let sampled = rows[r]
                posteriors.removeAll(keepingCapacity: true)
                var best = -1
                for (i, levels) in sampled.levels.enumerated() {
                    let s = logPrior + levels.logLikelihoodRatio(logM: logM, logU: sampled.logU)
                    posteriors.append(s)
                    if best < 0 || s > posteriors[best] { best = i }
                }
                let logNoneHere = best < 0 ? logNone : logNone + sampled.levels[best].logClustering(register.statistics)
                let top = best < 0 ? logNoneHere : max(logNoneHere, posteriors[best])
                var denominator = exp(logNoneHere - top)
                for s in posteriors { denominator += exp(s - top) }
                noneSum += exp(logNoneHere - top) / denominator
                for (i, levels) in sampled.levels.enumerated() {
                    let p = exp(posteriors[i] - top) / denominator
                    for field in 0..<MatchLevel.fieldCount { counts[levels.flat(field)] += p }
                    if levels.id <= MatchLevel.idOld { collisions += 1 - p }
                }
            }
            var next = model
            for group in MatchLevel.groups {
                var total = Self.priorWeight
                var priorTotal = 0.0
                for flat in group {
                    total += counts[flat]
                    priorTotal += Self.prior.m[flat]
                }
                for flat in group {
                    next.m[flat] = (counts[flat] + Self.priorWeight * Self.prior.m[flat] / priorTotal) / total
                }
            }
            next.notInRegister = min(0.5, max(0.005, noneSum / Double(rows.count)))
            next.idCollision = min(0.2, max(0.001, rowsWithID > 0 ? collisions / rowsWithID : start.idCollision))
            var change = abs(next.notInRegister - model.notInRegister) + abs(next.idCollision - model.idCollision)
            for i in 0..<next.m.count { change = max(change, abs(next.m[i] - model.m[i])) }
            model = next
            if change < 1e-6 { break }
        }
        model.iterations = iterations
        model.sampledRows = rows.count
        return model
    }
}
