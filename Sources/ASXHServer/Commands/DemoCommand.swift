import Fluent
import Foundation
import SQLKit
import Vapor
import ASXHCore

/// `asxh demo [--seed 1] [--people 20000] [--port 8080] [--out demo-data] [--no-serve]`:
/// a realistic synthetic Hanoi data set, imported, with one user per role, served on http://127.0.0.1:PORT.
/// Running it again on the same database is safe: lists already imported are recognised, users are kept.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "seed", help: "Seed of the generator (same seed, same data)")
        var seed: UInt64?
        @Option(name: "people", help: "Number of beneficiaries (default 20,000)")
        var people: Int?
        @Option(name: "port", help: "Port to serve on (default 8080)")
        var port: Int?
        @Option(name: "out", help: "Folder for the generated lists, register extract and ground truth (default ./demo-data)")
        var out: String?
        @Flag(name: "no-serve", help: "Prepare the data and users, then exit")
        var noServe: Bool
    }

    var help: String { "Generate, import and serve a synthetic Hanoi data set (dữ liệu mẫu)." }

    static let password = "demo-asxh-2025"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let console = context.console
        try await app.autoMigrate()

        let config = DemoConfig(seed: signature.seed ?? 1, people: signature.people ?? 20_000)
        let folder = URL(fileURLWithPath: signature.out ?? "demo-data")
        console.print("Tạo dữ liệu mẫu / generating \(config.people) beneficiaries (seed \(config.seed)) → \(folder.path)")
        let started = Date()
        let summary = try DemoDataset.generate(config).write(to: folder)
        console.print(String(format: "  %d list rows in %d files, register extract %d rows, %.1f s", summary.listRows, summary.lists.count, summary.registerRows, Date().timeIntervalSince(started)))

        let city = try await Self.user(app, "so.ldtbxh", "Sở LĐTBXH Hà Nội", .cityOfficer, .hanoi)
        for list in summary.lists {
            let bar = ProgressLine(title: list.fileName)
            let options = ListImportOptions(fileName: list.fileName, sheet: list.format == .xlsx ? list.sheet : nil, actor: city)
            let result = try await ListImporter(database: app.db).run(path: folder.appendingPathComponent(list.fileName).path, options: options) { bar.update($0) }
            bar.finish()
            console.print(result.duplicate_file
                ? "  \(list.fileName): đã nhập trước đây / already imported"
                : "  \(list.fileName): \(result.imported) imported, \(result.rejected) rejected, \(result.new_people) new people")
        }

        // The commune with the most beneficiaries gets the commune-level demo users.
        let busiest = try await (app.db as! any SQLDatabase).raw("""
            SELECT commune_code, district_code FROM people WHERE commune_code IS NOT NULL
            GROUP BY commune_code, district_code ORDER BY COUNT(*) DESC, commune_code LIMIT 1
            """).first(decoding: Busiest.self)
        let commune = Area(scheme: .before2025, level: .commune, code: busiest?.commune_code ?? "00001")
        let district = Area(scheme: .before2025, level: .district, code: busiest?.district_code ?? "001")
        let communeName = AdministrativeUnits.shared.unit(commune.code, scheme: .before2025, level: .commune)?.fullName ?? commune.code
        let users: [(String, String, Role, Area)] = [
            ("so.ldtbxh", "Sở LĐTBXH Hà Nội", .cityOfficer, .hanoi),
            ("so.ketoan", "Kế toán Sở LĐTBXH (người duyệt)", .cityOfficer, .hanoi),
            ("quan.canbo", "Cán bộ quận", .districtOfficer, district),
            ("xa.congan", "Công an \(communeName)", .communePolice, commune),
            ("xa.ldtbxh", "Cán bộ LĐTBXH \(communeName)", .communeLabourOfficer, commune),
            ("xa.totruong", "Tổ công tác \(communeName)", .workingGroupMember, commune),
            ("xa.chutich", "Chủ tịch UBND \(communeName)", .communeChair, commune),
            ("kiemtoan", "Kiểm toán", .auditor, .hanoi),
            ("quantri", "Quản trị hệ thống", .administrator, .hanoi),
        ]
        console.print("\nTài khoản mẫu / demo log-ins (mật khẩu / password: \(Self.password)):")
        for (username, name, role, area) in users {
            _ = try await Self.user(app, username, name, role, area)
            console.print("  \(username.padding(toLength: 12, withPad: " ", startingAt: 0)) \(role.englishName) · \(area.description)")
        }
        console.print("\nCông tác thực địa / field work (steps 2–4):")
        try await DemoFieldwork.run(app, lists: summary.lists.map(\.fileName), registerPath: folder.appendingPathComponent(summary.registerFileName).path, home: commune,
                                    seed: config.seed, today: app.now(), console: console)
        console.print("\nTài khoản và chi trả / accounts and payment (step 5):")
        try await DemoPayments.run(app, home: commune, folder: folder, today: app.now(), console: console)
        guard !signature.noServe else { return }
        let port = signature.port ?? 8080
        console.print("\nMở / open http://127.0.0.1:\(port)  (Ctrl-C để dừng / to stop)")
        // The demo is served on plain HTTP on loopback: cookies marked Secure would not come back from every browser.
        app.sessionPolicy.secureCookies = false
        var serve = context
        serve.input = CommandInput(arguments: ["asxh", "--hostname", "127.0.0.1", "--port", String(port)])
        try await app.asyncCommands.commands["serve"]!.run(using: &serve)
    }

    private struct Busiest: Decodable {
        var commune_code: String
        var district_code: String?
    }

    /// The demo user, created once.
    private static func user(_ app: Application, _ username: String, _ name: String, _ role: Role, _ area: Area) async throws -> User {
        if let existing = try await User.query(on: app.db).filter(\.$username == username).first() { return existing }
        return try await UserAccounts.create(username: username, password: Self.password, role: role, area: area, displayName: name, by: nil, on: app.db)
    }
}
