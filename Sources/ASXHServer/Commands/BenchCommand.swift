import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Vapor
import ASXHCore

/// `asxh bench import --rows N [--xlsx]`: generates a list of N rows, imports it into a fresh database
/// (a temporary SQLite file; and a fresh PostgreSQL database when DATABASE_URL is set), and prints rows/s, peak
/// memory of the import, and the time `psql \copy` takes for the same rows. Build with `-c release`.
struct BenchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "what", help: "import | match | visits | pay")
        var what: String
        @Option(name: "rows", help: "import: list rows to generate (default 100,000)")
        var rows: Int?
        @Option(name: "register", help: "match: register rows (default 2,000,000)")
        var register: Int?
        @Option(name: "list", help: "match: list rows (default 200,000)")
        var list: Int?
        @Flag(name: "xlsx", help: "Generate the list as .xlsx instead of .csv")
        var xlsx: Bool
        @Option(name: "seed", help: "Generator seed (default 7)")
        var seed: UInt64?
        @Option(name: "only", help: "import: sqlite | postgres (default: SQLite, and PostgreSQL when DATABASE_URL is set)")
        var only: String?
        @Option(name: "cases", help: "visits: cases in the campaign (default 300,000)")
        var cases: Int?
        @Option(name: "clients", help: "visits: concurrent phones (default 32)")
        var clients: Int?
        @Option(name: "seconds", help: "visits: how long the phones post (default 20)")
        var seconds: Int?
        @Option(name: "payments", help: "pay: entitled people in the cycle (default 1,000,000)")
        var payments: Int?
    }

    var help: String { "Measure import, matching, visit and payment speed (đo tốc độ)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        switch signature.what {
        case "import": try await self.benchImport(context, signature)
        case "match": try await self.benchMatch(context, signature)
        case "visits": try await self.benchVisits(context, signature)
        case "pay": try await self.benchPay(context, signature)
        default: throw CommandFailure("bench: import | match | visits | pay")
        }
    }

    /// `asxh bench match --register N --list M`: generate (once) a register extract and a list with ground truth,
    /// then load, index, match and write end to end, printing time per phase, rows/s, peak memory and quality.
    func benchMatch(_ context: CommandContext, _ signature: Signature) async throws {
        let registerRows = signature.register ?? 2_000_000
        let listRows = signature.list ?? 200_000
        let seed = signature.seed ?? 7
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-bench-match-\(registerRows)-\(listRows)-\(seed)")
        let listPath = folder.appendingPathComponent("danh-sach.csv").path
        if !FileManager.default.fileExists(atPath: listPath) {
            context.console.print("Generating \(registerRows) register rows and about \(listRows) list rows → \(folder.path)")
            var config = DemoConfig(seed: seed, people: listRows * 98 / 100, registerSize: registerRows)  // ~2% of people are on two lists
            config.lists = PolicyGroup.allCases.map { DemoListSpec(group: $0, format: .csv, fileName: "danh-sach.csv") }
            try DemoDataset.generate(config).write(to: folder)
        }
        Memory.resetPeak()
        let run = try await ListMatchRun(registerPath: folder.appendingPathComponent(DemoDataset.registerFileName).path, listPath: listPath, sheet: nil, overrides: [])
        try run.write(to: folder.appendingPathComponent("result.csv").path)
        let summary = run.summary
        let quality = try MatchQuality.score(run.lines.map { ($0.sheetRow, $0.status, $0.citizenID) },
                                             truth: folder.appendingPathComponent(DemoDataset.truthFileName).path, file: "danh-sach.csv")
        let phases = ["load_index", "read_list", "match", "write"].map { String(format: "%@ %.2f s", $0, summary.seconds[$0] ?? 0) }.joined(separator: ", ")
        context.console.print(String(format: "match %d register × %d list rows: total %.2f s (%@); %.0f list rows/s; peak memory %.0f MiB",
                                     summary.register_rows, summary.rows, summary.seconds["total"] ?? 0, phases, summary.rows_per_second, summary.peak_memory_mib))
        context.console.print(String(format: "quality: precision %.4f%% (%d wrong of %d automatic links), recall %.2f%%, review %.2f%%, not found %d",
                                     quality.precision * 100, quality.wrongLinks, quality.automaticLinks, quality.recall * 100, quality.reviewRate * 100, quality.notFound))
    }

    func benchImport(_ context: CommandContext, _ signature: Signature) async throws {
        let rows = signature.rows ?? 100_000
        let format: DemoFileFormat = signature.xlsx ? .xlsx : .csv
        let console = context.console

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-bench-\(rows)-\(format.rawValue)-\(signature.seed ?? 7)")
        let listName = "bench.\(format.rawValue)"
        let listPath = folder.appendingPathComponent(listName).path
        if !FileManager.default.fileExists(atPath: listPath) {
            console.print("Generating \(rows) rows → \(listPath)")
            var config = DemoConfig(seed: signature.seed ?? 7, people: rows, registerSize: rows, lists: [DemoListSpec(group: .socialProtection, format: format, fileName: listName)])
            config.rates[.onTwoLists] = 0
            try DemoDataset.generate(config).write(to: folder)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: listPath)[.size] as? Int) ?? 0
        console.print("List: \(listPath) (\(size / 1_048_576) MiB)")

        var targets: [(String, DatabaseChoice)] = []
        if signature.only != "postgres" {
            targets.append(("SQLite", .sqlite(path: folder.appendingPathComponent("bench-\(UUID().uuidString).sqlite").path)))
        }
        if signature.only != "sqlite", case .postgres(let url) = DatabaseChoice.detect() {
            let fresh = try await Self.freshPostgresDatabase(url)
            targets.append(("PostgreSQL (shared_buffers \(fresh.sharedBuffers))", .postgres(url: fresh.url)))
        }
        for (label, choice) in targets {
            let result = try await Self.importOnce(listPath: listPath, choice: choice, sheet: format == .xlsx ? DemoDataset.listSheetName : nil)
            console.print(String(format: "%@ %@: %d rows in %.2f s = %.0f rows/s; peak memory during import %.0f MiB (process peak %.0f MiB)",
                                 label, format.rawValue.uppercased(), result.summary.rows, result.seconds, Double(result.summary.rows) / result.seconds,
                                 result.importPeakMiB, result.processPeakMiB))
            if case .postgres(let url) = choice {
                if let copy = try Self.psqlCopy(url: url, folder: folder) {
                    console.print(String(format: "PostgreSQL psql \\copy of the rows asxh wrote (people, enrolments, cases) into tables with the same indexes: %.2f s → asxh takes %.1f× as long",
                                         copy, result.seconds / copy))
                }
            }
            if case .sqlite(let path) = choice { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    struct Result {
        var summary: ListImportSummary
        var seconds: Double
        var importPeakMiB: Double
        var processPeakMiB: Double
    }

    static func importOnce(listPath: String, choice: DatabaseChoice, sheet: String?) async throws -> Result {
        let app = try await Application.make(.production)
        app.logger.logLevel = .warning
        do {
            try await configure(app, database: choice)
            try await app.autoMigrate()
            let user = User.commandLine(area: .hanoi)
            let bar = ProgressLine(title: "import")
            Memory.resetPeak()
            let baseline = Memory.residentMiB()
            let start = Date()
            let summary = try await ListImporter(database: app.db).run(path: listPath, options: ListImportOptions(fileName: "bench", sheet: sheet, actor: user)) { bar.update($0) }
            let seconds = Date().timeIntervalSince(start)
            bar.finish()
            let peak = Memory.peakMiB()
            try await app.asyncShutdown()
            return Result(summary: summary, seconds: seconds, importPeakMiB: peak - baseline, processPeakMiB: peak)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// A new, empty database next to the one DATABASE_URL names, so a benchmark never touches real data.
    /// The databases a server benchmark runs on: a temporary SQLite file, and a fresh PostgreSQL database when
    /// DATABASE_URL names one (`--only` picks one of them).
    static func targets(_ signature: Signature, name: String) async throws -> [(String, DatabaseChoice)] {
        var targets: [(String, DatabaseChoice)] = []
        if signature.only != "postgres" && (signature.only == "sqlite" || DatabaseChoice.detect().isSQLite) {
            targets.append(("SQLite", .sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).sqlite").path)))
        }
        if signature.only != "sqlite", case .postgres(let url) = DatabaseChoice.detect() {
            let fresh = try await Self.freshPostgresDatabase(url)
            targets.append(("PostgreSQL (shared_buffers \(fresh.sharedBuffers))", .postgres(url: fresh.url)))
        }
        return targets
    }

    static func freshPostgresDatabase(_ url: String) async throws -> (url: String, sharedBuffers: String) {
        guard var components = URLComponents(string: url) else { throw CommandFailure("DATABASE_URL không hợp lệ / invalid") }
        let app = try await Application.make(.production)
        app.logger.logLevel = .warning
        try await configure(app, database: .postgres(url: url))
        let sql = app.db as! any SQLDatabase
        try await sql.raw("DROP DATABASE IF EXISTS asxh_bench").run()
        try await sql.raw("CREATE DATABASE asxh_bench").run()
        // Say which buffer cache the figures were measured with (a city server's will differ).
        let sharedBuffers = try await sql.raw("SHOW shared_buffers").first()?.decode(column: "shared_buffers", as: String.self)
        try await app.asyncShutdown()
        components.path = "/asxh_bench"
        return (components.string!, sharedBuffers ?? "?")
    }

    /// Times `psql \copy` of exactly the rows the import wrote (people, enrolments, campaign cases) into empty
    /// tables with the same columns and indexes: the floor for any importer writing the same data.
    static func psqlCopy(url: String, folder: URL) throws -> Double? {
        let tables = [Person.schema, Enrolment.schema, CampaignCase.schema]
        var export: [String] = []
        var create: [String] = []
        var load: [String] = []
        for table in tables {
            let file = folder.appendingPathComponent("\(table).copy").path
            export.append("\\copy \(table) TO '\(file)'")
            create.append("DROP TABLE IF EXISTS copy_\(table); CREATE TABLE copy_\(table) (LIKE \(table) INCLUDING ALL);")
            load.append("\\copy copy_\(table) FROM '\(file)'")
        }
        guard Self.psql(url, export.flatMap { ["-c", $0] }), Self.psql(url, ["-c", create.joined(separator: " ")]) else { return nil }
        let start = Date()
        guard Self.psql(url, load.flatMap { ["-c", $0] }) else { return nil }
        return Date().timeIntervalSince(start)
    }

    private static func psql(_ url: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-q", "-v", "ON_ERROR_STOP=1"] + arguments
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }
}

/// Resident memory of this process, read from /proc (Linux).
enum Memory {
    static func residentMiB() -> Double { Self.status("VmRSS:") }
    static func peakMiB() -> Double { Self.status("VmHWM:") }

    /// Resets the kernel's peak-RSS counter so a phase's peak can be measured on its own.
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .ascii)
    }

    private static func status(_ key: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
              let kb = line.split(separator: " ").compactMap({ Double($0) }).first
        else { return 0 }
        return kb / 1024
    }
}

/// Precision, recall and review rate of a match result against the generator's ground truth.
struct MatchQuality {
    var automaticLinks = 0
    var wrongLinks = 0
    var truePeople = 0
    var correctLinks = 0
    var review = 0
    var notFound = 0
    var rows = 0

    var precision: Double { self.automaticLinks == 0 ? 1 : Double(self.automaticLinks - self.wrongLinks) / Double(self.automaticLinks) }
    var recall: Double { self.truePeople == 0 ? 1 : Double(self.correctLinks) / Double(self.truePeople) }
    var reviewRate: Double { self.rows == 0 ? 0 : Double(self.review) / Double(self.rows) }

    /// `results`: (sheet row, status, citizen id) per list row; the truth file has `file,sheet,row,person,group,citizen_id,noise`.
    static func score(_ results: [(Int, String, String)], truth path: String, file: String) throws -> MatchQuality {
        var truth: [Int: String] = [:]
        let reader = try CSVReader(path: path)
        _ = try reader.next()
        while let row = try reader.next() {
            guard row[0].text == file else { continue }
            truth[Int(row[2].text) ?? -1] = row[5].text
        }
        var quality = MatchQuality()
        for (sheetRow, status, citizenID) in results {
            quality.rows += 1
            let expected = truth[sheetRow] ?? ""
            if !expected.isEmpty { quality.truePeople += 1 }
            switch status {
            case "matched", "corrected", "deceased":
                quality.automaticLinks += 1
                if citizenID == expected { quality.correctLinks += 1 } else { quality.wrongLinks += 1 }
            case "review": quality.review += 1
            case "not_found": quality.notFound += 1
            default: break
            }
        }
        return quality
    }
}
