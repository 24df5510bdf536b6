import Foundation

/// Matches list rows against the register: blocking, Fellegi–Sunter scoring, one-to-one posterior, decision.
///
/// Fields compared: ID (exact, old ID, one typo, same prefix), name (per word, with one-edit neighbours), birth
/// date (day/month swap, year only, the register's 1 January), gender, commune (a move inside one 2025 commune
/// costs less than a move across the city) and, inside one commune, the house part of the address, which is what
/// tells namesakes of one ward apart when the list gives only a birth year.
///
/// A link is automatic only when (1) its posterior probability reaches `Policy.certainty`, which already
/// requires every competitor (a namesake born the same year in the same ward, say) to be far less likely,
/// and (2) at least two of ID, name and birth date agree on their own; an ID one typo away counts only
/// when name and birth date both agree, since a mistyped ID can be another real person's.
public struct MatchEngine: Sendable {
    public struct Policy: Sendable, Hashable {
        /// Posterior a single row needs for an automatic link (matched, corrected, deceased): the runner-up and
        /// "not in the register" together are then at most 1 − certainty.
        public var certainty: Double
        /// Expected share of wrong links among a batch's automatic links (the mean of 1 − posterior) that the
        /// batch may not exceed; the least certain links are sent to review until it holds. The requirement is
        /// 1 in 10,000; the default keeps a fivefold margin for model error.
        public var falseLinkBudget: Double
        /// Below this posterior for the best candidate the row is `not_found` rather than `review`.
        public var reviewFloor: Double
        /// Candidates listed for review, at most.
        public var maxReviewCandidates: Int
        /// Candidates below this posterior are not listed for review.
        public var candidateFloor: Double

        public init(
            certainty: Double = 0.999, falseLinkBudget: Double = 2e-5, reviewFloor: Double = 0.05,
            maxReviewCandidates: Int = 5, candidateFloor: Double = 0.001
        ) {
            self.certainty = certainty
            self.falseLinkBudget = falseLinkBudget
            self.reviewFloor = reviewFloor
            self.maxReviewCandidates = maxReviewCandidates
            self.candidateFloor = candidateFloor
        }
    }

    public let register: RegisterIndex
    public let model: LinkageModel
    public let policy: Policy
    let areas: MatchAreas

    /// - Parameter communeAreas: old commune code → area code; by default the 2025 commune each became
    ///   (`communeAreas2025`), so that a move inside what is now one commune lowers the score less than a move
    ///   across the city. Pass `[:]` to treat every other commune alike.
    public init(
        register: RegisterIndex, model: LinkageModel, policy: Policy = Policy(),
        communeAreas: [String: String] = MatchEngine.communeAreas2025
    ) {
        self.register = register
        self.model = model
        self.policy = policy
        self.areas = MatchAreas(communeAreas, register: register)
    }

    /// Estimates the model from `queries` themselves, then matches them.
    public static func match(
        _ queries: [MatchQuery], register: RegisterIndex, policy: Policy = Policy(),
        communeAreas: [String: String] = MatchEngine.communeAreas2025, progress: (@Sendable (Int) -> Void)? = nil
    ) -> (model: LinkageModel, decisions: [MatchDecision]) {
        let model = LinkageModel.estimate(register: register, queries: queries, communeAreas: communeAreas)
        let engine = MatchEngine(register: register, model: model, policy: policy, communeAreas: communeAreas)
        return (model, engine.match(queries, progress: progress))
    }

    /// Decisions for `queries`, in order, computed on all cores. `progress` gets the number of rows done so
    /// far, from worker threads.
    public func match(_ queries: [MatchQuery], progress: (@Sendable (Int) -> Void)? = nil) -> [MatchDecision] {
        var results = [MatchDecision?](repeating: nil, count: queries.count)
        let done = MatchCounter()
        let logM = self.model.logM
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = MatchUnsafeSlots(buffer.baseAddress!)
            MatchParallel.forEachBatch(
                count: queries.count, batchSize: 512,
                makeState: { MatchWorker() }
            ) { worker, range in
                for i in range {
                    slots.pointer[i] = self.decide(queries[i], logM: logM, worker: &worker, forceReview: false)
                }
                let total = done.take(range.count) + range.count
                progress?(total)
            }
        }
        var decisions = results.map { $0! }
        // Keep the batch's expected share of wrong automatic links within budget.
        let linked = decisions.indices.filter { decisions[$0].status.isAutomaticLink }.sorted {
            decisions[$0].confidence > decisions[$1].confidence
        }
        var expectedWrong = 0.0
        var keep = 0
        for (k, i) in linked.enumerated() {
            expectedWrong += 1 - decisions[i].confidence
            if expectedWrong / Double(k + 1) <= self.policy.falseLinkBudget { keep = k + 1 }
        }
        if keep < linked.count {
            var worker = MatchWorker()
            for i in linked[keep...] {
                decisions[i] = self.decide(queries[i], logM: logM, worker: &worker, forceReview: true)
            }
        }
        return decisions
    }

    /// The decision for one row.
    public func match(_ query: MatchQuery) -> MatchDecision {
        var worker = MatchWorker()
        return self.decide(query, logM: self.model.logM, worker: &worker, forceReview: false)
    }

    // MARK: Deciding

    func decide(_ query: MatchQuery, logM: [Double], worker: inout MatchWorker, forceReview: Bool) -> MatchDecision {
        let register = self.register
        let q = register.prepare(query, areas: self.areas, scratch: &worker.scratch)
        register.collectCandidates(q, areas: self.areas, scratch: &worker.scratch)
        let candidates = worker.scratch.candidates
        guard !candidates.isEmpty else {
            return MatchDecision(row: query.row, status: .notFound, citizenID: nil, confidence: 0, reasons: [.noCandidate], candidates: [])
        }
        let n = Double(max(1, register.count))
        let logPrior = log((1 - self.model.notInRegister) / n)
        let logNone = log(self.model.notInRegister)

        // Levels first (a different name with no ID in common weighs nothing next to the others: skipped), then
        // the u of just the levels that occur.
        worker.levels.removeAll(keepingCapacity: true)
        worker.scores.removeAll(keepingCapacity: true)
        worker.rows.removeAll(keepingCapacity: true)
        var needed: UInt64 = 0
        for row in candidates {
            guard let levels = register.plausibleLevels(q, Int(row), areas: self.areas) else { continue }
            for field in 0..<MatchLevel.fieldCount { needed |= 1 << UInt64(levels.flat(field)) }
            worker.levels.append(levels)
            worker.rows.append(row)
        }
        register.logU(q, model: self.model, areas: self.areas, needed: needed, into: &worker.logU)
        var best = -1
        for levels in worker.levels {
            let s = logPrior + levels.logLikelihoodRatio(logM: logM, logU: worker.logU)
            if best < 0 || s > worker.scores[best] { best = worker.scores.count }
            worker.scores.append(s)
        }
        guard best >= 0 else {
            return MatchDecision(row: query.row, status: .notFound, citizenID: nil, confidence: 0, reasons: [.noCandidate], candidates: [])
        }
        // Namesakes that the register shows are listed candidates already; what clustering adds is the chance
        // that the listed person is not in the register but a namesake of theirs is.
        let logNoneHere = logNone + worker.levels[best].logClustering(register.statistics)
        let top = max(logNoneHere, worker.scores[best])
        var denominator = exp(logNoneHere - top)
        for s in worker.scores { denominator += exp(s - top) }
        func posterior(_ i: Int) -> Double { exp(worker.scores[i] - top) / denominator }

        let bestLevels = worker.levels[best]
        let bestRow = Int(worker.rows[best])
        let confidence = posterior(best)
        var idHitsOther = false
        for (i, levels) in worker.levels.enumerated() where i != best && levels.id <= MatchLevel.idOld && bestLevels.id > MatchLevel.idOld {
            idHitsOther = true
        }

        let guardFailure = Self.guardFailure(bestLevels)
        if confidence >= self.policy.certainty && guardFailure == nil && !forceReview {
            var reasons = Self.reasons(q, bestLevels, register: register, row: bestRow)
            if idHitsOther { reasons.append(.idOtherPerson) }
            let status: MatchStatus
            if register.deceased[bestRow] {
                status = .deceased
                reasons.append(.deceased)
            } else {
                status = reasons.contains(where: \.meansListDiffers) ? .corrected : .matched
            }
            let record = register.record(at: bestRow)
            return MatchDecision(
                row: query.row, status: status, citizenID: record.citizenID, confidence: confidence, reasons: reasons,
                candidates: [MatchCandidate(record: record, confidence: confidence, reasons: reasons)])
        }

        if confidence < self.policy.reviewFloor {
            var reasons: [MatchReason] = [.noCandidate]
            if idHitsOther || bestLevels.id <= MatchLevel.idOld { reasons.append(.idOtherPerson) }
            return MatchDecision(row: query.row, status: .notFound, citizenID: nil, confidence: confidence, reasons: reasons, candidates: [])
        }

        // Review: the plausible candidates, best first.
        var order = Array(worker.scores.indices)
        order.sort { worker.scores[$0] > worker.scores[$1] }
        var listed: [MatchCandidate] = []
        for i in order.prefix(self.policy.maxReviewCandidates) {
            let p = posterior(i)
            if p < self.policy.candidateFloor && !listed.isEmpty { break }
            let row = Int(worker.rows[i])
            listed.append(MatchCandidate(record: register.record(at: row), confidence: p, reasons: Self.reasons(q, worker.levels[i], register: register, row: row)))
        }
        var reasons: [MatchReason] = []
        if let failure = guardFailure, confidence >= self.policy.certainty {
            reasons.append(failure)
        } else if order.count > 1, posterior(order[1]) >= 0.001 {
            reasons.append(.namesakeAmbiguous)
        } else {
            reasons.append(.lowConfidence)
        }
        if idHitsOther { reasons.append(.idOtherPerson) }
        reasons.append(contentsOf: listed[0].reasons)
        return MatchDecision(row: query.row, status: .review, citizenID: nil, confidence: confidence, reasons: reasons, candidates: listed)
    }

    /// Why the best candidate, though likely, may not be linked automatically; nil when it may.
    static func guardFailure(_ levels: PairLevels) -> MatchReason? {
        let idStrong = levels.id <= MatchLevel.idOld
        let idTypo = levels.id == MatchLevel.idSubstitution || levels.id == MatchLevel.idTransposition
        let nameAgrees = levels.name <= MatchLevel.nameOneTypo
        let birthAgrees = levels.birth <= MatchLevel.birthSwapped || levels.birth == MatchLevel.birthYearEqual
        if levels.name >= MatchLevel.nameDisagree { return .nameMismatch }
        if idTypo && !(nameAgrees && birthAgrees) { return .typoUnconfirmed }
        let agreeing = (idStrong ? 1 : 0) + (nameAgrees ? 1 : 0) + (birthAgrees ? 1 : 0)
        return agreeing >= 2 ? nil : .lowConfidence
    }

    static func reasons(_ q: PreparedQuery, _ levels: PairLevels, register: RegisterIndex, row: Int) -> [MatchReason] {
        var reasons: [MatchReason] = []
        switch levels.id {
        case MatchLevel.idExact:
            reasons.append(.idExact)
            let digits = register.citizenID[row] == q.id ? q.idDigits : q.oldDigits
            if digits < 12 { reasons.append(.idLeadingZero) }
        case MatchLevel.idOld:
            reasons.append(.oldID)
            let digits = register.oldID[row] == q.id ? q.idDigits : q.oldDigits
            if digits < max(9, Int(register.oldIDDigits[row])) { reasons.append(.idLeadingZero) }
        case MatchLevel.idSubstitution: reasons.append(.idTypo)
        case MatchLevel.idTransposition: reasons.append(.idTransposed)
        case MatchLevel.idMissing: reasons.append(.idMissing)
        default: reasons.append(.idMismatch)
        }
        var recordAccented = false
        let start = Int(register.tokenStart[row])
        for k in start..<start + Int(register.tokenCount[row]) where register.accents[k] != 0 { recordAccented = true }
        switch levels.name {
        case MatchLevel.nameExact, MatchLevel.nameOneTypo:
            if !q.hasAccents && recordAccented { reasons.append(.nameNoDiacritics) }
            if levels.name == MatchLevel.nameOneTypo { reasons.append(.nameTypo) }
        case MatchLevel.nameAccentDiffers: reasons.append(.nameTypo)
        case MatchLevel.nameMiddleDiffers: reasons.append(.nameMiddleDiffers)
        case MatchLevel.namePartial: reasons.append(.namePartial)
        case MatchLevel.nameDisagree: reasons.append(.nameMismatch)
        default: break
        }
        switch levels.birth {
        case MatchLevel.birthYearEqual:
            let b = register.birth[row]
            if !q.isFullDate {
                reasons.append(.dobYearOnly)
            } else if b / 100 % 100 == 0 {
                reasons.append(.dobRegisterYearOnly)
            } else {
                reasons.append(.dobJan1)
            }
        case MatchLevel.birthSwapped: reasons.append(.dobSwapped)
        case MatchLevel.birthOnePartDiffers, MatchLevel.birthDisagree, MatchLevel.birthYearDisagree: reasons.append(.dobDiffers)
        case MatchLevel.birthNearYear, MatchLevel.birthYearNear: reasons.append(.dobYearDiffers)
        case MatchLevel.birthMissing: if q.year == 0 { reasons.append(.dobMissing) }
        default: break
        }
        if levels.gender == MatchLevel.genderDisagree { reasons.append(.genderDiffers) }
        if levels.commune == MatchLevel.communeDiffers { reasons.append(.moved) }
        if levels.commune == MatchLevel.communeSameArea { reasons.append(.communeMerged) }
        if levels.address == MatchLevel.addressDiffers { reasons.append(.addressDiffers) }
        return reasons
    }
}

/// One worker's reusable state.
struct MatchWorker {
    var scratch = MatchScratch()
    var levels: [PairLevels] = []
    var scores: [Double] = []
    var rows: [Int32] = []
    var logU: [Double] = []
}
