import ASXHCore
import Fluent
import SQLKit
import Vapor

/// Step 5 accounts: recording (typed, scanned from a VietQR, taken from the visits and the lists), a second officer's
/// approval, the account's own VietQR for the citizen's banking app, and the sync to the payment software.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let readers = routes.allowing { $0.canRecordAccounts || $0.canSyncAccounts }
        readers.get("accounts", use: self.page)
        let recorders = routes.allowing(\.canRecordAccounts)
        recorders.post("accounts", use: self.record)
        recorders.post("api", "v1", "accounts", use: self.record)
        recorders.post("api", "v1", "vietqr", "parse", use: self.parseQR)
        recorders.get("accounts", ":accountID", "vietqr.svg", use: self.qrCode)
        let approvers = routes.allowing(\.canApproveAccounts)
        approvers.post("accounts", ":accountID", "approve", use: self.approve)
        approvers.post("accounts", ":accountID", "refuse", use: self.refuse)
        approvers.post("accounts", "from-fieldwork", use: self.fromFieldwork)
        let syncers = routes.allowing(\.canSyncAccounts)
        syncers.post("sync", use: self.sync)
        syncers.get("sync", ":syncID", ":file", use: self.download)
        syncers.post("sync", ":syncID", "acknowledge", use: self.acknowledge)
        routes.allowing { $0 == .cityOfficer }.post("api", "v1", "mapper", "resolve", use: self.resolve)
    }

    func page(request: Request) async throws -> Response {
        let user = try request.requireUser()
        var person: Person?
        if let text = try request.queryText("person", maxLength: 36) {
            guard let id = UUID(uuidString: text) else {
                throw ASXHError.invalidInput(field: "person", vi: "Mã người không hợp lệ.", en: "person is not an id.")
            }
            person = try await Person.query(on: request.db).scoped(to: user.area).filter(\.$id == id).first()
            guard person != nil else { throw ASXHError.notFound }
        }
        let accounts = person == nil ? [] : try await BankAccount.query(on: request.db).filter(\.$person.$id == person!.requireID())
            .with(\.$recordedBy).sort(\.$recordedAt, .descending).limit(20).all()
        let pending = try await AccountRegistry.pending(in: user.area, on: request.db)
        let syncs = user.role.canSyncAccounts
            ? try await AccountSyncBatch.query(on: request.db).filter(\.$area == user.area.description).sort(\.$sequence, .descending).limit(50).all() : []
        return Layout.response(AccountsView(context: PageContext(request), person: person, accounts: accounts, pending: pending, syncs: syncs).html)
    }

    struct AccountForm: Content {
        var personID: UUID
        var bank: String
        var accountNumber: String
        var holderName: String
        var source: String?
        var representativeName: String?
        var relationship: String?
        var authorisationReference: String?
        var authorisationExpires: String?
    }

    struct AccountReceipt: Content {
        var id: UUID
        var status: String
        var bin: String
        var bank: String
        var signals: [String]
    }

    func record(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let form = try request.content.decode(AccountForm.self)
        let text = { (value: String?, field: String) throws -> String? in try value.flatMap { try Request.bounded($0, field: field, maxLength: 120) } }
        var representative: RepresentativeAuthorisation?
        if let name = try text(form.representativeName, "representativeName") {
            var expiry: CalendarDay?
            if let raw = try text(form.authorisationExpires, "authorisationExpires") {
                guard raw.count <= 10, let day = CalendarDay(parsing: raw) else {
                    throw ASXHError.invalidInput(field: "authorisationExpires", vi: "Ngày hết hạn ủy quyền không đúng (YYYY-MM-DD).", en: "authorisationExpires must be a date (YYYY-MM-DD).")
                }
                expiry = day
            }
            representative = RepresentativeAuthorisation(representativeName: name, relationship: try text(form.relationship, "relationship") ?? "",
                                                         documentReference: try text(form.authorisationReference, "authorisationReference") ?? "",
                                                         expiresOn: expiry, approvedBy: nil)
        }
        let source: BankAccount.Source = try Request.choice(form.source, field: "source", what: ("Nguồn", "source")) ?? .police
        let entry = AccountRegistry.Entry(bank: try text(form.bank, "bank") ?? "", accountNumber: try text(form.accountNumber, "accountNumber") ?? "",
                                          holderName: try text(form.holderName, "holderName") ?? "", representative: representative, source: source)
        let account = try await AccountRegistry.record(form.personID, entry, by: user, directory: request.application.bankDirectory,
                                                       now: request.application.now(), on: request.db)
        if request.wantsJSON {
            return try await AccountReceipt(id: account.requireID(), status: account.status.rawValue, bin: account.bin, bank: account.bankName,
                                            signals: account.signalList.map(\.rawValue)).encodeResponse(status: .created, for: request)
        }
        return request.redirect(to: "/accounts?person=\(form.personID.uuidString)")
    }

    func approve(request: Request) async throws -> Response { try await self.decide(request, approve: true) }

    func refuse(request: Request) async throws -> Response { try await self.decide(request, approve: false) }

    private func decide(_ request: Request, approve: Bool) async throws -> Response {
        let user = try request.requireUser()
        try await AccountRegistry.decide(try request.uuidParameter("accountID"), approve: approve, by: user, now: request.application.now(), on: request.db)
        return request.wantsJSON ? Response(status: .noContent) : request.redirect(to: "/accounts")
    }

    func fromFieldwork(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let result = try await AccountRegistry.recordFromFieldwork(in: user.area, by: user, directory: request.application.bankDirectory,
                                                                   now: request.application.now(), on: request.db)
        return try await result.encodeResponse(for: request)
    }

    struct QRPayload: Content {
        var payload: String
    }

    struct ParsedQR: Content {
        var bin: String
        var bank: String?
        var account: String
        var service: String
        var amount: Int?
        var message: String?
        /// Why the account cannot be recorded as it is (a card number, a virtual account), nil when it can.
        var accountProblem: String?
    }

    /// What a scanned VietQR holds, checked (CRC, the bank by its BIN, the account number's rules).
    func parseQR(request: Request) async throws -> ParsedQR {
        guard let payload = try Request.bounded(try request.content.decode(QRPayload.self).payload, field: "payload", maxLength: 512) else {
            throw ASXHError.invalidInput(field: "payload", vi: "Chưa có nội dung mã QR.", en: "The QR payload is empty.")
        }
        let qr: VietQR
        do { qr = try VietQR.parse(payload) } catch {
            throw ASXHError.invalidInput(field: "payload", vi: error.messageVI, en: error.messageEN)
        }
        let bank = request.application.bankDirectory.bank(bin: qr.bin)
        var problem: String?
        if qr.service != .toAccount {
            problem = "Mã QR này là số thẻ, không phải số tài khoản. / This QR carries a card number, not an account."
        } else if case .failure(let error) = AccountNumber.check(qr.account, bank: bank) {
            problem = "\(error.messageVI) / \(error.messageEN)"
        }
        return ParsedQR(bin: qr.bin, bank: bank?.shortName, account: qr.account, service: qr.service.rawValue, amount: qr.amount, message: qr.message,
                        accountProblem: problem)
    }

    /// The account's VietQR as SVG, for the citizen's banking app to show the holder's name as the bank knows it.
    func qrCode(request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard let account = try await BankAccount.query(on: request.db).scoped(to: user.area).filter(\.$id == request.uuidParameter("accountID")).first() else {
            throw ASXHError.notFound
        }
        let svg: String
        do {
            let payload = try VietQR(bin: account.bin, account: account.accountNumber).payload()
            svg = try QRCode(payload).svg(moduleSize: 6, title: "VietQR \(account.bankName)")
        } catch {
            throw ASXHError.refused(status: .unprocessableEntity, code: "vietqr", vi: "Không tạo được mã VietQR cho tài khoản này.", en: "No VietQR can be made for this account.")
        }
        let response = Response(status: .ok, body: .init(string: svg))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    // MARK: sync

    func sync(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let batch = try await AccountSync.export(by: user, now: request.application.now(), on: request.db)
        if request.wantsJSON {
            guard let batch else { return Response(status: .noContent) }
            return try await ["id": batch.requireID().uuidString, "sequence": String(batch.sequence), "sha256": batch.sha256].encodeResponse(status: .created, for: request)
        }
        return request.redirect(to: "/accounts#sync")
    }

    func download(request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard let batch = try await AccountSyncBatch.query(on: request.db).filter(\.$id == request.uuidParameter("syncID"))
            .filter(\.$area == user.area.description).first() else { throw ASXHError.notFound }
        let stem = String(format: "sync-%05d", batch.sequence)
        let names: [String: (String, HTTPMediaType)] = ["csv": ("\(stem).csv", .csvUTF8), "xlsx": ("\(stem).xlsx", .xlsx), "manifest": ("\(stem).manifest.json", .json)]
        guard let (name, type) = request.parameters.get("file").flatMap({ names[$0] }) else { throw ASXHError.notFound }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-sync-\(UUID().uuidString)")
        _ = try await AccountSync.write(batch, to: directory, on: request.db as! any SQLDatabase)
        try await Audit.record(on: request.db, actor: user, action: "account_sync.download", entityType: "account_sync_batch", entityID: batch.id?.uuidString,
                               after: ["file": name], at: request.application.now())
        return try await request.download(directory.appendingPathComponent(name).path, name: name, contentType: type, temporary: directory.path)
    }

    struct Acknowledgement: Content {
        var reference: String
    }

    func acknowledge(request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard let reference = try Request.bounded(try request.content.decode(Acknowledgement.self).reference, field: "reference", maxLength: 100) else {
            throw ASXHError.invalidInput(field: "reference", vi: "Chưa ghi số xác nhận của phần mềm chi trả.", en: "The payment software's receipt reference is missing.")
        }
        try await AccountSync.acknowledge(request.uuidParameter("syncID"), reference: reference, by: user, now: request.application.now(), on: request.db)
        return request.wantsJSON ? Response(status: .noContent) : request.redirect(to: "/accounts#sync")
    }

    // MARK: G2P Connect ID-account mapper (resolve)

    struct ResolveRequest: Content {
        struct Message: Content {
            var transaction_id: String
            var resolve_request: [Item]
        }
        struct Item: Content {
            var reference_id: String
            var id: String
        }
        var message: Message
    }

    struct ResolveResponse: Content {
        struct Message: Content {
            var transaction_id: String
            var resolve_response: [Item]
        }
        struct Item: Content {
            var reference_id: String
            var id: String
            var status: String
            var status_reason_code: String?
            var id_status: AccountSync.LinkStatus
            var fa: String?
            var account_provider_info: Provider?
        }
        struct Provider: Content {
            var name: String
            var code: String
        }
        var message: Message
    }

    /// Personal ID → `account:<number>@<BIN>`, in the shape of the G2P Connect ID-account mapper's resolve.
    func resolve(request: Request) async throws -> ResolveResponse {
        let user = try request.requireUser()
        let body = try request.content.decode(ResolveRequest.self)
        guard body.message.resolve_request.count <= 1000, body.message.transaction_id.count <= 99,
              body.message.resolve_request.allSatisfy({ $0.reference_id.count <= 99 && $0.id.count <= 20 }) else {
            throw ASXHError.invalidInput(field: "resolve_request", vi: "Tối đa 1.000 yêu cầu, mã ngắn.", en: "At most 1,000 requests, with short ids.")
        }
        let ids = body.message.resolve_request.map { (try? PersonalID(parsing: $0.id))?.digits ?? "" }
        let resolutions = try await AccountSync.resolve(ids.filter { !$0.isEmpty }, in: user.area, on: request.db)
        let byID = Dictionary(resolutions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let items = zip(body.message.resolve_request, ids).map { item, id -> ResolveResponse.Item in
            guard let resolution = byID[id] else {
                return .init(reference_id: item.reference_id, id: item.id, status: "rjct", status_reason_code: "rjct.id.invalid", id_status: .notFound)
            }
            switch resolution.status {
            case .active:
                let bin = resolution.fa.flatMap { $0.split(separator: "@").last.map(String.init) } ?? ""
                return .init(reference_id: item.reference_id, id: item.id, status: "succ", id_status: .active, fa: resolution.fa,
                             account_provider_info: .init(name: resolution.bankName ?? "", code: bin))
            case .notFound:
                return .init(reference_id: item.reference_id, id: item.id, status: "rjct", status_reason_code: "rjct.id.not_found", id_status: .notFound)
            case .notLinked:
                return .init(reference_id: item.reference_id, id: item.id, status: "rjct", status_reason_code: "rjct.fa.not_linked", id_status: .notLinked)
            }
        }
        return ResolveResponse(message: .init(transaction_id: body.message.transaction_id, resolve_response: items))
    }
}
