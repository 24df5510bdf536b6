import Foundation

/// A pretend bank for demos and benchmarks (`asxh demo`, `asxh bench pay`): answers a pain.001 file with a valid
/// pain.002.001.12 status report, paying most transfers and rejecting a fixed share.
///
/// Deterministic: the `n`-th transaction of a file (counting from 1) is rejected when `n` is a multiple of
/// `rejectEvery`, with AC01, AC04 and BE01 in turn; every other one is settled (`ACSC`). With `rejectWholeFile`
/// the report rejects the file as a whole (`GrpSts` RJCT and the reason) and lists no transaction, as banks do.
public struct BankSimulator: Sendable {
    /// Every `rejectEvery`-th transaction is rejected; 0 rejects none.
    public var rejectEvery: Int
    /// When set, the whole file is rejected for this reason.
    public var rejectWholeFile: PaymentReason?

    /// The reasons given in turn for single rejections.
    public static let rejectionReasons: [PaymentReason] = [.wrongAccountNumber, .closedAccount, .nameMismatch]

    /// The XML namespace of pain.002.001.12.
    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.12"

    public init(rejectEvery: Int = 20, rejectWholeFile: PaymentReason? = nil) {
        self.rejectEvery = rejectEvery
        self.rejectWholeFile = rejectWholeFile
    }

    /// Counts of what the simulated bank answered.
    public struct Response: Sendable, Hashable {
        /// The totals the original file declared.
        public var original: ControlTotals
        public var paid: ControlTotals
        public var rejected: ControlTotals
    }

    /// The result for the `position`-th transaction of a file (from 1).
    public func result(position: Int, endToEndID: String, amount: Int64) -> PaymentResultRecord {
        if let reason = self.rejectWholeFile {
            return PaymentResultRecord(endToEndID: endToEndID, status: .rejected, reason: reason)
        }
        if self.rejectEvery > 0 && position % self.rejectEvery == 0 {
            let reason = Self.rejectionReasons[(position / self.rejectEvery - 1) % Self.rejectionReasons.count]
            return PaymentResultRecord(endToEndID: endToEndID, status: .rejected, reason: reason, amount: amount)
        }
        return PaymentResultRecord(endToEndID: endToEndID, status: .paid, amount: amount,
                                   bankReference: Self.reference(position))
    }

    /// The results for `instructions` in order, in memory (for demos and tests).
    public func results(for instructions: some Sequence<PaymentInstruction>) -> [PaymentResultRecord] {
        instructions.enumerated().map { self.result(position: $0.offset + 1, endToEndID: $0.element.endToEndID,
                                                    amount: $0.element.amount) }
    }

    /// How many of `count` transactions this bank rejects.
    public func rejections(among count: Int) -> Int {
        if self.rejectWholeFile != nil { return count }
        return self.rejectEvery > 0 ? count / self.rejectEvery : 0
    }

    /// Reads the pain.001 at `inputPath` and writes the bank's pain.002 to `outputPath`, both streamed.
    @discardableResult
    public func respond(
        toPain001At inputPath: String,
        writingTo outputPath: String,
        messageID: String,
        createdAt: Date
    ) throws(PaymentFileError) -> Response {
        let messageID = try PaymentText.identifier(messageID, field: .messageID)
        var input = try Pain001Scanner(path: inputPath)
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: outputPath)
        else { throw .writeFailed(detail: "cannot create \(outputPath)") }
        defer { try? handle.close() }
        var output = XMLOutput(handle: handle)
        do throws(PaymentFileError) {
            return try self.respond(to: &input, messageID: messageID, createdAt: createdAt, output: &output)
        } catch {
            // A half answer would read as a truncated report; leave none.
            try? FileManager.default.removeItem(atPath: outputPath)
            throw error
        }
    }

    private func respond(
        to input: inout Pain001Scanner,
        messageID: String,
        createdAt: Date,
        output: inout XMLOutput
    ) throws(PaymentFileError) -> Response {
        var response = Response(original: .zero, paid: .zero, rejected: .zero)
        var position = 0
        var openBlock = false

        output.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        output.raw("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.12\">\n<CstmrPmtStsRpt>\n<GrpHdr>")
        output.element("<MsgId>", messageID, "</MsgId>")
        output.element("<CreDtTm>", PaymentText.isoDateTime(createdAt), "</CreDtTm>")
        output.raw("</GrpHdr>\n")
        while let events = try input.nextEvents() {
            for event in events {
                switch event {
                case .header(let originalID, let originalCreatedAt, let totals):
                    response.original = totals
                    self.writeGroup(originalID: originalID, createdAt: originalCreatedAt, totals: totals, to: &output)
                case .beginBlock(let id, let totals):
                    guard self.rejectWholeFile == nil else { continue }
                    output.raw("<OrgnlPmtInfAndSts>")
                    output.element("<OrgnlPmtInfId>", id, "</OrgnlPmtInfId>")
                    if let totals {
                        output.raw("<OrgnlNbOfTxs>")
                        output.integer(Int64(totals.count))
                        output.raw("</OrgnlNbOfTxs><OrgnlCtrlSum>")
                        output.integer(totals.sum)
                        output.raw("</OrgnlCtrlSum>")
                    }
                    output.raw("\n")
                    openBlock = true
                case .transaction(let instructionID, let endToEndID, let amount):
                    position += 1
                    let result = self.result(position: position, endToEndID: endToEndID, amount: amount)
                    if result.status == .paid { response.paid.add(amount) } else { response.rejected.add(amount) }
                    guard self.rejectWholeFile == nil else { continue }
                    Self.writeTransaction(result, instructionID: instructionID, amount: amount, to: &output)
                case .endBlock:
                    if openBlock { output.raw("</OrgnlPmtInfAndSts>\n") }
                    openBlock = false
                }
            }
            try output.flush()
        }
        output.raw("</CstmrPmtStsRpt>\n</Document>\n")
        try output.flush(force: true)
        return response
    }

    // MARK: - Writing

    private func writeGroup(originalID: String, createdAt: String, totals: ControlTotals, to output: inout XMLOutput) {
        let rejected = self.rejections(among: totals.count)
        output.raw("<OrgnlGrpInfAndSts>")
        output.element("<OrgnlMsgId>", originalID, "</OrgnlMsgId>")
        output.raw("<OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>")
        if !createdAt.isEmpty { output.element("<OrgnlCreDtTm>", createdAt, "</OrgnlCreDtTm>") }
        output.raw("<OrgnlNbOfTxs>")
        output.integer(Int64(totals.count))
        output.raw("</OrgnlNbOfTxs><OrgnlCtrlSum>")
        output.integer(totals.sum)
        output.raw("</OrgnlCtrlSum>")
        if rejected == 0 {
            output.raw("<GrpSts>ACSC</GrpSts>")
        } else if rejected == totals.count {
            output.raw("<GrpSts>RJCT</GrpSts>")
        } else {
            output.raw("<GrpSts>PART</GrpSts>")
        }
        if let reason = self.rejectWholeFile {
            output.raw("<StsRsnInf><Rsn>")
            Self.writeReason(reason, to: &output)
            output.raw("</Rsn></StsRsnInf>")
        }
        output.raw("</OrgnlGrpInfAndSts>\n")
    }

    private static func writeTransaction(
        _ result: PaymentResultRecord,
        instructionID: String?,
        amount: Int64,
        to output: inout XMLOutput
    ) {
        output.raw("<TxInfAndSts>")
        if let instructionID { output.element("<OrgnlInstrId>", instructionID, "</OrgnlInstrId>") }
        output.element("<OrgnlEndToEndId>", result.endToEndID, "</OrgnlEndToEndId>")
        if result.status == .paid {
            output.raw("<TxSts>ACSC</TxSts>")
        } else {
            output.raw("<TxSts>RJCT</TxSts>")
        }
        if let reason = result.reason {
            output.raw("<StsRsnInf><Rsn>")
            self.writeReason(reason, to: &output)
            output.raw("</Rsn></StsRsnInf>")
        }
        if let reference = result.bankReference { output.element("<AcctSvcrRef>", reference, "</AcctSvcrRef>") }
        output.raw("<OrgnlTxRef><Amt><InstdAmt Ccy=\"VND\">")
        output.integer(amount)
        output.raw("</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>\n")
    }

    private static func writeReason(_ reason: PaymentReason, to output: inout XMLOutput) {
        if case .other(let text) = reason, text.utf8.count > 4 {
            // Cd holds a 4-character code; longer words are the bank's own (Prtry, up to 35).
            output.element("<Prtry>", String(text.prefix(35)), "</Prtry>")
        } else {
            output.element("<Cd>", reason.code, "</Cd>")
        }
    }

    /// A bank reference like the ones on statements: "SIM" and the position, 12 digits.
    static func reference(_ position: Int) -> String {
        let digits = String(position)
        return "SIM" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
}
