import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

/// `asxh vietqr`, `asxh pay` and `asxh sync`, run as the real executable against a database file.
@Suite("asxh vietqr, pay, sync: the command line")
struct PayCommandTests {
    struct Run {
        var status: Int32
        var stdout: Data
    }

    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ImportDurabilityTests.executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        process.environment = environment
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: data)
    }

    @Test("vietqr parse gives the vector's fields and fails on a bad CRC; make gives the vector back")
    func vietQR() throws {
        let vector = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN62150811Chuyen tien6304BBB8"
        let parsed = try Self.run(["vietqr", "parse", vector, "--json"])
        #expect(parsed.status == 0)
        let fields = try JSONSerialization.jsonObject(with: parsed.stdout) as? [String: Any]
        #expect(fields?["bin"] as? String == "970416" && fields?["account"] as? String == "257678859" && fields?["service"] as? String == "QRIBFTTA")
        #expect(fields?["amount"] as? Int == 1000 && fields?["message"] as? String == "Chuyen tien")
        #expect(try Self.run(["vietqr", "parse", String(vector.dropLast(4)) + "bbb9", "--json"]).status != 0)
        #expect(try Self.run(["vietqr", "parse", String(vector.dropLast(4)) + "bbb8", "--json"]).status == 0, "the CRC is read case-insensitively")
        let made = try Self.run(["vietqr", "make", "--bin", "970416", "--account", "257678859", "--amount", "1000", "--message", "Chuyển tiền", "--json"])
        #expect(try JSONDecoder().decode([String: String].self, from: made.stdout)["payload"] == vector)
    }

    @Test("pay batch makes a draft, approve needs a second officer, batch writes the files, reconcile applies a result once; sync export")
    func payRun() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-pay-\(UUID().uuidString).sqlite").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-pay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(at: out) }
        let app = try await Application.make(.testing)
        do {
            try await configure(app, database: .sqlite(path: path))
            try await app.autoMigrate()
            let setup = try await PaymentServerTests.setUp(app)
            _ = try await PaymentServerTests.record(setup.police, setup.people[0], bank: "VCB", number: "0011002345678", holder: setup.people[0].fullName)
            _ = try await PaymentServerTests.record(setup.police, setup.people[1], bank: "ACB", number: "257678859", holder: setup.people[1].fullName)
            #expect(try await setup.city.request(.POST, "/payments/programs", form: ["name": "Quà Tết", "kind": "gift", "amount_meritorious": "1000000",
                                                                                     "amount_socialProtection": "500000"]).status == .seeOther)
            let program = try #require(try await PaymentProgram.query(on: app.db).first())
            #expect(try await setup.city.request(.POST, "/payments/cycles", form: ["programID": program.id!.uuidString, "name": "tet-2024",
                                                                                   "payOn": "2024-02-01", "cashDeadline": "2024-02-08"]).status == .seeOther)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()

        let common = ["--db", path, "--json"]
        struct Made: Decodable { var status: String; var batch: UUID; var count: Int; var sum: Int64; var manifest: PaymentFiles.Manifest? }
        let draft = try JSONDecoder().decode(Made.self, from: try Self.run(["pay", "batch", "--cycle", "tet-2024", "--out", out.path, "--as", "so.lap"] + common).stdout)
        #expect(draft.status == "draft" && draft.count == 6 && draft.manifest == nil)
        #expect(try Self.run(["pay", "approve", "--batch", draft.batch.uuidString, "--as", "so.lap"] + common).status != 0, "the maker cannot approve")
        #expect(try Self.run(["pay", "approve", "--batch", draft.batch.uuidString, "--as", "so.duyet"] + common).status == 0)
        let written = try JSONDecoder().decode(Made.self, from: try Self.run(["pay", "batch", "--cycle", "tet-2024", "--out", out.path, "--as", "so.duyet"] + common).stdout)
        let manifest = try #require(written.manifest)
        #expect(written.status == "written" && manifest.transfers.count == 2 && manifest.batch.sum == written.sum)
        let xml = try #require(manifest.files.first { $0.kind == "pain.001" && $0.bin == "970436" })
        // A directory of results: the bank's file and a copy of it under another name, imported together.
        let inbox = out.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        #expect(try Self.run(["pay", "reconcile", inbox.path, "--as", "so.duyet"] + common).status != 0, "an empty directory is an error, not nothing")
        let result = inbox.appendingPathComponent("result.xml").path
        try BankSimulator(rejectEvery: 1).respond(toPain001At: out.appendingPathComponent(xml.name).path, writingTo: result, messageID: "VCB-1", createdAt: Date())
        try FileManager.default.copyItem(atPath: result, toPath: inbox.appendingPathComponent("result-copy.xml").path)
        let both = try JSONDecoder().decode([PaymentResults.Summary].self, from: try Self.run(["pay", "reconcile", inbox.path, "--as", "so.duyet"] + common).stdout)
        #expect(both.count == 2 && both.filter(\.alreadyImported).count == 1, "the same file twice at once is imported once")
        let applied = try #require(both.first { !$0.alreadyImported })
        #expect(applied.recorded == xml.count && applied.movedToCash == xml.count && applied.difference == .zero)
        let again = try JSONDecoder().decode(PaymentResults.Summary.self, from: try Self.run(["pay", "reconcile", result, "--as", "so.duyet"] + common).stdout)
        #expect(again.alreadyImported)

        let synced = try JSONDecoder().decode(AccountSync.Manifest.self, from: try Self.run(["sync", "export", "--out", out.path, "--as", "cong.an"] + common).stdout)
        #expect(synced.sequence == 1 && synced.new == 2 && FileManager.default.fileExists(atPath: out.appendingPathComponent("sync-00001.csv").path))
        let nothing = try Self.run(["sync", "export", "--out", out.path, "--as", "cong.an"] + common)
        #expect(String(decoding: nothing.stdout, as: UTF8.self).contains("nothing_changed"))
    }
}
