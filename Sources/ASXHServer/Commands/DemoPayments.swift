import ASXHCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Step 5 of `asxh demo`: the accounts given at the door recorded by each group's leader, a representative's account
/// and a last-minute change waiting or held, a sync to the payment software, and the Lunar New Year cycle `tet-2024`
/// carried through: a batch made and checked, bank files, a simulated bank's answer with rejects, the cash fallback
/// with some hand-overs, and the outcome.
enum DemoPayments {
    static let cycleName = "tet-2024"

    static func run(_ app: Application, home: Area, folder: URL, today: Date, console: any Console) async throws {
        guard try await PaymentCycle.query(on: app.db).filter(\.$name == Self.cycleName).count() == 0 else {
            console.print("  đợt chi trả \(Self.cycleName) đã có / already present")
            return
        }
        guard let province = try await Campaign.current(on: app.db)?.province else { return }
        let directory = app.bankDirectory
        // Each group's leader records the accounts citizens gave at the door.
        for group in try await WorkingGroup.query(on: app.db).with(\.$leader).all() {
            guard let leader = group.leader else { continue }
            let area = Area(scheme: group.areaScheme, level: .commune, code: group.communeCode)
            let result = try await AccountRegistry.recordFromFieldwork(in: area, by: leader, directory: directory, now: today.addingTimeInterval(-2 * 3600), on: app.db)
            console.print("  \(Places.areaName(area)): \(result.verified) tài khoản xác minh / verified, \(result.pending) chờ duyệt / pending, \(result.refused.count) bị từ chối / refused")
        }
        let user = { (name: String) async throws -> User in
            guard let user = try await User.query(on: app.db).filter(\.$username == name).first() else { throw CommandFailure("demo user \(name) missing") }
            return user
        }
        let member = try await user("xa.totruong"), labour = try await user("xa.ldtbxh"), police = try await user("xa.congan"), city = try await user("so.ldtbxh")
        let checker = try await user("so.ketoan")

        // A bedridden person's son's account (waits for a second officer), and an account changed just before the payment (held).
        let homeCases = try await CampaignCase.query(on: app.db).scoped(to: home).with(\.$person).all()
        if let supported = homeCases.first(where: { $0.caseClass == .c }) {
            let authorisation = RepresentativeAuthorisation(representativeName: "Nguyễn Văn Hùng", relationship: "con", documentReference: "UQ-15/2024",
                                                            expiresOn: CalendarDay(today).adding(days: 365), approvedBy: nil)
            _ = try? await AccountRegistry.record(supported.$person.id, .init(bank: "Agribank", accountNumber: "1500205123456", holderName: "NGUYEN VAN HUNG",
                                                                             representative: authorisation, source: .visit),
                                                  by: member, directory: directory, now: today.addingTimeInterval(-3600), on: app.db)
        }
        let verified = try await BankAccount.query(on: app.db).scoped(to: home).filter(\.$status == .verified).with(\.$person).limit(1).all()
        if let account = verified.first,
           let changed = try? await AccountRegistry.record(account.$person.id, .init(bank: "MB", accountNumber: "0987654321", holderName: account.holderName,
                                                                                     representative: nil, source: .police),
                                                           by: member, directory: directory, now: today.addingTimeInterval(-1800), on: app.db) {
            try await AccountRegistry.decide(changed.requireID(), approve: true, by: labour, now: today.addingTimeInterval(-1200), on: app.db)
        }
        if let sync = try await AccountSync.export(by: police, now: today.addingTimeInterval(-900), on: app.db) {
            console.print("  đồng bộ / sync \(sync.sequence): \(sync.newCount) mới / new, \(sync.changedCount) thay đổi / changed")
        }

        // The Lunar New Year cycle, made by one officer of the department and checked by another.
        let program = try await PaymentRuns.createProgram(name: "Quà Tết Giáp Thìn 2024", amounts: .tetGift, payer: .hanoiDepartment, by: city, now: today, on: app.db)
        let cycle = try await PaymentRuns.createCycle(programID: program.requireID(), name: Self.cycleName, payOn: CalendarDay(today),
                                                      cashDeadline: CalendarDay(today).adding(days: 7), province: province, by: city, now: today, on: app.db)
        cycle.$program.value = program
        let batch = try await PaymentRuns.makeBatch(cycle, by: city, now: today, on: app.db)
        try await PaymentRuns.approve(batch.requireID(), by: checker, now: today, on: app.db)
        let out = folder.appendingPathComponent(Self.cycleName)
        let manifest = try await PaymentFiles.write(batch.requireID(), to: out, by: checker, now: today, on: app.db)
        console.print("  \(Self.cycleName): \(batch.totals); chuyển khoản / transfers \(manifest.transfers), tiền mặt / cash \(manifest.cash), tạm giữ / held \(manifest.held)")
        var moved = 0
        for file in manifest.files where file.kind == "pain.001" {
            let answer = out.appendingPathComponent("\(file.bin ?? "bank")-ket-qua.xml")
            try BankSimulator(rejectEvery: 12).respond(toPain001At: out.appendingPathComponent(file.name).path, writingTo: answer.path,
                                                       messageID: "KQ-\(file.bin ?? "x")", createdAt: today)
            moved += try await PaymentResults.importFile(at: answer, named: answer.lastPathComponent, batch: batch.requireID(), by: checker,
                                                         now: today.addingTimeInterval(600), on: app.db).movedToCash
        }
        // The commune's cash desk has paid the first few.
        let cash = try await Payment.query(on: app.db).scoped(to: home).filter(\.$channel == .cash).filter(\.$status == .pending).sort(\.$fullName).limit(5).all()
        let signature = Data(base64Encoded: DemoFieldwork.signature) ?? Data()
        for payment in cash {
            try await PaymentOutcome.handOver(payment.requireID(), recipient: payment.fullName, evidenceType: "image/png", evidence: signature, by: member,
                                              now: today.addingTimeInterval(1800), on: app.db)
        }
        console.print("  ngân hàng từ chối / bank rejects moved to cash: \(moved); đã chi tiền mặt / cash handed over: \(cash.count); tệp / files → \(out.path)")
        console.print("  kết quả / outcome: /payments/cycles/\(cycle.id?.uuidString ?? "")/outcome")
    }
}
