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
        @Argument(name: "what", help: "import")
        var what: String
        @Option(name: "rows", help: "List rows to generate (default 100,000)")
        var rows: Int?
        @Flag(name: "xlsx", help: "Generate the list as .xlsx instead of .csv")
        var xlsx: Bool
        @Option(name: "seed", help: "Generator seed (default 7)")
        var seed: UInt64?
    }

    var help: String { "Measure import speed (đo tốc độ nhập danh sách)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.what == "import" else { throw CommandFailure("bench: chỉ có / only: import") }
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

        var targets: [(String, DatabaseChoice)] = [("SQLite", .sqlite(path: folder.appendingPathComponent("bench-\(UUID().uuidString).sqlite").path))]
        if case .postgres(let url) = DatabaseChoice.detect() {
            targets.append(("PostgreSQL", .postgres(url: try await Self.freshPostgresDatabase(url, logger: context.application.logger))))
        }
        for (label, choice) in targets {
            let result = try await Self.importOnce(listPath: listPath, choice: choice, sheet: format == .xlsx ? DemoDataset.listSheetName : nil)
            console.print(String(format: "%@ %@: %d rows in %.2f s = %.0f rows/s; peak memory during import %.0f MiB (process peak %.0f MiB)",
                                 label, format.rawValue.uppercased(), result.summary.rows, result.seconds, Double(result.summary.rows) / result.seconds,
                                 result.importPeakMiB, result.processPeakMiB))
            if case .postgres(let url) = choice {
                if let copy = try Self.psqlCopy(listPath: listPath, url: url, folder: folder) {
                    console.print(String(format: "PostgreSQL psql \\copy of the same rows into a table like people: %.2f s = %.0f rows/s → asxh/copy = %.1f×",
                                         copy, Double(result.summary.imported) / copy, result.seconds / copy))
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
    static func freshPostgresDatabase(_ url: String, logger: Logger) async throws -> String {
        guard var components = URLComponents(string: url) else { throw CommandFailure("DATABASE_URL không hợp lệ / invalid") }
        let app = try await Application.make(.production)
        app.logger.logLevel = .warning
        try await configure(app, database: .postgres(url: url))
        let sql = app.db as! any SQLDatabase
        try await sql.raw("DROP DATABASE IF EXISTS asxh_bench").run()
        try await sql.raw("CREATE DATABASE asxh_bench").run()
        try await app.asyncShutdown()
        components.path = "/asxh_bench"
        return components.string!
    }

    /// Times `psql \copy` of the list's person rows into a plain table shaped like `people` (the floor for any importer).
    static func psqlCopy(listPath: String, url: String, folder: URL) throws -> Double? {
        let copyPath = folder.appendingPathComponent("copy-rows.csv").path
        let writer = try CSVWriter(path: copyPath, lineEnding: .lf)
        let intake = try ListIntake(path: listPath)
        while let outcome = try intake.next() {
            guard case .person(let row) = outcome else { continue }
            try writer.write(row: [row.fullName, row.foldedName, row.birthDate.map { String($0.year) } ?? "", row.gender?.rawValue ?? "",
                                   row.personalID?.digits ?? "", row.address ?? "", row.communeCode ?? "", row.policyGroup.rawValue,
                                   row.monthlyAmount.map(String.init) ?? ""])
        }
        try writer.close()
        let create = "DROP TABLE IF EXISTS copy_bench; CREATE TABLE copy_bench (full_name text, folded_name text, birth_year int, gender text, personal_id text, address text, commune_code text, policy_group text, monthly_amount bigint)"
        guard Self.psql(url, ["-c", create]) else { return nil }
        let start = Date()
        guard Self.psql(url, ["-c", "\\copy copy_bench FROM '\(copyPath)' WITH (FORMAT csv)"]) else { return nil }
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
