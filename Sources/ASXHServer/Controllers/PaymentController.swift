import ASXHCore
import Fluent
import SQLKit
import Vapor

/// Step 5 payments: programs and cycles, batches made by one officer and approved by another, the bank files and
/// cash list, the bank's results, held payments, cash hand-overs, and the cycle's outcome.
struct PaymentController: RouteCollection {
    /// A bank's result file for a city's batch (a pain.002 of a million transfers is a few hundred megabytes).
    static let maxResultBody: ByteCount = "512mb"
    /// A photo or signature proving a cash hand-over.
    static let maxEvidenceBody: ByteCount = "4mb"

    func boot(routes: any RoutesBuilder) throws {
        let readers = routes.allowing(\.canReadPayments)
        readers.get("payments", use: self.page)
        readers.get("payments", "cycles", ":cycleID", "outcome", use: self.outcome)
        readers.get("api", "v1", "cycles", ":cycleID", "outcome", use: self.outcomeJSON)
        let managers = routes.allowing(\.canManagePayments)
        managers.post("payments", "programs", use: self.createProgram)
        managers.post("payments", "programs", ":programID", "amounts", use: self.editAmounts)
        managers.post("payments", "cycles", use: self.createCycle)
        managers.post("payments", "cycles", ":cycleID", "batches", use: self.makeBatch)
        managers.post("payments", "batches", ":batchID", "approve", use: self.approve)
        managers.get("payments", "batches", ":batchID", "files", ":name", use: self.file)
        managers.post("payments", "batches", ":batchID", "results", maxBody: Self.maxResultBody, use: self.results)
        routes.allowing { $0.canManagePayments || $0.canApproveAccounts }.post("payments", ":paymentID", "release", use: self.release)
        routes.allowing(\.canPayCash).post("payments", ":paymentID", "cash", maxBody: Self.maxEvidenceBody, use: self.cash)
    }

    func page(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let programs = try await PaymentProgram.query(on: request.db).sort(\.$createdAt, .descending).limit(100).all()
        let cycles = try await PaymentCycle.query(on: request.db).scoped(to: user.area).with(\.$program).sort(\.$createdAt, .descending).limit(100).all()
        let batches = try await PaymentBatch.query(on: request.db).with(\.$cycle).with(\.$madeBy).with(\.$checkedBy)
            .filter(\.$cycle.$id ~~ cycles.compactMap(\.id)).sort(\.$madeAt, .descending).limit(100).all()
        let held = try await Payment.query(on: request.db).scoped(to: user.area).filter(\.$held == true).filter(\.$status == .pending)
            .sort(\.$fullName).limit(200).all()
        return Layout.response(PaymentsView(context: PageContext(request), programs: programs, cycles: cycles, batches: batches, held: held,
                                            campaignProvince: try await Campaign.current(on: request.db)?.province).html)
    }

    private func done(_ request: Request, _ path: String = "/payments") -> Response {
        request.wantsJSON ? Response(status: .noContent) : request.redirect(to: path)
    }

    /// Amounts per group from a form (`amount_meritorious` …) or JSON (`amounts`).
    static func amounts(_ fields: [String: String]) throws -> [String: Int64] {
        var amounts: [String: Int64] = [:]
        for group in PolicyGroup.allCases {
            guard let raw = fields["amount_\(group.rawValue)"]?.filter({ !$0.isWhitespace && $0 != "." && $0 != "," }), !raw.isEmpty else { continue }
            guard raw.count <= 12, let value = Int64(raw) else {
                throw ASXHError.invalidInput(field: "amount_\(group.rawValue)", vi: "Số tiền nhóm \(group.labelVI) phải là số đồng.", en: "The amount for \(group.labelEN) must be whole đồng.")
            }
            amounts[group.rawValue] = value
        }
        return amounts
    }

    func createProgram(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let fields = try request.content.decode([String: String].self)
        guard let name = try fields["name"].flatMap({ try Request.bounded($0, field: "name", maxLength: 120) }) else {
            throw ASXHError.invalidInput(field: "name", vi: "Chưa ghi tên chương trình.", en: "The program needs a name.")
        }
        let kind: ProgramAmounts.Kind = try Request.choice(fields["kind"], field: "kind", what: ("Loại chương trình", "program kind")) ?? .gift
        let defaults = PaymentRuns.Payer.hanoiDepartment
        let payer = PaymentRuns.Payer(name: try fields["payerName"].flatMap { try Request.bounded($0, field: "payerName", maxLength: 140) } ?? defaults.name,
                                      account: try fields["payerAccount"].flatMap { try Request.bounded($0, field: "payerAccount", maxLength: 40) } ?? defaults.account,
                                      bin: try fields["payerBIN"].flatMap { try Request.bounded($0, field: "payerBIN", maxLength: 6) } ?? defaults.bin)
        _ = try await PaymentRuns.createProgram(name: name, amounts: ProgramAmounts(kind: kind, perGroup: try Self.amounts(fields)), payer: payer, by: user,
                                                now: request.application.now(), on: request.db)
        return self.done(request)
    }

    func editAmounts(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("programID")
        let fields = try request.content.decode([String: String].self)
        guard let program = try await PaymentProgram.find(id, on: request.db) else { throw ASXHError.notFound }
        try await PaymentRuns.editAmounts(id, amounts: ProgramAmounts(kind: program.amounts.kind, perGroup: try Self.amounts(fields)), by: user,
                                          now: request.application.now(), on: request.db)
        return self.done(request)
    }

    struct CycleForm: Content {
        var programID: UUID
        var name: String
        var payOn: String
        var cashDeadline: String
    }

    static func day(_ raw: String, field: String) throws -> CalendarDay {
        guard raw.count <= 10, let day = CalendarDay(parsing: raw) else {
            throw ASXHError.invalidInput(field: field, vi: "\(field) phải là ngày (YYYY-MM-DD).", en: "\(field) must be a date (YYYY-MM-DD).")
        }
        return day
    }

    func createCycle(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let form = try request.content.decode(CycleForm.self)
        guard user.area.level == .province else { throw ASXHError.forbidden }
        _ = try await PaymentRuns.createCycle(programID: form.programID, name: form.name.trimmingCharacters(in: .whitespaces),
                                              payOn: try Self.day(form.payOn, field: "payOn"), cashDeadline: try Self.day(form.cashDeadline, field: "cashDeadline"),
                                              province: user.area, by: user, now: request.application.now(), on: request.db)
        return self.done(request)
    }

    struct BatchReceipt: Content {
        var id: UUID
        var status: String
        var count: Int
        var sum: Int64
        var messageID: String
    }

    func makeBatch(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let cycle = try await PaymentRuns.cycle(request.uuidParameter("cycleID"), readableBy: user, on: request.db)
        guard cycle.province == user.area else { throw ASXHError.notFound }
        let batch = try await PaymentRuns.makeBatch(cycle, by: user, now: request.application.now(), on: request.db)
        if request.wantsJSON {
            return try await BatchReceipt(id: batch.requireID(), status: batch.status.rawValue, count: batch.paymentCount, sum: batch.paymentSum,
                                          messageID: batch.messageID).encodeResponse(status: .created, for: request)
        }
        return request.redirect(to: "/payments#batches")
    }

    func approve(request: Request) async throws -> Response {
        let user = try request.requireUser()
        try await PaymentRuns.approve(request.uuidParameter("batchID"), by: user, now: request.application.now(), on: request.db)
        return self.done(request, "/payments#batches")
    }

    /// One of the batch's files (the set is written afresh each time; transfers keep their end-to-end ids).
    func file(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let batchID = try request.uuidParameter("batchID")
        guard let name = request.parameters.get("name"), name.count <= 64,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }), !name.hasPrefix(".") else { throw ASXHError.notFound }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-batch-\(UUID().uuidString)")
        let manifest = try await PaymentFiles.write(batchID, to: directory, by: user, now: request.application.now(), on: request.db)
        guard name == "manifest.json" || manifest.files.contains(where: { $0.name == name }) else {
            try? FileManager.default.removeItem(at: directory)
            throw ASXHError.notFound
        }
        let type: HTTPMediaType = name.hasSuffix(".xml") ? .xml : name.hasSuffix(".json") ? .json : .csvUTF8
        return try await request.download(directory.appendingPathComponent(name).path, name: name, contentType: type, temporary: directory.path)
    }

    struct ResultUpload: Content {
        var file: File
    }

    func results(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let batchID = try request.uuidParameter("batchID")
        let upload = try request.content.decode(ResultUpload.self)
        let name = String(upload.file.filename.suffix(120))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-result-\(UUID().uuidString)")
        try await request.fileio.writeFile(upload.file.data, at: path.path)
        defer { try? FileManager.default.removeItem(at: path) }
        let summary = try await PaymentResults.importFile(at: path, named: name, batch: batchID, by: user, now: request.application.now(), on: request.db)
        if request.wantsJSON { return try await summary.encodeResponse(status: summary.alreadyImported ? .ok : .created, for: request) }
        return Layout.response(ResultSummaryView(context: PageContext(request), summary: summary).html)
    }

    func release(request: Request) async throws -> Response {
        let user = try request.requireUser()
        try await PaymentRuns.release(request.uuidParameter("paymentID"), by: user, now: request.application.now(), on: request.db)
        return self.done(request)
    }

    struct CashForm: Content {
        var recipient: String
        var evidence: File
    }

    func cash(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("paymentID")
        let form = try request.content.decode(CashForm.self)
        guard let recipient = try Request.bounded(form.recipient, field: "recipient", maxLength: 120) else {
            throw ASXHError.invalidInput(field: "recipient", vi: "Chưa ghi người nhận tiền.", en: "Who received the cash is missing.")
        }
        let data = Data(buffer: form.evidence.data)
        guard data.count <= VisitSubmission.maxFileBytes, let type = VisitRecorder.imageType(data) else {
            throw ASXHError.invalidInput(field: "evidence", vi: "Cần ảnh chữ ký hoặc ảnh giấy ký nhận (JPEG/PNG, tối đa 2 MB).",
                                         en: "A photo of the signature or the signed receipt is needed (JPEG/PNG, at most 2 MB).")
        }
        try await PaymentOutcome.handOver(id, recipient: recipient, evidenceType: type, evidence: data, by: user, now: request.application.now(), on: request.db)
        return self.done(request, request.headers.first(name: .referer).flatMap { URL(string: $0)?.path }.flatMap { $0.hasPrefix("/payments") ? $0 : nil } ?? "/payments")
    }

    func outcome(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let cycle = try await PaymentRuns.cycle(request.uuidParameter("cycleID"), readableBy: user, on: request.db)
        if request.query[String.self, at: "format"] == "csv" { return try await self.unpaidCSV(request, cycle: cycle, user: user) }
        let report = try await PaymentOutcome.report(cycle, in: user.area, on: request.db)
        return Layout.response(OutcomeView(context: PageContext(request), cycle: cycle, area: user.area, report: report).html)
    }

    func outcomeJSON(request: Request) async throws -> PaymentOutcome.Report {
        let user = try request.requireUser()
        let cycle = try await PaymentRuns.cycle(request.uuidParameter("cycleID"), readableBy: user, on: request.db)
        return try await PaymentOutcome.report(cycle, in: user.area, on: request.db)
    }

    /// Everyone entitled in the area not paid yet, with why: the list a commune works from before the deadline.
    private func unpaidCSV(_ request: Request, cycle: PaymentCycle, user: User) async throws -> Response {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-unpaid-\(UUID().uuidString).csv").path
        let writer = try CSVWriter(path: path, byteOrderMark: true)
        try writer.write(row: ["STT", "Họ và tên", "Mã xã", "Số tiền (đồng)", "Hình thức", "Lý do chưa chi trả", "Reason"])
        var index = 0
        try await PaymentOutcome.eachUnpaid(cycle.requireID(), in: user.area, on: request.db as! any SQLDatabase) { row in
            index += 1
            try writer.write(row: [String(index), row.fullName, row.commune, String(row.amount), row.channel.vietnamese, row.reasonVI, row.reasonEN])
        }
        try writer.close()
        try await Audit.record(on: request.db, actor: user, action: "payment.unpaid_list", entityType: "payment_cycle", entityID: cycle.id?.uuidString,
                               after: ["rows": String(index), "area": user.area.description], at: request.application.now())
        return try await request.download(path, name: "chua-chi-tra-\(cycle.name).csv", contentType: .csvUTF8)
    }
}
