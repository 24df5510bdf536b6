import Foundation
import Testing
@testable import ASXHCore

/// A fresh temporary directory per call, so parallel tests never share files.
private func temporaryPath(_ name: String) -> String {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("asxh-payments-tests-\(UUID().uuidString)", isDirectory: true)
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent(name).path
}

private func writeFile(_ name: String, _ text: String) -> String {
    let path = temporaryPath(name)
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}

private func contents(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

/// The official schemas, committed beside the code (copied from ../shared/data/iso20022).
private let schemaDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("schemas/iso20022").path

/// Runs `xmllint --schema`; a missing xmllint fails the test with a message instead of passing silently.
private func validate(_ path: String, schema: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let candidates = ["/usr/bin/xmllint", "/usr/local/bin/xmllint", "/opt/homebrew/bin/xmllint"]
    guard let xmllint = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        Issue.record("xmllint is not installed: install it (apt-get install -y libxml2-utils) to check files against the ISO 20022 XSD",
                     sourceLocation: sourceLocation)
        return
    }
    let schemaPath = "\(schemaDirectory)/\(schema)"
    guard FileManager.default.fileExists(atPath: schemaPath) else {
        Issue.record("The official schema \(schemaPath) is missing", sourceLocation: sourceLocation)
        return
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: xmllint)
    process.arguments = ["--noout", "--schema", schemaPath, path]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "xmllint rejects \(path): \(message)", sourceLocation: sourceLocation)
}

private let header = Pain001Header(
    messageID: "ASXH-TET2024-970405-1",
    createdAt: Date(timeIntervalSince1970: 1_705_300_000),
    initiatingPartyName: "Sở Lao động – Thương binh và Xã hội Hà Nội"
)

private let block = Pain001PaymentInformation(
    id: "TET2024-970405",
    requestedExecutionDate: CalendarDay(year: 2024, month: 2, day: 1)!,
    debtorName: "Sở LĐTBXH Hà Nội",
    debtorAccount: "1234 5678 9012",
    debtorBankBIN: "970415"
)

/// `count` payments with deterministic IDs, names, accounts and amounts.
private func instructions(_ count: Int, program: String = "Quà Tết 2024 - Bảo trợ xã hội") throws -> [PaymentInstruction] {
    let banks = ["970405", "970415", "970436", "970418"]
    return try (0..<count).map { index in
        let id = UUID(uuidString: String(format: "00000000-0000-7000-8000-%012X", index + 1))!
        return try PaymentInstruction(
            paymentID: id,
            amount: Int64(500_000 + (index % 7) * 100_000),
            creditorName: ["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường", "Phạm Thị Dung"][index % 4],
            creditorAccount: String(format: "%013d", 1_000_000 + index),
            creditorBankBIN: banks[index % banks.count],
            remittanceInformation: program
        )
    }
}

extension Data {
    fileprivate func replacingBIN() -> Data {
        Data(String(decoding: self, as: UTF8.self).replacingOccurrences(of: "970405", with: "9704").utf8)
    }
}

@Suite("Payments: values")
struct PaymentValueTests {
    @Test func instructionsAreBroughtIntoBankForm() throws {
        let instruction = try PaymentInstruction(
            paymentID: "row-17", amount: 1_500_000, creditorName: "  Nguyễn Văn Đức ", creditorAccount: "0123 456.789-0",
            creditorBankBIN: "970405", remittanceInformation: "Quà Tết 2024 – Người có công")
        #expect(instruction.creditorName == "NGUYEN VAN DUC")
        #expect(instruction.creditorAccount == "01234567890")
        #expect(instruction.remittanceInformation == "Qua Tet 2024 - Nguoi co cong")
        // Decomposed text (NFD, as some Mac and web forms send it), tabs and runs of spaces.
        #expect(PaymentText.ascii("Quà Tết\t  Đồng   Nai ".decomposedStringWithCanonicalMapping, maximum: 140)
                == "Qua Tet Dong Nai")
        #expect(PaymentText.ascii("Chi trả ✓ 北京 tháng 2", maximum: 140) == "Chi tra thang 2")
        #expect(PaymentText.ascii("abcdef", maximum: 3) == "abc")
        #expect(PaymentText.ascii("ab  cdéf", maximum: 3) == "ab")

        // Decoding runs the same checks.
        let decoded = try JSONDecoder().decode(PaymentInstruction.self, from: JSONEncoder().encode(instruction))
        #expect(decoded == instruction)
        let bad = try JSONEncoder().encode(instruction).replacingBIN()
        #expect(throws: PaymentFileError.self) { try JSONDecoder().decode(PaymentInstruction.self, from: bad) }

        let long = try PaymentInstruction(
            paymentID: "row-18", amount: 1, creditorName: "A", creditorAccount: "1", creditorBankBIN: "970405",
            remittanceInformation: String(repeating: "Tết ", count: 60))
        #expect(long.remittanceInformation.count == 139 && long.remittanceInformation.hasSuffix("Tet"))
    }

    @Test(arguments: [
        (Int64(0), "NGUYEN VAN A", "123", "970405", PaymentField.amount),
        (Int64(-5), "NGUYEN VAN A", "123", "970405", PaymentField.amount),
        (Int64(100), "   ", "123", "970405", PaymentField.creditorName),
        (Int64(100), "NGUYEN VAN A", "12/34", "970405", PaymentField.creditorAccount),
        (Int64(100), "NGUYEN VAN A", String(repeating: "1", count: 35), "970405", PaymentField.creditorAccount),
        (Int64(100), "NGUYEN VAN A", "123", "97040", PaymentField.creditorBankBIN),
        (Int64(100), "NGUYEN VAN A", "123", "97040A", PaymentField.creditorBankBIN),
    ])
    func invalidInstructionsNameTheField(amount: Int64, name: String, account: String, bin: String, field: PaymentField) {
        #expect {
            _ = try PaymentInstruction(paymentID: "p1", amount: amount, creditorName: name, creditorAccount: account,
                                       creditorBankBIN: bin, remittanceInformation: "Qua Tet")
        } throws: { error in
            guard case .invalidField(let found, _, let paymentID) = error as? PaymentFileError else { return false }
            return found == field && paymentID == "p1"
        }
    }

    @Test func endToEndIDsAreDeterministicUniqueAndShort() throws {
        let id = UUID()
        #expect(PaymentInstruction.endToEndID(for: id) == PaymentInstruction.endToEndID(for: id))
        #expect(PaymentInstruction.endToEndID(for: id) == id.uuidString.replacingOccurrences(of: "-", with: ""))
        #expect(PaymentInstruction.paymentID(fromEndToEndID: PaymentInstruction.endToEndID(for: id)) == id, "the id reads back")
        #expect(PaymentInstruction.paymentID(fromEndToEndID: PaymentInstruction.endToEndID(for: id).lowercased()) == id)
        #expect(PaymentInstruction.paymentID(fromEndToEndID: "H" + String(repeating: "0", count: 32)) == nil)
        #expect(PaymentInstruction.endToEndID(for: id.uuidString.lowercased()) == PaymentInstruction.endToEndID(for: id))

        let text = PaymentInstruction.endToEndID(for: "list-12/row-345")
        #expect(text == PaymentInstruction.endToEndID(for: "list-12/row-345"))
        #expect(text.count == 33 && text.hasPrefix("H"))

        var seen = Set<String>()
        for index in 0..<20_000 {
            let fromUUID = PaymentInstruction.endToEndID(for: UUID())
            let fromText = PaymentInstruction.endToEndID(for: "row-\(index)")
            #expect(fromUUID.count <= 35 && fromText.count <= 35)
            seen.insert(fromUUID)
            seen.insert(fromText)
        }
        #expect(seen.count == 40_000)

        // Resending the same payments gives the same IDs.
        #expect(try instructions(50).map(\.endToEndID) == instructions(50).map(\.endToEndID))
    }

    @Test func controlTotalsAddAndMerge() {
        var totals = ControlTotals.zero
        totals.add(1_000)
        totals.add(2_500)
        #expect(totals == ControlTotals(count: 2, sum: 3_500))
        #expect(totals + ControlTotals(count: 1, sum: 500) == ControlTotals(amounts: [1_000, 2_500, 500]))
        totals += totals
        #expect(totals == ControlTotals(count: 4, sum: 7_000))
    }

    @Test func reasonsAndStatuses() {
        #expect(PaymentReason(code: "AC01") == .wrongAccountNumber)
        #expect(PaymentReason(code: " ac04 ") == .closedAccount)
        #expect(PaymentReason(code: "AC06") == .blockedAccount)
        #expect(PaymentReason(code: "BE01") == .nameMismatch)
        #expect(PaymentReason(code: "MS03") == .unspecified)
        #expect(PaymentReason(code: "AM04") == .other("AM04"))
        #expect(PaymentReason(code: "AM04").code == "AM04")
        for reason in [PaymentReason.wrongAccountNumber, .closedAccount, .blockedAccount, .nameMismatch, .unspecified] {
            #expect(PaymentReason(code: reason.code) == reason)
            #expect(!reason.vietnamese.isEmpty && !reason.english.isEmpty)
        }
        #expect(PaymentStatus(isoCode: "ACSC") == .paid)
        #expect(PaymentStatus(isoCode: "ACCC") == .paid)
        #expect(PaymentStatus(isoCode: "RJCT") == .rejected)
        for code in ["PDNG", "ACSP", "ACTC", "ACCP"] { #expect(PaymentStatus(isoCode: code) == .pending) }
        #expect(PaymentStatus(isoCode: "XXXX") == nil)
    }
}

@Suite("Payments: pain.001 writer")
struct Pain001WriterTests {
    @Test func writtenFileIsValidAgainstTheOfficialSchema() throws {
        let path = temporaryPath("pain001.xml")
        let payments = try instructions(200)
        let totals = ControlTotals(amounts: payments.map(\.amount))
        let writer = try Pain001Writer(path: path, header: header, totals: totals)
        // Two blocks: two execution days.
        try writer.beginPaymentInformation(block, totals: ControlTotals(amounts: payments[..<120].map(\.amount)))
        for payment in payments[..<120] { try writer.write(payment) }
        var second = block
        second.id = "TET2024-970405-B"
        second.requestedExecutionDate = CalendarDay(year: 2024, month: 2, day: 2)!
        try writer.beginPaymentInformation(second, totals: ControlTotals(amounts: payments[120...].map(\.amount)))
        for payment in payments[120...] { try writer.write(payment) }
        #expect(try writer.finish() == totals)

        try validate(path, schema: "pain.001.001.09.xsd")
        let xml = contents(path)
        #expect(xml.contains("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">"))
        #expect(xml.contains("<CreDtTm>2024-01-15T13:26:40+07:00</CreDtTm>"))
        #expect(xml.contains("<ReqdExctnDt><Dt>2024-02-01</Dt></ReqdExctnDt>"))
        #expect(xml.contains("<DbtrAcct><Id><Othr><Id>123456789012</Id></Othr></Id></DbtrAcct>"))
        #expect(xml.contains("<DbtrAgt><FinInstnId><ClrSysMmbId><MmbId>970415</MmbId></ClrSysMmbId></FinInstnId></DbtrAgt>"))
        #expect(xml.contains("<InitgPty><Nm>So Lao dong - Thuong binh va Xa hoi Ha Noi</Nm></InitgPty>"))
    }

    @Test func headerTotalsEqualTheTransactions() throws {
        let path = temporaryPath("totals.xml")
        let payments = try instructions(37)
        let totals = try Pain001Writer.write(payments, header: header, paymentInformation: block, to: path)
        let sum = payments.reduce(Int64(0)) { $0 + $1.amount }
        #expect(totals == ControlTotals(count: 37, sum: sum))
        let xml = contents(path)
        #expect(xml.contains("<NbOfTxs>37</NbOfTxs><CtrlSum>\(sum)</CtrlSum><InitgPty>"))
        #expect(xml.contains("<PmtMtd>TRF</PmtMtd><NbOfTxs>37</NbOfTxs><CtrlSum>\(sum)</CtrlSum>"))
        #expect(xml.components(separatedBy: "<CdtTrfTxInf>").count - 1 == 37)

        // What the scanner (the simulated bank) reads back agrees.
        var scanner = try Pain001Scanner(path: path, chunkSize: 97)
        var read = ControlTotals.zero
        var declared = ControlTotals.zero
        while let events = try scanner.nextEvents() {
            for event in events {
                if case .transaction(_, _, let amount) = event { read.add(amount) }
                if case .header(_, _, let totals) = event { declared = totals }
            }
        }
        #expect(read == totals && declared == totals)
    }

    @Test func wrongDeclaredTotalsThrowAndLeaveNoFile() throws {
        let path = temporaryPath("wrong.xml")
        let payments = try instructions(3)
        let wrong = ControlTotals(count: 3, sum: 1)
        let writer = try Pain001Writer(path: path, header: header, totals: wrong)
        try writer.beginPaymentInformation(block, totals: ControlTotals(amounts: payments.map(\.amount)))
        for payment in payments { try writer.write(payment) }
        #expect {
            try writer.finish()
        } throws: { error in
            guard case .controlTotalsMismatch(let scope, let declared, let written) = error as? PaymentFileError else { return false }
            return scope == "GrpHdr" && declared == wrong && written.count == 3
        }
        #expect(!FileManager.default.fileExists(atPath: path))

        // A block that ends short is caught when the next one starts.
        let second = temporaryPath("short-block.xml")
        let full = ControlTotals(amounts: payments.map(\.amount))
        let blockWriter = try Pain001Writer(path: second, header: header, totals: full)
        try blockWriter.beginPaymentInformation(block, totals: full)
        try blockWriter.write(payments[0])
        #expect(throws: PaymentFileError.self) { try blockWriter.finish() }
        #expect(!FileManager.default.fileExists(atPath: second))
    }

    @Test func writerMisuseIsAnError() throws {
        let path = temporaryPath("misuse.xml")
        let payment = try instructions(1)[0]
        let totals = ControlTotals(count: 1, sum: payment.amount)
        let writer = try Pain001Writer(path: path, header: header, totals: totals)
        #expect(throws: PaymentFileError.self) { try writer.write(payment) }
        #expect(throws: PaymentFileError.self) {
            _ = try Pain001Writer(path: temporaryPath("empty.xml"), header: header, totals: .zero)
        }
        var badHeader = header
        badHeader.messageID = String(repeating: "X", count: 36)
        #expect {
            _ = try Pain001Writer(path: temporaryPath("long-id.xml"), header: badHeader, totals: totals)
        } throws: { error in
            guard case .invalidField(.messageID, _, _) = error as? PaymentFileError else { return false }
            return true
        }
    }

    @Test func textIsEscaped() throws {
        let path = temporaryPath("escape.xml")
        var escapingHeader = header
        escapingHeader.initiatingPartyName = "UBND & Sở LĐTBXH <Hà Nội>"
        var escapingBlock = block
        escapingBlock.debtorName = "Quỹ A&B <chi trả>"
        let payment = try PaymentInstruction(
            paymentID: UUID(), amount: 1_200_000, creditorName: "Nguyễn Văn A & <B>", creditorAccount: "0011223344",
            creditorBankBIN: "970436", remittanceInformation: "Qua Tet 2024 - Ho ngheo & can ngheo <Ha Noi>")
        try Pain001Writer.write([payment], header: escapingHeader, paymentInformation: escapingBlock, to: path)
        let xml = contents(path)
        #expect(xml.contains("<InitgPty><Nm>UBND &amp; So LDTBXH &lt;Ha Noi&gt;</Nm></InitgPty>"))
        #expect(xml.contains("<Dbtr><Nm>Quy A&amp;B &lt;chi tra&gt;</Nm></Dbtr>"))
        #expect(xml.contains("<Cdtr><Nm>NGUYEN VAN A B</Nm></Cdtr>"))
        #expect(xml.contains("<Ustrd>Qua Tet 2024 - Ho ngheo &amp; can ngheo &lt;Ha Noi&gt;</Ustrd>"))
        try validate(path, schema: "pain.001.001.09.xsd")
    }

    @Test func amountsAreWholeDongWithoutDecimals() throws {
        let path = temporaryPath("amounts.xml")
        let payment = try PaymentInstruction(
            paymentID: UUID(), amount: 2_340_000, creditorName: "Le Van C", creditorAccount: "9876543210",
            creditorBankBIN: "970418", remittanceInformation: "Tro cap thang 2")
        try Pain001Writer.write([payment], header: header, paymentInformation: block, to: path)
        let xml = contents(path)
        #expect(xml.contains("<Amt><InstdAmt Ccy=\"VND\">2340000</InstdAmt></Amt>"))
        #expect(xml.contains("<CtrlSum>2340000</CtrlSum>"))
        #expect(!xml.contains("2340000."))
        #expect(xml.contains("<PmtId><InstrId>\(payment.endToEndID)</InstrId><EndToEndId>\(payment.endToEndID)</EndToEndId></PmtId>"))
    }

    @Test func bankCSVHasTheVietnameseHeaderAndOneRowPerPayment() throws {
        let path = temporaryPath("bank.csv")
        let payments = try instructions(5)
        let writer = try BankTransferCSVWriter(path: path, totals: ControlTotals(amounts: payments.map(\.amount)))
        for payment in payments { try writer.write(payment) }
        #expect(try writer.finish().count == 5)

        let rows = try CSVReader(path: path).readAll()
        #expect(rows.count == 6)
        #expect(rows[0].cells.map(\.text) == BankTransferCSVWriter.header)
        #expect(rows[1].cells.map(\.text) == [
            "1", payments[0].endToEndID, "NGUYEN VAN AN", "0000001000000", "970405", "500000",
            "Qua Tet 2024 - Bao tro xa hoi",
        ])

        let short = temporaryPath("short.csv")
        let shortWriter = try BankTransferCSVWriter(path: short, totals: ControlTotals(count: 2, sum: 1))
        try shortWriter.write(payments[0])
        #expect(throws: PaymentFileError.self) { try shortWriter.finish() }
        #expect(!FileManager.default.fileExists(atPath: short))
    }
}

@Suite("Payments: pain.002 reader and the simulated bank")
struct Pain002ReaderTests {
    @Test func simulatedReportIsValidAndReadsBackToTheSameStatuses() throws {
        let payments = try instructions(250)
        let pain001 = temporaryPath("pain001.xml")
        try Pain001Writer.write(payments, header: header, paymentInformation: block, to: pain001)
        let pain002 = temporaryPath("pain002.xml")
        let bank = BankSimulator(rejectEvery: 10)
        let response = try bank.respond(toPain001At: pain001, writingTo: pain002, messageID: "VCB-STS-0001",
                                        createdAt: Date(timeIntervalSince1970: 1_706_000_000))
        #expect(response.rejected.count == 25 && response.paid.count == 225)
        try validate(pain002, schema: "pain.002.001.12.xsd")

        let expected = bank.results(for: payments)
        // A small chunk size splits tags and text everywhere.
        for chunkSize in [64, 1000, 1 << 20] {
            let reader = try Pain002Reader(path: pain002, chunkSize: chunkSize)
            let records = try reader.readAll()
            #expect(records == expected)
            #expect(reader.report.originalMessageID == header.messageID)
            #expect(reader.report.groupStatusCode == "PART" && reader.report.groupStatus == .pending)
            #expect(reader.report.originalCount == 250)
            #expect(reader.report.originalSum == payments.reduce(0) { $0 + $1.amount })
            #expect(reader.report.countByStatus == [.paid: 225, .rejected: 25])
            #expect(reader.report.paymentInformation.map(\.id) == [block.id])
        }
        let rejected = expected.filter { $0.status == .rejected }
        #expect(rejected.prefix(3).map(\.reason) == [.wrongAccountNumber, .closedAccount, .nameMismatch])
        #expect(expected[0].bankReference == "SIM000000000001")

        var reconciliation = PaymentReconciliation(messageID: header.messageID)
        for payment in payments { try reconciliation.expect(payment) }
        try Pain002Reader(path: pain002).forEach { #expect(reconciliation.record($0) == .recorded) }
        #expect(reconciliation.totals(.rejected) == response.rejected)
        #expect(reconciliation.totals(.paid) == response.paid)
        #expect(reconciliation.unreportedTotals == .zero)
    }

    @Test func groupRejectionAppliesToEveryTransaction() throws {
        let payments = try instructions(40)
        let pain001 = temporaryPath("pain001.xml")
        try Pain001Writer.write(payments, header: header, paymentInformation: block, to: pain001)
        let pain002 = temporaryPath("rejected.xml")
        let response = try BankSimulator(rejectWholeFile: .blockedAccount)
            .respond(toPain001At: pain001, writingTo: pain002, messageID: "STS-RJCT", createdAt: Date())
        #expect(response.rejected.count == 40)
        try validate(pain002, schema: "pain.002.001.12.xsd")

        let reader = try Pain002Reader(path: pain002)
        #expect(try reader.readAll().isEmpty)
        #expect(reader.report.isRejectedAsWhole && reader.report.groupReason == .blockedAccount)

        var reconciliation = PaymentReconciliation(messageID: header.messageID)
        for payment in payments { try reconciliation.expect(payment) }
        var settled: [PaymentResultRecord] = []
        #expect(try reconciliation.settleUnreported(with: reader.report) { settled.append($0) } == 40)
        #expect(Set(settled.map(\.endToEndID)) == Set(payments.map(\.endToEndID)))
        #expect(settled.allSatisfy { $0.status == .rejected && $0.reason == .blockedAccount })
        #expect(reconciliation.totals(.rejected) == ControlTotals(amounts: payments.map(\.amount)))

        // A report for another file settles nothing.
        var other = PaymentReconciliation(messageID: "ANOTHER-FILE")
        try other.expect(payments[0])
        #expect(throws: PaymentFileError.self) { try other.settleUnreported(with: reader.report) }
    }

    @Test func groupAndBlockStatusesReachListedTransactions() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.12"><CstmrPmtStsRpt>
        <GrpHdr><MsgId>R1</MsgId><CreDtTm>2024-02-01T10:00:00+07:00</CreDtTm></GrpHdr>
        <OrgnlGrpInfAndSts><OrgnlMsgId>F1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>RJCT</GrpSts>
        <StsRsnInf><Rsn><Cd>AC06</Cd></Rsn></StsRsnInf></OrgnlGrpInfAndSts>
        <OrgnlPmtInfAndSts><OrgnlPmtInfId>B1</OrgnlPmtInfId>
        <TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId></TxInfAndSts>
        <TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AC01</Cd></Rsn></StsRsnInf></TxInfAndSts>
        </OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
        """
        let path = writeFile("group.xml", xml)
        try validate(path, schema: "pain.002.001.12.xsd")
        let records = try Pain002Reader(path: path).readAll()
        #expect(records == [
            PaymentResultRecord(endToEndID: "E1", status: .rejected, reason: .blockedAccount),
            PaymentResultRecord(endToEndID: "E2", status: .rejected, reason: .wrongAccountNumber),
        ])

        let blockXML = """
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.12"><CstmrPmtStsRpt>
        <GrpHdr><MsgId>R2</MsgId><CreDtTm>2024-02-01T10:00:00</CreDtTm></GrpHdr>
        <OrgnlGrpInfAndSts><OrgnlMsgId>F2</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
        <OrgnlPmtInfAndSts><OrgnlPmtInfId>B1</OrgnlPmtInfId><PmtInfSts>ACCC</PmtInfSts>
        <TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId><AcctSvcrRef>FT1</AcctSvcrRef></TxInfAndSts></OrgnlPmtInfAndSts>
        <OrgnlPmtInfAndSts><OrgnlPmtInfId>B2</OrgnlPmtInfId><PmtInfSts>RJCT</PmtInfSts><StsRsnInf><Rsn><Prtry>SAI THONG TIN</Prtry></Rsn></StsRsnInf>
        <TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><ClrSysRef>CS2</ClrSysRef><OrgnlTxRef><Amt><InstdAmt Ccy="VND">150000.00</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>
        </OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
        """
        let blockPath = writeFile("block.xml", blockXML)
        try validate(blockPath, schema: "pain.002.001.12.xsd")
        let reader = try Pain002Reader(path: blockPath)
        #expect(try reader.readAll() == [
            PaymentResultRecord(endToEndID: "E1", status: .paid, bankReference: "FT1"),
            PaymentResultRecord(endToEndID: "E2", status: .rejected, reason: .other("SAI THONG TIN"), amount: 150_000,
                                bankReference: "CS2"),
        ])
        #expect(reader.report.paymentInformation.map(\.status) == [.paid, .rejected])
    }

    @Test func unknownEndToEndIDsAreReported() throws {
        let payments = try instructions(3)
        var reconciliation = PaymentReconciliation(messageID: header.messageID)
        for payment in payments { try reconciliation.expect(payment) }
        #expect(throws: PaymentFileError.duplicateEndToEndID(payments[0].endToEndID)) { try reconciliation.expect(payments[0]) }

        let stranger = PaymentInstruction.endToEndID(for: UUID())
        #expect(reconciliation.record(PaymentResultRecord(endToEndID: stranger, status: .paid)) == .unknownEndToEndID)
        #expect(reconciliation.record(PaymentResultRecord(endToEndID: "NOT-OURS", status: .paid)) == .unknownEndToEndID)

        let first = payments[0].endToEndID
        #expect(reconciliation.record(PaymentResultRecord(endToEndID: first, status: .pending)) == .recorded)
        #expect(reconciliation.record(PaymentResultRecord(endToEndID: first.lowercased(), status: .paid))
                == .updated(from: .pending))
        #expect(reconciliation.record(PaymentResultRecord(endToEndID: first, status: .paid)) == .repeated)
        #expect(reconciliation.record(PaymentResultRecord(endToEndID: first, status: .pending)) == .outdated(current: .paid))
        #expect(reconciliation.record(PaymentResultRecord(endToEndID: first, status: .rejected)) == .conflict(previous: .paid))
        #expect(reconciliation.record(PaymentResultRecord(endToEndID: first, status: .returned, reason: .closedAccount))
                == .updated(from: .paid))
        #expect(reconciliation.record(PaymentResultRecord(endToEndID: payments[1].endToEndID, status: .paid, amount: 1))
                == .amountMismatch(expected: payments[1].amount))
        #expect(reconciliation.status(of: first) == .returned)
        #expect(reconciliation.totals(.returned) == ControlTotals(count: 1, sum: payments[0].amount))
        #expect(reconciliation.totals(.paid) == .zero)
        #expect(reconciliation.unreportedEndToEndIDs() == [payments[1].endToEndID, payments[2].endToEndID])
        #expect(reconciliation.unreportedTotals == ControlTotals(amounts: [payments[1].amount, payments[2].amount]))
        let totals = reconciliation.statusTotals
        #expect(totals.issued == ControlTotals(amounts: payments.map(\.amount)))
        #expect(totals.paid == .zero)
        #expect(totals.failed == ControlTotals(count: 1, sum: payments[0].amount))
        #expect(totals.pending == ControlTotals(amounts: [payments[1].amount, payments[2].amount]))
        #expect(reconciliation.record(PaymentResultRecord(endToEndID: payments[1].endToEndID, status: .pending)) == .recorded)
        #expect(reconciliation.statusTotals.pending == totals.pending)
        #expect(reconciliation.record(PaymentResultRecord(endToEndID: payments[2].endToEndID, status: .paid)) == .recorded)
        #expect(reconciliation.statusTotals.paid == ControlTotals(count: 1, sum: payments[2].amount))
    }

    private static func report(transaction: String) -> String {
        """
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.12"><CstmrPmtStsRpt>
        <GrpHdr><MsgId>R1</MsgId><CreDtTm>2024-02-01T10:00:00</CreDtTm></GrpHdr>
        <OrgnlGrpInfAndSts><OrgnlMsgId>F1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>
        <OrgnlPmtInfAndSts><OrgnlPmtInfId>B1</OrgnlPmtInfId>
        <TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>
        \(transaction)
        </OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
        """
    }

    @Test func malformedReportsNameTheTransactionAndElement() throws {
        func failure(_ xml: String) throws -> PaymentFileError? {
            let reader = try Pain002Reader(path: writeFile("bad.xml", xml))
            do {
                _ = try reader.readAll()
                return nil
            } catch {
                return error
            }
        }
        let path = "OrgnlPmtInfAndSts/TxInfAndSts/"
        #expect(try failure(Self.report(transaction: "<TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxSts>OKAY</TxSts></TxInfAndSts>"))
                == .unknownStatus("OKAY", at: .element(path: path + "TxSts", transaction: 2)))
        #expect(try failure(Self.report(transaction: "<TxInfAndSts><TxSts>ACSC</TxSts></TxInfAndSts>"))
                == .missingValue(at: .element(path: path + "OrgnlEndToEndId", transaction: 2)))
        #expect(try failure(Self.report(transaction: "<TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId></TxInfAndSts>"))
                == .missingValue(at: .element(path: path + "TxSts", transaction: 2)))
        #expect(try failure(Self.report(transaction: """
            <TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxSts>ACSC</TxSts>\
            <OrgnlTxRef><Amt><InstdAmt Ccy="VND">1500.50</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>
            """)) == .invalidAmount("1500.50", at: .element(path: path + "OrgnlTxRef/Amt/InstdAmt", transaction: 2)))
        #expect(try failure(Self.report(transaction: """
            <TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxSts>ACSC</TxSts>\
            <OrgnlTxRef><Amt><InstdAmt Ccy="USD">15</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>
            """)) == .invalidAmount("Ccy=\"USD\"", at: .element(path: path + "OrgnlTxRef/Amt/InstdAmt", transaction: 2)))

        // Cut short: the error says after which element.
        let whole = Self.report(transaction: "<TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts>")
        let cut = String(whole[..<whole.range(of: "</OrgnlPmtInfAndSts>")!.lowerBound])
        #expect(try failure(cut) == .truncated(at: .element(path: path + "TxSts", transaction: 2)))
        #expect(try failure(String(whole.prefix(40))) != nil)

        // A pain.001 handed in by mistake, a CSV, an empty file.
        let pain001 = temporaryPath("pain001.xml")
        try Pain001Writer.write(try instructions(2), header: header, paymentInformation: block, to: pain001)
        #expect(throws: PaymentFileError.notStatusReport(root: "CstmrCdtTrfInitn")) { try Pain002Reader(path: pain001).readAll() }
        #expect(try failure("Mã giao dịch,Trạng thái\nE1,Thành công\n") == .notStatusReport(root: ""))
        #expect(try failure("") == .notStatusReport(root: ""))
        #expect(throws: PaymentFileError.self) { try Pain002Reader(path: temporaryPath("missing.xml")) }

        let error = try #require(try failure(Self.report(transaction: "<TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxSts>OKAY</TxSts></TxInfAndSts>")))
        #expect(error.code == "payment.unknown_status")
        #expect(error.vietnamese.contains("giao dịch thứ 2") && error.vietnamese.contains("TxSts"))
        #expect(error.english.contains("transaction 2"))
    }
}

@Suite("Payments: result lists")
struct PaymentResultListTests {
    @Test func vietnameseStatusesAreRead() throws {
        let csv = """
        STT,Mã giao dịch,Trạng thái,Mã lý do,Số tiền (đồng),Số tham chiếu
        1,E1,Thành công,,1.500.000,FT001
        2,E2,Từ chối,AC01 - Sai số tài khoản,"1,500,000",
        3,E3,Hoàn trả,AC04,1500000,FT003

        4,E4,Đang xử lý,,,
        5,E5,paid,,750000 đ,
        6,E6,RJCT,XY99,,
        """
        let reader = try PaymentResultListReader(path: writeFile("ket-qua.csv", csv))
        #expect(try reader.readAll() == [
            PaymentResultRecord(endToEndID: "E1", status: .paid, amount: 1_500_000, bankReference: "FT001"),
            PaymentResultRecord(endToEndID: "E2", status: .rejected, reason: .wrongAccountNumber, amount: 1_500_000),
            PaymentResultRecord(endToEndID: "E3", status: .returned, reason: .closedAccount, amount: 1_500_000,
                                bankReference: "FT003"),
            PaymentResultRecord(endToEndID: "E4", status: .pending),
            PaymentResultRecord(endToEndID: "E5", status: .paid, amount: 750_000),
            PaymentResultRecord(endToEndID: "E6", status: .rejected, reason: .other("XY99")),
        ])
    }

    @Test func englishHeadingsWithoutDiacriticsAndSemicolons() throws {
        let csv = "End-to-end ID;Status;Reason code;Amount\r\nE1;Returned;BE01;200000\r\n"
        let records = try PaymentResultListReader(path: writeFile("results.csv", csv)).readAll()
        #expect(records == [PaymentResultRecord(endToEndID: "E1", status: .returned, reason: .nameMismatch, amount: 200_000)])
        let folded = "ma giao dich,ket qua\nE1,tu choi\n"
        #expect(try PaymentResultListReader(path: writeFile("folded.csv", folded)).readAll().map(\.status) == [.rejected])
    }

    @Test func malformedListsNameTheRowAndColumn() throws {
        func failure(_ csv: String) -> PaymentFileError? {
            do {
                _ = try PaymentResultListReader(path: writeFile("bad.csv", csv)).readAll()
                return nil
            } catch {
                return error
            }
        }
        #expect(failure("Mã giao dịch,Trạng thái\nE1,Thành công\nE2,Chưa rõ\n")
                == .unknownStatus("Chưa rõ", at: .row(3, column: "Trạng thái")))
        #expect(failure("Mã giao dịch,Trạng thái\n,Thành công\n") == .missingValue(at: .row(2, column: "Mã giao dịch")))
        #expect(failure("Mã giao dịch,Trạng thái\nE1,\n") == .missingValue(at: .row(2, column: "Trạng thái")))
        #expect(failure("Mã giao dịch,Trạng thái,Số tiền\nE1,Thành công,1.500.50\n")
                == .invalidAmount("1.500.50", at: .row(2, column: "Số tiền")))
        #expect(failure("Mã giao dịch,Số tiền\nE1,100\n") == .missingColumn("Trạng thái"))
        #expect(failure("Họ và tên,Trạng thái\nA,Thành công\n") == .missingColumn("Mã giao dịch"))
        #expect(failure("") == .table(.emptyFile) || failure("") == .missingColumn("Mã giao dịch"))
        let error = failure("Mã giao dịch,Trạng thái\nE1,Chưa rõ\n")!
        #expect(error.vietnamese.contains("dòng 2, cột \"Trạng thái\""))
    }

    @Test(arguments: [
        ("1500000", Int64(1_500_000)), ("1.500.000", 1_500_000), ("1,500,000", 1_500_000), ("1 500 000", 1_500_000),
        ("1.500.000,00", 1_500_000), ("1,500,000.00", 1_500_000), ("750000 VND", 750_000), ("750.000đ", 750_000),
    ])
    func listAmounts(text: String, amount: Int64) {
        #expect(PaymentAmountText.listAmount(text) == amount)
    }

    @Test(arguments: ["1.5", "1.500.50", "12,34,567", "abc", "", "-100"])
    func badListAmounts(text: String) {
        #expect(PaymentAmountText.listAmount(text) == nil)
    }
}
