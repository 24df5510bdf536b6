import Foundation
import Vapor
import ASXHCore

/// `asxh match --register R.csv --list L.(csv|xlsx) --out result.csv [--json]`: matches a department list against a
/// population-register extract, with no database. Writes `row,status,citizen_id,confidence,reasons` (row = the
/// list's STT, or its sheet row where STT is empty); rows the list parser refuses are written as `rejected`.
struct MatchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "register", help: "Population-register extract CSV")
        var register: String?
        @Option(name: "register-url", help: "The population register's HTTP service instead (docs/register-http.md); token in ASXH_REGISTER_TOKEN")
        var registerURL: String?
        @Option(name: "list", help: "Department list (.csv or .xlsx)")
        var list: String?
        @Option(name: "out", help: "Result CSV to write")
        var out: String?
        @Option(name: "sheet", help: "Sheet of an .xlsx list")
        var sheet: String?
        @Option(name: "map", help: "Column overrides, comma separated \"column=field\"")
        var map: String?
        @Flag(name: "json", help: "Print a machine-readable summary")
        var json: Bool
    }

    var help: String { "Match a list against the population register, without a database (đối chiếu danh sách với CSDL dân cư)." }

    struct Summary: Codable {
        var rows: Int
        var statuses: [String: Int]
        var seconds: [String: Double]
        var rows_per_second: Double
        var peak_memory_mib: Double
        var register_rows: Int
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let listPath = signature.list, let outPath = signature.out else {
            throw CommandFailure("Cần --list và --out / --list and --out are required")
        }
        let run = try await ListMatchRun(registerPath: signature.register, registerURL: signature.registerURL, listPath: listPath, sheet: signature.sheet,
                                         overrides: (signature.map ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        try run.write(to: outPath)
        let summary = run.summary
        if signature.json {
            try CommandSupport.printJSON(summary)
        } else {
            let statuses = summary.statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let phases = summary.seconds.sorted { $0.key < $1.key }.map { String(format: "%@ %.2f s", $0.key, $0.value) }.joined(separator: ", ")
            context.console.print("\(summary.rows) rows: \(statuses)")
            context.console.print(String(format: "%@; %.0f rows/s; peak memory %.0f MiB", phases, summary.rows_per_second, summary.peak_memory_mib))
        }
    }
}

/// One end-to-end match of a list file against a register file: load, index, read, match, write, timed by phase.
final class ListMatchRun {
    private(set) var seconds: [String: Double] = [:]
    private(set) var register: RegisterIndex
    private(set) var lines: [(row: String, sheetRow: Int, status: String, citizenID: String, confidence: String, reasons: String)] = []
    private(set) var decisions: [MatchDecision] = []
    private let started = Date()

    /// An extract is loaded before the list is read; the HTTP service is asked once the list's rows are known.
    init(registerPath: String?, registerURL: String? = nil, listPath: String, sheet: String?, overrides: [String]) async throws {
        var clock = Date()
        var seconds: [String: Double] = [:]
        func lap(_ phase: String) {
            seconds[phase] = Date().timeIntervalSince(clock)
            clock = Date()
        }
        let source = try CommandSupport.registerSource(path: registerPath, url: registerURL)
        self.register = try await source.index(for: [])
        lap("load_index")

        let intake: ListIntake
        do {
            intake = try ListIntake(path: listPath, sheet: sheet, overrides: overrides.filter { !$0.isEmpty })
        } catch {
            throw CommandFailure(error.description)
        }
        let sequenceColumn = intake.header.mappings(for: .sequence).first?.column.index
        var queries: [MatchQuery] = []
        var order: [(row: String, sheetRow: Int, query: Int?, rejection: String?)] = []
        while let outcome = try intake.next() {
            let raw = intake.lastRow!
            let stt = sequenceColumn.map { raw[$0].text.trimmingCharacters(in: .whitespaces) } ?? ""
            let label = stt.isEmpty ? String(raw.number) : stt
            switch outcome {
            case .skip: continue
            case .rejected(let problems):
                order.append((label, raw.number, nil, problems.map(\.code).joined(separator: ";")))
            case .person(let row):
                order.append((label, raw.number, queries.count, nil))
                queries.append(MatchQuery(listRow: row))
            }
        }
        lap("read_list")
        if case .service = source {
            self.register = try await source.index(for: queries)
            lap("register_service")
        }

        let matching = ProgressLine(title: "match")
        let total = queries.count
        self.decisions = MatchEngine.match(queries, register: self.register) { done in
            matching.draw(done: done, fraction: Double(done) / Double(max(1, total)), unit: "rows")
        }.decisions
        matching.finish()
        lap("match")
        self.seconds = seconds

        for entry in order {
            if let index = entry.query {
                let decision = self.decisions[index]
                self.lines.append((entry.row, entry.sheetRow, decision.status.rawValue, decision.citizenID ?? "",
                                   String(format: "%.4f", decision.confidence), MatchReason.joined(decision.reasons)))
            } else {
                self.lines.append((entry.row, entry.sheetRow, "rejected", "", "", entry.rejection ?? ""))
            }
        }
    }

    func write(to path: String) throws {
        let start = Date()
        let writer = try CSVWriter(path: path, lineEnding: .lf)
        try writer.write(row: ["row", "status", "citizen_id", "confidence", "reasons"])
        for line in self.lines {
            try writer.write(row: [line.row, line.status, line.citizenID, line.confidence, line.reasons])
        }
        try writer.close()
        self.seconds["write"] = Date().timeIntervalSince(start)
    }

    var summary: MatchCommand.Summary {
        let elapsed = Date().timeIntervalSince(self.started)
        var seconds = self.seconds
        seconds["total"] = elapsed
        return MatchCommand.Summary(
            rows: self.lines.count,
            statuses: Dictionary(grouping: self.lines, by: \.status).mapValues(\.count),
            seconds: seconds,
            rows_per_second: Double(self.lines.count) / elapsed,
            peak_memory_mib: Memory.peakMiB(),
            register_rows: self.register.count)
    }
}
