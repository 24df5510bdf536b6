import Foundation

@testable import ASXHCore

/// The demo generator's files as the matcher's test bed: the register extract read by `RegisterIndex.load`,
/// the department lists read by `ListIntake`, each row scored against the demo's ground truth.
struct MatchingDemoBed {
    struct Row {
        var file: String
        var query: MatchQuery
        var citizenID: String?
        var deceased: Bool
        var noise: [String]
    }

    let register: RegisterIndex
    let rows: [Row]
    let directory: URL

    init(seed: UInt64, people: Int, configure: (inout DemoConfig) -> Void = { _ in }) throws {
        var config = DemoConfig(seed: seed, people: people)
        configure(&config)
        let dataset = try DemoDataset.generate(config)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("asxh-matching-demo-\(seed)-\(UInt64.random(in: 0..<UInt64.max))")
        let summary = try dataset.write(to: directory)
        self.directory = directory
        self.register = try RegisterIndex.load(contentsOf: directory.appendingPathComponent(summary.registerFileName))

        var truth: [String: (citizenID: String, noise: [String])] = [:]
        let truthRows = try TabularFile.open(path: directory.appendingPathComponent(summary.truthFileName).path).rows().readAll()
        for row in truthRows.dropFirst() {
            truth["\(row[0].text)#\(row[2].text)"] = (row[5].text, row[6].text.split(separator: ";").map(String.init))
        }
        var rows: [Row] = []
        for list in summary.lists {
            let intake = try ListIntake(path: directory.appendingPathComponent(list.fileName).path)
            while let outcome = try intake.next() {
                guard case .person(let listRow) = outcome, let t = truth["\(list.fileName)#\(listRow.rowNumber)"] else { continue }
                var query = MatchQuery(listRow: listRow)
                query.row = rows.count + 1
                rows.append(Row(
                    file: list.fileName, query: query, citizenID: t.citizenID.isEmpty ? nil : t.citizenID,
                    deceased: t.noise.contains("deceasedInRegister"), noise: t.noise))
            }
        }
        self.rows = rows
    }

    var queries: [MatchQuery] { self.rows.map(\.query) }
    var truth: [MatchingPopulation.Truth] {
        self.rows.map { MatchingPopulation.Truth(citizenID: $0.citizenID, deceased: $0.deceased, noise: $0.noise) }
    }

    func removeFiles() {
        try? FileManager.default.removeItem(at: self.directory)
    }
}
