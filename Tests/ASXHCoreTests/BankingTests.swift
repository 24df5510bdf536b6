import Foundation
import Testing

@testable import ASXHCore

@Suite("Banking: bank directory, account numbers, holder names, representatives, VietQR")
struct BankingTests {
    static let directory = try! BankDirectory.bundled()
    static let today = CalendarDay(year: 2025, month: 3, day: 10)!
    static let recorder = UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!
    static let approver = UUID(uuidString: "00000000-0000-0000-0000-00000000000B")!
    static let vector =
        "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN62150811Chuyen tien6304BBB8"

    static func bank(_ bin: String) -> Bank { Self.directory.bank(bin: bin)! }

    // MARK: Directory

    @Test("the bundled directory loads every row that has a BIN, and a BIN answers with today's name")
    func bundledDirectory() {
        let directory = Self.directory
        // 62 rows in the file; BIDC has no NAPAS BIN and is skipped.
        #expect(directory.banks.count == 61)
        #expect(directory.bank(bin: "970436")?.shortName == "Vietcombank")
        #expect(directory.bank(bin: "970449")?.shortName == "LPBank")
        #expect(directory.bank(bin: "970449")?.status == .current)
        #expect(directory.bank(bin: "970406")?.shortName == "Vikki Bank")
        #expect(directory.bank(bin: "970414")?.shortName == "MBV")
        #expect(directory.bank(bin: "971025")?.status == .eWallet)
        #expect(directory.bank(bin: "999999") == nil)
        #expect(directory.formerNames(bin: "970449").map(\.shortName) == ["LienVietPostBank"])
        #expect(directory.formerNames(bin: "970406").map(\.shortName) == ["DongA Bank"])
        #expect(directory.bank(bin: "970436")?.name == "Ngân hàng TMCP Ngoại Thương Việt Nam")
    }

    @Test(
        "free text officers type resolves to one bank",
        arguments: [
            ("VCB", "970436"), ("Vietcombank", "970436"), ("  vietCOMbank ", "970436"), ("NH Ngoại thương VN", "970436"),
            ("Ngân hàng Ngoại thương", "970436"), ("ngan hang ngoai thuong viet nam", "970436"),
            ("Ngân hàng TMCP Ngoại Thương Việt Nam", "970436"), ("Vietcombank - CN Ba Đình", "970436"),
            ("Vietcombank chi nhánh Hà Nội", "970436"), ("Vietcombank Thành Công", "970436"), ("Agribank Gia Lâm", "970405"),
            ("BIDV Hà Thành", "970418"), ("970436", "970436"), ("970436 - Vietcombank", "970436"),
            ("Agri", "970405"), ("agribank", "970405"), ("Agri bank", "970405"), ("NHNo&PTNT", "970405"),
            ("Ngân hàng Nông nghiệp", "970405"), ("Nông nghiệp và Phát triển Nông thôn", "970405"),
            ("BIDV", "970418"), ("Đầu tư và Phát triển", "970418"), ("NH Đầu tư & Phát triển VN", "970418"),
            ("Techcom", "970407"), ("Kỹ thương", "970407"), ("TCB", "970407"),
            ("MB", "970422"), ("MB Bank", "970422"), ("MBBank", "970422"), ("Quân đội", "970422"),
            ("Viettin", "970415"), ("VietinBank", "970415"), ("Công thương", "970415"),
            ("Á Châu", "970416"), ("ACB", "970416"),
            ("Sài Gòn Thương Tín", "970403"), ("Sacom", "970403"),
            ("Việt Nam Thịnh Vượng", "970432"), ("VP Bank", "970432"),
            ("LienVietPostBank", "970449"), ("Bưu điện Liên Việt", "970449"), ("LPBank", "970449"),
            ("DongA Bank", "970406"), ("Đông Á", "970406"), ("OceanBank", "970414"),
            ("Nam A Bank", "970428"), ("NamABank", "970428"), ("TP Bank", "970423"), ("Tiên Phong", "970423"),
            ("Sài Gòn", "970429"), ("Sài Gòn Công Thương", "970400"), ("SHB", "970443"), ("Hàng Hải", "970426"),
            ("Xuất nhập khẩu", "970431"), ("Bản Việt", "970454"), ("Bảo Việt", "970438"), ("Ví MoMo", "971025"),
            ("Kookmin HN", "970462"), ("Phương Đông", "970448"),
        ])
    func resolvesOne(text: String, bin: String) {
        let resolution = Self.directory.resolve(text)
        guard case .bank(let bank) = resolution else {
            Issue.record("\(text) → \(resolution)")
            return
        }
        #expect(bank.bin == bin, "\(text) → \(bank)")
        #expect(bank.status != .renamed)
    }

    @Test("an old name resolves to the bank's current name")
    func oldNameToCurrent() {
        #expect(Self.directory.resolve("LienVietPostBank") == .bank(Self.bank("970449")))
        #expect(Self.bank("970449").shortName == "LPBank")
        #expect(Self.directory.resolve("DongA") == .bank(Self.bank("970406")))
    }

    @Test(
        "a prefix or name several banks share is ambiguous, and the officer is shown them all",
        arguments: [
            ("Viet", ["970427", "970433", "970436", "970415", "970421"]),
            ("Kookmin", ["970462", "970463"]),
            ("IBK", ["970455", "970456"]),
            ("Sai", ["970400", "970403", "970429", "970443"]),
            ("Ngân hàng Công nghiệp Hàn Quốc", ["970455", "970456"]),
            ("BVB", ["970438", "970454"]),
        ])
    func ambiguous(text: String, includes bins: [String]) {
        guard case .ambiguous(let banks) = Self.directory.resolve(text) else {
            Issue.record("\(text) → \(Self.directory.resolve(text))")
            return
        }
        #expect(Set(bins).isSubset(of: Set(banks.map(\.bin))), "\(text) → \(banks)")
        #expect(banks.allSatisfy { $0.status != .renamed })
        #expect(banks.map { $0.shortName.lowercased() } == banks.map { $0.shortName.lowercased() }.sorted())
    }

    @Test("text that names no bank is unknown", arguments: ["", "   ", "Ngân hàng", "NH TMCP", "Ngân hàng ABC XYZ", "123456", "X", "VB", "KEB Hana"])
    func unknown(text: String) {
        #expect(Self.directory.resolve(text) == .unknown)
    }

    @Test("an operator's newer file is read: renamed banks, BOM, CRLF, quoted fields; aliases of missing BINs are ignored")
    func loadsNewerFile() throws {
        let csv = "\u{FEFF}bin,short_name,name,swift_code,status\r\n"
            + "970436,Vietcombank,Ngân hàng TMCP Ngoại Thương Việt Nam,BFTVVNVX,current\r\n"
            + "970999,New Bank,\"Ngân hàng Mới, Việt Nam\",,current\r\n"
            + "970999,Old Bank,Ngân hàng Cũ,,renamed\r\n"
            + ",No BIN Bank,Ngân hàng không có BIN,,current\r\n"
        let directory = try BankDirectory(csv: Data(csv.utf8))
        #expect(directory.banks.count == 3)
        #expect(directory.bank(bin: "970999")?.shortName == "New Bank")
        #expect(directory.bank(bin: "970999")?.name == "Ngân hàng Mới, Việt Nam")
        #expect(directory.resolve("Old Bank") == .bank(directory.bank(bin: "970999")!))
        #expect(directory.resolve("VCB") == .bank(directory.bank(bin: "970436")!))
        // Agribank's aliases point at a BIN this file does not have.
        #expect(directory.resolve("Nông nghiệp") == .unknown)
    }

    @Test("a malformed directory file is refused with the line at fault")
    func refusesBadFile() {
        let header = "bin,short_name,name,swift_code,status\n"
        func error(_ csv: String) -> BankDirectoryError? {
            do {
                _ = try BankDirectory(csv: Data(csv.utf8))
                return nil
            } catch {
                return error
            }
        }
        #expect(error("bin;short_name\n970436;VCB\n") == .badHeader)
        #expect(error(header + "97043,VCB,Ngân hàng,,current\n") == .badBIN(2, "97043"))
        #expect(error(header + "970436,VCB,Ngân hàng,,closed\n") == .unknownStatus(2, "closed"))
        #expect(error(header + "970436,VCB,Ngân hàng\n") == .malformedLine(2))
        #expect(error(header + "970436,A,A,,current\n970436,B,B,,current\n") == .duplicateBIN("970436"))
        #expect(error(header + "970436,A,A,,renamed\n") == .noCurrentName("970436"))
        #expect(error(header) == .empty)
        #expect(error(header + "970436,A,A,,current\n") == nil)
        let all: [BankDirectoryError] = [.missingResource, .notUTF8, .badHeader, .malformedLine(2), .badBIN(2, "1"),
                                         .unknownStatus(2, "x"), .duplicateBIN("1"), .noCurrentName("1"), .empty]
        #expect(all.allSatisfy { !$0.messageVI.isEmpty && !$0.messageEN.isEmpty && $0.code.hasPrefix("banks.") })
    }

    // MARK: Account numbers

    @Test("separators are stripped and digits kept")
    func accountNumbers() throws {
        #expect(try AccountNumber("0011 0023 4567").digits == "001100234567")
        #expect(try AccountNumber("1500-205-123456", bank: Self.bank("970405")).digits == "1500205123456")
        #expect(try AccountNumber(" 1.234.567 ").digits == "1234567")
        #expect(try AccountNumber("19 0312 3456 7890").digits == "19031234567890")
        #expect(try AccountNumber("123456").digits == "123456")
        #expect(try AccountNumber("1234567890123456789").digits.count == 19)
        // A bank without a known rule takes the general range.
        #expect(try AccountNumber("12345678", bank: Self.bank("970436")).digits == "12345678")
    }

    @Test(
        "each account problem is named",
        arguments: [
            ("", nil, AccountProblem.empty), (" - . ", nil, .empty), ("12ab34", nil, .notDigits("a")),
            ("VQR0012345", nil, .notDigits("V")), ("12345", nil, .tooShort(5)),
            ("12345678901234567890", nil, .tooLong(20)), ("１２３４５６７", nil, .notDigits("１")),
            ("150020512345", "970405", .wrongLengthForBank(BankingTests.bank("970405"), allowed: [13])),
        ] as [(String, String?, AccountProblem)])
    func accountProblems(text: String, bin: String?, problem: AccountProblem) {
        let result = AccountNumber.check(text, bank: bin.map(Self.bank))
        #expect(result == .failure(problem))
        #expect(!problem.messageVI.isEmpty && !problem.messageEN.isEmpty && !problem.code.isEmpty)
    }

    @Test("messages say what to fix, with the numbers")
    func accountMessages() {
        #expect(AccountProblem.tooShort(5).messageVI.contains("5"))
        #expect(AccountProblem.tooLong(20).messageEN.contains("19"))
        #expect(AccountProblem.wrongLengthForBank(Self.bank("970405"), allowed: [13]).messageVI == "Số tài khoản Agribank có 13 chữ số.")
        #expect(AccountProblem.wrongLengthForBank(Self.bank("970405"), allowed: [12, 13, 14]).messageEN
            == "Agribank account numbers have 12, 13 or 14 digits.")
    }

    // MARK: Holder names

    @Test(
        "holder names are compared in bank form",
        arguments: [
            ("NGUYEN VAN ANH", "Nguyễn Văn Ánh"), ("  nguyễn   văn  ánh ", "Nguyễn Văn Ánh"), ("Nguyen Van Anh", "NGUYỄN VĂN ÁNH"),
            ("DANG THI HOA", "Đặng Thị Hoà"), ("DANG THI HOA", "Đặng Thị Hòa"), ("TRAN  DUC", "Trần Đức"),
        ])
    func holderMatches(holder: String, person: String) {
        #expect(HolderNameCheck.compare(holderName: holder, personName: person) == .matches)
    }

    @Test("a different holder name is reported in bank form")
    func holderDiffers() {
        #expect(HolderNameCheck.compare(holderName: "NGUYEN VAN AN", personName: "Nguyễn Văn Ánh")
            == .differs(expected: "NGUYEN VAN ANH", given: "NGUYEN VAN AN"))
        #expect(!HolderNameCheck.compare(holderName: "Lê Thị Mai", personName: "Nguyễn Văn Ánh").isMatch)
    }

    // MARK: Representatives

    static func authorisation(
        name: String = "Trần Thị Bình", relationship: String = "con gái", reference: String = "125/2025/UQ",
        expires: CalendarDay? = CalendarDay(year: 2025, month: 12, day: 31), approvedBy: UUID? = BankingTests.approver
    ) -> RepresentativeAuthorisation {
        RepresentativeAuthorisation(
            representativeName: name, relationship: relationship, documentReference: reference, expiresOn: expires,
            approvedBy: approvedBy)
    }

    static func decide(holder: String = "TRAN THI BINH", _ representative: RepresentativeAuthorisation?) -> AccountOwnership.Decision {
        AccountOwnership.decide(
            holderName: holder, personName: "Nguyễn Văn Ánh", representative: representative, recordedBy: Self.recorder,
            today: Self.today)
    }

    @Test("the beneficiary's own account is accepted, whatever the authorisation says")
    func ownAccount() {
        #expect(Self.decide(holder: "NGUYEN VAN ANH", nil) == .own)
        #expect(Self.decide(holder: "Nguyễn Văn Ánh", Self.authorisation(relationship: "")) == .own)
    }

    @Test("someone else's account is accepted only as a complete, approved authorisation")
    func representativeAccepted() {
        let authorisation = Self.authorisation()
        #expect(Self.decide(authorisation) == .representative(authorisation))
        // Valid through its last day.
        let lastDay = Self.authorisation(expires: Self.today)
        #expect(Self.decide(lastDay).isAccepted)
    }

    @Test(
        "each refusal of a representative's account",
        arguments: [
            (nil, [OwnershipRefusal.holderDiffers(expected: "NGUYEN VAN ANH", given: "TRAN THI BINH")]),
            (BankingTests.authorisation(relationship: "  "), [.relationshipMissing]),
            (BankingTests.authorisation(reference: ""), [.authorisationReferenceMissing]),
            (BankingTests.authorisation(expires: nil), [.authorisationExpiryMissing]),
            (BankingTests.authorisation(expires: CalendarDay(year: 2025, month: 3, day: 9)), [.authorisationExpired(CalendarDay(year: 2025, month: 3, day: 9)!)]),
            (BankingTests.authorisation(approvedBy: nil), [.approvalMissing]),
            (BankingTests.authorisation(approvedBy: BankingTests.recorder), [.approverIsRecorder]),
            (BankingTests.authorisation(name: "Trần Văn Cường"), [.representativeDiffers(authorised: "TRAN VAN CUONG", holder: "TRAN THI BINH")]),
            (BankingTests.authorisation(name: " "), [.representativeNameMissing]),
            (BankingTests.authorisation(relationship: "", reference: "", expires: nil, approvedBy: nil),
             [.relationshipMissing, .authorisationReferenceMissing, .authorisationExpiryMissing, .approvalMissing]),
        ] as [(RepresentativeAuthorisation?, [OwnershipRefusal])])
    func representativeRefused(authorisation: RepresentativeAuthorisation?, reasons: [OwnershipRefusal]) {
        let decision = Self.decide(authorisation)
        #expect(decision == .refused(reasons))
        #expect(!decision.isAccepted)
        #expect(reasons.allSatisfy { !$0.messageVI.isEmpty && !$0.messageEN.isEmpty && !$0.code.isEmpty })
    }

    @Test("an expired authorisation's message gives the day as Vietnamese forms write it")
    func expiredMessage() {
        #expect(OwnershipRefusal.authorisationExpired(CalendarDay(year: 2025, month: 3, day: 9)!).messageVI
            == "Giấy ủy quyền đã hết hạn ngày 09/03/2025.")
    }

    // MARK: VietQR

    static func tlv(_ tag: String, _ value: String) -> String {
        tag + String(format: "%02d", value.count) + value
    }

    /// A payload built field by field, with a correct CRC, to reach each check behind the CRC.
    static func payload(
        format: String = "01", guid: String = "A000000727", bin: String? = "970416", account: String? = "123456",
        service: String = "QRIBFTTA", tail: [(String, String)] = [("53", "704")]
    ) -> String {
        let beneficiary = (bin.map { Self.tlv("00", $0) } ?? "") + (account.map { Self.tlv("01", $0) } ?? "")
        let template = Self.tlv("00", guid) + Self.tlv("01", beneficiary) + Self.tlv("02", service)
        var body = Self.tlv("00", format) + Self.tlv("01", "12") + Self.tlv("38", template)
        for (tag, value) in tail { body += Self.tlv(tag, value) }
        body += "6304"
        return body + String(format: "%04X", VietQR.crc16(body))
    }

    @Test("the NAPAS sample code parses: ACB, account, service, amount, message")
    func parsesVector() throws {
        let code = try VietQR.parse(Self.vector)
        #expect(code.bin == "970416")
        #expect(Self.directory.bank(bin: code.bin)?.shortName == "ACB")
        #expect(code.account == "257678859")
        #expect(code.service == .toAccount)
        #expect(code.amount == 1000)
        #expect(code.message == "Chuyen tien")
        #expect(code.isDynamic)
        // Scanners often add a line break.
        #expect(try VietQR.parse(Self.vector + "\n") == code)
    }

    @Test("CRC-16/CCITT-FALSE: the catalogue check value, and the CRC compared without regard to case")
    func crc() throws {
        #expect(VietQR.crc16("123456789") == 0x29B1)
        #expect(VietQR.crc16(String(Self.vector.dropLast(4))) == 0xBBB8)
        let lower = String(Self.vector.dropLast(4)) + "bbb8"
        #expect(try VietQR.parse(lower).account == "257678859")
    }

    @Test("a misread or altered code is refused")
    func badCRC() {
        let altered = Self.vector.replacingOccurrences(of: "257678859", with: "257678858")
        #expect(throws: VietQRError.badCRC(expected: String(format: "%04X", VietQR.crc16(String(altered.dropLast(4)))), found: "BBB8")) {
            try VietQR.parse(altered)
        }
        #expect(throws: VietQRError.self) { try VietQR.parse(String(Self.vector.dropLast(4)) + "BBB9") }
    }

    @Test(
        "each structural fault has its own error",
        arguments: [
            ("", VietQRError.empty),
            ("000201010212385", .truncated(position: 12)),
            ("00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704", .missingCRC),
            (BankingTests.payload(guid: "A000000728"), .notVietQR),
            (BankingTests.payload(format: "02"), .unsupportedFormat("02")),
            (BankingTests.payload(bin: nil), .missingBIN),
            (BankingTests.payload(bin: "97041"), .badBIN("97041")),
            (BankingTests.payload(account: nil), .missingAccount),
            (BankingTests.payload(service: "QRPUSHXX"), .unknownService("QRPUSHXX")),
            (BankingTests.payload(tail: [("53", "840")]), .wrongCurrency("840")),
            (BankingTests.payload(tail: [("53", "704"), ("54", "12.5")]), .badAmount("12.5")),
            (BankingTests.payload(tail: [("53", "704"), ("54", "-100")]), .badAmount("-100")),
        ] as [(String, VietQRError)])
    func structuralErrors(payload: String, error: VietQRError) {
        #expect(throws: error) { try VietQR.parse(payload) }
        #expect(!error.messageVI.isEmpty && !error.messageEN.isEmpty && error.code.hasPrefix("vietqr."))
    }

    @Test("the NAPAS template is found in another merchant-account tag too, and a code without one is not VietQR")
    func otherTemplateTags() throws {
        let inTag26 = Self.payload().replacingOccurrences(of: "000201010212" + "38", with: "000201010212" + "26")
        let body = String(inTag26.dropLast(4))
        let fixed = body + String(format: "%04X", VietQR.crc16(body))
        #expect(try VietQR.parse(fixed).bin == "970416")
        let other = Self.tlv("00", "01") + Self.tlv("26", Self.tlv("00", "970416")) + "6304"
        #expect(throws: VietQRError.notVietQR) { try VietQR.parse(other + String(format: "%04X", VietQR.crc16(other))) }
    }

    @Test("an alphanumeric virtual account parses; the account check refuses it when it is recorded")
    func virtualAccount() throws {
        let payload = try VietQR.make(bin: "970418", account: "VQRQABCD1234")
        let code = try VietQR.parse(payload)
        #expect(code.account == "VQRQABCD1234")
        #expect(AccountNumber.check(code.account, bank: Self.directory.bank(bin: code.bin)) == .failure(.notDigits("V")))
    }

    @Test("make writes the NAPAS sample byte for byte")
    func makesVector() throws {
        #expect(try VietQR.make(bin: "970416", account: "257678859", amount: 1000, message: "Chuyen tien") == Self.vector)
        #expect(try VietQR.parse(Self.vector).payload() == Self.vector)
    }

    @Test(
        "make then parse gives back what was made",
        arguments: [
            VietQR(bin: "970436", account: "0011001234567"),
            VietQR(bin: "970405", account: "1500205123456", amount: 1_500_000, message: "Tro cap thang 1"),
            VietQR(bin: "970422", account: "9704229200000000", service: .toCard, amount: 500_000),
            VietQR(bin: "970418", account: "12345678", message: "Qua Tet 2025"),
        ])
    func roundTrip(code: VietQR) throws {
        let payload = try code.payload()
        let parsed = try VietQR.parse(payload)
        #expect(parsed == code)
        #expect(payload.hasPrefix(code.amount == nil ? "000201010211" : "000201010212"))
    }

    @Test("make removes diacritics from the purpose and refuses what cannot go into a code")
    func makeInputs() throws {
        let payload = try VietQR.make(bin: "970436", account: "0011001234567", amount: 1_500_000, message: "Trợ cấp  tháng 1 – Đợt 2")
        #expect(try VietQR.parse(payload).message == "Tro cap thang 1 - Dot 2")
        #expect(throws: VietQRError.badBIN("97043")) { try VietQR.make(bin: "97043", account: "123456") }
        #expect(throws: VietQRError.missingAccount) { try VietQR.make(bin: "970436", account: "") }
        #expect(throws: VietQRError.badAccount("12345678901234567890")) { try VietQR.make(bin: "970436", account: "12345678901234567890") }
        #expect(throws: VietQRError.badAmount("0")) { try VietQR.make(bin: "970436", account: "123456", amount: 0) }
        #expect(throws: VietQRError.messageTooLong(26)) {
            try VietQR.make(bin: "970436", account: "123456", message: String(repeating: "x", count: 26))
        }
    }

    @Test("an amount written with a zero fraction is read as whole đồng")
    func zeroFraction() throws {
        #expect(try VietQR.parse(Self.payload(tail: [("53", "704"), ("54", "50000.0")])).amount == 50_000)
        #expect(try VietQR.parse(Self.payload(tail: [("53", "704"), ("54", "50000.00")])).amount == 50_000)
    }
}
