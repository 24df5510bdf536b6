import Foundation

/// Writes a bank transfer list as CSV, for banks that take a spreadsheet instead of pain.001: one row per payment
/// under a Vietnamese header, streamed through `CSVWriter`.
///
/// Account numbers and BINs are text with leading zeros; a person who opens the file in Excel sees them dropped
/// (Excel's doing, not the file's), so the list is meant for the bank's import, not for editing.
public final class BankTransferCSVWriter {
    /// The header row, in column order.
    public static let header = [
        "STT", "Mã giao dịch", "Họ và tên", "Số tài khoản", "Mã ngân hàng (BIN)", "Số tiền (đồng)", "Nội dung",
    ]

    private let writer: CSVWriter
    private let path: String
    private let declared: ControlTotals?
    private var written = ControlTotals.zero
    private var finished = false

    /// Creates (or truncates) the file at `path`. When `totals` are given, `finish()` checks the rows against them.
    /// A byte order mark is written by default so that Excel reads the Vietnamese header as UTF-8.
    public init(path: String, totals: ControlTotals? = nil, byteOrderMark: Bool = true) throws(PaymentFileError) {
        do {
            self.writer = try CSVWriter(path: path, byteOrderMark: byteOrderMark)
            try self.writer.write(row: Self.header)
        } catch {
            throw .writeFailed(detail: "\(error)")
        }
        self.path = path
        self.declared = totals
    }

    deinit {
        if !self.finished {
            try? self.writer.close()
            try? FileManager.default.removeItem(atPath: self.path)
        }
    }

    /// Appends one payment; rows are numbered from 1 (STT).
    public func write(_ instruction: PaymentInstruction) throws(PaymentFileError) {
        guard !self.finished else { throw .writerMisuse(detail: "the file is already finished") }
        self.written.add(instruction.amount)
        do {
            try self.writer.write(row: [
                String(self.written.count), instruction.endToEndID, instruction.creditorName,
                instruction.creditorAccount, instruction.creditorBankBIN, String(instruction.amount),
                instruction.remittanceInformation,
            ])
        } catch {
            throw .writeFailed(detail: "\(error)")
        }
    }

    /// Closes the file after checking the totals; a file whose rows do not add up is deleted.
    @discardableResult
    public func finish() throws(PaymentFileError) -> ControlTotals {
        guard !self.finished else { throw .writerMisuse(detail: "the file is already finished") }
        self.finished = true
        do {
            try self.writer.close()
        } catch {
            try? FileManager.default.removeItem(atPath: self.path)
            throw .writeFailed(detail: "\(error)")
        }
        if let declared = self.declared, declared != self.written {
            try? FileManager.default.removeItem(atPath: self.path)
            throw .controlTotalsMismatch(scope: (self.path as NSString).lastPathComponent, declared: declared,
                                         written: self.written)
        }
        return self.written
    }
}
