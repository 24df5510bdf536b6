import Foundation

/// What the bank simulator needs from a pain.001 file, read in chunks: the group header, the blocks and each
/// transaction's IDs and amount. Not a validating reader: asxh reads back only files it wrote.
struct Pain001Scanner {
    enum Event {
        case header(messageID: String, createdAt: String, totals: ControlTotals)
        case beginBlock(id: String, totals: ControlTotals?)
        case transaction(instructionID: String?, endToEndID: String, amount: Int64)
        case endBlock
    }

    private let path: String
    private let file: RawFile
    private var chunk: [UInt8]
    private var scanner = XMLByteScanner()
    private var handler = Pain001Handler()
    private var reachedEnd = false

    init(path: String, chunkSize: Int = 1 << 20) throws(PaymentFileError) {
        self.path = path
        do {
            self.file = try RawFile(path: path)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        self.chunk = [UInt8](repeating: 0, count: chunkSize)
    }

    /// The events of the next chunk (possibly none); nil at the end of the file.
    mutating func nextEvents() throws(PaymentFileError) -> [Event]? {
        if self.reachedEnd { return nil }
        self.handler.events.removeAll(keepingCapacity: true)
        let count: Int
        do {
            count = try self.chunk.withUnsafeMutableBytes { try self.file.read(into: $0) }
        } catch {
            throw .unreadable(path: self.path, reason: "\(error)")
        }
        do {
            try self.chunk.withUnsafeBufferPointer { bytes in
                try self.scanner.feed(UnsafeBufferPointer(rebasing: bytes[0..<count]), into: &self.handler)
            }
            if count < self.chunk.count {
                self.reachedEnd = true
                try self.scanner.finish(into: &self.handler)
                guard self.handler.closed else {
                    throw PaymentFileError.truncated(at: .element(path: "CstmrCdtTrfInitn", transaction: nil))
                }
            }
        } catch let error as PaymentFileError {
            throw error
        } catch {
            throw .truncated(at: .element(path: "CstmrCdtTrfInitn", transaction: nil))
        }
        return self.handler.events
    }
}

/// The element names the scanner looks at; every other element is `.other`.
private enum Pain001Tag: UInt8 {
    case other, document, initiation, groupHeader, messageID, createdAt, count, sum
    case block, blockID, transaction, paymentID, instructionID, endToEndID, amount, instructedAmount

    init(_ name: UnsafeBufferPointer<UInt8>) {
        switch name.count {
        case 3: if XMLBytes.equals(name, "Amt") { self = .amount; return }
        case 5:
            if XMLBytes.equals(name, "MsgId") { self = .messageID; return }
            if XMLBytes.equals(name, "PmtId") { self = .paymentID; return }
        case 6:
            if XMLBytes.equals(name, "GrpHdr") { self = .groupHeader; return }
            if XMLBytes.equals(name, "PmtInf") { self = .block; return }
        case 7:
            if XMLBytes.equals(name, "CreDtTm") { self = .createdAt; return }
            if XMLBytes.equals(name, "NbOfTxs") { self = .count; return }
            if XMLBytes.equals(name, "CtrlSum") { self = .sum; return }
            if XMLBytes.equals(name, "InstrId") { self = .instructionID; return }
        case 8:
            if XMLBytes.equals(name, "Document") { self = .document; return }
            if XMLBytes.equals(name, "PmtInfId") { self = .blockID; return }
            if XMLBytes.equals(name, "InstdAmt") { self = .instructedAmount; return }
        case 10: if XMLBytes.equals(name, "EndToEndId") { self = .endToEndID; return }
        case 11: if XMLBytes.equals(name, "CdtTrfTxInf") { self = .transaction; return }
        case 16: if XMLBytes.equals(name, "CstmrCdtTrfInitn") { self = .initiation; return }
        default: break
        }
        self = .other
    }
}

private struct Pain001Handler: XMLByteHandler {
    private enum Field {
        case messageID, createdAt, groupCount, groupSum, blockID, blockCount, blockSum, instructionID, endToEndID, amount
    }

    var events: [Pain001Scanner.Event] = []
    private(set) var closed = false
    private var stack: [Pain001Tag] = []
    private var field: Field?
    private var text: [UInt8] = []
    private var messageID = ""
    private var createdAt = ""
    private var groupTotals = ControlTotals.zero
    private var blockID = ""
    private var blockCount: Int?
    private var blockSum: Int64?
    private var blockStarted = false
    private var instructionID: String?
    private var endToEndID = ""
    private var amount: Int64 = 0

    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws {
        let tag = Pain001Tag(name)
        if self.stack.count == 1 && tag != .initiation {
            throw PaymentFileError.malformed(at: .element(path: String(decoding: name, as: UTF8.self), transaction: nil),
                                             detail: "not a pain.001 credit transfer file")
        }
        switch (self.stack.last ?? .other, tag) {
        case (.groupHeader, .messageID): self.field = .messageID
        case (.groupHeader, .createdAt): self.field = .createdAt
        case (.groupHeader, .count): self.field = .groupCount
        case (.groupHeader, .sum): self.field = .groupSum
        case (.block, .blockID): self.field = .blockID
        case (.block, .count): self.field = .blockCount
        case (.block, .sum): self.field = .blockSum
        case (.block, .transaction):
            if !self.blockStarted { self.startBlock() }
            self.instructionID = nil
            self.endToEndID = ""
            self.amount = 0
        case (.paymentID, .instructionID): self.field = .instructionID
        case (.paymentID, .endToEndID): self.field = .endToEndID
        case (.amount, .instructedAmount): self.field = .amount
        case (.initiation, .block):
            self.blockID = ""
            self.blockCount = nil
            self.blockSum = nil
            self.blockStarted = false
        default: break
        }
        self.text.removeAll(keepingCapacity: true)
        self.stack.append(tag)
    }

    mutating func characters(_ text: UnsafeBufferPointer<UInt8>, cdata: Bool) throws {
        guard self.field != nil else { return }
        XMLBytes.appendResolvingEntities(text, to: &self.text)
    }

    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws {
        let tag = self.stack.removeLast()
        if let field = self.field {
            self.field = nil
            try self.store(field)
        }
        switch tag {
        case .groupHeader:
            self.events.append(.header(messageID: self.messageID, createdAt: self.createdAt, totals: self.groupTotals))
        case .transaction:
            self.events.append(.transaction(instructionID: self.instructionID, endToEndID: self.endToEndID,
                                            amount: self.amount))
        case .block:
            if !self.blockStarted { self.startBlock() }
            self.events.append(.endBlock)
        case .initiation:
            self.closed = true
        default:
            break
        }
    }

    private mutating func store(_ field: Field) throws {
        let value = String(decoding: self.text, as: UTF8.self)
        switch field {
        case .messageID: self.messageID = value
        case .createdAt: self.createdAt = value
        case .groupCount: self.groupTotals.count = Int(value) ?? 0
        case .groupSum: self.groupTotals.sum = PaymentAmountText.xmlDecimal(self.text) ?? 0
        case .blockID: self.blockID = value
        case .blockCount: self.blockCount = Int(value)
        case .blockSum: self.blockSum = PaymentAmountText.xmlDecimal(self.text)
        case .instructionID: self.instructionID = value
        case .endToEndID: self.endToEndID = value
        case .amount:
            guard let amount = PaymentAmountText.xmlDecimal(self.text) else {
                throw PaymentFileError.invalidAmount(value, at: .element(path: "CdtTrfTxInf/Amt/InstdAmt", transaction: nil))
            }
            self.amount = amount
        }
    }

    private mutating func startBlock() {
        self.blockStarted = true
        var totals: ControlTotals?
        if let count = self.blockCount, let sum = self.blockSum { totals = ControlTotals(count: count, sum: sum) }
        self.events.append(.beginBlock(id: self.blockID, totals: totals))
    }
}
