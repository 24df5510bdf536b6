import ASXHCore
import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// What leaves asxh for the banks and the cash desks: per bank a pain.001.001.09 file and the same transfers as CSV,
/// the cash list, and a manifest of counts, control sums and SHA-256 digests.
enum PaymentFiles {
    struct FileEntry: Content, Equatable {
        var name: String
        /// `pain.001`, `csv`, `cash-list`.
        var kind: String
        var bin: String?
        var count: Int
        var sum: Int64
        var sha256: String
    }

    struct Manifest: Content {
        var batchID: UUID
        var cycle: String
        var messageID: String
        var createdAt: Date
        var batch: ControlTotals
        var transfers: ControlTotals
        var cash: ControlTotals
        var held: ControlTotals
        var files: [FileEntry]
    }

    static let cashHeader = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Địa chỉ", "Số tiền (đồng)", "Lý do nhận tiền mặt", "Mã giao dịch", "Ký nhận"]

    /// Writes an approved batch's files into `directory` (created if missing): its transfers not held and not failed.
    /// Writing again gives the same transfers under the same end-to-end ids, which a bank ignores the second time.
    static func write(_ batchID: UUID, to directory: URL, by user: User, now: Date, on database: any Database) async throws -> Manifest {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try await database.writeTransaction { db in
            let sql = db as! any SQLDatabase
            guard let batch = try await PaymentBatch.query(on: db).filter(\.$id == batchID).with(\.$cycle, { $0.with(\.$program) }).first(),
                  batch.cycle.province == user.area else { throw ASXHError.notFound }
            guard batch.status == .approved else {
                throw PaymentRuns.refused("batch_not_approved", "Bảng kê chưa được cán bộ thứ hai duyệt; chưa thể xuất tệp.",
                                          "The batch is not approved by a second officer yet; no file can be written.", status: .conflict)
            }
            let program = batch.cycle.program
            let perBank = try await sql.raw("""
                SELECT bin, COUNT(*) AS n, CAST(SUM(amount) AS BIGINT) AS total FROM payments
                WHERE batch_id = \(bind: batchID) AND channel = 'account' AND held = \(bind: false) GROUP BY bin ORDER BY bin
                """).all().map { (bin: try $0.decode(column: "bin", as: String.self),
                                  totals: ControlTotals(count: try $0.decode(column: "n", as: Int.self), sum: try $0.decode(column: "total", as: Int64.self))) }
            let directory = directory.standardizedFileURL
            var files: [FileEntry] = []
            var index = 0
            var writers: (xml: Pain001Writer, csv: BankTransferCSVWriter, name: String, bin: String, totals: ControlTotals)?
            func finishBank() throws {
                guard let open = writers else { return }
                _ = try open.xml.finish()
                _ = try open.csv.finish()
                for (suffix, kind) in [("xml", "pain.001"), ("csv", "csv")] {
                    let name = "\(open.name).\(suffix)"
                    files.append(FileEntry(name: name, kind: kind, bin: open.bin, count: open.totals.count, sum: open.totals.sum,
                                           sha256: try Self.sha256(of: directory.appendingPathComponent(name))))
                }
                writers = nil
            }
            let directoryOfBanks = (try? BankDirectory.bundled())
            try await db.forEachRow("""
                SELECT id, bin, account_number, holder_name, amount FROM payments
                WHERE batch_id = \(bind: batchID) AND channel = 'account' AND held = \(bind: false) ORDER BY bin, id
                """, as: (UUID, String, String, String, Int64).self) { id, bin, accountNumber, holderName, amount in
                    if writers?.bin != bin {
                        try finishBank()
                        let totals = perBank[index].totals
                        index += 1
                        let short = directoryOfBanks?.bank(bin: bin)?.shortName.filter { $0.isASCII && ($0.isLetter || $0.isNumber) } ?? "bank"
                        let name = "\(bin)-\(short)"
                        let header = Pain001Header(messageID: "\(batch.messageID)-\(bin)", createdAt: batch.checkedAt ?? now, initiatingPartyName: program.payerName)
                        let xml = try Pain001Writer(path: directory.appendingPathComponent("\(name).xml").path, header: header, totals: totals)
                        try xml.beginPaymentInformation(Pain001PaymentInformation(
                            id: "\(batch.messageID)-\(bin)", requestedExecutionDate: CalendarDay(parsing: batch.cycle.payOn) ?? CalendarDay(now),
                            debtorName: program.payerName, debtorAccount: program.payerAccount, debtorBankBIN: program.payerBIN), totals: totals)
                        let csv = try BankTransferCSVWriter(path: directory.appendingPathComponent("\(name).csv").path, totals: totals)
                        writers = (xml, csv, name, bin, totals)
                    }
                    let instruction = try PaymentInstruction(paymentID: id, amount: amount, creditorName: holderName, creditorAccount: accountNumber,
                                                             creditorBankBIN: bin, remittanceInformation: "ASXH \(batch.cycle.name)")
                    try writers!.xml.write(instruction)
                    try writers!.csv.write(instruction)
            }
            try finishBank()
            if sql.dialect.name == "postgresql" {
                // The cash list is sorted by place and name: in memory, where the default 4 MB spilled a city's to disk.
                try await sql.raw("SET LOCAL work_mem = '64MB'").run()
            }
            let cash = try await Self.writeCashList(batchID, to: directory.appendingPathComponent("cash-list.csv"), on: db)
            files.append(FileEntry(name: "cash-list.csv", kind: "cash-list", bin: nil, count: cash.count, sum: cash.sum,
                                   sha256: try Self.sha256(of: directory.appendingPathComponent("cash-list.csv"))))
            let held = try await Self.totals(sql, "batch_id = \(bind: batchID) AND held = \(bind: true)")
            let transfers = perBank.reduce(ControlTotals.zero) { $0 + $1.totals }
            let manifest = Manifest(batchID: batchID, cycle: batch.cycle.name, messageID: batch.messageID, createdAt: batch.checkedAt ?? now,
                                    batch: batch.totals, transfers: transfers, cash: cash, held: held, files: files)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            try encoder.encode(manifest).write(to: directory.appendingPathComponent("manifest.json"))
            try await Audit.record(on: db, actor: user, action: "payment_batch.files", entityType: "payment_batch", entityID: batchID.uuidString,
                                   after: ["transfers": transfers.description, "cash": cash.description, "held": held.description,
                                           "files": files.map { "\($0.name) \($0.sha256)" }.joined(separator: "; ")], at: now)
            return manifest
        }
    }

    static func totals(_ sql: any SQLDatabase, _ condition: SQLQueryString) async throws -> ControlTotals {
        let row = try await sql.raw("SELECT COUNT(*) AS n, CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total FROM payments WHERE \(condition)").first()
        return ControlTotals(count: try row?.decode(column: "n", as: Int.self) ?? 0, sum: try row?.decode(column: "total", as: Int64.self) ?? 0)
    }

    /// The batch's cash list (people paid in cash, rejected transfers included), for the commune's cash desk; IDs masked.
    static func writeCashList(_ batchID: UUID, to url: URL, on database: any Database) async throws -> ControlTotals {
        let writer = try CSVWriter(path: url.path, byteOrderMark: true)
        try writer.write(row: Self.cashHeader)
        var totals = ControlTotals.zero
        try await database.forEachRow("""
            SELECT x.full_name, x.amount, x.cash_reason, x.bank_reason, x.end_to_end_id, p.personal_id, p.address, p.birth_year, p.birth_month, p.birth_day
            FROM payments x JOIN people p ON p.id = x.person_id
            WHERE x.batch_id = \(bind: batchID) AND x.channel = 'cash' ORDER BY x.commune2025_code, x.district_code, x.commune_code, x.full_name
            """, as: (String, Int64, String?, String?, String, String?, String?, Int?, Int?, Int?).self) {
                name, amount, cashReason, bankReason, endToEndID, personalID, address, year, month, day in
                totals.add(amount)
                let birth = [day, month, year].compactMap { $0.map(String.init) }.joined(separator: "/")
                try writer.write(row: [String(totals.count), name, birth, personalID.map(IdentityScan.masked) ?? "", address ?? "", String(amount),
                                       Self.cashReasonText(cashReason, bankReason: bankReason), endToEndID, ""])
        }
        try writer.close()
        return totals
    }

    /// The cash list's reason column.
    static func cashReasonText(_ code: String?, bankReason: String?) -> String {
        if let bankReason { return "Ngân hàng từ chối (\(bankReason)): \(PaymentReason(code: bankReason).vietnamese)" }
        switch code {
        case "declined": return "Không nhận qua tài khoản (loại B)"
        case "no_account": return "Chưa có tài khoản đã xác minh"
        case let code?: return SupportPlanKind(rawValue: code)?.vietnameseName ?? code
        case nil: return ""
        }
    }

    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
