import Foundation
import Testing

@testable import ASXHCore

/// The HTTP register adapter against `StubRegisterServer` on 127.0.0.1: lookups, batching, retries, auth, and the
/// engine run on the candidates. Each test starts its own server on its own port.
@Suite struct HTTPPopulationRegisterTests {
    static let hung = RegisterRecord(
        citizenID: "001055012345", oldID: "012345678", fullName: "Nguyễn Văn Hùng",
        birthDate: BirthDate(year: 1955, month: 3, day: 12), gender: .male, communeCode: "00004",
        address: "Số 5 ngõ 12 Phúc Xá")
    static let lanMay = RegisterRecord(
        citizenID: "001148000111", fullName: "Trần Thị Lan", birthDate: BirthDate(year: 1948, month: 5, day: 6),
        gender: .female, communeCode: "00025")
    static let lanSeptember = RegisterRecord(
        citizenID: "001148000222", fullName: "Trần Thị Lan", birthDate: BirthDate(year: 1948, month: 9, day: 21),
        gender: .female, communeCode: "00025")
    static let binh = RegisterRecord(
        citizenID: "001040777888", fullName: "Lê Văn Bình", birthDate: BirthDate(year: 1940, month: 2, day: 2),
        gender: .male, communeCode: "00011", status: .deceased, deathDate: "2024-03-01")
    static let hoa = RegisterRecord(
        citizenID: "001135246810", fullName: "Vũ Thị Hoà", birthDate: BirthDate(year: 1935), gender: .female,
        communeCode: "00004")

    static let people = [hung, lanMay, lanSeptember, binh, hoa]

    /// Generated residents with names at Vietnamese frequencies, and a list of them with the usual noise.
    static let population = MatchingPopulation(seed: 9, registerSize: 3_000, listSize: 300)

    /// The hand-made people among the generated residents.
    static let register: [RegisterRecord] = people + population.register

    /// Residents that all have an old ID, for the batch test.
    static func residents(count: Int) -> [RegisterRecord] {
        let families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
        let givenMale = ["Hùng", "Dũng", "Minh", "Tuấn", "Hải", "Sơn", "Bình", "Khoa"]
        let givenFemale = ["Lan", "Hoa", "Hương", "Mai", "Thu", "Hà", "Loan", "Nga"]
        return (0..<count).map { i in
            let female = i % 2 == 1
            let family = families[(i / 2) % families.count]
            let given = (female ? givenFemale : givenMale)[(i / 16) % 8]
            let year = 1930 + (i * 7) % 40
            let id = "001" + (female ? "1" : "0") + String(year % 100) + String(format: "%06d", 500_000 + i)
            return RegisterRecord(
                citizenID: id, oldID: String(format: "0%08d", 20_000_000 + i),
                fullName: "\(family) \(female ? "Thị" : "Văn") \(given)",
                birthDate: BirthDate(year: year, month: 1 + i % 12, day: 1 + i % 28), gender: female ? .female : .male,
                communeCode: String(format: "%05d", 1 + (i * 13) % 40))
        }
    }

    static func adapter(
        _ server: StubRegisterServer, token: String? = nil, maxAttempts: Int = 4, timeout: TimeInterval = 20,
        batchSize: Int = 500, log: (@Sendable (String) -> Void)? = nil
    ) throws -> HTTPPopulationRegister {
        try HTTPPopulationRegister(
            configuration: .init(
                baseURL: server.baseURL, token: token, timeout: timeout, maxAttempts: maxAttempts, initialBackoff: 0.01,
                maxBackoff: 0.05, batchSize: batchSize),
            log: log)
    }

    // MARK: Lookups

    @Test(arguments: ["001055012345", "1055012345", "001 055 012 345", "'001055012345"])
    func lookupByCitizenID(written: String) async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        let register = try Self.adapter(server)
        let found = try await register.person(citizenID: written)
        #expect(found == Self.hung)
        #expect(server.requests.map(\.target) == ["/register/v1/persons/001055012345"])
    }

    @Test func lookupOfUnknownCitizenIDIsNil() async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        let found = try await Self.adapter(server).person(citizenID: "001099999999")
        #expect(found == nil)
    }

    @Test func recordsCrossTheWireUnchanged() async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        let register = try Self.adapter(server)
        for person in Self.people {
            #expect(try await register.person(citizenID: person.citizenID) == person)
        }
    }

    @Test(arguments: ["012345678", "12345678", "012.345.678"])
    func lookupByOldID(written: String) async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        let found = try await Self.adapter(server).persons(oldID: written)
        #expect(found == [Self.hung])
        #expect(server.requests.map(\.target) == ["/register/v1/persons?old_id=012345678"])
    }

    struct NameCase: Sendable, CustomTestStringConvertible {
        var label: String
        var name: String
        var birth: BirthDate?
        var commune: String?
        var expected: Set<String>
        var testDescription: String { self.label }
    }

    static let nameCases: [NameCase] = [
        NameCase(
            label: "name, date and commune", name: "Nguyễn Văn Hùng", birth: BirthDate(year: 1955, month: 3, day: 12),
            commune: "00004", expected: [hung.citizenID]),
        NameCase(
            label: "no diacritics, upper case, commune lost its zeros", name: "NGUYEN VAN HUNG",
            birth: BirthDate(year: 1955), commune: "4", expected: [hung.citizenID]),
        NameCase(
            label: "namesakes born the same year both come back", name: "Tran Thi Lan",
            birth: BirthDate(year: 1948, month: 9, day: 21), commune: "00025",
            expected: [lanMay.citizenID, lanSeptember.citizenID]),
        NameCase(
            label: "wrong year, found through the commune", name: "Vũ Thị Hoà", birth: BirthDate(year: 1953),
            commune: "00004", expected: [hoa.citizenID]),
        NameCase(
            label: "other tone placement and decomposed", name: "Vu\u{0303} Thi\u{0323} Hòa", birth: BirthDate(year: 1935),
            commune: nil, expected: [hoa.citizenID]),
    ]

    @Test(arguments: nameCases)
    func lookupByNameBirthDateAndCommune(_ c: NameCase) async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        let found = try await Self.adapter(server).persons(fullName: c.name, birthDate: c.birth, communeCode: c.commune)
        #expect(Set(found.map(\.citizenID)).isSuperset(of: c.expected))
        // Each candidate has the name, or (a misspelt word) the family or the given name, the year and the commune.
        let name = VietnameseText.fold(c.name).split(separator: " ")
        #expect(found.allSatisfy { record in
            let candidate = VietnameseText.fold(record.fullName).split(separator: " ")
            return candidate == name
                || ((candidate.first == name.first || candidate.last == name.last)
                    && record.birthDate?.year == c.birth?.year && record.communeCode == c.commune.flatMap(RegisterHTTPWire.communeCode))
        })
        // Names and dates travel in the body, never in the URL.
        #expect(server.requests.map(\.target) == ["/register/v1/persons/search"])
    }

    @Test func searchBodyFollowsTheContract() async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        let queries = [
            MatchQuery(row: 1, personalID: "1055012345", fullName: "Nguyễn Văn Hùng", communeCode: "4"),
            MatchQuery(row: 2, personalID: "012345678", fullName: "Nguyễn Văn Hùng"),
        ]
        let wire = queries.enumerated().compactMap { RegisterHTTPContract.Query(ref: "q\($0.offset)", query: $0.element) }
        let data = try JSONEncoder().encode(RegisterHTTPContract.SearchRequest(queries: wire, maxCandidates: 50))
        let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let sent = try #require(json["queries"] as? [[String: Any]])
        #expect(sent[0]["citizen_id"] as? String == "001055012345")
        #expect(sent[0]["commune_code"] as? String == "00004")
        #expect(sent[0]["old_id"] == nil)
        #expect(sent[1]["citizen_id"] == nil)
        #expect(sent[1]["old_id"] as? String == "012345678")
        #expect(json["max_candidates"] as? Int == 50)

        let found = try await Self.adapter(server).candidates(for: queries)
        #expect(found.map { $0.first?.citizenID } == [Self.hung.citizenID, Self.hung.citizenID])
    }

    @Test func rowsWithNothingToSearchBySendNothing() async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        let found = try await Self.adapter(server).candidates(for: [MatchQuery(row: 1, fullName: "Nguyễn Văn Hùng")])
        #expect(found == [[]])
        #expect(server.requests.isEmpty)
    }

    // MARK: Batching

    @Test func batchOf1200QueriesIsSplitIntoRequests() async throws {
        let residents = Self.residents(count: 1_200)
        let server = try StubRegisterServer(records: residents)
        defer { server.stop() }
        let queries = residents.enumerated().map { i, record in
            i % 2 == 0
                ? MatchQuery(row: i + 1, personalID: record.citizenID, fullName: record.fullName)
                : MatchQuery(row: i + 1, oldID: record.oldID, fullName: record.fullName)
        }
        let found = try await Self.adapter(server, batchSize: 500).candidates(for: queries)
        #expect(found.count == 1_200)
        #expect(zip(found, residents).allSatisfy { $0.0 == [$0.1] })
        #expect(server.requests.compactMap(\.queryCount).sorted() == [200, 500, 500])
    }

    @Test func candidateIndexHoldsEachPersonOnce() async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        let queries = [
            MatchQuery(row: 1, personalID: Self.hung.citizenID, fullName: "Nguyễn Văn Hùng"),
            MatchQuery(row: 2, oldID: Self.hung.oldID, fullName: "Nguyen Van Hung", birthDate: BirthDate(year: 1955)),
            MatchQuery(row: 3, fullName: "Trần Thị Lan", birthDate: BirthDate(year: 1948), communeCode: "25"),
        ]
        let register = try Self.adapter(server)
        let found = try await register.candidates(for: queries)
        #expect(found[0].contains(Self.hung) && found[1].contains(Self.hung))
        let distinct = Set(found.joined().map(\.citizenID))
        #expect(distinct.isSuperset(of: [Self.hung.citizenID, Self.lanMay.citizenID, Self.lanSeptember.citizenID]))
        let index = try await register.candidateIndex(for: queries)
        #expect(index.count == distinct.count)
        #expect(distinct.allSatisfy { index.index(ofCitizenID: $0) != nil })
    }

    @Test("a RegisterSource over the service matches a list's rows through the same engine as an extract")
    func registerSourceMatchesThroughTheService() async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        let queries = [MatchQuery(row: 1, personalID: Self.hung.citizenID, fullName: "Nguyễn Văn Hùng", birthDate: Self.hung.birthDate,
                                  gender: .male, communeCode: "00004")]
        let served = try await RegisterSource.service(Self.adapter(server)).index(for: queries)
        let extract = try await RegisterSource.extract(RegisterIndex(records: Self.register)).index(for: queries)
        #expect(served.count < extract.count && extract.count == Self.register.count)
        let viaService = MatchEngine.match(queries, register: served).decisions
        let viaExtract = MatchEngine.match(queries, register: extract).decisions
        #expect(viaService.map(\.citizenID) == [Self.hung.citizenID] && viaExtract.map(\.citizenID) == [Self.hung.citizenID])
        #expect(viaService.map(\.status) == viaExtract.map(\.status))
    }

    // MARK: Failures

    @Test func retriesAfter503ThenSucceeds() async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        server.fail(next: 2)
        let lines = RegisterHTTPLogLines()
        let register = try Self.adapter(server, maxAttempts: 4, log: lines.append)
        #expect(try await register.person(citizenID: Self.hung.citizenID) == Self.hung)
        #expect(server.requests.count == 3)
        #expect(lines.all.count == 2)
        // Logs show the ID masked, never whole.
        #expect(lines.all.allSatisfy { $0.contains("••••••••2345") && !$0.contains(Self.hung.citizenID) })
    }

    @Test func retriesAfterTimeoutThenSucceeds() async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        server.script([.delay(3)])
        let register = try Self.adapter(server, maxAttempts: 3, timeout: 1)
        let found = try await register.candidates(for: [MatchQuery(row: 1, personalID: Self.hung.citizenID, fullName: "x")])
        #expect(found == [[Self.hung]])
        #expect(server.requests.count == 2)
    }

    @Test(arguments: [503, 500, 429])
    func givesUpAfterBoundedRetries(status: Int) async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        server.fail(next: 10, status: status)
        let register = try Self.adapter(server, maxAttempts: 3)
        let error = await #expect(throws: RegisterHTTPError.self) {
            _ = try await register.candidates(for: [MatchQuery(row: 1, personalID: Self.hung.citizenID, fullName: "Nguyễn Văn Hùng")])
        }
        #expect(error?.code == .unavailable)
        #expect(error?.status == status)
        #expect(error?.attempts == 3)
        #expect(server.requests.count == 3)
        for message in [error?.messageVI ?? "", error?.messageEN ?? ""] {
            #expect(message.contains("3"))
            #expect(!message.contains(Self.hung.citizenID) && !message.contains("Hùng"))
        }
    }

    @Test func wrongTokenIsRefusedWithoutRetry() async throws {
        let server = try StubRegisterServer(records: Self.register, token: "s3cret")
        defer { server.stop() }
        let error = await #expect(throws: RegisterHTTPError.self) {
            _ = try await Self.adapter(server, token: "wrong").person(citizenID: Self.hung.citizenID)
        }
        #expect(error?.code == .unauthorized)
        #expect(error?.status == 401)
        #expect(error?.serverCode == "unauthorized")
        #expect(error?.messageVI.contains("401") == true)
        #expect(server.requests.count == 1)

        let missing = await #expect(throws: RegisterHTTPError.self) {
            _ = try await Self.adapter(server).persons(oldID: "012345678")
        }
        #expect(missing?.code == .unauthorized)

        #expect(try await Self.adapter(server, token: "s3cret").person(citizenID: Self.hung.citizenID) == Self.hung)
        #expect(server.requests.last?.headers["authorization"] == "Bearer s3cret")
    }

    @Test func answersOutsideTheContractAreRejected() async throws {
        let query = [MatchQuery(row: 1, personalID: Self.hung.citizenID, fullName: "x")]
        let cases: [(String, String?)] = [
            ("not json", nil),
            (#"{"results":[]}"#, "results"),
            (#"{"results":[{"ref":"q7","candidates":[]}]}"#, "ref"),
            (#"{"results":[{"ref":"q0","candidates":[{"citizen_id":"12345","full_name":"A","commune_code":"00004","status":"alive"}]}]}"#, "citizen_id"),
            (#"{"results":[{"ref":"q0","candidates":[{"citizen_id":"001055012345","full_name":"A","commune_code":"00004","status":"alive","date_of_birth":"12/03/1955"}]}]}"#, "date_of_birth"),
        ]
        // One server per case, asked once: under load a slow answer must not leave its script to the next case.
        for (body, field) in cases {
            let server = try StubRegisterServer(records: Self.register)
            defer { server.stop() }
            server.script([.raw(200, body)])
            let register = try Self.adapter(server, maxAttempts: 1, timeout: 120)
            let error = await #expect(throws: RegisterHTTPError.self) { _ = try await register.candidates(for: query) }
            #expect(error?.code == .invalidResponse)
            #expect(error?.field == field)
        }
    }

    @Test func plainHTTPOnlyToThisMachine() {
        let error = #expect(throws: RegisterHTTPError.self) {
            _ = try HTTPPopulationRegister(configuration: .init(baseURL: URL(string: "http://register.example.vn/api")!))
        }
        #expect(error?.code == .insecureURL)
        #expect(throws: Never.self) {
            _ = try HTTPPopulationRegister(configuration: .init(baseURL: URL(string: "https://register.example.vn/api")!))
            _ = try HTTPPopulationRegister(configuration: .init(baseURL: URL(string: "http://localhost:8080")!))
        }
        let tooBig = #expect(throws: RegisterHTTPError.self) {
            _ = try HTTPPopulationRegister(configuration: .init(baseURL: URL(string: "https://r.example.vn")!, batchSize: 5_000))
        }
        #expect(tooBig?.code == .invalidConfiguration)
    }

    // MARK: The engine on the candidates

    struct EngineCase: Sendable, CustomTestStringConvertible {
        var label: String
        var query: MatchQuery
        var status: MatchStatus
        var citizenID: String?
        var testDescription: String { self.label }
    }

    static let engineCases: [EngineCase] = [
        EngineCase(
            label: "exact ID", query: MatchQuery(row: 1, personalID: "001055012345", fullName: "Nguyễn Văn Hùng",
            birthDate: BirthDate(year: 1955, month: 3, day: 12), gender: .male, communeCode: "00004"),
            status: .matched, citizenID: hung.citizenID),
        EngineCase(
            label: "one-digit ID typo, name and date agree", query: MatchQuery(row: 2, personalID: "001055012346",
            fullName: "Nguyễn Văn Hùng", birthDate: BirthDate(year: 1955, month: 3, day: 12), gender: .male, communeCode: "00004"),
            status: .corrected, citizenID: hung.citizenID),
        EngineCase(
            label: "old ID, no diacritics", query: MatchQuery(row: 3, oldID: "12345678", fullName: "Nguyen Van Hung",
            birthDate: BirthDate(year: 1955, month: 3, day: 12), communeCode: "4"),
            status: .corrected, citizenID: hung.citizenID),
        EngineCase(
            label: "namesake told apart by the full date", query: MatchQuery(row: 4, fullName: "Trần Thị Lan",
            birthDate: BirthDate(year: 1948, month: 9, day: 21), gender: .female, communeCode: "00025"),
            status: .matched, citizenID: lanSeptember.citizenID),
        EngineCase(
            label: "namesakes with a year only go to review", query: MatchQuery(row: 5, fullName: "Trần Thị Lan",
            birthDate: BirthDate(year: 1948), gender: .female, communeCode: "00025"),
            status: .review, citizenID: nil),
        EngineCase(
            label: "deceased", query: MatchQuery(row: 6, personalID: "001040777888", fullName: "Lê Văn Bình",
            birthDate: BirthDate(year: 1940, month: 2, day: 2), gender: .male, communeCode: "00011"),
            status: .deceased, citizenID: binh.citizenID),
        EngineCase(
            label: "not in the register", query: MatchQuery(row: 7, fullName: "Khúc Thừa Dụ",
            birthDate: BirthDate(year: 1942, month: 4, day: 4), gender: .male, communeCode: "00004"),
            status: .notFound, citizenID: nil),
    ]

    @Test func engineOnCandidateIndexFindsTheRightPeople() async throws {
        let server = try StubRegisterServer(records: Self.register)
        defer { server.stop() }
        // The cases inside a list of ordinary rows, as lists come: frequencies estimated from the candidates of
        // a handful of rows would say little.
        let queries = Self.engineCases.map(\.query) + Self.population.queries
        let index = try await Self.adapter(server).candidateIndex(for: queries)
        let decisions = MatchEngine.match(queries, register: index).decisions
        let full = MatchEngine.match(queries, register: RegisterIndex(records: Self.register)).decisions
        // The engine really ran on a part of the register.
        #expect(index.count < Self.register.count / 2)
        for (c, (decision, reference)) in zip(Self.engineCases, zip(decisions, full)) {
            #expect(decision.status == c.status, "\(c.label): \(decision.reasons)")
            #expect(decision.citizenID == c.citizenID, "\(c.label)")
            // Same outcome as on the whole extract.
            #expect(decision.status == reference.status && decision.citizenID == reference.citizenID, "\(c.label)")
        }
    }

    @Test func qualityThroughHTTPOnGeneratedData() async throws {
        let population = MatchingPopulation(seed: 4, registerSize: 20_000, listSize: 4_000)
        let server = try StubRegisterServer(records: population.register)
        defer { server.stop() }
        let index = try await Self.adapter(server).candidateIndex(for: population.queries)
        let (_, decisions) = MatchEngine.match(population.queries, register: index)
        let quality = MatchingQuality(decisions: decisions, truth: population.truth)
        let (_, reference) = MatchEngine.match(population.queries, register: RegisterIndex(records: population.register))
        let extract = MatchingQuality(decisions: reference, truth: population.truth)
        print("register over HTTP: candidates \(index.count) of \(population.register.count); \(quality)")
        print("register extract: \(extract)")
        print("missed over HTTP: \(quality.missed.sorted { $0.value > $1.value })")
        print("missed on the extract: \(extract.missed.sorted { $0.value > $1.value })")
        for w in quality.wrong.prefix(10) { print("WRONG row \(w.row) \(w.noise) \(w.status) \(w.reasons)") }
        #expect(quality.precision >= 0.9999)
        #expect(quality.recall >= extract.recall - 0.03)
    }
}

/// Log lines collected from the adapter's worker tasks.
final class RegisterHTTPLogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var all: [String] { self.lock.withLock { self.lines } }

    @Sendable func append(_ line: String) {
        self.lock.withLock { self.lines.append(line) }
    }
}
