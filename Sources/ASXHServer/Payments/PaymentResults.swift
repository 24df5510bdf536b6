import ASXHCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The bank's answer (pain.002 or a result list in CSV/XLSX) applied to a batch: each transfer paid, rejected or
/// returned with the bank's reason; a rejected or returned one moves to the cash list at once; the same file
/// imported again changes nothing.
enum PaymentResults {
    struct Summary: Content, Equatable {
        var importID: UUID?
        var alreadyImported: Bool
        var fileName: String
        var results: Int
        var recorded: Int
        var unknownEndToEndIDs: Int
        var amountMismatches: Int
        var conflicts: Int
        /// The transfers this file answers for (one bank's for a pain.002, the whole batch's for a result list) after it:
        /// issued = paid + failed + pending, to the đồng. The outcome page has the cycle's.
        var issued: ControlTotals
        var paid: ControlTotals
        var failed: ControlTotals
        var pending: ControlTotals
        var movedToCash: Int
        /// issued − (paid + failed + pending): zero unless something is wrong, and shown when it is not.
        var difference: ControlTotals
    }

    static func refused(_ error: PaymentFileError) -> ASXHError {
        ASXHError.refused(status: .unprocessableEntity, code: error.code, vi: error.vietnamese, en: error.english)
    }

    /// Results are written to the database this many at a time while the file is read, so memory stays flat.
    static let chunkSize = 50_000

    /// A bank's result file, read as a stream: a pain.002 or a result list (CSV, XLSX).
    private enum ResultSource {
        case statusReport(Pain002Reader)
        case list(PaymentResultListReader)

        init(path: String, fileName: String) throws(PaymentFileError) {
            let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 64)) ?? Data()
            if head.contains(UInt8(ascii: "<")) {
                self = .statusReport(try Pain002Reader(path: path))
                return
            }
            let table: any TableRowReader
            do { table = try TabularFile.open(path: path).rows() } catch {
                throw PaymentFileError.unreadable(path: fileName, reason: "\(error)")
            }
            self = .list(try PaymentResultListReader(rows: table))
        }

        func next() throws(PaymentFileError) -> PaymentResultRecord? {
            switch self {
            case .statusReport(let reader): return try reader.next()
            case .list(let reader): return try reader.next()
            }
        }

        var report: Pain002Report? {
            if case .statusReport(let reader) = self { return reader.report }
            return nil
        }
    }

    static func importFile(at url: URL, named fileName: String, batch batchID: UUID, by user: User, now: Date, on database: any Database) async throws -> Summary {
        let digest = try PaymentFiles.sha256(of: url)
        return try await database.writeTransaction { db in
            let sql = db as! any SQLDatabase
            guard let batch = try await PaymentBatch.query(on: db).filter(\.$id == batchID).with(\.$cycle).first(),
                  batch.cycle.province == user.area else { throw ASXHError.notFound }
            guard batch.status == .approved else {
                throw PaymentRuns.refused("batch_not_approved", "Bảng kê chưa được duyệt: chưa có tệp nào gửi ngân hàng.", "The batch is not approved: no file went to a bank.",
                                          status: .conflict)
            }
            let source: ResultSource
            var first: PaymentResultRecord?
            do throws(PaymentFileError) {
                source = try ResultSource(path: url.path, fileName: fileName)
                first = try source.next()  // a status report's header is read by now
            } catch {
                throw Self.refused(error)
            }
            // What the file answers: one bank's file (a pain.002 names it) or the whole batch (a result list).
            var messageID: String?, bin: String?
            if let report = source.report {
                guard let original = report.originalMessageID, original.hasPrefix(batch.messageID + "-") else {
                    throw Self.refused(.reportForAnotherFile(expected: batch.messageID, found: source.report?.originalMessageID ?? ""))
                }
                messageID = original
                bin = String(original.dropFirst(batch.messageID.count + 1))
            }
            let scope: SQLQueryString = bin.map { "batch_id = \(bind: batchID) AND bank_status IS NOT NULL AND bin = \(bind: $0)" }
                ?? "batch_id = \(bind: batchID) AND bank_status IS NOT NULL"
            // Imports of one batch take turns where they could meet: a bank's file waits for another file of that bank
            // and for a result list (the whole batch), so no two read a transfer's status before either writes it.
            let batchKey = "payment-results:\(batchID.uuidString)"
            try await sql.lockUntilCommit(batchKey, shared: bin != nil)
            if let bin { try await sql.lockUntilCommit(batchKey + ":" + bin) }
            if let earlier = try await PaymentResultImport.query(on: db).filter(\.$batch.$id == batchID).filter(\.$sha256 == digest).first(),
               var summary = try? JSONDecoder().decode(Summary.self, from: Data(earlier.summary.utf8)) {
                summary.alreadyImported = true
                return summary
            }
            var reconciliation = PaymentReconciliation(messageID: messageID)
            try await db.forEachRow("SELECT end_to_end_id, amount, bank_status, bank_reason FROM payments WHERE \(scope)",
                                    as: (String, Int64, String?, String?).self) { id, amount, bankStatus, bankReason in
                try reconciliation.expect(endToEndID: id, amount: amount)
                if let status = bankStatus.flatMap(PaymentStatus.init(rawValue:)), status != .pending {
                    reconciliation.record(PaymentResultRecord(endToEndID: id, status: status, reason: bankReason.map(PaymentReason.init(code:))))
                }
            }
            var summary = Summary(importID: nil, alreadyImported: false, fileName: fileName, results: 0, recorded: 0, unknownEndToEndIDs: 0,
                                  amountMismatches: 0, conflicts: 0, issued: .zero, paid: .zero, failed: .zero, pending: .zero, movedToCash: 0, difference: .zero)
            try await sql.raw("CREATE TEMPORARY TABLE payment_results_in (seq BIGINT, payment_id UUID, status TEXT, reason TEXT, reference TEXT)").run()
            do {
                var changes: [PaymentResultRecord] = []
                changes.reserveCapacity(Self.chunkSize)
                func flush() async throws {
                    let chunk = changes, first = summary.recorded
                    changes.removeAll(keepingCapacity: true)
                    // asxh's end-to-end ids are the payments' ids: the update finds each row by its primary key. `seq`
                    // keeps the file's order: a file may name a transfer twice (paid, later returned).
                    try await BulkRows.insert(count: chunk.count, into: "payment_results_in", columns: ["seq", "payment_id", "status", "reason", "reference"],
                                              on: db) { index in
                        let record = chunk[index]
                        guard let id = PaymentInstruction.paymentID(fromEndToEndID: record.endToEndID) else { return nil }
                        return [.int(first + index), .uuid(id), .text(record.status.rawValue), BulkValue(record.reason?.code), BulkValue(record.bankReference)]
                    }
                    summary.recorded += chunk.count
                    // Only a transfer's first final word or paid → returned is written (the reconciliation's rule), so
                    // each rejected or returned change is a transfer that now moves to cash.
                    summary.movedToCash += chunk.count { $0.status == .rejected || $0.status == .returned }
                }
                var next = first
                while let record = next {
                    summary.results += 1
                    switch reconciliation.record(record) {
                    case .recorded, .updated: changes.append(record)
                    case .unknownEndToEndID: summary.unknownEndToEndIDs += 1
                    case .amountMismatch: summary.amountMismatches += 1
                    case .conflict: summary.conflicts += 1
                    case .repeated, .outdated: break
                    }
                    if changes.count >= Self.chunkSize { try await flush() }
                    do throws(PaymentFileError) { next = try source.next() } catch { throw Self.refused(error) }
                }
                if let report = source.report {
                    // A whole-file status settles the payments the report did not list (the reconciliation records them).
                    do { try reconciliation.settleUnreported(with: report) { changes.append($0) } } catch let error as PaymentFileError { throw Self.refused(error) }
                }
                try await flush()
                let resultImport = PaymentResultImport()
                resultImport.id = UUID()
                resultImport.$batch.id = batchID
                resultImport.sha256 = digest
                resultImport.fileName = fileName
                resultImport.messageID = source.report?.messageID
                resultImport.summary = "{}"
                resultImport.$importedBy.id = try user.requireID()
                resultImport.importedAt = now
                try await resultImport.create(on: db)
                summary.importID = resultImport.id
                try await Self.applyChanges(batch: batchID, importID: resultImport.id!, on: sql)
                try await sql.raw("DROP TABLE payment_results_in").run()
                // The totals are what the database now holds, and must be what the reconciliation expects from the rows it
                // read and the results it wrote: an update that took another word than the file's is never committed.
                (summary.issued, summary.paid, summary.failed, summary.pending) = try await Self.bankTotals(scope, on: sql)
                let expected = reconciliation.statusTotals
                guard (expected.paid, expected.failed, expected.pending) == (summary.paid, summary.failed, summary.pending) else {
                    throw PaymentRuns.refused("results_not_applied", "Trạng thái ghi vào cơ sở dữ liệu khác với kết quả trong tệp; chưa nhập gì.",
                                              "The statuses stored differ from the file's results; nothing was imported.", status: .internalServerError)
                }
                let accounted = summary.paid + summary.failed + summary.pending
                summary.difference = ControlTotals(count: summary.issued.count - accounted.count, sum: summary.issued.sum - accounted.sum)
                resultImport.summary = Audit.json(summary) ?? "{}"
                try await resultImport.save(on: db)
                try await Audit.record(on: db, actor: user, action: "payment_batch.results", entityType: "payment_batch", entityID: batchID.uuidString,
                                       after: ["file": fileName, "sha256": digest, "recorded": String(summary.recorded), "moved_to_cash": String(summary.movedToCash),
                                               "paid": summary.paid.description, "failed": summary.failed.description, "pending": summary.pending.description],
                                       at: now)
                return summary
            } catch {
                try? await sql.raw("DROP TABLE payment_results_in").run()
                throw error
            }
        }
    }

    /// The transfers `scope` selects by the bank's word, in one pass: issued (sent), paid, failed (rejected or returned),
    /// pending. One bank's file reads its own transfers only.
    static func bankTotals(_ scope: SQLQueryString, on sql: any SQLDatabase) async throws
        -> (issued: ControlTotals, paid: ControlTotals, failed: ControlTotals, pending: ControlTotals) {
        let kinds: [(String, String)] = [("issued", "bank_status IS NOT NULL"), ("paid", "bank_status = 'paid'"),
                                         ("failed", "bank_status IN ('rejected', 'returned')"), ("pending", "bank_status = 'pending'")]
        let columns = kinds.map { "SUM(CASE WHEN \($0.1) THEN 1 ELSE 0 END) AS \($0.0)_n, CAST(SUM(CASE WHEN \($0.1) THEN amount ELSE 0 END) AS BIGINT) AS \($0.0)_sum" }
        let row = try await sql.raw("SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM payments WHERE \(scope)").first()
        func totals(_ kind: String) throws -> ControlTotals {
            ControlTotals(count: try row?.decode(column: "\(kind)_n", as: Int?.self) ?? 0, sum: try row?.decode(column: "\(kind)_sum", as: Int64?.self) ?? 0)
        }
        return (try totals("issued"), try totals("paid"), try totals("failed"), try totals("pending"))
    }

    /// How many result files `importFiles` imports side by side: on PostgreSQL two banks' files take little more time
    /// than one (measured on two cores, `asxh bench pay`).
    static let filesAtOnce = 2

    /// Imports several result files, `filesAtOnce` at a time, each in its own transaction (as officers uploading them
    /// together would). Summaries come back in the order of `files`; the first failure is thrown, and the files
    /// imported before it stay imported (importing them again changes nothing).
    static func importFiles(_ files: [(url: URL, batch: UUID)], by user: User, now: Date, on database: any Database) async throws -> [Summary] {
        try await withThrowingTaskGroup(of: (Int, Summary).self) { group in
            var summaries = [Summary?](repeating: nil, count: files.count)
            for (index, file) in files.enumerated() {
                if index >= Self.filesAtOnce, let (done, summary) = try await group.next() { summaries[done] = summary }
                group.addTask {
                    (index, try await Self.importFile(at: file.url, named: file.url.lastPathComponent, batch: file.batch, by: user, now: now, on: database))
                }
            }
            for try await (done, summary) in group { summaries[done] = summary }
            return summaries.map { $0! }
        }
    }

    /// Writes the new statuses in one statement from the temporary table, each transfer's latest word where the file
    /// gave several; a rejected or returned transfer becomes a pending cash payment with the bank's reason.
    private static func applyChanges(batch batchID: UUID, importID: UUID, on sql: any SQLDatabase) async throws {
        // By batch only: a bank's own transfers (`bin = …`) would be estimated from statistics taken before the batch
        // had any, and the planner would then loop over the results once per payment (seen: eleven minutes, not one).
        try await sql.raw("""
            UPDATE payments SET bank_status = r.status, bank_reason = r.reason, bank_reference = r.reference, result_import_id = \(bind: importID),
                channel = CASE WHEN r.status IN ('rejected', 'returned') THEN 'cash' ELSE payments.channel END,
                status = CASE WHEN r.status = 'paid' THEN 'paid' WHEN r.status IN ('rejected', 'returned') THEN 'pending' ELSE payments.status END
            FROM (SELECT payment_id, status, reason, reference
                  FROM (SELECT i.*, row_number() OVER (PARTITION BY payment_id ORDER BY seq DESC) AS latest FROM payment_results_in i) w
                  WHERE latest = 1) r
            WHERE payments.id = r.payment_id AND payments.batch_id = \(bind: batchID)
            """).run()
    }
}
