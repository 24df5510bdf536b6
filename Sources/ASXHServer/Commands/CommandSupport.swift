import Foundation
import ASXHCore

/// Pieces every command shares: the register extract with its progress bar, and `--json` output.
enum CommandSupport {
    /// Loads a population-register extract, drawing a progress bar on standard error.
    static func loadRegister(_ path: String) throws -> RegisterIndex {
        let bar = ProgressLine(title: "register")
        defer { bar.finish() }
        do {
            return try RegisterIndex.load(contentsOf: URL(fileURLWithPath: path)) { progress in
                bar.draw(done: progress.rows, fraction: progress.totalBytes > 0 ? Double(progress.bytesRead) / Double(progress.totalBytes) : nil, unit: "rows")
            }
        } catch {
            throw CommandFailure("\(error.code): \(error.messageVI) / \(error.messageEN)")
        }
    }

    /// The register a command matches against: `--register FILE` (an extract) or `--register-url URL` (the HTTP
    /// service; bearer token from `ASXH_REGISTER_TOKEN`), exactly one of them.
    static func registerSource(path: String?, url: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RegisterSource {
        switch (path, url) {
        case (let path?, nil):
            return .extract(try self.loadRegister(path))
        case (nil, let url?):
            guard let baseURL = URL(string: url) else { throw CommandFailure("--register-url không hợp lệ / is not a URL") }
            do {
                let configuration = HTTPPopulationRegister.Configuration(baseURL: baseURL, token: environment["ASXH_REGISTER_TOKEN"])
                return .service(try HTTPPopulationRegister(configuration: configuration) { line in
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                })
            } catch {
                throw CommandFailure("--register-url: \(error)")
            }
        default:
            throw CommandFailure("Cần đúng một trong --register FILE hoặc --register-url URL / exactly one of --register FILE or --register-url URL is required")
        }
    }

    /// One line of JSON with sorted keys on standard output (progress stays on standard error).
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
