import Foundation
import Testing
@testable import ASXHServer
import ASXHCore

/// The file contract of `asxh match`, run as the real executable (no database involved).
@Suite("asxh match: CSV contract")
struct MatchCommandTests {
    @Test("writes row,status,citizen_id,confidence,reasons for every list row, with STT as row and known reason codes")
    func csvContract() throws {
        // setup
        let (listPath, registerPath) = try VerificationTests.files()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-match-\(UUID().uuidString).csv").path
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-match-\(UUID().uuidString).sqlite").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ImportDurabilityTests.executable)
        process.arguments = ["match", "--register", registerPath, "--list", listPath, "--out", out, "--json", "--db", db]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil  // the command needs no database at all
        process.environment = environment
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        // MUT
        try process.run()
        let json = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // validate
        #expect(process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: db), "asxh match must not create a database")
        let summary = try JSONDecoder().decode(MatchCommand.Summary.self, from: json)
        let rows = try CSVReader(path: out).readAll().map { $0.cells.map(\.text) }
        #expect(rows.first == ["row", "status", "citizen_id", "confidence", "reasons"])
        let body = rows.dropFirst()
        #expect(body.count == summary.rows)
        let known = Set(MatchStatus.allCases.map(\.rawValue) + ["rejected"])
        let reasonCodes = Set(MatchReason.allCases.map(\.rawValue))
        for row in body {
            #expect(row.count == 5)
            #expect(known.contains(row[1]), "unknown status \(row[1])")
            if MatchStatus(rawValue: row[1])?.isAutomaticLink == true {
                #expect(row[2].count == 12 && row[2].allSatisfy(\.isNumber))
                #expect(Double(row[3]).map { $0 > 0 && $0 <= 1 } == true)
            }
            if MatchStatus(rawValue: row[1]) != nil {
                for code in row[4].split(separator: ";") { #expect(reasonCodes.contains(String(code)), "unknown reason \(code)") }
            }
        }
        // the hand-made rows, by their STT
        let byRow = Dictionary(body.map { ($0[0], $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byRow["9001"]?[1] == "matched" && byRow["9001"]?[2] == "001040900001")
        #expect(byRow["9001"]?[4].split(separator: ";").contains("id_exact") == true)
        #expect(byRow["9003"]?[1] == "deceased")
        #expect(byRow["9004"]?[1] == "review")
        #expect(byRow["9004"]?[2] == "")
        #expect(byRow["9005"]?[1] == "not_found")
    }

    @Test("the register is an extract or the HTTP service, exactly one; an insecure or malformed URL is refused")
    func registerSourceChoice() throws {
        #expect(throws: CommandFailure.self) { try CommandSupport.registerSource(path: nil, url: nil) }
        #expect(throws: CommandFailure.self) { try CommandSupport.registerSource(path: "r.csv", url: "https://register.example/api") }
        #expect(throws: CommandFailure.self) { try CommandSupport.registerSource(path: nil, url: "http://register.example/api") }  // plain HTTP off this machine
        guard case .service(let service) = try CommandSupport.registerSource(path: nil, url: "https://register.example/api",
                                                                             environment: ["ASXH_REGISTER_TOKEN": "t0ken"]) else {
            Issue.record("a URL gives the HTTP service")
            return
        }
        #expect(service.configuration.token == "t0ken" && service.configuration.baseURL.host == "register.example")
    }
}
