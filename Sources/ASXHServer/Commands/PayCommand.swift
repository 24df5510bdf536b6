import ASXHCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The signed-in user a payment command acts as (`--as LOGIN`): batches, approvals and syncs name real officers, so
/// four eyes holds on the command line too.
enum CommandActor {
    static func user(_ username: String?, on database: any Database, rule: (Role) -> Bool, what: String) async throws -> User {
        guard let username else { throw CommandFailure("Cần --as TÊN_ĐĂNG_NHẬP (\(what)) / --as LOGIN is required (\(what))") }
        guard let user = try await User.query(on: database).filter(\.$username == username).first() else {
            throw CommandFailure("Không có người dùng \(username) / no such user: \(username)")
        }
        guard rule(user.role) else { throw CommandFailure("\(username) không có quyền \(what) / \(username) may not \(what)") }
        return user
    }

    /// An `ASXHError` as the command line shows it.
    static func failure(_ error: any Error) -> any Error {
        guard let asxh = error as? ASXHError else { return error }
        return CommandFailure("\(asxh.code): \(asxh.messageVI) / \(asxh.messageEN)")
    }
}

/// `asxh pay batch|approve|reconcile`: the department's payment run from the command line.
struct PayCommand: AsyncCommandGroup {
    var help: String { "Payment batches, approval, bank files and results (chi trả)." }
    var commands: [String: any AnyAsyncCommand] {
        ["batch": PayBatchCommand(), "approve": PayApproveCommand(), "reconcile": PayReconcileCommand()]
    }
}

/// `asxh pay batch --cycle NAME --out DIR --as LOGIN [--json]`: the cycle's approved batch written as bank files per
/// bank (pain.001 and CSV), the cash list and the manifest; without a batch yet, makes one (a draft that a second
/// officer approves with `asxh pay approve`).
struct PayBatchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "cycle", help: "Payment cycle name, e.g. tet-2024")
        var cycle: String?
        @Option(name: "out", help: "Directory for the files")
        var out: String?
        @Option(name: "as", help: "Login name of the city officer acting")
        var actor: String?
        @Flag(name: "json", help: "Print a machine-readable summary")
        var json: Bool
    }

    var help: String { "Write a cycle's bank files and cash list (or make its batch)." }

    struct Output: Encodable {
        var status: String
        var batch: UUID
        var count: Int
        var sum: Int64
        var manifest: PaymentFiles.Manifest?
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let name = signature.cycle, let out = signature.out else { throw CommandFailure("Cần --cycle và --out / --cycle and --out are required") }
        let user = try await CommandActor.user(signature.actor, on: app.db, rule: \.canManagePayments, what: "chi trả / pay")
        do {
            let cycle = try await PaymentRuns.cycle(named: name, for: user, on: app.db)
            let batch: PaymentBatch
            if let latest = try await PaymentBatch.query(on: app.db).filter(\.$cycle.$id == cycle.requireID()).sort(\.$madeAt, .descending).first() {
                batch = latest
            } else {
                let bar = ProgressLine(title: "batch")
                batch = try await PaymentRuns.makeBatch(cycle, by: user, now: app.now(), on: app.db) { done, total in
                    bar.draw(done: done, fraction: total > 0 ? Double(done) / Double(total) : nil, unit: "people")
                }
                bar.finish()
            }
            var output = Output(status: batch.status.rawValue, batch: try batch.requireID(), count: batch.paymentCount, sum: batch.paymentSum)
            if batch.status == .approved {
                output.manifest = try await PaymentFiles.write(batch.requireID(), to: URL(fileURLWithPath: out), by: user, now: app.now(), on: app.db)
                output.status = "written"
            }
            if signature.json { try CommandSupport.printJSON(output); return }
            context.console.print("\(cycle.name): \(batch.totals) · \(batch.messageID)")
            if let manifest = output.manifest {
                for file in manifest.files { context.console.print("  \(file.name): \(file.count) · \(file.sum) đồng · sha256 \(file.sha256)") }
                context.console.print("  chuyển khoản / transfers \(manifest.transfers) · tiền mặt / cash \(manifest.cash) · tạm giữ / held \(manifest.held)")
            } else {
                context.console.print("  Chờ cán bộ thứ hai duyệt / waiting for a second officer: asxh pay approve --batch \(output.batch) --as LOGIN")
            }
        } catch {
            throw CommandActor.failure(error)
        }
    }
}

/// `asxh pay approve --batch ID --as LOGIN`: the checker approves a draft batch (never its maker).
struct PayApproveCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "batch", help: "Batch id")
        var batch: String?
        @Option(name: "as", help: "Login name of the checking city officer")
        var actor: String?
        @Flag(name: "json", help: "Print a machine-readable summary")
        var json: Bool
    }

    var help: String { "Approve a payment batch as the second officer." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let batchID = signature.batch.flatMap(UUID.init(uuidString:)) else { throw CommandFailure("Cần --batch ID / --batch ID is required") }
        let user = try await CommandActor.user(signature.actor, on: app.db, rule: \.canManagePayments, what: "duyệt bảng kê / approve batches")
        do { try await PaymentRuns.approve(batchID, by: user, now: app.now(), on: app.db) } catch { throw CommandActor.failure(error) }
        if signature.json { try CommandSupport.printJSON(["batch": batchID.uuidString, "status": "approved"]) } else { context.console.print("approved \(batchID)") }
    }
}

/// `asxh pay reconcile FILE|DIR --as LOGIN [--batch ID] [--json]`: applies a bank's result (pain.002, CSV or XLSX), or
/// every file in a directory of them, two at a time.
struct PayReconcileCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The bank's result file, or a directory of result files")
        var file: String
        @Option(name: "batch", help: "Batch id (default: the batch the pain.002 names, or the latest approved one)")
        var batch: String?
        @Option(name: "as", help: "Login name of the city officer acting")
        var actor: String?
        @Flag(name: "json", help: "Print a machine-readable summary")
        var json: Bool
    }

    var help: String { "Import a bank's payment results; rejects move to the cash list." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let user = try await CommandActor.user(signature.actor, on: app.db, rule: \.canManagePayments, what: "nhập kết quả / import results")
        let given = URL(fileURLWithPath: signature.file)
        var isDirectory: ObjCBool = false
        FileManager.default.fileExists(atPath: given.path, isDirectory: &isDirectory)
        let urls = isDirectory.boolValue
            ? ((try? FileManager.default.contentsOfDirectory(at: given, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])) ?? [])
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
            : [given]
        guard !urls.isEmpty else { throw CommandFailure("Thư mục không có tệp nào / the directory holds no file: \(given.path)") }
        do {
            var files: [(url: URL, batch: UUID)] = []
            for url in urls {
                guard let head = try? FileHandle(forReadingFrom: url).read(upToCount: 4096) else {
                    throw CommandFailure("Không đọc được \(url.path) / cannot read \(url.path)")
                }
                files.append((url, try await Self.batch(signature.batch, for: head, on: app.db)))
            }
            let summaries = try await PaymentResults.importFiles(files, by: user, now: app.now(), on: app.db)
            if signature.json {
                if isDirectory.boolValue { try CommandSupport.printJSON(summaries) } else { try CommandSupport.printJSON(summaries[0]) }
                return
            }
            for summary in summaries {
                context.console.print("\(summary.fileName): " + (summary.alreadyImported ? "Tệp đã nhập trước đây: không đổi gì / already imported: nothing changed"
                                                                                        : "recorded \(summary.recorded), moved to cash \(summary.movedToCash)"))
                context.console.print("issued \(summary.issued) = paid \(summary.paid) + failed \(summary.failed) + pending \(summary.pending); difference \(summary.difference)")
            }
        } catch {
            throw CommandActor.failure(error)
        }
    }

    /// The batch a result answers: given, or named by a pain.002's original message id, or the latest approved batch.
    static func batch(_ given: String?, for head: Data, on database: any Database) async throws -> UUID {
        if let given {
            guard let id = UUID(uuidString: given) else { throw CommandFailure("--batch không phải mã / is not an id") }
            return id
        }
        // A bank file's MsgId is the batch's message id and the bank's BIN ("ASXH-…-970436").
        let head = String(decoding: head, as: UTF8.self)
        if let range = head.range(of: "<OrgnlMsgId>") {
            let original = head[range.upperBound...].prefix { $0 != "<" }
            let batchMessageID = original.split(separator: "-").dropLast().joined(separator: "-")
            if let batch = try await PaymentBatch.query(on: database).filter(\.$messageID == batchMessageID).first() { return try batch.requireID() }
        }
        guard let latest = try await PaymentBatch.query(on: database).filter(\.$status == .approved).sort(\.$checkedAt, .descending).first() else {
            throw CommandFailure("Không có bảng kê đã duyệt / no approved batch")
        }
        return try latest.requireID()
    }
}

/// `asxh sync export --out DIR --as LOGIN [--json]`: the accounts that changed in the officer's area since the last
/// sync, as CSV, XLSX and manifest for the payment software.
struct SyncCommand: AsyncCommandGroup {
    var help: String { "Sync accounts to the payment software (đồng bộ tài khoản)." }
    var commands: [String: any AnyAsyncCommand] { ["export": SyncExportCommand()] }
}

struct SyncExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "out", help: "Directory for the files")
        var out: String?
        @Option(name: "as", help: "Login name of the police or city officer acting")
        var actor: String?
        @Flag(name: "json", help: "Print a machine-readable summary")
        var json: Bool
    }

    var help: String { "Export the account changes since the last sync." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let out = signature.out else { throw CommandFailure("Cần --out / --out is required") }
        let user = try await CommandActor.user(signature.actor, on: app.db, rule: \.canSyncAccounts, what: "đồng bộ / sync")
        guard let batch = try await AccountSync.export(by: user, now: app.now(), on: app.db) else {
            if signature.json { try CommandSupport.printJSON(["status": "nothing_changed"]) } else { context.console.print("Không có thay đổi / nothing changed") }
            return
        }
        let manifest = try await AccountSync.write(batch, to: URL(fileURLWithPath: out), on: app.db as! any SQLDatabase)
        if signature.json { try CommandSupport.printJSON(manifest); return }
        context.console.print("sync \(manifest.sequence): new \(manifest.new), changed \(manifest.changed), closed \(manifest.closed) → \(out)")
    }
}

/// `asxh vietqr parse PAYLOAD` / `asxh vietqr make --bin BIN --account NUMBER [--amount VND]`.
struct VietQRCommand: AsyncCommandGroup {
    var help: String { "Read or make a VietQR account code (mã VietQR)." }
    var commands: [String: any AnyAsyncCommand] { ["parse": VietQRParseCommand(), "make": VietQRMakeCommand()] }
}

struct VietQRParseCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "payload", help: "The QR's text")
        var payload: String
        @Flag(name: "json", help: "Print the fields as JSON")
        var json: Bool
    }

    var help: String { "Parse a VietQR payload (exits non-zero on a bad CRC)." }

    struct Fields: Encodable {
        var bin: String
        var bank: String?
        var account: String
        var service: String
        var amount: Int?
        var message: String?
        var dynamic: Bool
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let qr: VietQR
        do { qr = try VietQR.parse(signature.payload) } catch { throw CommandFailure("\(error.code): \(error.messageVI) / \(error.messageEN)") }
        let fields = Fields(bin: qr.bin, bank: context.application.bankDirectory.bank(bin: qr.bin)?.shortName, account: qr.account, service: qr.service.rawValue,
                            amount: qr.amount, message: qr.message, dynamic: qr.isDynamic)
        if signature.json { try CommandSupport.printJSON(fields); return }
        context.console.print("\(fields.bank ?? "?") (\(qr.bin)) · \(qr.account) · \(qr.service.rawValue)\(qr.amount.map { " · \($0) đồng" } ?? "")\(qr.message.map { " · \($0)" } ?? "")")
    }
}

struct VietQRMakeCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "bin", help: "The bank's 6-digit BIN")
        var bin: String?
        @Option(name: "account", help: "Account number")
        var account: String?
        @Option(name: "amount", help: "Amount in đồng (optional)")
        var amount: Int?
        @Option(name: "message", help: "Message (optional)")
        var message: String?
        @Option(name: "svg", help: "Also write the QR code as SVG to this file")
        var svg: String?
        @Flag(name: "json", help: "Print {\"payload\": …}")
        var json: Bool
    }

    var help: String { "Make the VietQR payload (and SVG) of an account." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let bin = signature.bin, let account = signature.account else { throw CommandFailure("Cần --bin và --account / --bin and --account are required") }
        let payload: String
        do {
            payload = try VietQR.make(bin: bin, account: account, amount: signature.amount, message: signature.message)
            if let path = signature.svg {
                try QRCode(payload).svg(moduleSize: 8, title: "VietQR \(bin) \(account)").write(toFile: path, atomically: true, encoding: .utf8)
            }
        } catch let error as VietQRError {
            throw CommandFailure("\(error.code): \(error.messageVI) / \(error.messageEN)")
        }
        if signature.json { try CommandSupport.printJSON(["payload": payload]) } else { context.console.print(payload) }
    }
}
