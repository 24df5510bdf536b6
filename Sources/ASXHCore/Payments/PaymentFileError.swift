import Foundation

/// A field of a payment or of a payment file, named as people know it and as the ISO 20022 element that holds it.
public enum PaymentField: String, Sendable, Hashable, CaseIterable {
    case messageID
    case initiatingPartyName
    case paymentInformationID
    case debtorName
    case debtorAccount
    case debtorBankBIN
    case paymentID
    case amount
    case creditorName
    case creditorAccount
    case creditorBankBIN
    case remittanceInformation

    /// The element path in pain.001.001.09.
    public var element: String {
        switch self {
        case .messageID: return "GrpHdr/MsgId"
        case .initiatingPartyName: return "GrpHdr/InitgPty/Nm"
        case .paymentInformationID: return "PmtInf/PmtInfId"
        case .debtorName: return "PmtInf/Dbtr/Nm"
        case .debtorAccount: return "PmtInf/DbtrAcct/Id/Othr/Id"
        case .debtorBankBIN: return "PmtInf/DbtrAgt/FinInstnId/ClrSysMmbId/MmbId"
        case .paymentID: return "CdtTrfTxInf/PmtId/EndToEndId"
        case .amount: return "CdtTrfTxInf/Amt/InstdAmt"
        case .creditorName: return "CdtTrfTxInf/Cdtr/Nm"
        case .creditorAccount: return "CdtTrfTxInf/CdtrAcct/Id/Othr/Id"
        case .creditorBankBIN: return "CdtTrfTxInf/CdtrAgt/FinInstnId/ClrSysMmbId/MmbId"
        case .remittanceInformation: return "CdtTrfTxInf/RmtInf/Ustrd"
        }
    }

    public var vietnamese: String {
        switch self {
        case .messageID: return "Mã tệp"
        case .initiatingPartyName: return "Tên đơn vị lập tệp"
        case .paymentInformationID: return "Mã lô chi trả"
        case .debtorName: return "Tên đơn vị chi trả"
        case .debtorAccount: return "Số tài khoản chi trả"
        case .debtorBankBIN: return "Mã ngân hàng (BIN) của đơn vị chi trả"
        case .paymentID: return "Mã khoản chi trả"
        case .amount: return "Số tiền"
        case .creditorName: return "Họ và tên người nhận"
        case .creditorAccount: return "Số tài khoản người nhận"
        case .creditorBankBIN: return "Mã ngân hàng (BIN) người nhận"
        case .remittanceInformation: return "Nội dung chuyển khoản"
        }
    }

    public var english: String {
        switch self {
        case .messageID: return "Message ID"
        case .initiatingPartyName: return "Initiating party name"
        case .paymentInformationID: return "Payment information ID"
        case .debtorName: return "Debtor name"
        case .debtorAccount: return "Debtor account number"
        case .debtorBankBIN: return "Debtor bank BIN"
        case .paymentID: return "Payment ID"
        case .amount: return "Amount"
        case .creditorName: return "Beneficiary name"
        case .creditorAccount: return "Beneficiary account number"
        case .creditorBankBIN: return "Beneficiary bank BIN"
        case .remittanceInformation: return "Remittance information"
        }
    }
}

/// Where in a bank's file a fault was found: an XML element (with the 1-based number of the transaction it
/// belongs to) or a row of a result list.
public enum PaymentFileLocation: Sendable, Hashable, CustomStringConvertible {
    /// `path` such as "OrgnlPmtInfAndSts/TxInfAndSts/TxSts"; `transaction` counts `TxInfAndSts` from 1.
    case element(path: String, transaction: Int?)
    /// A row number as a person sees it in Excel, and the column's heading when there is one.
    case row(Int, column: String?)

    public var vietnamese: String {
        switch self {
        case .element(let path, let transaction?): return "giao dịch thứ \(transaction), phần tử <\(path)>"
        case .element(let path, nil): return "phần tử <\(path)>"
        case .row(let row, let column?): return "dòng \(row), cột \"\(column)\""
        case .row(let row, nil): return "dòng \(row)"
        }
    }

    public var english: String {
        switch self {
        case .element(let path, let transaction?): return "transaction \(transaction), element <\(path)>"
        case .element(let path, nil): return "element <\(path)>"
        case .row(let row, let column?): return "row \(row), column \"\(column)\""
        case .row(let row, nil): return "row \(row)"
        }
    }

    public var description: String { self.english }
}

/// Why a payment file could not be written or a bank's result could not be read, in Vietnamese (for the officers)
/// and in English (for logs and support), with a stable code.
public enum PaymentFileError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// A payment or file field is empty, too long, or not in the form banks accept.
    case invalidField(PaymentField, value: String, paymentID: String?)
    /// The totals given before writing differ from what was written: the file must not be sent.
    case controlTotalsMismatch(scope: String, declared: ControlTotals, written: ControlTotals)
    /// The writer was used out of order (a payment before its payment information block, a write after `finish`).
    case writerMisuse(detail: String)
    /// The file could not be created or written (disk full, permissions).
    case writeFailed(detail: String)
    /// The file does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// A CSV or Excel result list could not be read.
    case table(TabularFileError)
    /// The XML is not a payment status report (pain.002); `root` is what was found instead.
    case notStatusReport(root: String)
    /// The file ends before its last element is closed: a download cut short, or a file still being written.
    case truncated(at: PaymentFileLocation)
    /// The markup is broken; `detail` quotes the offending tags.
    case malformed(at: PaymentFileLocation, detail: String)
    /// A required value is missing.
    case missingValue(at: PaymentFileLocation)
    /// A status the reader does not know; it is not guessed, since it decides whether someone was paid.
    case unknownStatus(String, at: PaymentFileLocation)
    /// An amount that is not a whole number of đồng, or not in VND.
    case invalidAmount(String, at: PaymentFileLocation)
    /// A result list without a column asxh needs; `column` is the expected heading.
    case missingColumn(String)
    /// The same end-to-end ID twice in one batch.
    case duplicateEndToEndID(String)
    /// A status report that answers another file (its `OrgnlMsgId`) than the one being reconciled.
    case reportForAnotherFile(expected: String, found: String)

    /// A stable code for logs, JSON responses and tests.
    public var code: String {
        switch self {
        case .invalidField: return "payment.invalid_field"
        case .controlTotalsMismatch: return "payment.control_totals_mismatch"
        case .writerMisuse: return "payment.writer_misuse"
        case .writeFailed: return "payment.write_failed"
        case .unreadable: return "payment.unreadable"
        case .table(let error): return error.code
        case .notStatusReport: return "payment.not_status_report"
        case .truncated: return "payment.truncated"
        case .malformed: return "payment.malformed"
        case .missingValue: return "payment.missing_value"
        case .unknownStatus: return "payment.unknown_status"
        case .invalidAmount: return "payment.invalid_amount"
        case .missingColumn: return "payment.missing_column"
        case .duplicateEndToEndID: return "payment.duplicate_end_to_end_id"
        case .reportForAnotherFile: return "payment.report_for_another_file"
        }
    }

    public var vietnamese: String {
        switch self {
        case .invalidField(let field, let value, let paymentID):
            let which = paymentID.map { " (khoản \($0))" } ?? ""
            return "\(field.vietnamese) không hợp lệ: \"\(value)\"\(which)."
        case .controlTotalsMismatch(let scope, let declared, let written):
            return "Tổng kiểm soát của \(scope) không khớp: khai báo \(declared.count) giao dịch, \(declared.sum) đồng; "
                + "đã ghi \(written.count) giao dịch, \(written.sum) đồng. Không gửi tệp này."
        case .writerMisuse(let detail):
            return "Lỗi lập tệp chi trả: \(detail)."
        case .writeFailed(let detail):
            return "Không ghi được tệp chi trả (\(detail))."
        case .unreadable(let path, let reason):
            return "Không đọc được tệp \((path as NSString).lastPathComponent) (\(reason))."
        case .table(let error):
            return error.vietnamese
        case .notStatusReport(let root):
            let found = root.isEmpty ? "không có thẻ XML nào" : "gặp <\(root)>"
            return "Tệp không phải báo cáo trạng thái chi trả (pain.002) của ngân hàng: \(found)."
        case .truncated(let location):
            return "Tệp kết quả kết thúc giữa chừng (sau \(location.vietnamese)): có thể tải về chưa hết. Hãy lấy lại tệp từ ngân hàng."
        case .malformed(let location, let detail):
            return "Tệp kết quả bị hỏng ở \(location.vietnamese): \(detail)."
        case .missingValue(let location):
            return "Thiếu giá trị ở \(location.vietnamese)."
        case .unknownStatus(let status, let location):
            return "Trạng thái \"\(status)\" không rõ nghĩa ở \(location.vietnamese)."
        case .invalidAmount(let amount, let location):
            return "Số tiền \"\(amount)\" không hợp lệ (phải là số đồng nguyên, VND) ở \(location.vietnamese)."
        case .missingColumn(let column):
            return "Danh sách kết quả thiếu cột \"\(column)\"."
        case .duplicateEndToEndID(let id):
            return "Mã giao dịch \(id) xuất hiện hai lần trong cùng một bảng kê."
        case .reportForAnotherFile(let expected, let found):
            return "Báo cáo của ngân hàng trả lời cho tệp \"\(found)\", không phải tệp \"\(expected)\" đang đối soát."
        }
    }

    public var english: String {
        switch self {
        case .invalidField(let field, let value, let paymentID):
            let which = paymentID.map { " (payment \($0))" } ?? ""
            return "Invalid \(field.english.lowercased()) (\(field.element)): \"\(value)\"\(which)."
        case .controlTotalsMismatch(let scope, let declared, let written):
            return "Control totals of \(scope) do not match: declared \(declared.count) transactions, \(declared.sum) VND; "
                + "written \(written.count) transactions, \(written.sum) VND. Do not send this file."
        case .writerMisuse(let detail):
            return "Payment file writer used out of order: \(detail)."
        case .writeFailed(let detail):
            return "Cannot write the payment file (\(detail))."
        case .unreadable(let path, let reason):
            return "Cannot read the file \((path as NSString).lastPathComponent) (\(reason))."
        case .table(let error):
            return error.english
        case .notStatusReport(let root):
            let found = root.isEmpty ? "no XML element at all" : "found <\(root)>"
            return "The file is not a bank payment status report (pain.002): \(found)."
        case .truncated(let location):
            return "The result file ends too early (after \(location.english)): probably an incomplete download. Fetch it from the bank again."
        case .malformed(let location, let detail):
            return "The result file is damaged at \(location.english): \(detail)."
        case .missingValue(let location):
            return "Missing value at \(location.english)."
        case .unknownStatus(let status, let location):
            return "Unknown status \"\(status)\" at \(location.english)."
        case .invalidAmount(let amount, let location):
            return "Invalid amount \"\(amount)\" (a whole number of đồng, VND, is expected) at \(location.english)."
        case .missingColumn(let column):
            return "The result list has no column \"\(column)\"."
        case .duplicateEndToEndID(let id):
            return "End-to-end ID \(id) appears twice in one batch."
        case .reportForAnotherFile(let expected, let found):
            return "The bank's report answers file \"\(found)\", not file \"\(expected)\" being reconciled."
        }
    }

    public var description: String { "\(self.code): \(self.vietnamese) / \(self.english)" }
    public var errorDescription: String? { self.vietnamese + " / " + self.english }
}
