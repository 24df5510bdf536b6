import Fluent
import Foundation
import Vapor
import ASXHCore

/// `asxh verify --list ID|FILE-NAME (--register R.csv | --register-url URL) [--json]`: step 1 on an imported list,
/// inside the database.
struct VerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "list", help: "Imported list: its id, or its file name (the latest import of that name)")
        var list: String?
        @Option(name: "register", help: "Population-register extract CSV")
        var register: String?
        @Option(name: "register-url", help: "The population register's HTTP service (docs/register-http.md); token in ASXH_REGISTER_TOKEN")
        var registerURL: String?
        @Flag(name: "json", help: "Print a machine-readable summary")
        var json: Bool
    }

    var help: String { "Match an imported list against the population register and update cases (đối chiếu, làm sạch dữ liệu)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let listArgument = signature.list else {
            throw CommandFailure("Cần --list / --list is required")
        }
        let app = context.application
        try await app.autoMigrate()
        let list: SourceList?
        if let id = UUID(uuidString: listArgument) {
            list = try await SourceList.find(id, on: app.db)
        } else {
            list = try await SourceList.query(on: app.db).filter(\.$fileName == listArgument).sort(\.$importedAt, .descending).first()
        }
        guard let list, let listID = list.id else { throw CommandFailure("Không có danh sách / no imported list: \(listArgument)") }

        let register = try CommandSupport.registerSource(path: signature.register, url: signature.registerURL)
        let matching = ProgressLine(title: "match")
        let total = list.rowsImported
        guard let province = try await Campaign.current(on: app.db)?.province else {
            throw CommandFailure("Chưa đặt tỉnh cho đợt vận động / the campaign has no province: asxh campaign --province CODE --scheme S")
        }
        let summary = try await ListVerification(database: app.db).run(listID: listID, register: register, actor: User.commandLine(area: province)) { done in
            matching.draw(done: done, fraction: Double(done) / Double(max(1, total)), unit: "rows")
        }
        matching.finish()
        if signature.json {
            try CommandSupport.printJSON(summary)
        } else {
            let statuses = summary.statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            context.console.print("\(list.fileName): \(summary.rows) rows — \(statuses)")
            context.console.print("  corrected \(summary.corrected_people), merged \(summary.merged_people), deceased closed \(summary.closed_deceased), to review \(summary.review)")
        }
    }
}
