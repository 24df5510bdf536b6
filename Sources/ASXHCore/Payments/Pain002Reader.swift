import Foundation

/// Reads a bank's customer payment status report (ISO 20022 pain.002, written for version 001.12 and reading the
/// earlier versions' same elements) one transaction at a time, in chunks: memory stays flat for a million results.
///
/// Each `TxInfAndSts` becomes a `PaymentResultRecord`:
/// - status from `TxSts`, else the block's `PmtInfSts`, else the group's `GrpSts` (mapping in
///   `PaymentStatus.init(isoCode:)`); a group or block rejected as a whole (`RJCT`) rejects every transaction in it;
/// - reason from the transaction's first `StsRsnInf/Rsn/Cd` (or `Prtry`), else, for a rejection, the block's or the
///   group's;
/// - amount from `OrgnlTxRef/Amt/InstdAmt` (VND only), bank reference from `AcctSvcrRef`, else `ClrSysRef`.
///
/// A bank that rejects a whole file often lists no transaction at all: `report.isRejectedAsWhole` then stands for
/// every payment of the original file (`PaymentReconciliation.settleUnreported` applies it).
/// Unknown status codes, missing end-to-end IDs, non-VND or fractional amounts and a file that ends early are
/// errors naming the transaction and element, never guesses.
public final class Pain002Reader {
    public let path: String
    /// The file-level facts read so far (complete once `next()` has returned nil).
    public var report: Pain002Report { self.handler.report }

    private let file: RawFile
    private var chunk: [UInt8]
    private var scanner = XMLByteScanner()
    private var handler = Pain002Handler()
    private var delivered = 0
    private var reachedEnd = false

    /// Opens `path`; `chunkSize` is the read size in bytes.
    public init(path: String, chunkSize: Int = 1 << 20) throws(PaymentFileError) {
        self.path = path
        do {
            self.file = try RawFile(path: path)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        self.chunk = [UInt8](repeating: 0, count: max(chunkSize, 64))
    }

    /// The next transaction's result in file order, or nil after the last one.
    public func next() throws(PaymentFileError) -> PaymentResultRecord? {
        while true {
            if self.delivered < self.handler.records.count {
                self.delivered += 1
                return self.handler.records[self.delivered - 1]
            }
            if self.reachedEnd { return nil }
            self.handler.records.removeAll(keepingCapacity: true)
            self.delivered = 0
            try self.readChunk()
        }
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

    private func readChunk() throws(PaymentFileError) {
        let count: Int
        do {
            count = try self.chunk.withUnsafeMutableBytes { try self.file.read(into: $0) }
        } catch {
            throw .unreadable(path: self.path, reason: "\(error)")
        }
        do {
            if count > 0 {
                try self.chunk.withUnsafeBufferPointer { bytes in
                    try self.scanner.feed(UnsafeBufferPointer(rebasing: bytes[0..<count]), into: &self.handler)
                }
            }
            if count < self.chunk.count {
                self.reachedEnd = true
                try self.scanner.finish(into: &self.handler)
                guard self.handler.sawRoot else { throw PaymentFileError.notStatusReport(root: "") }
                guard self.handler.closed else { throw PaymentFileError.truncated(at: self.handler.location) }
            }
        } catch let error as PaymentFileError {
            self.reachedEnd = true
            throw error
        } catch {
            // The scanner's own complaint (a tag left open at the end of the file).
            self.reachedEnd = true
            throw .truncated(at: self.handler.location)
        }
    }
}

/// The element names the reader looks at; every other element is `.other`.
private enum Pain002Tag: UInt8 {
    case other, document, report, groupHeader, messageID
    case originalGroup, originalMessageID, originalMessageName, originalCount, originalSum, groupStatus
    case statusReason, reason, code, proprietary
    case originalPaymentInformation, originalPaymentInformationID, paymentInformationStatus
    case transaction, originalEndToEndID, transactionStatus, servicerReference, clearingReference
    case originalTransactionReference, amount, instructedAmount

    init(_ name: UnsafeBufferPointer<UInt8>) {
        switch name.count {
        case 2:
            if XMLBytes.equals(name, "Cd") { self = .code; return }
        case 3:
            if XMLBytes.equals(name, "Rsn") { self = .reason; return }
            if XMLBytes.equals(name, "Amt") { self = .amount; return }
        case 5:
            if XMLBytes.equals(name, "MsgId") { self = .messageID; return }
            if XMLBytes.equals(name, "TxSts") { self = .transactionStatus; return }
            if XMLBytes.equals(name, "Prtry") { self = .proprietary; return }
        case 6:
            if XMLBytes.equals(name, "GrpHdr") { self = .groupHeader; return }
            if XMLBytes.equals(name, "GrpSts") { self = .groupStatus; return }
        case 8:
            if XMLBytes.equals(name, "Document") { self = .document; return }
            if XMLBytes.equals(name, "InstdAmt") { self = .instructedAmount; return }
        case 9:
            if XMLBytes.equals(name, "StsRsnInf") { self = .statusReason; return }
            if XMLBytes.equals(name, "PmtInfSts") { self = .paymentInformationStatus; return }
            if XMLBytes.equals(name, "ClrSysRef") { self = .clearingReference; return }
        case 10:
            if XMLBytes.equals(name, "OrgnlMsgId") { self = .originalMessageID; return }
            if XMLBytes.equals(name, "OrgnlTxRef") { self = .originalTransactionReference; return }
        case 11:
            if XMLBytes.equals(name, "TxInfAndSts") { self = .transaction; return }
            if XMLBytes.equals(name, "AcctSvcrRef") { self = .servicerReference; return }
        case 12:
            if XMLBytes.equals(name, "OrgnlMsgNmId") { self = .originalMessageName; return }
            if XMLBytes.equals(name, "OrgnlNbOfTxs") { self = .originalCount; return }
            if XMLBytes.equals(name, "OrgnlCtrlSum") { self = .originalSum; return }
        case 13:
            if XMLBytes.equals(name, "OrgnlPmtInfId") { self = .originalPaymentInformationID; return }
        case 14:
            if XMLBytes.equals(name, "CstmrPmtStsRpt") { self = .report; return }
        case 15:
            if XMLBytes.equals(name, "OrgnlEndToEndId") { self = .originalEndToEndID; return }
        case 17:
            if XMLBytes.equals(name, "OrgnlGrpInfAndSts") { self = .originalGroup; return }
            if XMLBytes.equals(name, "OrgnlPmtInfAndSts") { self = .originalPaymentInformation; return }
        default:
            break
        }
        self = .other
    }
}

/// The scanner's handler: a stack of tags tells which element a text belongs to.
private struct Pain002Handler: XMLByteHandler {
    /// Which value the text being gathered is.
    private enum Field {
        case messageID, originalMessageID, originalMessageName, originalCount, originalSum, groupStatus, groupReason
        case blockID, blockStatus, blockReason
        case endToEndID, transactionStatus, transactionReason, servicerReference, clearingReference, amount
    }

    private struct Transaction {
        var endToEndID: String?
        var statusCode: String?
        var reason: PaymentReason?
        var amount: Int64?
        var servicerReference: String?
        var clearingReference: String?
    }

    var report = Pain002Report()
    var records: [PaymentResultRecord] = []
    private(set) var closed = false

    private var stack: [Pain002Tag] = []
    private var field: Field?
    private var text: [UInt8] = []
    private var block: Pain002PaymentInformationStatus?
    private var transaction = Transaction()
    private var transactionIndex = 0
    /// The last element whose value was read, and its transaction: where an error or a cut is reported.
    private(set) var location = PaymentFileLocation.element(path: "Document", transaction: nil)
    private(set) var sawRoot = false

    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws {
        let tag = Pain002Tag(name)
        let depth = self.stack.count
        if depth == 0 && tag != .document || depth == 1 && tag != .report {
            throw PaymentFileError.notStatusReport(root: String(decoding: name, as: UTF8.self))
        }
        self.sawRoot = true
        if self.closed { throw PaymentFileError.malformed(at: self.location, detail: "content after </CstmrPmtStsRpt>") }
        let parent = self.stack.last ?? .other
        var field: Field?
        switch tag {
        case .messageID where parent == .groupHeader && depth == 3:
            field = .messageID
        case .originalMessageID where parent == .originalGroup: field = .originalMessageID
        case .originalMessageName where parent == .originalGroup: field = .originalMessageName
        case .originalCount where parent == .originalGroup: field = .originalCount
        case .originalSum where parent == .originalGroup: field = .originalSum
        case .groupStatus where parent == .originalGroup: field = .groupStatus
        case .originalPaymentInformation where parent == .report:
            self.block = Pain002PaymentInformationStatus(id: "")
        case .originalPaymentInformationID where parent == .originalPaymentInformation: field = .blockID
        case .paymentInformationStatus where parent == .originalPaymentInformation: field = .blockStatus
        case .transaction where parent == .originalPaymentInformation:
            self.transaction = Transaction()
            self.transactionIndex += 1
            self.location = .element(path: "OrgnlPmtInfAndSts/TxInfAndSts", transaction: self.transactionIndex)
        case .originalEndToEndID where parent == .transaction: field = .endToEndID
        case .transactionStatus where parent == .transaction: field = .transactionStatus
        case .servicerReference where parent == .transaction: field = .servicerReference
        case .clearingReference where parent == .transaction: field = .clearingReference
        case .code where parent == .reason, .proprietary where parent == .reason:
            // StsRsnInf/Rsn/Cd: whose reason depends on the StsRsnInf's parent.
            guard depth >= 3, self.stack[depth - 2] == .statusReason else { break }
            switch self.stack[depth - 3] {
            case .originalGroup where self.report.groupReason == nil: field = .groupReason
            case .originalPaymentInformation where self.block?.reason == nil: field = .blockReason
            case .transaction where self.transaction.reason == nil: field = .transactionReason
            default: break
            }
        case .instructedAmount where parent == .amount:
            guard depth >= 3, self.stack[depth - 2] == .originalTransactionReference,
                  self.stack[depth - 3] == .transaction
            else { break }
            self.location = self.location(of: .amount)
            var currency = ""
            XMLBytes.forEachAttribute(attributes) { name, value in
                if XMLBytes.equals(name, "Ccy") { currency = XMLBytes.string(attribute: value) }
            }
            guard currency == "VND" else {
                throw PaymentFileError.invalidAmount("Ccy=\"\(currency)\"", at: self.location)
            }
            field = .amount
        default:
            break
        }
        self.stack.append(tag)
        if let field {
            self.field = field
            self.text.removeAll(keepingCapacity: true)
            self.location = self.location(of: field)
        }
    }

    mutating func characters(_ text: UnsafeBufferPointer<UInt8>, cdata: Bool) throws {
        guard self.field != nil else { return }
        if cdata {
            self.text.append(contentsOf: text)
        } else {
            XMLBytes.appendResolvingEntities(text, to: &self.text)
        }
    }

    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws {
        let tag = Pain002Tag(name)
        guard let top = self.stack.last, top == tag else {
            throw PaymentFileError.malformed(
                at: self.location, detail: "</\(String(decoding: name, as: UTF8.self))> closes nothing open")
        }
        if let field = self.field {
            self.field = nil
            try self.store(field)
        }
        switch tag {
        case .transaction where self.stack.count >= 2 && self.stack[self.stack.count - 2] == .originalPaymentInformation:
            try self.emitTransaction()
        case .originalPaymentInformation where self.stack.count == 3:
            if let block = self.block { self.report.paymentInformation.append(block) }
            self.block = nil
        case .report:
            self.closed = true
        default:
            break
        }
        self.stack.removeLast()
    }

    // MARK: - Values

    private mutating func store(_ field: Field) throws {
        let value = self.trimmedText()
        switch field {
        case .messageID: self.report.messageID = value
        case .originalMessageID: self.report.originalMessageID = value
        case .originalMessageName: self.report.originalMessageName = value
        case .originalCount:
            guard let count = Int(value), count >= 0 else {
                throw PaymentFileError.malformed(at: self.location, detail: "OrgnlNbOfTxs \"\(value)\" is not a count")
            }
            self.report.originalCount = count
        case .originalSum:
            guard let sum = PaymentAmountText.xmlDecimal(value.utf8) else {
                throw PaymentFileError.invalidAmount(value, at: self.location)
            }
            self.report.originalSum = sum
        case .groupStatus:
            guard let status = PaymentStatus(isoCode: value) else {
                throw PaymentFileError.unknownStatus(value, at: self.location)
            }
            self.report.groupStatusCode = value
            self.report.groupStatus = status
        case .groupReason: self.report.groupReason = PaymentReason(code: value)
        case .blockID: self.block?.id = value
        case .blockStatus:
            guard let status = PaymentStatus(isoCode: value) else {
                throw PaymentFileError.unknownStatus(value, at: self.location)
            }
            self.block?.statusCode = value
            self.block?.status = status
        case .blockReason: self.block?.reason = PaymentReason(code: value)
        case .endToEndID: self.transaction.endToEndID = value
        case .transactionStatus: self.transaction.statusCode = value
        case .transactionReason: self.transaction.reason = PaymentReason(code: value)
        case .servicerReference: self.transaction.servicerReference = value
        case .clearingReference: self.transaction.clearingReference = value
        case .amount:
            guard let amount = PaymentAmountText.xmlDecimal(self.text) else {
                throw PaymentFileError.invalidAmount(value, at: self.location)
            }
            self.transaction.amount = amount
        }
    }

    private mutating func emitTransaction() throws {
        let index = self.transactionIndex
        func at(_ element: String) -> PaymentFileLocation {
            .element(path: "OrgnlPmtInfAndSts/TxInfAndSts/\(element)", transaction: index)
        }
        guard let endToEndID = self.transaction.endToEndID, !endToEndID.isEmpty else {
            throw PaymentFileError.missingValue(at: at("OrgnlEndToEndId"))
        }
        let status: PaymentStatus
        if self.report.groupStatus == .rejected || self.block?.status == .rejected {
            // A group or block rejected as a whole: nothing in it was paid, whatever a line says.
            status = .rejected
        } else if let code = self.transaction.statusCode {
            guard let mapped = PaymentStatus(isoCode: code) else { throw PaymentFileError.unknownStatus(code, at: at("TxSts")) }
            status = mapped
        } else if let inherited = self.block?.status ?? self.report.groupStatus {
            status = inherited
        } else {
            throw PaymentFileError.missingValue(at: at("TxSts"))
        }
        var reason = self.transaction.reason
        if reason == nil && status == .rejected {
            reason = self.block?.reason ?? self.report.groupReason
        }
        self.records.append(PaymentResultRecord(
            endToEndID: endToEndID,
            status: status,
            reason: reason,
            amount: self.transaction.amount,
            bankReference: self.transaction.servicerReference ?? self.transaction.clearingReference
        ))
        self.report.transactionCount += 1
        self.report.countByStatus[status, default: 0] += 1
        self.block?.transactionCount += 1
    }

    private func trimmedText() -> String {
        var start = 0
        var end = self.text.count
        while start < end && XMLByteScanner.isSpace(self.text[start]) { start += 1 }
        while end > start && XMLByteScanner.isSpace(self.text[end - 1]) { end -= 1 }
        return String(decoding: self.text[start..<end], as: UTF8.self)
    }

    private func location(of field: Field) -> PaymentFileLocation {
        switch field {
        case .endToEndID, .transactionStatus, .transactionReason, .servicerReference, .clearingReference, .amount:
            return .element(path: "OrgnlPmtInfAndSts/TxInfAndSts/" + self.path(of: field), transaction: self.transactionIndex)
        default:
            return .element(path: self.path(of: field), transaction: nil)
        }
    }

    private func path(of field: Field) -> String {
        switch field {
        case .messageID: return "GrpHdr/MsgId"
        case .originalMessageID: return "OrgnlGrpInfAndSts/OrgnlMsgId"
        case .originalMessageName: return "OrgnlGrpInfAndSts/OrgnlMsgNmId"
        case .originalCount: return "OrgnlGrpInfAndSts/OrgnlNbOfTxs"
        case .originalSum: return "OrgnlGrpInfAndSts/OrgnlCtrlSum"
        case .groupStatus: return "OrgnlGrpInfAndSts/GrpSts"
        case .groupReason: return "OrgnlGrpInfAndSts/StsRsnInf/Rsn"
        case .blockID: return "OrgnlPmtInfAndSts/OrgnlPmtInfId"
        case .blockStatus: return "OrgnlPmtInfAndSts/PmtInfSts"
        case .blockReason: return "OrgnlPmtInfAndSts/StsRsnInf/Rsn"
        case .endToEndID: return "OrgnlEndToEndId"
        case .transactionStatus: return "TxSts"
        case .transactionReason: return "StsRsnInf/Rsn"
        case .servicerReference: return "AcctSvcrRef"
        case .clearingReference: return "ClrSysRef"
        case .amount: return "OrgnlTxRef/Amt/InstdAmt"
        }
    }
}
