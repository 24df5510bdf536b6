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

    /// One line of JSON with sorted keys on standard output (progress stays on standard error).
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
