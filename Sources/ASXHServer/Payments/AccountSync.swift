import ASXHCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Step 5's hand-over to the payment software: each sync carries what changed in an area since the last one (new,
/// changed, closed accounts), is recorded with its rows, and is written as CSV and XLSX with a manifest. A sync with
/// nothing new is not made; a recorded sync written again gives the same CSV, byte for byte.
enum AccountSync {
    static let header = ["STT", "Thay đổi", "Số CCCD", "Họ và tên", "Số tài khoản", "Tên chủ tài khoản", "Mã ngân hàng (BIN)", "Ngân hàng", "Ngày xác minh"]

    struct Manifest: Content {
        var sequence: Int
        var area: String
        var createdAt: Date
        var new: Int
        var changed: Int
        var closed: Int
        var total: Int
        /// The sum of every account number's digits: a control sum a receiving system can recompute.
        var accountDigitSum: Int
        var files: [PaymentFiles.FileEntry]
    }

    /// Records a sync of the area's changes; nil when nothing changed since the last one.
    static func export(by user: User, now: Date, on database: any Database) async throws -> AccountSyncBatch? {
        try await database.writeTransaction { db in
            let sql = db as! any SQLDatabase
            // Syncs take turns: their sequence is one series, and two at once would both carry the same changes.
            try await sql.lockUntilCommit("account-sync")
            let inArea = PaymentOutcome.areaCondition(user.area)
            let pending = try await sql.raw("""
                SELECT a.id, CASE WHEN a.status = 'closed' THEN 'closed' WHEN a.replaces_id IS NULL THEN 'new' ELSE 'changed' END AS change
                FROM bank_accounts a JOIN people p ON p.id = a.person_id
                WHERE \(inArea) AND (
                    (a.status = 'verified' AND NOT EXISTS (SELECT 1 FROM account_sync_rows r WHERE r.account_id = a.id))
                 OR (a.status = 'closed' AND EXISTS (SELECT 1 FROM account_sync_rows r WHERE r.account_id = a.id)
                     AND NOT EXISTS (SELECT 1 FROM account_sync_rows r WHERE r.account_id = a.id AND r.change = 'closed')))
                ORDER BY p.commune2025_code, p.district_code, p.commune_code, p.full_name, a.id
                """).all().map { (id: try $0.decode(column: "id", as: UUID.self), change: try $0.decode(column: "change", as: String.self)) }
            guard !pending.isEmpty else { return nil }
            let sequence = (try await sql.raw("SELECT MAX(sequence) AS n FROM account_sync_batches").first()?.decode(column: "n", as: Int?.self) ?? 0) + 1
            let batch = AccountSyncBatch()
            batch.id = UUID()
            batch.sequence = sequence
            batch.$createdBy.id = try user.requireID()
            batch.createdAt = now
            batch.newCount = pending.filter { $0.change == "new" }.count
            batch.changedCount = pending.filter { $0.change == "changed" }.count
            batch.closedCount = pending.filter { $0.change == "closed" }.count
            batch.sha256 = ""
            batch.area = user.area.description
            try await batch.create(on: db)
            var ids = TimeOrderedUUIDs()
            try await BulkRows.insert(pending.enumerated().map { index, row in
                [.uuid(ids.next(now: now)), .uuid(batch.id!), .uuid(row.id), .text(row.change), .int(index + 1)]
            }, into: AccountSyncRow.schema, columns: ["id", "batch_id", "account_id", "change", "position"], on: db)
            let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-sync-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: temporary) }
            _ = try await Self.writeCSV(batch.id!, to: temporary, on: sql)
            batch.sha256 = try PaymentFiles.sha256(of: temporary)
            try await batch.save(on: db)
            try await Audit.record(on: db, actor: user, action: "account_sync.export", entityType: "account_sync_batch", entityID: batch.id?.uuidString,
                                   after: ["sequence": String(sequence), "new": String(batch.newCount), "changed": String(batch.changedCount),
                                           "closed": String(batch.closedCount), "sha256": batch.sha256], at: now)
            return batch
        }
    }

    /// The batch's rows as CSV; returns the count and the account-digit control sum.
    @discardableResult
    static func writeCSV(_ batchID: UUID, to url: URL, xlsx: XLSXWriter? = nil, on sql: any SQLDatabase) async throws -> (count: Int, digitSum: Int) {
        let writer = try CSVWriter(path: url.path, byteOrderMark: true)
        try writer.write(row: Self.header)
        try xlsx?.addRow(Self.header)
        var count = 0, digitSum = 0
        try await sql.raw("""
            SELECT r.position, r.change, p.personal_id, p.full_name, a.account_number, a.holder_name, a.bin, a.bank_name, a.verified_on
            FROM account_sync_rows r JOIN bank_accounts a ON a.id = r.account_id JOIN people p ON p.id = a.person_id
            WHERE r.batch_id = \(bind: batchID) ORDER BY r.position
            """).forEachRow { row in
            let number = try row.decode(column: "account_number", as: String.self)
            let change = AccountSyncRow.Change(rawValue: try row.decode(column: "change", as: String.self))
            let cells = [String(try row.decode(column: "position", as: Int.self)), change?.vietnamese ?? "", try row.optional("personal_id", as: String.self) ?? "",
                         try row.decode(column: "full_name", as: String.self), number, try row.decode(column: "holder_name", as: String.self),
                         try row.decode(column: "bin", as: String.self), try row.decode(column: "bank_name", as: String.self),
                         try row.optional("verified_on", as: String.self) ?? ""]
            try writer.write(row: cells)
            try xlsx?.addRow(cells)
            count += 1
            digitSum += number.reduce(0) { $0 + ($1.wholeNumberValue ?? 0) }
        }
        try writer.close()
        return (count, digitSum)
    }

    /// Writes a recorded sync's CSV, XLSX and manifest into `directory`.
    static func write(_ batch: AccountSyncBatch, to directory: URL, on sql: any SQLDatabase) async throws -> Manifest {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stem = String(format: "sync-%05d", batch.sequence)
        let csv = directory.appendingPathComponent("\(stem).csv"), xlsxURL = directory.appendingPathComponent("\(stem).xlsx")
        let xlsx = try XLSXWriter(path: xlsxURL.path)
        try xlsx.addSheet("Đồng bộ tài khoản")
        let (count, digitSum) = try await Self.writeCSV(batch.requireID(), to: csv, xlsx: xlsx, on: sql)
        try xlsx.close()
        let files = [PaymentFiles.FileEntry(name: csv.lastPathComponent, kind: "csv", bin: nil, count: count, sum: 0, sha256: try PaymentFiles.sha256(of: csv)),
                     PaymentFiles.FileEntry(name: xlsxURL.lastPathComponent, kind: "xlsx", bin: nil, count: count, sum: 0, sha256: try PaymentFiles.sha256(of: xlsxURL))]
        let manifest = Manifest(sequence: batch.sequence, area: batch.area, createdAt: batch.createdAt, new: batch.newCount, changed: batch.changedCount,
                                closed: batch.closedCount, total: count, accountDigitSum: digitSum, files: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: directory.appendingPathComponent("\(stem).manifest.json"))
        return manifest
    }

    /// The payment software confirmed it loaded the sync (its receipt reference).
    static func acknowledge(_ batchID: UUID, reference: String, by user: User, now: Date, on database: any Database) async throws {
        try await database.writeTransaction { db in
            guard let batch = try await AccountSyncBatch.query(on: db).filter(\.$id == batchID).filter(\.$area == user.area.description).first() else {
                throw ASXHError.notFound
            }
            guard batch.acknowledgedAt == nil else {
                throw PaymentRuns.refused("already_acknowledged", "Lần đồng bộ này đã được xác nhận.", "This sync is already acknowledged.", status: .conflict)
            }
            batch.$acknowledgedBy.id = user.id
            batch.acknowledgedAt = now
            batch.acknowledgement = reference
            try await batch.save(on: db)
            try await Audit.record(on: db, actor: user, action: "account_sync.acknowledge", entityType: "account_sync_batch", entityID: batchID.uuidString,
                                   before: ["acknowledged": ""], after: ["acknowledged": reference], at: now)
        }
    }

    // MARK: G2P Connect ID-account mapper

    enum LinkStatus: String, Content {
        case active
        case notFound = "not_found"
        case notLinked = "not_linked"
    }

    struct Resolution: Content {
        var id: String
        var status: LinkStatus
        /// `account:<number>@<BIN>` when active.
        var fa: String?
        var bankName: String?
    }

    /// Personal ID → financial address, inside the actor's area (an ID outside it is `not_found`, revealing nothing).
    static func resolve(_ personalIDs: [String], in area: Area, on database: any Database) async throws -> [Resolution] {
        let people = try await Person.query(on: database).scoped(to: area).filter(\.$personalID ~~ personalIDs).filter(\.$mergedInto == nil).all()
        let personByID = Dictionary(people.compactMap { person in person.personalID.map { ($0, person) } }, uniquingKeysWith: { first, _ in first })
        let accounts = try await BankAccount.query(on: database).filter(\.$person.$id ~~ people.compactMap(\.id)).filter(\.$status == .verified).all()
        let accountByPerson = Dictionary(accounts.map { ($0.$person.id, $0) }, uniquingKeysWith: { first, _ in first })
        return personalIDs.map { id in
            guard let person = personByID[id] else { return Resolution(id: id, status: .notFound) }
            guard let account = person.id.flatMap({ accountByPerson[$0] }) else { return Resolution(id: id, status: .notLinked) }
            return Resolution(id: id, status: .active, fa: "account:\(account.accountNumber)@\(account.bin)", bankName: account.bankName)
        }
    }
}
