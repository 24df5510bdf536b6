import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The population register reached over HTTP (`docs/register-http.md`): single lookups and batched candidate
/// searches, with bearer-token auth, timeouts and bounded retries.
///
/// The file extract (`RegisterIndex`) stays the default: the engine's Fellegi–Sunter u-probabilities need how
/// common each name, date and commune is, and only the whole register knows that. `candidateIndex(for:)`
/// builds an index from the candidates the register returns, so the same engine can run on them; frequencies are
/// then estimated from the candidates alone, which is less precise: every candidate shares a name or an ID with
/// some query, so the list's names look commoner than they are and an agreeing name weighs less (measured on
/// generated data: same precision, recall 99.2 % instead of 99.4 %, see `docs/register-http.md`).
///
/// Plain `http` is accepted only for loopback hosts (tests); personal data otherwise travels over TLS only.
/// Nothing this type logs or throws holds a name, a date or a full ID.
public final class HTTPPopulationRegister: PopulationRegister {
    public struct Configuration: Sendable, Hashable {
        /// Root of the API; paths such as `v1/persons/search` are appended to it (it may carry a prefix).
        public var baseURL: URL
        /// Sent as `Authorization: Bearer <token>`.
        public var token: String?
        /// Seconds one request may take before it counts as timed out (and is retried).
        public var timeout: TimeInterval
        /// Tries per request, the first included; 5xx, 429, timeouts and dropped connections are retried.
        public var maxAttempts: Int
        /// Pause before the first retry; it doubles each time, with jitter, up to `maxBackoff`.
        public var initialBackoff: TimeInterval
        public var maxBackoff: TimeInterval
        /// Queries per search request (at most `RegisterHTTPContract.maxQueriesPerRequest`).
        public var batchSize: Int
        /// Search requests in flight at once.
        public var maxConcurrentRequests: Int
        /// Candidates asked for per query.
        public var maxCandidates: Int

        public init(
            baseURL: URL, token: String? = nil, timeout: TimeInterval = 30, maxAttempts: Int = 4,
            initialBackoff: TimeInterval = 0.5, maxBackoff: TimeInterval = 8, batchSize: Int = 500,
            maxConcurrentRequests: Int = 2, maxCandidates: Int = 50
        ) {
            self.baseURL = baseURL
            self.token = token
            self.timeout = timeout
            self.maxAttempts = maxAttempts
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.batchSize = batchSize
            self.maxConcurrentRequests = maxConcurrentRequests
            self.maxCandidates = maxCandidates
        }
    }

    public let configuration: Configuration
    let session: URLSession
    let ownsSession: Bool
    let log: (@Sendable (String) -> Void)?

    /// - Parameters:
    ///   - session: injected for tests or shared proxies; by default an ephemeral session (no cookies, no cache on
    ///     disk: answers hold personal data).
    ///   - log: receives one line per retry or failure, IDs masked.
    /// - Throws: `RegisterHTTPError` with code `invalidConfiguration` or `insecureURL`.
    public init(
        configuration: Configuration, session: URLSession? = nil, log: (@Sendable (String) -> Void)? = nil
    ) throws(RegisterHTTPError) {
        let url = configuration.baseURL
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", let host = url.host,
            !host.isEmpty
        else {
            throw RegisterHTTPError(code: .invalidConfiguration, field: "baseURL")
        }
        if scheme == "http" && !Self.isLoopback(host) {
            throw RegisterHTTPError(code: .insecureURL)
        }
        guard configuration.maxAttempts >= 1, configuration.timeout > 0, configuration.batchSize >= 1,
            configuration.batchSize <= RegisterHTTPContract.maxQueriesPerRequest, configuration.maxConcurrentRequests >= 1,
            configuration.maxCandidates >= 1, configuration.initialBackoff >= 0, configuration.maxBackoff >= 0
        else {
            throw RegisterHTTPError(code: .invalidConfiguration)
        }
        self.configuration = configuration
        self.log = log
        if let session {
            self.session = session
            self.ownsSession = false
        } else {
            let sessionConfiguration = URLSessionConfiguration.ephemeral
            sessionConfiguration.timeoutIntervalForRequest = configuration.timeout
            sessionConfiguration.timeoutIntervalForResource = configuration.timeout
            sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
            sessionConfiguration.urlCache = nil
            sessionConfiguration.httpCookieStorage = nil
            sessionConfiguration.httpMaximumConnectionsPerHost = max(2, configuration.maxConcurrentRequests)
            self.session = URLSession(configuration: sessionConfiguration)
            self.ownsSession = true
        }
    }

    deinit {
        if self.ownsSession { self.session.finishTasksAndInvalidate() }
    }

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    // MARK: Lookups

    /// `GET /v1/persons/{citizen_id}`: the person with this personal ID, or nil (404).
    /// The ID may have lost its leading zeros or carry separators.
    public func person(citizenID: String) async throws -> RegisterRecord? {
        guard let id = RegisterHTTPWire.citizenID(citizenID) else {
            throw RegisterHTTPError(code: .invalidQuery, field: "citizen_id")
        }
        let url = self.configuration.baseURL.appendingPathComponent("v1/persons").appendingPathComponent(id)
        let label = "GET /v1/persons/\(IdentityScan.masked(id))"
        guard let data = try await self.send(self.request(url: url, method: "GET"), label: label, notFoundIsNil: true) else {
            return nil
        }
        let person: RegisterHTTPContract.Person = try self.decode(data)
        return try person.record()
    }

    /// `GET /v1/persons?old_id=…`: the people the register links to this old ID (normally one).
    public func persons(oldID: String) async throws -> [RegisterRecord] {
        guard let id = RegisterHTTPWire.oldID(oldID) else { throw RegisterHTTPError(code: .invalidQuery, field: "old_id") }
        let base = self.configuration.baseURL.appendingPathComponent("v1/persons")
        guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else {
            throw RegisterHTTPError(code: .invalidConfiguration, field: "baseURL")
        }
        components.queryItems = [URLQueryItem(name: "old_id", value: id)]
        guard let url = components.url else { throw RegisterHTTPError(code: .invalidConfiguration, field: "baseURL") }
        let label = "GET /v1/persons?old_id=\(IdentityScan.masked(id))"
        guard let data = try await self.send(self.request(url: url, method: "GET"), label: label, notFoundIsNil: true) else {
            return []
        }
        let list: RegisterHTTPContract.PersonList = try self.decode(data)
        return try list.persons.map { person throws(RegisterHTTPError) in try person.record() }
    }

    /// People with this name (ignoring case and diacritics) born in the date's year, or living in the commune.
    /// Sent as a one-query search: names and birth dates never go into URLs, which proxies log.
    public func persons(fullName: String, birthDate: BirthDate?, communeCode: String?) async throws -> [RegisterRecord] {
        let query = MatchQuery(row: 0, fullName: fullName, birthDate: birthDate, communeCode: communeCode)
        guard let wire = RegisterHTTPContract.Query(ref: "q0", query: query), wire.fullName != nil else {
            throw RegisterHTTPError(code: .invalidQuery, field: "full_name")
        }
        return try await self.search([wire]).first ?? []
    }

    // MARK: Batched search

    /// Candidates for each query, in order, fetched `batchSize` queries per `POST /v1/persons/search`.
    /// Rows with nothing to search by get no candidates without a request.
    public func candidates(for queries: [MatchQuery]) async throws -> [[RegisterRecord]] {
        var wire: [RegisterHTTPContract.Query] = []
        var positions: [Int] = []
        wire.reserveCapacity(queries.count)
        for (i, query) in queries.enumerated() {
            if let q = RegisterHTTPContract.Query(ref: "", query: query) {
                wire.append(q)
                positions.append(i)
            }
        }
        let found = try await self.search(wire)
        var results = [[RegisterRecord]](repeating: [], count: queries.count)
        for (k, i) in positions.enumerated() { results[i] = found[k] }
        return results
    }

    /// A register index of every candidate of `queries` (each person once), for `MatchEngine`.
    ///
    /// u-probabilities are then estimated from these candidates only, which is less precise than from the full
    /// extract (the default); use this when no extract is available.
    public func candidateIndex(for queries: [MatchQuery]) async throws -> RegisterIndex {
        let found = try await self.candidates(for: queries)
        var seen = Set<String>()
        var records: [RegisterRecord] = []
        for list in found {
            for record in list where seen.insert(record.citizenID).inserted {
                records.append(record)
            }
        }
        return RegisterIndex(records: records)
    }

    /// Candidates for wire queries (refs are reassigned), batched and sent with bounded concurrency.
    public func search(_ queries: [RegisterHTTPContract.Query]) async throws -> [[RegisterRecord]] {
        let size = self.configuration.batchSize
        let batches = stride(from: 0, to: queries.count, by: size).map { $0..<min($0 + size, queries.count) }
        var results = [[RegisterRecord]](repeating: [], count: queries.count)
        try await withThrowingTaskGroup(of: (Range<Int>, [[RegisterRecord]]).self) { group in
            var next = 0
            func startNext() {
                let range = batches[next]
                let batch = Array(queries[range])
                let number = next + 1
                group.addTask { (range, try await self.searchBatch(batch, label: "batch \(number)/\(batches.count)")) }
                next += 1
            }
            while next < min(self.configuration.maxConcurrentRequests, batches.count) { startNext() }
            while let (range, found) = try await group.next() {
                for (k, i) in range.enumerated() { results[i] = found[k] }
                if next < batches.count { startNext() }
            }
        }
        return results
    }

    func searchBatch(_ queries: [RegisterHTTPContract.Query], label: String) async throws -> [[RegisterRecord]] {
        var numbered = queries
        for i in numbered.indices { numbered[i].ref = "q\(i)" }
        let body = RegisterHTTPContract.SearchRequest(queries: numbered, maxCandidates: self.configuration.maxCandidates)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(body)
        } catch {
            throw RegisterHTTPError(code: .invalidQuery)
        }
        let url = self.configuration.baseURL.appendingPathComponent("v1/persons/search")
        var request = self.request(url: url, method: "POST")
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.httpBody = data
        let answer = try await self.send(request, label: "POST /v1/persons/search \(label) (\(queries.count) queries)", notFoundIsNil: false)
        let response: RegisterHTTPContract.SearchResponse = try self.decode(answer ?? Data())
        var results = [[RegisterRecord]?](repeating: nil, count: queries.count)
        for result in response.results {
            guard result.ref.hasPrefix("q"), let i = Int(result.ref.dropFirst()), results.indices.contains(i), results[i] == nil
            else {
                throw RegisterHTTPError(code: .invalidResponse, field: "ref")
            }
            results[i] = try result.candidates.map { person throws(RegisterHTTPError) in try person.record() }
        }
        guard results.allSatisfy({ $0 != nil }) else { throw RegisterHTTPError(code: .invalidResponse, field: "results") }
        return results.map { $0! }
    }

    // MARK: Transport

    func request(url: URL, method: String) -> URLRequest {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: self.configuration.timeout)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue("asxh-register/1", forHTTPHeaderField: "User-Agent")
        request.setValue(UUID().uuidString, forHTTPHeaderField: "X-Request-ID")
        if let token = self.configuration.token {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        return request
    }

    /// The body of a 2xx answer (nil for a 404 when `notFoundIsNil`), retrying what may pass: 5xx, 429, timeouts,
    /// refused or dropped connections. The same request is safe to resend: every endpoint only reads.
    func send(_ request: URLRequest, label: String, notFoundIsNil: Bool) async throws -> Data? {
        let attempts = self.configuration.maxAttempts
        for attempt in 1...attempts {
            try Task.checkCancellation()
            let failure: RegisterHTTPError
            var retryAfter: TimeInterval?
            do {
                let (data, response) = try await self.session.data(for: request)
                guard let http = response as? HTTPURLResponse else {
                    throw RegisterHTTPError(code: .invalidResponse, attempts: attempt)
                }
                let status = http.statusCode
                switch status {
                case 200..<300:
                    return data
                case 404 where notFoundIsNil:
                    return nil
                case 429, 500, 502, 503, 504:
                    failure = RegisterHTTPError(code: .unavailable, status: status, serverCode: Self.serverCode(data), attempts: attempt)
                    retryAfter = (http.value(forHTTPHeaderField: "Retry-After")).flatMap { TimeInterval($0) }
                default:
                    let error = RegisterHTTPError(
                        code: RegisterHTTPError.Code(status: status), status: status, serverCode: Self.serverCode(data),
                        attempts: attempt)
                    self.log?("register \(label): \(status) \(error.code.rawValue), not retried")
                    throw error
                }
            } catch let error as URLError {
                if error.code == .cancelled, Task.isCancelled { throw CancellationError() }
                guard Self.isTransient(error.code) else {
                    self.log?("register \(label): network error \(error.code.rawValue), not retried")
                    throw RegisterHTTPError(code: .unreachable, attempts: attempt)
                }
                failure = RegisterHTTPError(code: error.code == .timedOut ? .timeout : .unreachable, attempts: attempt)
            }
            guard attempt < attempts else {
                self.log?("register \(label): \(failure.logSummary), giving up after \(attempt) attempts")
                throw failure
            }
            let delay = min(self.configuration.maxBackoff, retryAfter ?? self.backoff(attempt: attempt))
            self.log?("register \(label): \(failure.logSummary), retry \(attempt + 1)/\(attempts) in \(String(format: "%.2f", delay)) s")
            if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) }
        }
        throw RegisterHTTPError(code: .unavailable, attempts: attempts)
    }

    /// Exponential, with half of it random so that clients failing together do not retry together.
    func backoff(attempt: Int) -> TimeInterval {
        let full = min(self.configuration.maxBackoff, self.configuration.initialBackoff * pow(2, Double(attempt - 1)))
        return full / 2 + Double.random(in: 0...(full / 2))
    }

    static func isTransient(_ code: URLError.Code) -> Bool {
        switch code {
        case .timedOut, .networkConnectionLost, .cannotConnectToHost, .notConnectedToInternet, .dnsLookupFailed,
            .cannotFindHost, .badServerResponse:
            return true
        default:
            return false
        }
    }

    /// The error body's code when it is a plain snake_case word; anything else might carry data and is dropped.
    static func serverCode(_ data: Data) -> String? {
        guard let body = try? JSONDecoder().decode(RegisterHTTPContract.ErrorBody.self, from: data) else { return nil }
        let code = body.error.code
        guard !code.isEmpty, code.utf8.count <= 40,
            code.utf8.allSatisfy({ ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "_") })
        else {
            return nil
        }
        return code
    }

    func decode<T: Decodable>(_ data: Data) throws(RegisterHTTPError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw RegisterHTTPError(code: .invalidResponse, field: key.stringValue)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw RegisterHTTPError(code: .invalidResponse, field: context.codingPath.last?.stringValue)
        } catch {
            throw RegisterHTTPError(code: .invalidResponse)
        }
    }
}

/// A failure talking to the register over HTTP. Messages hold codes, statuses and field names, never personal data.
public struct RegisterHTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        /// Bad base URL or settings.
        case invalidConfiguration = "invalid_configuration"
        /// Plain `http` to a host other than this machine.
        case insecureURL = "insecure_url"
        /// An ID to look up that cannot be one.
        case invalidQuery = "invalid_query"
        /// 401: token missing, wrong or expired.
        case unauthorized
        /// 403: the token may not read these people.
        case forbidden
        /// 400, 404 on a search, 405, 413, 422…: the register refused the request as written.
        case rejected
        /// 5xx or 429 on every attempt.
        case unavailable
        /// No answer in time on every attempt.
        case timeout
        /// No connection on every attempt, or a network failure that cannot pass by retrying.
        case unreachable
        /// An answer that does not follow the contract.
        case invalidResponse = "invalid_response"

        init(status: Int) {
            switch status {
            case 401: self = .unauthorized
            case 403: self = .forbidden
            case 500...599, 429: self = .unavailable
            default: self = .rejected
            }
        }
    }

    public var code: Code
    /// The HTTP status of the last answer, when there was one.
    public var status: Int?
    /// The register's own error code (`too_many_queries`…), when it sent a plain one.
    public var serverCode: String?
    /// The field at fault (`citizen_id`, `date_of_birth`…), never its value.
    public var field: String?
    /// Attempts made.
    public var attempts: Int

    public init(code: Code, status: Int? = nil, serverCode: String? = nil, field: String? = nil, attempts: Int = 1) {
        self.code = code
        self.status = status
        self.serverCode = serverCode
        self.field = field
        self.attempts = attempts
    }

    static func invalidResponse(field: String) -> RegisterHTTPError {
        RegisterHTTPError(code: .invalidResponse, field: field)
    }

    public var messageVI: String {
        switch self.code {
        case .invalidConfiguration:
            return "Cấu hình kết nối CSDL quốc gia về dân cư không hợp lệ\(self.fieldVI)."
        case .insecureURL:
            return "Chỉ được kết nối CSDL quốc gia về dân cư qua HTTPS (http chỉ dùng cho máy cục bộ)."
        case .invalidQuery:
            return "Giá trị tra cứu không hợp lệ\(self.fieldVI)."
        case .unauthorized:
            return "CSDL quốc gia về dân cư từ chối xác thực (HTTP 401): mã truy cập thiếu, sai hoặc đã hết hạn."
        case .forbidden:
            return "Mã truy cập không có quyền tra cứu những người này (HTTP 403)."
        case .rejected:
            return "CSDL quốc gia về dân cư từ chối yêu cầu (HTTP \(self.statusText)\(self.serverCodeText))."
        case .unavailable:
            return "CSDL quốc gia về dân cư tạm thời không phục vụ được (HTTP \(self.statusText)\(self.serverCodeText)) sau \(self.attempts) lần thử."
        case .timeout:
            return "CSDL quốc gia về dân cư không trả lời kịp sau \(self.attempts) lần thử."
        case .unreachable:
            return "Không kết nối được CSDL quốc gia về dân cư sau \(self.attempts) lần thử."
        case .invalidResponse:
            return "Câu trả lời của CSDL quốc gia về dân cư không đúng định dạng\(self.fieldVI)."
        }
    }

    public var messageEN: String {
        switch self.code {
        case .invalidConfiguration:
            return "Invalid population register connection settings\(self.fieldEN)."
        case .insecureURL:
            return "The population register must be reached over HTTPS (plain http is for this machine only)."
        case .invalidQuery:
            return "Invalid lookup value\(self.fieldEN)."
        case .unauthorized:
            return "The population register refused the credentials (HTTP 401): token missing, wrong or expired."
        case .forbidden:
            return "The token may not look up these people (HTTP 403)."
        case .rejected:
            return "The population register rejected the request (HTTP \(self.statusText)\(self.serverCodeText))."
        case .unavailable:
            return "The population register is unavailable (HTTP \(self.statusText)\(self.serverCodeText)) after \(self.attempts) attempts."
        case .timeout:
            return "The population register did not answer in time after \(self.attempts) attempts."
        case .unreachable:
            return "Could not connect to the population register after \(self.attempts) attempts."
        case .invalidResponse:
            return "The population register's answer does not follow the contract\(self.fieldEN)."
        }
    }

    public var description: String { "\(self.code.rawValue): \(self.messageEN)" }

    var logSummary: String {
        if let status = self.status { return "\(status) \(self.code.rawValue)" }
        return self.code.rawValue
    }

    private var statusText: String { self.status.map(String.init) ?? "?" }
    private var serverCodeText: String { self.serverCode.map { ", \($0)" } ?? "" }
    private var fieldVI: String { self.field.map { " (trường \($0))" } ?? "" }
    private var fieldEN: String { self.field.map { " (field \($0))" } ?? "" }
}

extension RegisterHTTPError: LocalizedError {
    public var errorDescription: String? { self.messageEN }
}
