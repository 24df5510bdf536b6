import Foundation
import Vapor
import ASXHCore

/// `asxh generate --out DIR [--people N] [--register M] [--seed S] [--single-list csv|xlsx]`: writes the synthetic
/// department lists, population-register extract and ground truth, without touching any database (benchmarks,
/// the matching-quality comparison in bench/, and anyone who wants realistic test files).
struct GenerateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "out", help: "Output folder")
        var out: String?
        @Option(name: "people", help: "Beneficiaries (default 20,000)")
        var people: Int?
        @Option(name: "register", help: "Rows of the population-register extract (default 5 × people)")
        var register: Int?
        @Option(name: "seed", help: "Seed (default 1)")
        var seed: UInt64?
        @Option(name: "single-list", help: "Write every beneficiary to one list in this format (csv or xlsx) instead of one per group")
        var singleList: String?
    }

    var help: String { "Write synthetic lists, register extract and ground truth (tạo dữ liệu mẫu, không cần CSDL)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let out = signature.out else { throw CommandFailure("--out là bắt buộc / --out is required") }
        var config = DemoConfig(seed: signature.seed ?? 1, people: signature.people ?? 20_000, registerSize: signature.register)
        if let format = signature.singleList {
            guard let format = DemoFileFormat(rawValue: format) else { throw CommandFailure("--single-list: csv | xlsx") }
            config.lists = PolicyGroup.allCases.map { DemoListSpec(group: $0, format: format, fileName: "danh-sach.\(format.rawValue)") }
        }
        let started = Date()
        let summary = try DemoDataset.generate(config).write(to: URL(fileURLWithPath: out))
        context.console.print(String(format: "%d list rows in %d file(s), %d register rows, ground truth in %@ (%.1f s)",
                                     summary.listRows, Set(summary.lists.map(\.fileName)).count, summary.registerRows,
                                     DemoDataset.truthFileName, Date().timeIntervalSince(started)))
    }
}
