import Crypto
import Fluent
import Foundation
import SQLKit
import ASXHCore

/// What an import is asked to do.
struct ListImportOptions: Sendable {
    var fileName: String
    var sheet: String?
    var defaultGroup: PolicyGroup?
    /// `--map` overrides, "column=field" (column = header text or letter).
    var columnOverrides: [String] = []
    /// Which administrative map the file's commune codes follow.
    var scheme: AdministrativeScheme = .before2025
    var actor: User
}

/// The outcome of one import, as `--json` prints it.
struct ListImportSummary: Codable, Sendable {
    var list_id: UUID?
    var rows: Int
    var imported: Int
    var rejected: Int
    var skipped: Int
    var new_people: Int
    var new_enrolments: Int
    var duplicate_file: Bool
    var sha256: String
    var sheet: String?
}

/// A whole file that cannot be imported: nothing is written.
struct ListImportError: Error, CustomStringConvertible {
    var code: String
    var messageVI: String
    var messageEN: String
    var description: String { "\(self.code): \(self.messageVI) / \(self.messageEN)" }
}

/// Imports one department list: stream rows, parse them (ASXHCore), recognise known people, and write people,
/// enrolments, campaign cases and the rejection report in batches, all in ONE transaction with the list record,
/// so a process that dies mid-way leaves nothing behind and a re-import of the same bytes is a no-op.
struct ListImporter: Sendable {
    let database: any Database
    /// Rows per batch: larger batches mean fewer statements and reference checks; per million rows on PostgreSQL,
    /// 5,000 took 26.5 s, 20,000 took 23 s, 50,000 took 24.6 s (and 200 MiB). About 80 MiB are in flight.
    var batchSize = 20_000
    /// More rows than any province's list: past it the file is refused whole (nothing is written).
    var maxRows = 2_000_000

    func run(path: String, options: ListImportOptions, progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ListImportSummary {
        let (sha, lineCount) = try Self.fingerprint(path: path)
        let fraction: @Sendable (Int) -> Double? = { rows in lineCount.map { min(1, Double(rows) / Double(max(1, $0))) } }
        if let duplicate = try await self.duplicate(sha: sha, actor: options.actor) { return duplicate }
        let intake: ListIntake
        do {
            intake = try ListIntake(path: path, sheet: options.sheet, overrides: options.columnOverrides, defaultGroup: options.defaultGroup)
        } catch {
            throw ListImportError(code: error.code, messageVI: error.messageVI, messageEN: error.messageEN)
        }
        let area = AreaCheck(importer: options.actor.area, scheme: options.scheme,
                             communeColumn: intake.header.mappings(for: .communeCode).first?.column)

        do {
            return try await self.write(intake, sha: sha, area: area, options: options, fraction: fraction, progress: progress)
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The same bytes imported at the same moment by someone else: theirs committed first, this one is a no-op.
            if let duplicate = try await self.duplicate(sha: sha, actor: options.actor) { return duplicate }
            throw error
        }
    }

    /// The summary of an earlier import of the same bytes. Its list is named only to those who may see it:
    /// the importer learns that the file is known, which they hold anyway, and nothing of another area's list.
    private func duplicate(sha: String, actor: User) async throws -> ListImportSummary? {
        guard let existing = try await SourceList.query(on: self.database).filter(\.$sha256 == sha).first() else { return nil }
        let visible = try await SourceList.query(on: self.database).visible(to: actor).filter(\.$id == existing.requireID()).count() > 0
        return ListImportSummary(list_id: visible ? existing.id : nil, rows: visible ? existing.rowsTotal : 0, imported: 0, rejected: 0, skipped: 0,
                                 new_people: 0, new_enrolments: 0, duplicate_file: true, sha256: sha, sheet: visible ? existing.sheet : nil)
    }

    private func write(_ intake: ListIntake, sha: String, area: AreaCheck, options: ListImportOptions, fraction: @escaping @Sendable (Int) -> Double?,
                       progress: @escaping @Sendable (ImportProgress) -> Void) async throws -> ListImportSummary {
        try await self.database.writeTransaction { db in
            let sql = db as! any SQLDatabase
            switch sql.dialect.name {
            case "sqlite":
                // A 256 MiB page cache for this connection: index pages of a large import stay in memory.
                try await sql.raw("PRAGMA cache_size = -262144").run()
            case "postgresql":
                // Rows written earlier in this transaction are invisible to the planner's statistics, so it would
                // scan the whole table for every batch's look-up of known people; the indexes are always right here.
                try await sql.raw("SET LOCAL enable_seqscan = off").run()
            default:
                break
            }
            let list = SourceList()
            list.id = UUID()
            list.fileName = options.fileName
            list.sha256 = sha
            list.sheet = intake.sheet
            list.defaultGroup = options.defaultGroup?.rawValue
            list.rowsTotal = 0; list.rowsImported = 0; list.rowsRejected = 0; list.rowsSkipped = 0
            list.newPeople = 0; list.newEnrolments = 0
            list.$uploadedBy.id = options.actor.id
            // The list's row is the transaction's first write, before any read: on SQLite a transaction that read
            // first cannot wait for another import's write lock (it fails "database is locked"); this one waits,
            // then meets that import's list in the unique index and reports a duplicate file.
            try await list.create(on: db)
            let listID = try list.requireID()
            let campaignID = try await Campaign.current(on: db)?.requireID()

            var writer = BatchWriter(database: db, listID: listID, campaignID: campaignID, area: options.actor.area)
            var rowsRead = 0
            // Parse the next batch while the database writes this one: on 2 cores the two overlap.
            var current = try Self.parseBatch(intake, area: area, size: self.batchSize)
            while true {
                let more = !current.finished
                async let upcoming = more ? Self.parseBatch(intake, area: area, size: self.batchSize) : nil
                for problems in current.rejections { writer.reject(problems) }
                try await writer.write(current.rows)
                // Rejections go out a batch's worth at a time: a file of bad rows must not grow memory either.
                try await writer.flushRejections(ifAtLeast: self.batchSize)
                rowsRead += current.read
                if rowsRead > self.maxRows {
                    throw ListImportError(code: "too_many_rows", messageVI: "Tệp có hơn \(self.maxRows) dòng; hãy chia thành nhiều tệp. Không dòng nào được ghi.",
                                          messageEN: "The file has more than \(self.maxRows) rows; split it into several files. Nothing was written.")
                }
                list.rowsRejected += current.rejections.count
                list.rowsSkipped += current.skipped
                progress(ImportProgress(rowsRead: rowsRead, fraction: fraction(rowsRead)))
                guard let next = try await upcoming else { break }
                current = next
            }
            try await writer.flushRejections()

            list.rowsTotal = rowsRead
            list.rowsRejected += writer.rejectedRows
            list.rowsImported = writer.enrolments
            list.newPeople = writer.newPeople
            list.newEnrolments = writer.enrolments
            try await list.save(on: db)
            let summary = ListImportSummary(list_id: listID, rows: rowsRead, imported: writer.enrolments, rejected: list.rowsRejected,
                                            skipped: list.rowsSkipped, new_people: writer.newPeople, new_enrolments: writer.enrolments,
                                            duplicate_file: false, sha256: sha, sheet: intake.sheet)
            try await Audit.record(on: db, actor: options.actor, action: "list.import", entityType: "source_list", entityID: listID.uuidString, after: summary)
            progress(ImportProgress(rowsRead: rowsRead, fraction: 1))
            return summary
        }
    }

    /// The file's SHA-256 (re-imports of the same bytes are no-ops) and, for text files, its line count,
    /// which the progress line uses as the expected number of rows (an .xlsx has no cheap row count).
    static func fingerprint(path: String) throws -> (sha256: String, lines: Int?) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ListImportError(code: "file_unreadable", messageVI: "Không đọc được tệp đã tải lên.", messageEN: "Cannot read the uploaded file.")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var lines = 0
        var isZip: Bool?
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            isZip = isZip ?? chunk.starts(with: [0x50, 0x4B])
            lines += chunk.withUnsafeBytes { $0.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 } }
        }
        let sha = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return (sha, isZip == true ? nil : lines + 1)
    }

    /// Up to `size` importable rows, with the rejections and skipped rows met on the way.
    struct ParsedBatch: Sendable {
        var rows: [BatchWriter.PlacedRow] = []
        var rejections: [[RowProblem]] = []
        var skipped = 0
        var read = 0
        var finished = false
    }

    static func parseBatch(_ intake: ListIntake, area: AreaCheck, size: Int) throws -> ParsedBatch {
        var batch = ParsedBatch()
        batch.rows.reserveCapacity(size)
        while batch.rows.count < size {
            guard let outcome = try Self.next(intake) else {
                batch.finished = true
                break
            }
            batch.read += 1
            switch outcome {
            case .skip:
                batch.skipped += 1
            case .rejected(let problems):
                batch.rejections.append(problems)
            case .person(let row):
                if let problem = area.problem(for: row) {
                    batch.rejections.append([problem])
                } else {
                    batch.rows.append(BatchWriter.PlacedRow(row, area: area))
                }
            }
        }
        return batch
    }

    private static func next(_ intake: ListIntake) throws -> ListRowOutcome? {
        do {
            return try intake.next()
        } catch {
            throw ListImportError(code: error.code, messageVI: error.messageVI, messageEN: error.messageEN)
        }
    }
}

/// Rows may only bring people into the importer's own area; a commune code must exist.
struct AreaCheck: Sendable {
    var importer: Area
    var scheme: AdministrativeScheme
    /// Where the file keeps commune codes, so a rejection names the column.
    var communeColumn: ListColumn?

    struct Placement: Sendable {
        var provinceCode: String?
        var districtCode: String?
        var communeCode: String?
        var province2025Code: String?
        var commune2025Code: String?
        var needsAddressDetail = false
    }

    func problem(for row: ListRow) -> RowProblem? {
        guard let code = row.communeCode else { return nil }
        guard let unit = AdministrativeUnits.shared.unit(code, scheme: self.scheme, level: .commune) else {
            return RowProblem(row: row.rowNumber, column: self.communeColumn, value: code, code: "unknown_commune",
                                     messageVI: "Mã xã \(code) không có trong danh mục \(self.scheme == .before2025 ? "trước 2025" : "từ 2025").",
                                     messageEN: "Commune code \(code) is not in the \(self.scheme == .before2025 ? "pre-2025" : "2025") list of units.")
        }
        let inside: Bool
        switch (self.importer.scheme == self.scheme, self.importer.level) {
        case (true, .province): inside = unit.provinceCode == self.importer.code
        case (true, .district): inside = unit.parentCode == self.importer.code
        case (true, .commune): inside = unit.code == self.importer.code
        case (false, _): inside = self.placement(for: code)?.place.isInside(self.importer) ?? false
        }
        guard inside else {
            return RowProblem(row: row.rowNumber, column: self.communeColumn, value: code, code: "outside_area",
                                     messageVI: "Xã \(unit.fullName) nằm ngoài địa bàn của bạn.", messageEN: "Commune \(unit.fullName) is outside your area.")
        }
        return nil
    }

    func placement(for communeCode: String?) -> Placement? {
        guard let communeCode else {
            // No commune on the row: the person belongs to the importer's area until the police place them.
            var placement = Placement()
            switch (self.importer.scheme, self.importer.level) {
            case (.before2025, .province): placement.provinceCode = self.importer.code
            case (.before2025, .district):
                placement.districtCode = self.importer.code
                placement.provinceCode = AdministrativeUnits.shared.unit(self.importer.code, scheme: .before2025, level: .district)?.provinceCode
            case (.since2025, .province): placement.province2025Code = self.importer.code
            default: break
            }
            return placement
        }
        let units = AdministrativeUnits.shared
        guard let unit = units.unit(communeCode, scheme: self.scheme, level: .commune) else { return nil }
        var placement = Placement()
        switch self.scheme {
        case .before2025:
            placement.communeCode = unit.code
            placement.districtCode = unit.parentCode
            placement.provinceCode = unit.provinceCode
            if let conversion = units.newCommunes(forOld: unit.code) {
                if conversion.isUnambiguous && !conversion.needsStreetOrVillage {
                    placement.commune2025Code = conversion.newCodes[0]
                } else {
                    placement.needsAddressDetail = true
                }
                placement.province2025Code = conversion.newCodes.first.flatMap { units.unit($0, scheme: .since2025, level: .commune)?.provinceCode }
            }
        case .since2025:
            placement.commune2025Code = unit.code
            placement.province2025Code = unit.provinceCode
        }
        return placement
    }
}

extension AreaCheck.Placement {
    /// The placement's codes, for the area rule and the audit.
    var place: PersonPlace {
        PersonPlace(provinceCode: self.provinceCode, districtCode: self.districtCode, communeCode: self.communeCode,
                    province2025Code: self.province2025Code, commune2025Code: self.commune2025Code)
    }
}
