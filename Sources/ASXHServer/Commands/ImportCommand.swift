import Fluent
import Foundation
import Vapor
import ASXHCore

/// `asxh import FILE [--sheet NAME] [--group G] [--map "F=personalID,G=address"] [--scheme before2025|since2025] [--area A] [--json]`
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A department list, .xlsx or .csv")
        var file: String
        @Option(name: "sheet", help: "Sheet name (default: the first sheet with a recognisable header)")
        var sheet: String?
        @Option(name: "group", help: "Policy group for the whole file: socialProtection | meritorious | poorHousehold | nearPoorHousehold | other (or Vietnamese)")
        var group: String?
        @Option(name: "map", help: "Column overrides, comma separated: \"column=field\" (column = header text or letter)")
        var map: String?
        @Option(name: "scheme", help: "Administrative scheme of the file's commune codes: before2025 | since2025 (default: the campaign's)")
        var scheme: String?
        @Option(name: "area", help: "Area the list belongs to (default: the campaign's province, e.g. before2025:province:01)")
        var area: String?
        @Flag(name: "json", help: "Print a machine-readable summary")
        var json: Bool
    }

    var help: String { "Import a department beneficiary list (nhập danh sách đối tượng)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        var defaultGroup: PolicyGroup?
        if let group = signature.group {
            guard let parsed = PolicyGroup(rawValue: group) ?? PolicyGroup(parsing: group) else {
                throw CommandFailure("Nhóm đối tượng không rõ / unknown policy group: \(group)")
            }
            defaultGroup = parsed
        }
        // Defaults follow the current campaign: its whole province, its scheme.
        let province = try await Campaign.current(on: app.db)?.province
        guard let area = signature.area.map(Area.init) ?? province else {
            throw CommandFailure("--area không hợp lệ / is invalid: \(signature.area ?? "") (scheme:level:code, e.g. before2025:province:01)")
        }
        guard let scheme = signature.scheme.map(AdministrativeScheme.init(rawValue:)) ?? province?.scheme else {
            throw CommandFailure("--scheme phải là before2025 hoặc since2025 / must be before2025 or since2025")
        }
        let options = ListImportOptions(
            fileName: URL(fileURLWithPath: signature.file).lastPathComponent,
            sheet: signature.sheet,
            defaultGroup: defaultGroup,
            columnOverrides: (signature.map ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            scheme: scheme,
            actor: User.commandLine(area: area)
        )
        let bar = ProgressLine(title: options.fileName)
        let summary: ListImportSummary
        do {
            summary = try await ListImporter(database: app.db).run(path: signature.file, options: options) { bar.update($0) }
        } catch let error as ListImportError {
            bar.finish()
            throw CommandFailure(error.description)
        }
        bar.finish()
        if signature.json {
            try CommandSupport.printJSON(summary)
        } else if summary.duplicate_file {
            context.console.print("Tệp đã được nhập trước đây (cùng SHA-256), không ghi gì thêm / already imported (same SHA-256), nothing written: list \(summary.list_id?.uuidString ?? "")")
        } else {
            context.console.print("""
                Danh sách / list \(summary.list_id?.uuidString ?? "")
                  dòng / rows: \(summary.rows)   đã nhập / imported: \(summary.imported)   từ chối / rejected: \(summary.rejected)   bỏ qua / skipped: \(summary.skipped)
                  người mới / new people: \(summary.new_people)   chế độ mới / new enrolments: \(summary.new_enrolments)
                """)
        }
    }
}

extension User {
    /// The actor for writes made from the command line: audited as "cli:<login name>", never stored as a user.
    static func commandLine(area: Area) -> User {
        let name = ProcessInfo.processInfo.environment["USER"] ?? "root"
        return User(username: "cli:\(name)", displayName: "Command line (\(name))", passwordHash: "", role: .administrator, area: area)
    }
}

/// A one-line progress bar on standard error (standard output stays clean for `--json`).
final class ProgressLine: @unchecked Sendable {
    private let title: String
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private let interactive = isatty(STDERR_FILENO) != 0

    init(title: String) { self.title = title }

    func update(_ progress: ImportProgress) {
        self.draw(done: progress.rowsRead, fraction: progress.fraction, unit: "rows")
    }

    func draw(done: Int, fraction: Double?, unit: String) {
        self.lock.lock(); defer { self.lock.unlock() }
        guard Date().timeIntervalSince(self.lastDraw) > 0.2 else { return }
        self.lastDraw = Date()
        let width = 30
        let filled = Int((fraction ?? 0) * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let percent = fraction.map { String(format: "%3.0f%%", $0 * 100) } ?? "  … "
        let line = "\(self.title) [\(bar)] \(percent) \(done) \(unit)"
        FileHandle.standardError.write(Data((self.interactive ? "\r\(line)" : "\(line)\n").utf8))
    }

    func finish() {
        if self.interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
