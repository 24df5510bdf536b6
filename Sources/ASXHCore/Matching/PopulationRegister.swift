/// The national population database as the matcher reaches it: by a file extract loaded into memory
/// (`RegisterIndex`, the default) or through the police's own system (an HTTP adapter).
///
/// An implementation answers with the register records that could be the listed person (same ID, old ID,
/// or same name and birth year or commune); the matcher scores and decides.
public protocol PopulationRegister: Sendable {
    /// Candidate records for each query, in the queries' order.
    func candidates(for queries: [MatchQuery]) async throws -> [[RegisterRecord]]
}

extension PopulationRegister {
    /// Candidate records for one query.
    public func candidates(for query: MatchQuery) async throws -> [RegisterRecord] {
        try await self.candidates(for: [query]).first ?? []
    }
}

extension RegisterIndex: PopulationRegister {
    public func candidates(for queries: [MatchQuery]) async throws -> [[RegisterRecord]] {
        self.candidateRecords(for: queries)
    }

    /// The blocking candidates of each query as records (synchronous form).
    public func candidateRecords(for queries: [MatchQuery]) -> [[RegisterRecord]] {
        var scratch = MatchScratch()
        return queries.map { query in
            let q = self.prepare(query, areas: .none, scratch: &scratch)
            self.collectCandidates(q, areas: .none, scratch: &scratch)
            return scratch.candidates.map { self.record(at: Int($0)) }
        }
    }
}
