import Foundation

/// What `DemoDataset.write(to:)` produced.
public struct DemoSummary: Sendable {
    public struct ListFile: Sendable, Hashable {
        public let fileName: String
        public let group: PolicyGroup
        public let format: DemoFileFormat
        /// The sheet holding the rows ("" for CSV).
        public let sheet: String
        /// 1-based row number of the column header; data rows follow it.
        public let headerRow: Int
        public let rows: Int
    }

    public let lists: [ListFile]
    public let registerFileName: String
    public let registerRows: Int
    public let truthFileName: String
    /// List rows carrying each kind of noise.
    public let noiseCounts: [DemoNoiseKind: Int]
    /// Rows an import should reject (their noise includes a `bad…` kind).
    public let invalidRows: Int

    public var listRows: Int { self.lists.reduce(0) { $0 + $1.rows } }
}

extension DemoDataset {
    public static let registerFileName = "population-register.csv"
    public static let truthFileName = "ground-truth.csv"
    /// The ground truth's columns: one line per list row. `citizen_id` is empty when the person is not in the
    /// register; `noise` lists the `DemoNoiseKind` raw values joined by ";".
    public static let truthHeader = ["file", "sheet", "row", "person", "group", "citizen_id", "noise"]
    /// Name of the data sheet in XLSX lists (the first sheet).
    public static let listSheetName = "Danh sách"
    /// Name of the second sheet of XLSX lists: people and amounts per district.
    public static let summarySheetName = "Tổng hợp"

    /// Writes the lists, the register extract and the ground truth into `directory` (created if missing), in one
    /// streaming pass: memory stays flat whatever the sizes.
    @discardableResult
    public func write(to directory: URL) throws(DemoError) -> DemoSummary {
        do {
            return try self.writeFiles(to: directory)
        } catch let error as DemoError {
            throw error
        } catch {
            throw .writeFailed(path: directory.path, detail: "\(error)")
        }
    }

    private func writeFiles(to directory: URL) throws -> DemoSummary {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Specs that name the same file share it: one combined list for several groups.
        var files: [String: DemoListSink] = [:]
        var fileOrder: [(spec: DemoListSpec, sink: DemoListSink)] = []
        let sinks: [DemoListSink] = try self.config.lists.map { spec in
            if let sink = files[spec.fileName] { return sink }
            let path = directory.appendingPathComponent(spec.fileName).path
            let sink: DemoListSink
            switch spec.format {
            case .xlsx: sink = try DemoXLSXListSink(path: path, group: spec.group)
            case .csv: sink = try DemoCSVListSink(path: path, group: spec.group)
            }
            files[spec.fileName] = sink
            fileOrder.append((spec, sink))
            return sink
        }
        let register = try CSVWriter(path: directory.appendingPathComponent(Self.registerFileName).path, lineEnding: .lf)
        let truth = try CSVWriter(path: directory.appendingPathComponent(Self.truthFileName).path, lineEnding: .lf)
        try register.write(row: Self.registerHeader)
        try truth.write(row: Self.truthHeader)

        var noiseCounts: [DemoNoiseKind: Int] = [:]
        var invalidRows = 0
        var registerRows = 0
        var ids = DemoResidentIDs(seed: self.config.seed)

        func writeResident(_ resident: Resident, id: String?) throws {
            let id = id ?? ids.next(
                province: resident.province, female: resident.female, birthYear: resident.birthDay.year)
            let entity = self.config.people + ids.residents
            ids.residents += 1
            try register.write(row: self.registerRow(
                id: id, oldID: resident.hasOldID ? DemoIdentity.oldID(entity: entity, seed: self.config.seed) : nil,
                name: resident.fullName, birthDay: resident.birthDay, form: resident.registerBirth,
                female: resident.female, commune: resident.commune, house: resident.houseAddress,
                deathDay: resident.deathDay))
            registerRows += 1
        }

        func writeBeneficiary(_ index: Int) throws {
            let core = self.core(index)
            let flags = self.flags(index)
            for occurrence in core.entitlements.indices {
                guard let list = self.listIndex(for: core.entitlements[occurrence], person: index) else { continue }
                let sink = sinks[list]
                let row = self.listRow(
                    core: core, flags: flags, occurrence: occurrence, number: sink.rows + 1,
                    format: self.config.lists[list].format)
                let rowNumber = try sink.append(
                    row.cells, district: self.places.communes[core.listedCommune].districtFullName,
                    amount: core.entitlements[occurrence].monthlyAmount)
                for kind in row.noise { noiseCounts[kind, default: 0] += 1 }
                if row.noise.contains(where: \.makesRowInvalid) { invalidRows += 1 }
                try truth.write(row: [
                    self.config.lists[list].fileName, sink.sheet, String(rowNumber), String(index),
                    core.entitlements[occurrence].group.rawValue, flags.inRegister ? core.personalID : "",
                    row.noise.map(\.rawValue).joined(separator: ";"),
                ])
            }
            if flags.inRegister {
                try register.write(row: self.registerRow(
                    id: core.personalID, oldID: core.oldID, name: core.fullName, birthDay: core.birthDay,
                    form: core.registerBirth, female: core.female, commune: core.commune, house: core.houseAddress,
                    deathDay: core.deathDay))
                registerRows += 1
            }
            if flags.namesake { try writeResident(self.namesake(of: core), id: nil) }
            if let neighbour = self.neighbours[index] { try writeResident(self.neighbourResident(of: core), id: neighbour) }
        }

        // Commune by commune, beneficiaries spread evenly among the residents on no list.
        for commune in self.places.communes.indices {
            let beneficiaries = self.beneficiaryStarts[commune]..<self.beneficiaryStarts[commune + 1]
            let residents = self.residentStarts[commune]..<self.residentStarts[commune + 1]
            var next = beneficiaries.lowerBound
            for (position, number) in residents.enumerated() {
                while next < beneficiaries.upperBound
                    && (next - beneficiaries.lowerBound) * residents.count <= position * beneficiaries.count
                {
                    try writeBeneficiary(next)
                    next += 1
                }
                try writeResident(self.ordinaryResident(number, commune: commune), id: nil)
            }
            while next < beneficiaries.upperBound {
                try writeBeneficiary(next)
                next += 1
            }
        }

        var lists: [DemoSummary.ListFile] = []
        for (spec, sink) in fileOrder {
            try sink.close()
            lists.append(.init(fileName: spec.fileName, group: spec.group, format: spec.format, sheet: sink.sheet,
                               headerRow: sink.headerRow, rows: sink.rows))
        }
        try register.close()
        try truth.close()
        return DemoSummary(
            lists: lists, registerFileName: Self.registerFileName, registerRows: registerRows,
            truthFileName: Self.truthFileName, noiseCounts: noiseCounts, invalidRows: invalidRows)
    }
}

/// A department list being written: title rows, the header, then data rows.
class DemoListSink {
    let group: PolicyGroup
    private(set) var rows = 0
    /// Rows written so far, titles included.
    private(set) var fileRows = 0
    var sheet: String { "" }
    var headerRow: Int { 0 }

    init(group: PolicyGroup) {
        self.group = group
    }

    /// The rows above the data: the issuing bodies, the title and the header.
    var preamble: [[Cell]] {
        let width = DemoDataset.listHeader.count
        func line(_ left: String, _ right: String = "") -> [Cell] {
            var cells = [Cell](repeating: .empty, count: width)
            cells[0] = .text(left)
            if !right.isEmpty { cells[7] = .text(right) }
            return cells
        }
        return [
            line("UBND THÀNH PHỐ HÀ NỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            line("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Độc lập - Tự do - Hạnh phúc"),
            line(DemoPolicies.listTitle(self.group)),
            DemoDataset.listHeader.map { Cell.text($0) },
        ]
    }

    /// People and monthly total per district, in the order districts first appear.
    private(set) var districtTotals: [(district: String, people: Int, amount: Int)] = []
    private var districtIndex: [String: Int] = [:]

    /// Appends a data row and returns its 1-based row number in the file.
    func append(_ cells: [Cell], district: String, amount: Int) throws -> Int {
        try self.writeRow(cells)
        self.rows += 1
        if let index = self.districtIndex[district] {
            self.districtTotals[index].people += 1
            self.districtTotals[index].amount += amount
        } else {
            self.districtIndex[district] = self.districtTotals.count
            self.districtTotals.append((district, 1, amount))
        }
        return self.fileRows
    }

    func writeRow(_ cells: [Cell]) throws {
        self.fileRows += 1
    }

    func close() throws {}
}

/// XLSX lists: the title block and header, then rows with numbers, dates and text as the department's Excel has.
final class DemoXLSXListSink: DemoListSink {
    private let writer: XLSXWriter

    init(path: String, group: PolicyGroup) throws {
        self.writer = try XLSXWriter(path: path)
        super.init(group: group)
        try self.writer.addSheet(
            DemoDataset.listSheetName, columnWidths: [6, 28, 12, 8, 16, 48, 8, 16, 40, 14, 18, 14, 20],
            boldHeader: false, freezeHeader: false)
        for row in self.preamble { try self.writeRow(row) }
    }

    override var sheet: String { DemoDataset.listSheetName }
    override var headerRow: Int { 4 }

    override func writeRow(_ cells: [Cell]) throws {
        try self.writer.addRow(cells)
        try super.writeRow(cells)
    }

    /// A second sheet with the totals per district, as departments attach for the signature page.
    override func close() throws {
        try self.writer.addSheet(DemoDataset.summarySheetName, columnWidths: [6, 28, 14, 22])
        try self.writer.addRow(["STT", "Quận/Huyện", "Số đối tượng", "Tổng mức hưởng (VND)"])
        var people = 0
        var amount = 0
        for (number, total) in self.districtTotals.enumerated() {
            try self.writer.addRow([
                .number(Double(number + 1)), .text(total.district), .number(Double(total.people)),
                .number(Double(total.amount)),
            ])
            people += total.people
            amount += total.amount
        }
        try self.writer.addRow([.empty, .text("Tổng cộng"), .number(Double(people)), .number(Double(amount))])
        try self.writer.close()
    }
}

/// CSV lists as Excel saves them ("CSV UTF-8"): byte-order mark, CRLF, the title line above the header.
final class DemoCSVListSink: DemoListSink {
    private let writer: CSVWriter

    init(path: String, group: PolicyGroup) throws {
        self.writer = try CSVWriter(path: path, byteOrderMark: true)
        super.init(group: group)
        let preamble = self.preamble
        try self.writeRow(preamble[2])
        try self.writeRow(preamble[3])
    }

    override var headerRow: Int { 2 }

    override func writeRow(_ cells: [Cell]) throws {
        try self.writer.write(row: cells.map(\.text))
        try super.writeRow(cells)
    }

    override func close() throws {
        try self.writer.close()
    }
}
