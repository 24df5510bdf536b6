import Foundation

/// Writes a customer credit transfer initiation (ISO 20022 pain.001.001.09), the file a bank pays from, one
/// transaction at a time: memory stays flat for a million transfers.
///
/// The group header comes first in the file but states the number of transactions and their sum, so the caller
/// gives those totals up front (it knows them: they are the batch's control totals) and the writer checks them
/// against what was written, at the end of each payment information block and in `finish()`. When they differ it
/// throws, and a file the writer created itself is deleted (as it is when the writer is dropped unfinished): a file
/// whose header lies must never reach a bank.
///
/// ```swift
/// let writer = try Pain001Writer(path: path, header: header, totals: batchTotals)
/// try writer.beginPaymentInformation(block, totals: batchTotals)
/// for instruction in instructions { try writer.write(instruction) }
/// try writer.finish()
/// ```
///
/// Element order, lengths and the VND amount form (whole đồng, no decimals) follow the official XSD; the tests
/// validate the output with it.
public final class Pain001Writer {
    /// The XML namespace of pain.001.001.09.
    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

    private enum State {
        case awaitingBlock
        case inBlock(id: String, declared: ControlTotals, written: ControlTotals)
        case finished
    }

    private var output: XMLOutput
    private let handle: FileHandle
    private let ownedPath: String?
    private let declared: ControlTotals
    private var written = ControlTotals.zero
    private var blocks = 0
    private var state = State.awaitingBlock

    /// Writes to `handle`, which the writer does not close.
    public convenience init(handle: FileHandle, header: Pain001Header, totals: ControlTotals) throws(PaymentFileError) {
        try self.init(handle: handle, ownedPath: nil, header: header, totals: totals)
    }

    /// Creates (or truncates) the file at `path`; `finish()` closes it.
    public convenience init(path: String, header: Pain001Header, totals: ControlTotals) throws(PaymentFileError) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw .writeFailed(detail: "cannot create \(path)") }
        do throws(PaymentFileError) {
            try self.init(handle: handle, ownedPath: path, header: header, totals: totals)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    private init(handle: FileHandle, ownedPath: String?, header: Pain001Header, totals: ControlTotals) throws(PaymentFileError) {
        let messageID = try PaymentText.identifier(header.messageID, field: .messageID)
        let party = PaymentText.ascii(header.initiatingPartyName, maximum: 140)
        guard !party.isEmpty else {
            throw .invalidField(.initiatingPartyName, value: header.initiatingPartyName, paymentID: nil)
        }
        try Self.checkDeclared(totals, scope: "GrpHdr")
        self.handle = handle
        self.ownedPath = ownedPath
        self.declared = totals
        self.output = XMLOutput(handle: handle)

        self.output.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        self.output.raw("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">\n<CstmrCdtTrfInitn>\n")
        self.output.raw("<GrpHdr>")
        self.output.element("<MsgId>", messageID, "</MsgId>")
        self.output.element("<CreDtTm>", PaymentText.isoDateTime(header.createdAt), "</CreDtTm>")
        self.output.raw("<NbOfTxs>")
        self.output.integer(Int64(totals.count))
        self.output.raw("</NbOfTxs><CtrlSum>")
        self.output.integer(totals.sum)
        self.output.raw("</CtrlSum><InitgPty>")
        self.output.element("<Nm>", party, "</Nm>")
        self.output.raw("</InitgPty></GrpHdr>\n")
    }

    deinit {
        // A writer dropped before `finish()` (the caller's loop threw) leaves no half file behind it.
        if case .finished = self.state {} else { self.abandon() }
    }

    /// Starts a payment information block: one debit account and execution date, with the totals of the
    /// transactions that will follow in it. Closes (and checks) the previous block.
    public func beginPaymentInformation(_ block: Pain001PaymentInformation, totals: ControlTotals) throws(PaymentFileError) {
        try self.closeBlock()
        guard case .awaitingBlock = self.state else { throw .writerMisuse(detail: "the file is already finished") }
        let id = try PaymentText.identifier(block.id, field: .paymentInformationID)
        let debtor = PaymentText.ascii(block.debtorName, maximum: 140)
        guard !debtor.isEmpty else { throw .invalidField(.debtorName, value: block.debtorName, paymentID: nil) }
        let account = PaymentText.compactAccount(block.debtorAccount)
        guard PaymentInstruction.isCompactAccount(account) else {
            throw .invalidField(.debtorAccount, value: block.debtorAccount, paymentID: nil)
        }
        guard PaymentInstruction.isBIN(block.debtorBankBIN) else {
            throw .invalidField(.debtorBankBIN, value: block.debtorBankBIN, paymentID: nil)
        }
        try Self.checkDeclared(totals, scope: "PmtInf \(id)")

        self.output.raw("<PmtInf>")
        self.output.element("<PmtInfId>", id, "</PmtInfId>")
        self.output.raw("<PmtMtd>TRF</PmtMtd><NbOfTxs>")
        self.output.integer(Int64(totals.count))
        self.output.raw("</NbOfTxs><CtrlSum>")
        self.output.integer(totals.sum)
        self.output.raw("</CtrlSum><ReqdExctnDt>")
        self.output.element("<Dt>", block.requestedExecutionDate.iso, "</Dt>")
        self.output.raw("</ReqdExctnDt><Dbtr>")
        self.output.element("<Nm>", debtor, "</Nm>")
        self.output.raw("</Dbtr><DbtrAcct><Id><Othr>")
        self.output.element("<Id>", account, "</Id>")
        self.output.raw("</Othr></Id></DbtrAcct><DbtrAgt><FinInstnId><ClrSysMmbId>")
        self.output.element("<MmbId>", block.debtorBankBIN, "</MmbId>")
        self.output.raw("</ClrSysMmbId></FinInstnId></DbtrAgt>\n")
        self.blocks += 1
        self.state = .inBlock(id: id, declared: totals, written: .zero)
    }

    /// Appends one transfer to the current block.
    public func write(_ instruction: PaymentInstruction) throws(PaymentFileError) {
        guard case .inBlock(let id, let declared, var blockWritten) = self.state else {
            throw .writerMisuse(detail: "a payment was written outside a payment information block")
        }
        self.appendTransaction(instruction)
        blockWritten.add(instruction.amount)
        self.written.add(instruction.amount)
        self.state = .inBlock(id: id, declared: declared, written: blockWritten)
        try self.output.flush()
    }

    /// Closes the file after checking every total; returns what was written. A file the writer created is
    /// closed, and deleted if a total does not match.
    @discardableResult
    public func finish() throws(PaymentFileError) -> ControlTotals {
        do throws(PaymentFileError) {
            try self.closeBlock()
            guard case .awaitingBlock = self.state else { throw .writerMisuse(detail: "the file is already finished") }
            guard self.blocks > 0 else { throw .writerMisuse(detail: "a file needs at least one payment information block") }
            guard self.written == self.declared else {
                throw .controlTotalsMismatch(scope: "GrpHdr", declared: self.declared, written: self.written)
            }
            self.output.raw("</CstmrCdtTrfInitn>\n</Document>\n")
            try self.output.flush(force: true)
            self.state = .finished
            if self.ownedPath != nil {
                do { try self.handle.close() } catch { throw .writeFailed(detail: "\(error)") }
            }
            return self.written
        } catch {
            self.abandon()
            throw error
        }
    }

    // MARK: - Private

    private func appendTransaction(_ instruction: PaymentInstruction) {
        self.output.raw("<CdtTrfTxInf><PmtId>")
        // InstrId is only between us and our bank; the end-to-end ID serves, and keeps a resent file idempotent.
        self.output.element("<InstrId>", instruction.endToEndID, "</InstrId>")
        self.output.element("<EndToEndId>", instruction.endToEndID, "</EndToEndId>")
        self.output.raw("</PmtId><Amt><InstdAmt Ccy=\"VND\">")
        self.output.integer(instruction.amount)
        self.output.raw("</InstdAmt></Amt><CdtrAgt><FinInstnId><ClrSysMmbId>")
        self.output.element("<MmbId>", instruction.creditorBankBIN, "</MmbId>")
        self.output.raw("</ClrSysMmbId></FinInstnId></CdtrAgt><Cdtr>")
        self.output.element("<Nm>", instruction.creditorName, "</Nm>")
        self.output.raw("</Cdtr><CdtrAcct><Id><Othr>")
        self.output.element("<Id>", instruction.creditorAccount, "</Id>")
        self.output.raw("</Othr></Id></CdtrAcct><RmtInf>")
        self.output.element("<Ustrd>", instruction.remittanceInformation, "</Ustrd>")
        self.output.raw("</RmtInf></CdtTrfTxInf>\n")
    }

    private func closeBlock() throws(PaymentFileError) {
        guard case .inBlock(let id, let declared, let written) = self.state else { return }
        guard written == declared else {
            throw .controlTotalsMismatch(scope: "PmtInf \(id)", declared: declared, written: written)
        }
        self.output.raw("</PmtInf>\n")
        self.state = .awaitingBlock
    }

    /// After a failed check: nothing more is written, and a file the writer created is removed.
    private func abandon() {
        self.state = .finished
        if let path = self.ownedPath {
            try? self.handle.close()
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    private static func checkDeclared(_ totals: ControlTotals, scope: String) throws(PaymentFileError) {
        guard totals.count > 0 && totals.sum > 0 && totals.sum < 1_000_000_000_000_000_000 else {
            throw .writerMisuse(detail: "\(scope) declares \(totals.count) payments, \(totals.sum) đồng: "
                + "a file needs at least one payment, and at most 18 digits of total")
        }
    }
}

extension Pain001Writer {
    /// Writes `instructions` as one file with one payment information block, counting the totals in a first pass
    /// over the collection: for callers that hold the payments (demos, tests, small batches).
    @discardableResult
    public static func write(
        _ instructions: some Collection<PaymentInstruction>,
        header: Pain001Header,
        paymentInformation: Pain001PaymentInformation,
        to path: String
    ) throws(PaymentFileError) -> ControlTotals {
        let totals = ControlTotals(amounts: instructions.lazy.map(\.amount))
        let writer = try Pain001Writer(path: path, header: header, totals: totals)
        try writer.beginPaymentInformation(paymentInformation, totals: totals)
        for instruction in instructions { try writer.write(instruction) }
        return try writer.finish()
    }
}
