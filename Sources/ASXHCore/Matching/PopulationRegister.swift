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

/// Where matching finds the population register: an extract loaded whole (the default), or the police's HTTP
/// service (docs/register-http.md) asked for the candidates of the rows at hand.
public enum RegisterSource: Sendable {
    case extract(RegisterIndex)
    case service(HTTPPopulationRegister)

    /// A register index holding what `queries` need: the whole extract, or the service's candidates for them
    /// (each person once; the model's u-probabilities are then learnt from those candidates only).
    public func index(for queries: [MatchQuery]) async throws -> RegisterIndex {
        switch self {
        case .extract(let index): return index
        case .service(let register): return try await register.candidateIndex(for: queries)
        }
    }
}
