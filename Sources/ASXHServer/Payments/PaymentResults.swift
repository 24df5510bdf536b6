import ASXHCore
import Crypto
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
        /// The batch's transfers after this file: issued = paid + failed + pending, to the đồng.
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

    static func importFile(_ data: Data, named fileName: String, batch batchID: UUID, by user: User, now: Date, on database: any Database) async throws -> Summary {
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-result-\(UUID().uuidString)")
        try data.write(to: temporary)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let isXML = data.prefix(64).contains(UInt8(ascii: "<"))
        return try await database.writeTransaction { db in
            let sql = db as! any SQLDatabase
            guard let batch = try await PaymentBatch.query(on: db).filter(\.$id == batchID).with(\.$cycle).first(),
                  batch.cycle.province == user.area else { throw ASXHError.notFound }
            if let earlier = try await PaymentResultImport.query(on: db).filter(\.$batch.$id == batchID).filter(\.$sha256 == digest).first(),
               var summary = try? JSONDecoder().decode(Summary.self, from: Data(earlier.summary.utf8)) {
                summary.alreadyImported = true
                return summary
            }
            // What the file answers: one bank's file (pain.002 names it) or the whole batch (a result list).
            var report: Pain002Report?
            var records: [PaymentResultRecord] = []
            do throws(PaymentFileError) {
                if isXML {
                    let reader = try Pain002Reader(path: temporary.path)
                    records = try reader.readAll()
                    report = reader.report
                } else {
                    let table: any TableRowReader
                    do { table = try TabularFile.open(path: temporary.path).rows() } catch {
                        throw PaymentFileError.unreadable(path: fileName, reason: "\(error)")
                    }
                    records = try PaymentResultListReader(rows: table).readAll()
                }
            } catch {
                throw Self.refused(error)
            }
            var scope: SQLQueryString = "batch_id = \(bind: batchID) AND bank_status IS NOT NULL"
            var messageID: String?
            if let report {
                guard let original = report.originalMessageID, original.hasPrefix(batch.messageID + "-") else {
                    throw Self.refused(.reportForAnotherFile(expected: batch.messageID, found: report.originalMessageID ?? ""))
                }
                messageID = original
                scope = "batch_id = \(bind: batchID) AND bank_status IS NOT NULL AND bin = \(bind: String(original.dropFirst(batch.messageID.count + 1)))"
            }
            var reconciliation = PaymentReconciliation(messageID: messageID)
            try await sql.raw("SELECT end_to_end_id, amount, bank_status, bank_reason FROM payments WHERE \(scope)").forEachRow { row in
                let id = try row.decode(column: "end_to_end_id", as: String.self)
                try reconciliation.expect(endToEndID: id, amount: try row.decode(column: "amount", as: Int64.self))
                if let status = try row.decode(column: "bank_status", as: String?.self).flatMap(PaymentStatus.init(rawValue:)), status != .pending {
                    reconciliation.record(PaymentResultRecord(endToEndID: id, status: status,
                                                              reason: try row.decode(column: "bank_reason", as: String?.self).map(PaymentReason.init(code:))))
                }
            }
            var changes: [[BulkValue]] = []
            var summary = Summary(importID: nil, alreadyImported: false, fileName: fileName, results: records.count, recorded: 0, unknownEndToEndIDs: 0,
                                  amountMismatches: 0, conflicts: 0, issued: .zero, paid: .zero, failed: .zero, pending: .zero, movedToCash: 0, difference: .zero)
            func apply(_ record: PaymentResultRecord) {
                switch reconciliation.record(record) {
                case .recorded, .updated:
                    changes.append([.text(record.endToEndID), .text(record.status.rawValue), BulkValue(record.reason?.code), BulkValue(record.bankReference)])
                case .unknownEndToEndID: summary.unknownEndToEndIDs += 1
                case .amountMismatch: summary.amountMismatches += 1
                case .conflict: summary.conflicts += 1
                case .repeated, .outdated: break
                }
            }
            records.forEach(apply)
            if let report {
                // A whole-file status settles the payments the report did not list (the reconciliation records them itself).
                var settled: [[BulkValue]] = []
                do {
                    try reconciliation.settleUnreported(with: report) { record in
                        settled.append([.text(record.endToEndID), .text(record.status.rawValue), BulkValue(record.reason?.code), .null])
                    }
                } catch let error as PaymentFileError { throw Self.refused(error) }
                changes += settled
            }
            let resultImport = PaymentResultImport()
            resultImport.id = UUID()
            resultImport.$batch.id = batchID
            resultImport.sha256 = digest
            resultImport.fileName = fileName
            resultImport.messageID = report?.messageID
            resultImport.summary = "{}"
            resultImport.$importedBy.id = try user.requireID()
            resultImport.importedAt = now
            try await resultImport.create(on: db)
            summary.importID = resultImport.id
            summary.recorded = changes.count
            summary.movedToCash = try await Self.applyChanges(changes, batch: batchID, importID: resultImport.id!, on: db)
            let all: SQLQueryString = "batch_id = \(bind: batchID) AND bank_status IS NOT NULL"
            summary.issued = try await PaymentFiles.totals(sql, all)
            summary.paid = try await PaymentFiles.totals(sql, "batch_id = \(bind: batchID) AND bank_status = 'paid'")
            summary.failed = try await PaymentFiles.totals(sql, "batch_id = \(bind: batchID) AND bank_status IN ('rejected', 'returned')")
            summary.pending = try await PaymentFiles.totals(sql, "batch_id = \(bind: batchID) AND bank_status = 'pending'")
            let accounted = summary.paid + summary.failed + summary.pending
            summary.difference = ControlTotals(count: summary.issued.count - accounted.count, sum: summary.issued.sum - accounted.sum)
            resultImport.summary = Audit.json(summary) ?? "{}"
            try await resultImport.save(on: db)
            try await Audit.record(on: db, actor: user, action: "payment_batch.results", entityType: "payment_batch", entityID: batchID.uuidString,
                                   after: ["file": fileName, "sha256": digest, "recorded": String(summary.recorded), "moved_to_cash": String(summary.movedToCash),
                                           "paid": summary.paid.description, "failed": summary.failed.description, "pending": summary.pending.description],
                                   at: now)
            return summary
        }
    }

    /// Writes the new statuses in one statement through a temporary table; a rejected or returned transfer becomes
    /// a pending cash payment with the bank's reason. Returns how many moved to cash.
    private static func applyChanges(_ changes: [[BulkValue]], batch batchID: UUID, importID: UUID, on db: any Database) async throws -> Int {
        guard !changes.isEmpty else { return 0 }
        let sql = db as! any SQLDatabase
        try await sql.raw("CREATE TEMPORARY TABLE payment_results_in (end_to_end_id TEXT, status TEXT, reason TEXT, reference TEXT)").run()
        do {
            try await BulkRows.insert(changes, into: "payment_results_in", columns: ["end_to_end_id", "status", "reason", "reference"], on: db)
            let moved = try await sql.raw("""
                SELECT COUNT(*) AS n FROM payment_results_in r JOIN payments x ON x.end_to_end_id = r.end_to_end_id
                WHERE x.batch_id = \(bind: batchID) AND r.status IN ('rejected', 'returned') AND x.channel = 'account'
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            try await sql.raw("""
                UPDATE payments SET bank_status = r.status, bank_reason = r.reason, bank_reference = r.reference, result_import_id = \(bind: importID),
                    channel = CASE WHEN r.status IN ('rejected', 'returned') THEN 'cash' ELSE payments.channel END,
                    status = CASE WHEN r.status = 'paid' THEN 'paid' WHEN r.status IN ('rejected', 'returned') THEN 'pending' ELSE payments.status END
                FROM payment_results_in r
                WHERE payments.end_to_end_id = r.end_to_end_id AND payments.batch_id = \(bind: batchID)
                """).run()
            try await sql.raw("DROP TABLE payment_results_in").run()
            return moved
        } catch {
            try? await sql.raw("DROP TABLE payment_results_in").run()
            throw error
        }
    }
}
