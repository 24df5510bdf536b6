import Foundation

@testable import ASXHCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) serving the register contract from records in memory.
/// For tests only: one thread per connection, `Connection: close` on every answer, no TLS. Call `stop()` when done
/// (the accept thread keeps the server alive until then).
///
/// It reads the wire with `JSONSerialization` rather than the adapter's Codable types, so a mistake in those
/// types shows up as a disagreement with this independent reading of `docs/register-http.md`.
final class StubRegisterServer: @unchecked Sendable {
    /// What to do with the next requests instead of answering them.
    enum Override: Sendable {
        /// Answer with this status and a contract error body.
        case status(Int)
        /// Wait this long, then answer normally (to make the client time out).
        case delay(TimeInterval)
        /// Answer with this status and body verbatim.
        case raw(Int, String)
    }

    struct Request: Sendable {
        var method: String
        var target: String
        var headers: [String: String]
        /// Queries in a search body.
        var queryCount: Int?
    }

    let port: UInt16
    /// The API root, with a path prefix so that the adapter's path joining is exercised.
    var baseURL: URL { URL(string: "http://127.0.0.1:\(self.port)/register")! }
    static let prefix = "/register"

    private let listener: Int32
    private let records: [RegisterRecord]
    private let keys: Keys
    private let token: String?
    private let lock = NSLock()
    private var overrides: [Override] = []
    private var seen: [Request] = []
    private var stopped = false

    /// - Parameter token: when set, requests must carry `Authorization: Bearer <token>`.
    init(records: [RegisterRecord], token: String? = nil) throws {
        self.records = records
        self.keys = Keys(records)
        self.token = token
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw StubError.socket(errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw StubError.socket(errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.listener = fd
        self.port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in self.acceptLoop() }
        thread.start()
    }

    enum StubError: Error {
        case socket(Int32)
    }

    /// Closes the listening socket; connections in progress finish.
    func stop() {
        let wasStopped = self.lock.withLock {
            defer { self.stopped = true }
            return self.stopped
        }
        guard !wasStopped else { return }
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }

    /// The next `count` requests get `status` (503 by default) instead of an answer.
    func fail(next count: Int, status: Int = 503) {
        self.lock.withLock { self.overrides += Array(repeating: .status(status), count: count) }
    }

    func script(_ overrides: [Override]) {
        self.lock.withLock { self.overrides += overrides }
    }

    /// Requests received so far, in arrival order.
    var requests: [Request] {
        self.lock.withLock { self.seen }
    }

    // MARK: Connections

    private func acceptLoop() {
        while true {
            let client = accept(self.listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in
                self.serve(client)
                close(client)
            }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        func receive() -> Bool {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        while headerEnd == nil {
            if let range = Self.find(terminator, in: buffer) {
                headerEnd = range
            } else if !receive() {
                return
            }
        }
        let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3 else { return self.write(fd, status: 400, body: Self.errorBody("bad_request")) }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if headers["expect"]?.lowercased() == "100-continue" {
            self.send(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        var body = Array(buffer[(headerEnd! + 4)...])
        if let length = headers["content-length"].flatMap({ Int($0) }) {
            while body.count < length {
                buffer.removeAll(keepingCapacity: true)
                guard receive() else { return }
                body += buffer
            }
            body = Array(body.prefix(length))
        } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            buffer = body
            var decoded: [UInt8] = []
            var position = 0
            while true {
                let crlf: [UInt8] = [13, 10]
                var lineEnd = Self.find(crlf, in: buffer, from: position)
                while lineEnd == nil {
                    guard receive() else { return }
                    lineEnd = Self.find(crlf, in: buffer, from: position)
                }
                let sizeText = String(decoding: buffer[position..<lineEnd!], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return }
                position = lineEnd! + 2
                while buffer.count < position + size + 2 {
                    guard receive() else { return }
                }
                if size == 0 { break }
                decoded += buffer[position..<(position + size)]
                position += size + 2
            }
            body = decoded
        }
        let method = String(requestLine[0])
        let target = String(requestLine[1])
        let (status, answer) = self.answer(method: method, target: target, headers: headers, body: Data(body))
        self.write(fd, status: status, body: answer)
    }

    private func answer(method: String, target: String, headers: [String: String], body: Data) -> (Int, Data) {
        var queryCount: Int?
        var json: [String: Any]?
        if method == "POST", let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            json = object
            queryCount = (object["queries"] as? [Any])?.count
        }
        let override: Override? = self.lock.withLock {
            self.seen.append(Request(method: method, target: target, headers: headers, queryCount: queryCount))
            return self.overrides.isEmpty ? nil : self.overrides.removeFirst()
        }
        switch override {
        case .status(let status): return (status, Self.errorBody(status == 429 ? "rate_limited" : "unavailable"))
        case .raw(let status, let text): return (status, Data(text.utf8))
        case .delay(let seconds): Thread.sleep(forTimeInterval: seconds)
        case nil: break
        }
        if let token = self.token, headers["authorization"] != "Bearer \(token)" {
            return (401, Self.errorBody("unauthorized"))
        }
        guard target.hasPrefix(Self.prefix + "/v1/persons") else { return (404, Self.errorBody("not_found")) }
        let path = String(target.dropFirst(Self.prefix.count))
        let (pathOnly, queryString) = {
            let parts = path.split(separator: "?", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }()
        switch (method, pathOnly) {
        case ("POST", "/v1/persons/search"):
            guard let json, let queries = json["queries"] as? [[String: Any]] else {
                return (400, Self.errorBody("bad_request"))
            }
            guard queries.count <= 1_000 else { return (413, Self.errorBody("too_many_queries")) }
            let limit = json["max_candidates"] as? Int ?? 50
            let results: [[String: Any]] = queries.map { query in
                let (found, truncated) = self.search(query, limit: limit)
                return ["ref": query["ref"] as? String ?? "", "candidates": found.map(Self.wire), "truncated": truncated]
            }
            return (200, Self.json(["results": results]))
        case ("GET", "/v1/persons"):
            let items = queryString.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1) }
            guard let pair = items.first(where: { $0.first == "old_id" }), pair.count == 2 else {
                return (400, Self.errorBody("bad_request"))
            }
            let oldID = String(pair[1]).removingPercentEncoding ?? ""
            return (200, Self.json(["persons": self.records.filter { $0.oldID == oldID }.map(Self.wire)]))
        case ("GET", _) where pathOnly.hasPrefix("/v1/persons/"):
            let id = String(pathOnly.dropFirst("/v1/persons/".count))
            guard let record = self.records.first(where: { $0.citizenID == id }) else {
                return (404, Self.errorBody("not_found"))
            }
            return (200, Self.json(Self.wire(record)))
        default:
            return (405, Self.errorBody("method_not_allowed"))
        }
    }

    // MARK: The register's search rules (docs/register-http.md)

    /// Keys of the search rules, built once: records by ID, old ID, name + year, name + commune, family name +
    /// year + commune and given name + year + commune (names folded: no case, no diacritics).
    private struct Keys {
        var byCitizenID: [String: [Int]] = [:]
        var byOldID: [String: [Int]] = [:]
        var byNameYear: [String: [Int]] = [:]
        var byNameCommune: [String: [Int]] = [:]
        var byFamilyYearCommune: [String: [Int]] = [:]
        var byGivenYearCommune: [String: [Int]] = [:]

        init(_ records: [RegisterRecord]) {
            for (i, record) in records.enumerated() {
                let name = VietnameseText.fold(record.fullName)
                let family = name.split(separator: " ").first.map(String.init) ?? ""
                let year = record.birthDate.map { String($0.year) } ?? "-"
                self.byCitizenID[record.citizenID, default: []].append(i)
                if let old = record.oldID { self.byOldID[old, default: []].append(i) }
                self.byNameYear["\(name)|\(year)", default: []].append(i)
                self.byNameCommune["\(name)|\(record.communeCode)", default: []].append(i)
                self.byFamilyYearCommune["\(family)|\(year)|\(record.communeCode)", default: []].append(i)
                let given = name.split(separator: " ").last.map(String.init) ?? ""
                self.byGivenYearCommune["\(given)|\(year)|\(record.communeCode)", default: []].append(i)
            }
        }
    }

    private func search(_ query: [String: Any], limit: Int) -> ([RegisterRecord], Bool) {
        var byID: [Int] = []
        if let id = query["citizen_id"] as? String { byID += self.keys.byCitizenID[id] ?? [] }
        if let old = query["old_id"] as? String { byID += self.keys.byOldID[old] ?? [] }
        var byName: [Int] = []
        if let fullName = query["full_name"] as? String {
            let name = VietnameseText.fold(fullName)
            let family = name.split(separator: " ").first.map(String.init) ?? ""
            let year = (query["date_of_birth"] as? String).map { String($0.prefix(4)) }
            let commune = query["commune_code"] as? String
            if let year { byName += self.keys.byNameYear["\(name)|\(year)"] ?? [] }
            if let commune { byName += self.keys.byNameCommune["\(name)|\(commune)"] ?? [] }
            if let year, let commune { byName += self.keys.byFamilyYearCommune["\(family)|\(year)|\(commune)"] ?? [] }
            let given = name.split(separator: " ").last.map(String.init) ?? ""
            if let year, let commune { byName += self.keys.byGivenYearCommune["\(given)|\(year)|\(commune)"] ?? [] }
            // The query's commune first: with many namesakes, the local ones are likelier.
            byName.sort { a, b in
                let localA = self.records[a].communeCode == commune
                let localB = self.records[b].communeCode == commune
                return localA != localB ? localA : a < b
            }
        }
        var seen = Set<Int>()
        let all = (byID + byName).filter { seen.insert($0).inserted }
        return (all.prefix(limit).map { self.records[$0] }, all.count > limit)
    }

    // MARK: Writing

    static func wire(_ record: RegisterRecord) -> [String: Any] {
        var object: [String: Any] = [
            "citizen_id": record.citizenID, "full_name": record.fullName, "commune_code": record.communeCode,
            "address": record.address, "status": record.status.rawValue,
        ]
        object["old_id"] = record.oldID ?? NSNull()
        object["date_of_birth"] = record.birthDate?.isoString ?? NSNull()
        object["gender"] = record.gender.map { $0 == .male ? "Nam" : "Nữ" } ?? NSNull()
        object["death_date"] = record.deathDate ?? NSNull()
        return object
    }

    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
    }

    static func errorBody(_ code: String) -> Data {
        self.json(["error": ["code": code, "message": "stub register: \(code)"]])
    }

    private func write(_ fd: Int32, status: Int, body: Data) {
        let reason: String
        switch status {
        case 200: reason = "OK"
        case 400: reason = "Bad Request"
        case 401: reason = "Unauthorized"
        case 404: reason = "Not Found"
        case 413: reason = "Content Too Large"
        case 503: reason = "Service Unavailable"
        default: reason = "Status"
        }
        let head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        self.send(fd, Array(head.utf8) + Array(body))
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { raw in
                #if canImport(Glibc)
                Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
                #else
                Darwin.send(fd, raw.baseAddress, raw.count, 0)
                #endif
            }
            guard n > 0 else { return }
            offset += n
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count + start else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
