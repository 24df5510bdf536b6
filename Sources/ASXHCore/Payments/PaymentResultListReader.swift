import Foundation

/// Reads a bank's result list (CSV, or any sheet a `TableRowReader` gives) row by row into `PaymentResultRecord`s.
///
/// The first non-empty row is the header; columns are found by name, in Vietnamese or English, with or without
/// diacritics: end-to-end ID ("Mã giao dịch"), status ("Trạng thái" / "Kết quả"), and optionally reason code
/// ("Mã lý do"), amount ("Số tiền") and bank reference ("Số tham chiếu"). Statuses may be written in English
/// (paid, rejected, returned, pending), in Vietnamese ("Thành công", "Từ chối", "Hoàn trả", "Đang xử lý") or as
/// ISO codes (ACSC, RJCT …). This is where `returned` comes from: a status report cannot say it.
public final class PaymentResultListReader {
    private let rows: any TableRowReader
    private let columns: Columns
    /// Statuses already read, by their text: a list uses a handful of words a million times.
    private var statuses: [String: PaymentStatus] = [:]

    private struct Columns {
        var endToEndID: (index: Int, title: String)
        var status: (index: Int, title: String)
        var reason: (index: Int, title: String)?
        var amount: (index: Int, title: String)?
        var bankReference: (index: Int, title: String)?
    }

    /// Reads the CSV file at `path` (encoding and delimiter detected by `CSVReader`).
    public convenience init(path: String) throws(PaymentFileError) {
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path)
        } catch let error as TabularFileError {
            throw .table(error)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        try self.init(rows: reader)
    }

    /// Reads the rows of any table (an `XLSXReader` for a bank that answers in Excel); the header is read now.
    public init(rows: any TableRowReader) throws(PaymentFileError) {
        self.rows = rows
        var header: TableRow?
        while header == nil, let row = try Self.next(rows) {
            if !row.cells.allSatisfy(\.isEmpty) { header = row }
        }
        guard let header else { throw .missingColumn("Mã giao dịch") }
        var found: [String: (Int, String)] = [:]
        for (index, cell) in header.cells.enumerated() {
            let title = cell.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let column = Self.headings[VietnameseText.fold(title)], found[column] == nil {
                found[column] = (index, title)
            }
        }
        guard let endToEndID = found["id"] else { throw .missingColumn("Mã giao dịch") }
        guard let status = found["status"] else { throw .missingColumn("Trạng thái") }
        self.columns = Columns(
            endToEndID: endToEndID, status: status, reason: found["reason"], amount: found["amount"],
            bankReference: found["reference"])
    }

    /// The next result, or nil after the last row; blank rows are skipped.
    public func next() throws(PaymentFileError) -> PaymentResultRecord? {
        while let row = try Self.next(self.rows) {
            if row.cells.allSatisfy(\.isEmpty) { continue }
            return try self.record(row)
        }
        return nil
    }

    /// Calls `body` with every remaining result.
    public func forEach(_ body: (PaymentResultRecord) throws -> Void) throws {
        while let record = try self.next() { try body(record) }
    }

    /// Every remaining result, in memory: for small files and tests.
    public func readAll() throws(PaymentFileError) -> [PaymentResultRecord] {
        var records: [PaymentResultRecord] = []
        while let record = try self.next() { records.append(record) }
        return records
    }

    private func record(_ row: TableRow) throws(PaymentFileError) -> PaymentResultRecord {
        func value(_ column: (index: Int, title: String)?) -> String? {
            guard let column else { return nil }
            let text = Self.trimmed(row[column.index].text)
            return text.isEmpty ? nil : text
        }
        guard let endToEndID = value(self.columns.endToEndID) else {
            throw .missingValue(at: .row(row.number, column: self.columns.endToEndID.title))
        }
        guard let statusText = value(self.columns.status) else {
            throw .missingValue(at: .row(row.number, column: self.columns.status.title))
        }
        guard let status = self.statuses[statusText] ?? Self.status(statusText) else {
            throw .unknownStatus(statusText, at: .row(row.number, column: self.columns.status.title))
        }
        if self.statuses.count < 64 { self.statuses[statusText] = status }
        var amount: Int64?
        if let text = value(self.columns.amount) {
            guard let parsed = PaymentAmountText.listAmount(text) else {
                throw .invalidAmount(text, at: .row(row.number, column: self.columns.amount?.title))
            }
            amount = parsed
        }
        return PaymentResultRecord(
            endToEndID: endToEndID,
            status: status,
            reason: value(self.columns.reason).map(Self.reason),
            amount: amount,
            bankReference: value(self.columns.bankReference)
        )
    }

    private static func next(_ rows: any TableRowReader) throws(PaymentFileError) -> TableRow? {
        do {
            return try rows.next()
        } catch let error as TabularFileError {
            throw .table(error)
        } catch {
            throw .table(.notTabular(detail: "\(error)"))
        }
    }

    /// `text` without surrounding whitespace; the common case (nothing to trim) costs two byte checks.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        if !isSpace(first) && !isSpace(last) && first < 0x80 && last < 0x80 { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: - Words

    /// Folded headings (see `VietnameseText.fold`) and the column each names.
    private static let headings: [String: String] = {
        var headings: [String: String] = [:]
        for title in ["ma giao dich", "ma gd", "end to end id", "endtoendid", "end to end", "e2e id", "e2e",
                      "orgnlendtoendid", "ma tham chieu giao dich"] { headings[title] = "id" }
        for title in ["trang thai", "ket qua", "status", "tinh trang", "ket qua chi tra", "trang thai giao dich",
                      "txsts"] { headings[title] = "status" }
        for title in ["ma ly do", "ly do", "reason", "reason code", "ma loi", "ma ly do tu choi", "ly do tu choi"] {
            headings[title] = "reason"
        }
        for title in ["so tien", "so tien dong", "so tien vnd", "so tien d", "amount"] { headings[title] = "amount" }
        for title in ["so tham chieu", "ma tham chieu", "so but toan", "bank reference", "reference"] {
            headings[title] = "reference"
        }
        return headings
    }()

    /// A status as banks write it, folded; ISO codes are read by `PaymentStatus(isoCode:)`.
    static func status(_ text: String) -> PaymentStatus? {
        if let iso = PaymentStatus(isoCode: text.uppercased()) { return iso }
        switch VietnameseText.fold(text) {
        case "paid", "success", "successful", "thanh cong", "da chi tra", "da thanh toan", "da chuyen", "ok":
            return .paid
        case "rejected", "failed", "tu choi", "bi tu choi", "that bai", "khong thanh cong":
            return .rejected
        case "returned", "hoan tra", "bi hoan tra", "tra lai", "hoan tien":
            return .returned
        case "pending", "processing", "dang xu ly", "cho xu ly":
            return .pending
        default:
            return nil
        }
    }

    /// "AC01", or "AC01 - Sai số tài khoản" (a code followed by the bank's words) → the code; other text verbatim.
    static func reason(_ text: String) -> PaymentReason {
        let head = text.prefix { $0.isLetter || $0.isNumber }
        let isCode = head.count == 4 && head.unicodeScalars.allSatisfy { $0.isASCII }
            && head.prefix(2).allSatisfy(\.isLetter) && head.suffix(2).allSatisfy(\.isNumber)
        return PaymentReason(code: isCode ? String(head) : text)
    }
}
