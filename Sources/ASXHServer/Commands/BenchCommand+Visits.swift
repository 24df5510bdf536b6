import ASXHCore
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// `asxh bench visits [--cases 300000] [--clients 32] [--seconds 20]`: a city's campaign in a fresh database
/// (PostgreSQL when DATABASE_URL is set, else a temporary SQLite file), the real server on a loopback port, and
/// concurrent phones posting visits over HTTP with device tokens (a few resent, as a lost answer would be).
/// Prints submissions per second and latency percentiles, then times the city progress page.
extension BenchCommand {
    func benchVisits(_ context: CommandContext, _ signature: Signature) async throws {
        let cases = signature.cases ?? 300_000
        let clients = signature.clients ?? 32
        let seconds = Double(signature.seconds ?? 20)
        let console = context.console
        let targets = try await Self.targets(signature, name: "bench-visits")
        for (label, choice) in targets {
            let app = try await Application.make(.production)
            app.logger.logLevel = .warning
            do {
                try await configure(app, database: choice)
                try await app.autoMigrate()
                app.sessionPolicy.secureCookies = false
                console.print("\(label): seeding \(cases) cases…")
                let seeded = try await VisitBenchSeed.make(app, cases: cases, members: clients)
                app.http.server.configuration.hostname = "127.0.0.1"
                app.http.server.configuration.port = 0
                try await app.server.start(address: .hostname("127.0.0.1", port: 0))
                guard let port = app.http.server.shared.localAddress?.port else { throw CommandFailure("no port") }
                app.http.client.configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = clients
                app.http.client.configuration.redirectConfiguration = .disallow
                let run = try await VisitBenchLoad.run(app, port: port, members: seeded.members, seconds: seconds) { done in
                    console.print("  … \(done) visits", newLine: true)
                }
                console.print(String(format: "%@: %d visits from %d concurrent clients in %.1f s = %.0f visits/s; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; %d resent (stored once), errors %d",
                                     label, run.accepted, clients, run.seconds, Double(run.accepted) / run.seconds, run.p(0.50), run.p(0.95), run.p(0.99), run.p(1.0),
                                     run.duplicates, run.errors))
                if !run.errorSamples.isEmpty { console.print("  errors: \(run.errorSamples.joined(separator: " | "))") }
                let stored = try await Visit.query(on: app.db).count()
                console.print("  visits stored: \(stored) (accepted \(run.accepted))")
                let page = try await VisitBenchLoad.progressPage(app, port: port, username: seeded.cityUser, password: VisitBenchSeed.password, times: 20)
                console.print(String(format: "  city progress page, %d cases: p50 %.1f ms, max %.1f ms over %d loads (%d KB)",
                                     cases, page.p50, page.max, page.loads, page.bytes / 1024))
                await app.server.shutdown()
                try await app.asyncShutdown()
            } catch {
                await app.server.shutdown()
                try? await app.asyncShutdown()
                throw error
            }
            if case .sqlite(let path) = choice { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}

extension DatabaseChoice {
    var isSQLite: Bool { if case .sqlite = self { return true } else { return false } }
}

/// The bench's city: Hà Nội's communes, people with cases assigned to one member per commune, 40% already
/// classified over the last five days (so the progress page has a history), a device token per member.
enum VisitBenchSeed {
    static let password = "bench-mat-khau-2025"

    struct Member: Sendable {
        var token: String
        var cases: [UUID]
    }

    static func make(_ app: Application, cases total: Int, members count: Int) async throws -> (members: [Member], cityUser: String) {
        let units = AdministrativeUnits.shared.units(scheme: .before2025, level: .commune).filter { $0.provinceCode == "01" }.sorted { $0.code < $1.code }
        let communes = Array(units.prefix(max(count, min(300, units.count))))
        guard let campaign = try await Campaign.current(on: app.db) else { throw CommandFailure("no campaign") }
        let campaignID = try campaign.requireID()
        let now = Date()
        var members: [(user: User, group: UUID, commune: String, token: String)] = []
        for commune in communes.prefix(count) {
            let user = User(username: "bench.\(commune.code)", displayName: "Bench \(commune.code)", passwordHash: "!", role: .workingGroupMember,
                            area: Area(scheme: .before2025, level: .commune, code: commune.code))
            try await user.create(on: app.db)
            let group = WorkingGroup(name: "Tổ 1", commune: user.area, leader: user.id)
            try await group.create(on: app.db)
            try await WorkingGroupMember(group: group.requireID(), user: user.requireID()).create(on: app.db)
            let secret = DeviceToken.prefix + Sessions.randomToken()
            let token = DeviceToken()
            token.$user.id = try user.requireID()
            token.name = "bench"
            token.tokenHash = Sessions.hash(secret)
            token.createdAt = now
            try await token.create(on: app.db)
            members.append((user, try group.requireID(), commune.code, secret))
        }
        let city = "bench.city"
        _ = try await UserAccounts.create(username: city, password: Self.password, role: .cityOfficer, area: .hanoi, displayName: "Bench city", by: nil, on: app.db)

        var ids = TimeOrderedUUIDs(seed: 11)
        var random = DemoRandom(seed: 11)
        var people: [[BulkValue]] = [], rows: [[BulkValue]] = []
        var assigned: [String: [UUID]] = [:]
        let memberOf = Dictionary(uniqueKeysWithValues: members.map { ($0.commune, $0) })
        let bar = ProgressLine(title: "seed")
        for index in 0..<total {
            let commune = communes[index % communes.count]
            let person = ids.next(now: now), item = ids.next(now: now)
            let name = "Nguyễn Văn \(index)"
            people.append([.uuid(person), .text(name), .text(VietnameseText.fold(name)), .int(1930 + index % 60), .text("Số \(index % 400 + 1) ngõ \(index % 30) phố Bench"),
                           .text("01"), BulkValue(commune.parentCode), .text(commune.code), .bool(false), .date(now), .date(now)])
            let member = memberOf[commune.code]
            let classified = random.chance(0.4) && member == nil
            var row: [BulkValue] = [.uuid(item), .uuid(campaignID), .uuid(person), .text(classified ? CaseState.classified.rawValue : CaseState.assigned.rawValue), .date(now),
                                    .text("01"), BulkValue(commune.parentCode), .text(commune.code)]
            row += [member.map { .uuid($0.group) } ?? .null, member.map { .uuid($0.user.id!) } ?? .null, .int(index / communes.count), .int(classified ? 1 : 0), .int(0)]
            row += [classified ? .text(random.pick(["A1", "A1", "A1", "A2", "B", "C"])) : .null,
                    classified ? .date(now.addingTimeInterval(-Double(random.below(5 * 86_400)))) : .null]
            rows.append(row)
            if member != nil { assigned[commune.code, default: []].append(item) }
            if people.count == 20_000 || index == total - 1 {
                try await BulkRows.insert(people, into: Person.schema, columns: ["id", "full_name", "folded_name", "birth_year", "address", "province_code", "district_code",
                                                                                "commune_code", "needs_address_detail", "created_at", "updated_at"], on: app.db)
                try await BulkRows.insert(rows, into: CampaignCase.schema, columns: ["id", "campaign_id", "person_id", "state", "updated_at",
                                                                                     "province_code", "district_code", "commune_code", "group_id", "member_id",
                                                                                     "walk_order", "visit_count", "missed_visits", "case_class", "classified_at"], on: app.db)
                people.removeAll(keepingCapacity: true)
                rows.removeAll(keepingCapacity: true)
                bar.draw(done: index + 1, fraction: Double(index + 1) / Double(total), unit: "cases")
            }
        }
        bar.finish()
        if let sql = app.db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("ANALYZE").run()
        }
        return (members.map { Member(token: $0.token, cases: assigned[$0.commune] ?? []) }, city)
    }
}

/// Phones posting visits as fast as the server takes them.
enum VisitBenchLoad {
    struct Run {
        var accepted = 0
        var duplicates = 0
        var errors = 0
        var errorSamples: [String] = []
        var latencies: [Double] = []
        var seconds = 0.0

        func p(_ quantile: Double) -> Double {
            guard !self.latencies.isEmpty else { return 0 }
            let sorted = self.latencies.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * quantile))]
        }
    }

    /// The doorstep mix: most have or open an account, some decline with a signature, some need support, a few are out.
    static func answers(_ index: Int) -> (answers: [String: String], files: [VisitSubmission.SubmittedFile]) {
        var answers = ["found": "present", "identity": "matches", "ableToTransact": "yes", "consent": "yes", "phone": "0912345678"]
        switch index % 20 {
        case 0: return (["found": "notHome"], [])
        case 1, 2: answers.merge(["hasAccount": "no", "wantsAccountPayment": "no", "declineReason": "prefersCash"]) { $1 }
            return (answers, [VisitSubmission.SubmittedFile(kind: "confirmation", data: DemoFieldwork.signature)])
        case 3, 4: answers.merge(["ableToTransact": "no", "hasAccount": "no", "unableReason": "bedridden", "supportWanted": "cashAtHome", "supportDue": "2099-12-31"]) { $1 }
        case 5, 6, 7: answers.merge(["hasAccount": "no", "wantsAccountPayment": "yes", "openingBank": "Agribank"]) { $1 }
        default: answers.merge(["hasAccount": "yes", "bank": "Vietcombank", "accountNumber": "00110023\(String(format: "%05d", index % 100_000))",
                                "accountHolder": "NGUYEN VAN A", "wantsAccountPayment": "yes"]) { $1 }
        }
        return (answers, [])
    }

    static func run(_ app: Application, port: Int, members: [VisitBenchSeed.Member], seconds: Double,
                    progress: @escaping @Sendable (Int) -> Void) async throws -> Run {
        let url = "http://127.0.0.1:\(port)/api/v1/visits"
        let encoder = JSONEncoder()
        // The phones' bodies are made before the clock starts: the bench measures the server, not the encoder.
        let bodies: [[ByteBuffer]] = try members.enumerated().map { clientIndex, member in
            try member.cases.prefix(Int(seconds) * 100).enumerated().map { next, caseID in
                let (answers, files) = Self.answers(next + clientIndex)
                let submission = VisitSubmission(clientKey: "bench-\(clientIndex)-\(next)", caseID: caseID, questionnaireVersion: 1,
                                                 answers: answers, visitedAt: nil, latitude: 21.03, longitude: 105.85, files: files)
                return ByteBuffer(data: try encoder.encode(submission))
            }
        }
        let start = Date()
        let deadline = start.addingTimeInterval(seconds)
        let results = try await withThrowingTaskGroup(of: Run.self) { group in
            for (clientIndex, member) in members.enumerated() {
                let mine = bodies[clientIndex]
                group.addTask {
                    var run = Run()
                    var previous: ByteBuffer?
                    var next = 0, sentCount = 0
                    while Date() < deadline, next < mine.count {
                        let body: ByteBuffer
                        sentCount += 1
                        // One in twenty is a resend of the last visit, as after an answer lost on a weak connection.
                        let resend = previous != nil && sentCount % 20 == 10
                        if resend, let previous {
                            body = previous
                        } else {
                            body = mine[next]
                            next += 1
                        }
                        previous = body
                        let sent = Date()
                        let response = try await app.client.post(URI(string: url), headers: ["Authorization": "Bearer \(member.token)", "Content-Type": "application/json",
                                                                                          "Accept": "application/json"]) { request in request.body = body }
                        run.latencies.append(Date().timeIntervalSince(sent) * 1000)
                        switch response.status {
                        case .created: run.accepted += 1
                        case .ok: run.duplicates += 1
                        default:
                            run.errors += 1
                            if run.errorSamples.count < 3 { run.errorSamples.append("\(response.status.code) \(response.body.map { String(buffer: $0) }?.prefix(200) ?? "")") }
                        }
                        if clientIndex == 0 && run.accepted % 500 == 0 && run.accepted > 0 { progress(run.accepted * members.count) }
                    }
                    return run
                }
            }
            var total = Run()
            for try await run in group {
                total.accepted += run.accepted
                total.duplicates += run.duplicates
                total.errors += run.errors
                total.errorSamples += run.errorSamples.prefix(3 - min(3, total.errorSamples.count))
                total.latencies += run.latencies
            }
            return total
        }
        var run = results
        run.seconds = Date().timeIntervalSince(start)
        return run
    }

    /// Logs in over HTTP as a browser does (the CSRF cookie, then the form) and loads `/progress` `times` times.
    static func progressPage(_ app: Application, port: Int, username: String, password: String, times: Int) async throws -> (p50: Double, max: Double, loads: Int, bytes: Int) {
        let base = "http://127.0.0.1:\(port)"
        let form = try await app.client.get(URI(string: "\(base)/login"))
        let html = form.body.map { String(buffer: $0) } ?? ""
        let csrf = html.range(of: "name=\"_csrf\" value=\"").map { String(html[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
        let cookies = form.headers[.setCookie].map { String($0.split(separator: ";")[0]) }.joined(separator: "; ")
        let login = try await app.client.post(URI(string: "\(base)/login"), headers: ["Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"]) { request in
            request.body = ByteBuffer(string: "username=\(username)&password=\(password)&_csrf=\(csrf)")
        }
        let session = login.headers[.setCookie].map { String($0.split(separator: ";")[0]) }.joined(separator: "; ")
        var timings: [Double] = []
        var bytes = 0
        for _ in 0..<times {
            let start = Date()
            let page = try await app.client.get(URI(string: "\(base)/progress"), headers: ["Cookie": session])
            timings.append(Date().timeIntervalSince(start) * 1000)
            guard page.status == .ok else { throw CommandFailure("progress page: \(page.status)") }
            bytes = page.body?.readableBytes ?? 0
        }
        timings.sort()
        return (timings[timings.count / 2], timings.last ?? 0, times, bytes)
    }
}
