import ASXHCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// `asxh bench pay [--payments 1000000]`: a city's Lunar New Year cycle in a fresh database (PostgreSQL when
/// DATABASE_URL is set, else a temporary SQLite file): the batch made and its pain.001 files written (timed together),
/// a simulated bank answering each file with some rejects, and the results reconciled (timed), with peak memory.
extension BenchCommand {
    func benchPay(_ context: CommandContext, _ signature: Signature) async throws {
        let total = signature.payments ?? 1_000_000
        let console = context.console
        let targets = try await Self.targets(signature, name: "bench-pay")
        for (label, choice) in targets {
            let app = try await Application.make(.production)
            app.logger.logLevel = .warning
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("bench-pay-\(UUID().uuidString)")
            do {
                try await configure(app, database: choice)
                try await app.autoMigrate()
                console.print("\(label): seeding \(total) entitled people…")
                let (maker, checker, cycle) = try await PayBenchSeed.make(app, people: total)
                Memory.resetPeak()
                let started = Date()
                let bar = ProgressLine(title: "batch")
                let batch = try await PaymentRuns.makeBatch(cycle, by: maker, now: Date(), on: app.db) { done, all in
                    bar.draw(done: done, fraction: Double(done) / Double(max(all, 1)), unit: "people")
                }
                bar.finish()
                let made = Date().timeIntervalSince(started)
                try await PaymentRuns.approve(batch.requireID(), by: checker, now: Date(), on: app.db)
                let filesStarted = Date()
                let manifest = try await PaymentFiles.write(batch.requireID(), to: out, by: checker, now: Date(), on: app.db)
                let written = Date().timeIntervalSince(filesStarted)
                let batchMemory = Memory.peakMiB()
                console.print(String(format: "%@: batch of %d payments (%d transfers in %d bank files, %d cash, %d held) made in %.1f s, files written in %.1f s: %.1f s in all; peak memory %.0f MiB",
                                     label, batch.paymentCount, manifest.transfers.count, manifest.files.filter { $0.kind == "pain.001" }.count, manifest.cash.count,
                                     manifest.held.count, made, written, made + written, batchMemory))
                var answers: [URL] = []
                for file in manifest.files where file.kind == "pain.001" {
                    let answer = out.appendingPathComponent("\(file.bin ?? "x")-result.xml")
                    try BankSimulator(rejectEvery: 50).respond(toPain001At: out.appendingPathComponent(file.name).path, writingTo: answer.path,
                                                               messageID: "BANK-\(file.bin ?? "x")", createdAt: Date())
                    answers.append(answer)
                }
                Memory.resetPeak()
                let reconcileStarted = Date()
                var results = 0, moved = 0
                var paid = ControlTotals.zero, failed = ControlTotals.zero, difference = ControlTotals.zero
                // As `asxh pay reconcile DIR` does: the banks' answers two at a time.
                let batchID = try batch.requireID()
                for summary in try await PaymentResults.importFiles(answers.map { ($0, batchID) }, by: checker, now: Date(), on: app.db) {
                    results += summary.results
                    moved += summary.movedToCash
                    (paid, failed, difference) = (paid + summary.paid, failed + summary.failed, difference + summary.difference)
                }
                let reconciled = Date().timeIntervalSince(reconcileStarted)
                console.print(String(format: "  reconciled %d results from %d pain.002 files in %.1f s (%.0f results/s); %d moved to cash; paid %@, failed %@, difference %@; peak memory %.0f MiB",
                                     results, answers.count, reconciled, Double(results) / max(reconciled, 0.001), moved, paid.description,
                                     failed.description, difference.description, Memory.peakMiB()))
                try await app.asyncShutdown()
            } catch {
                try? await app.asyncShutdown()
                try? FileManager.default.removeItem(at: out)
                throw error
            }
            try? FileManager.default.removeItem(at: out)
            if case .sqlite(let path) = choice { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}

/// A city's entitled people for `bench pay`: one enrolment each (every fifth has a second), nine in ten with a
/// verified account at one of ten banks, some declined (class B); the maker, the checker, the Tết program and cycle.
enum PayBenchSeed {
    static let banks = ["970436", "970405", "970418", "970415", "970416", "970422", "970407", "970432", "970423", "970403"]

    static func make(_ app: Application, people total: Int) async throws -> (maker: User, checker: User, cycle: PaymentCycle) {
        guard let campaign = try await Campaign.current(on: app.db) else { throw CommandFailure("no campaign") }
        campaign.provinceCode = "01"
        campaign.scheme = .before2025
        try await campaign.save(on: app.db)
        let maker = try await UserAccounts.create(username: "bench.maker", password: VisitBenchSeed.password, role: .cityOfficer, area: .hanoi,
                                                  displayName: "Bench maker", by: nil, on: app.db)
        let checker = try await UserAccounts.create(username: "bench.checker", password: VisitBenchSeed.password, role: .cityOfficer, area: .hanoi,
                                                    displayName: "Bench checker", by: nil, on: app.db)
        let list = SourceList()
        list.fileName = "bench.csv"; list.sha256 = UUID().uuidString
        list.rowsTotal = total; list.rowsImported = total; list.rowsRejected = 0; list.rowsSkipped = 0; list.newPeople = total; list.newEnrolments = total
        try await list.create(on: app.db)
        let listID = try list.requireID(), campaignID = try campaign.requireID(), recorder = try maker.requireID()
        let communes = AdministrativeUnits.shared.units(scheme: .before2025, level: .commune).filter { $0.provinceCode == "01" }.sorted { $0.code < $1.code }
        var ids = TimeOrderedUUIDs(seed: 17)
        let now = Date()
        let groups = [PolicyGroup.meritorious, .socialProtection, .poorHousehold, .nearPoorHousehold]
        var people: [[BulkValue]] = [], enrolments: [[BulkValue]] = [], cases: [[BulkValue]] = [], accounts: [[BulkValue]] = []
        let bar = ProgressLine(title: "seed")
        for index in 0..<total {
            let commune = communes[index % communes.count]
            let person = ids.next(now: now)
            let name = "Nguyễn Văn \(index)"
            people.append([.uuid(person), .text(name), .text(VietnameseText.fold(name)), .int(1930 + index % 60), .text("Số \(index % 400 + 1) phố Bench \(index)"),
                           .text("01"), BulkValue(commune.parentCode), .text(commune.code), .bool(false), .date(now), .date(now)])
            enrolments.append([.uuid(ids.next(now: now)), .uuid(person), .uuid(listID), .text(groups[index % groups.count].rawValue), .int(index + 2), .date(now)])
            if index % 5 == 0 {
                enrolments.append([.uuid(ids.next(now: now)), .uuid(person), .uuid(listID), .text(PolicyGroup.meritorious.rawValue), .int(index + 2), .date(now)])
            }
            let declined = index % 20 == 7
            cases.append([.uuid(ids.next(now: now)), .uuid(campaignID), .uuid(person), .text(CaseState.accountRecorded.rawValue), .date(now),
                          .text("01"), BulkValue(commune.parentCode), .text(commune.code), .text(declined ? CaseClass.b.rawValue : CaseClass.a1.rawValue)])
            if index % 10 != 3 {
                let bin = Self.banks[index % Self.banks.count]
                accounts.append([.uuid(ids.next(now: now)), .uuid(person), .text(bin), .text("Bank \(bin)"), .text(String(format: "%013d", index + 1)),
                                 .text(VietnameseText.bankName(name)), .text(BankAccount.Source.police.rawValue), .text(BankAccount.Status.verified.rawValue),
                                 .uuid(recorder), .date(now), .text("2024-01-10")])
            }
            if people.count == 20_000 || index == total - 1 {
                try await BulkRows.insert(people, into: Person.schema, columns: ["id", "full_name", "folded_name", "birth_year", "address", "province_code", "district_code",
                                                                                "commune_code", "needs_address_detail", "created_at", "updated_at"], on: app.db)
                try await BulkRows.insert(enrolments, into: Enrolment.schema, columns: ["id", "person_id", "source_list_id", "policy_group", "source_row", "created_at"], on: app.db)
                try await BulkRows.insert(cases, into: CampaignCase.schema, columns: ["id", "campaign_id", "person_id", "state", "updated_at", "province_code",
                                                                                     "district_code", "commune_code", "case_class"], on: app.db)
                try await BulkRows.insert(accounts, into: BankAccount.schema, columns: ["id", "person_id", "bin", "bank_name", "account_number", "holder_name", "source",
                                                                                       "status", "recorded_by", "recorded_at", "verified_on"], on: app.db)
                people.removeAll(keepingCapacity: true); enrolments.removeAll(keepingCapacity: true)
                cases.removeAll(keepingCapacity: true); accounts.removeAll(keepingCapacity: true)
                bar.draw(done: index + 1, fraction: Double(index + 1) / Double(total), unit: "people")
            }
        }
        bar.finish()
        if let sql = app.db as? any SQLDatabase, sql.dialect.name == "postgresql" { try await sql.raw("ANALYZE").run() }
        let program = try await PaymentRuns.createProgram(name: "Quà Tết (bench)", amounts: .tetGift, payer: .hanoiDepartment, by: maker, now: now, on: app.db)
        let cycle = try await PaymentRuns.createCycle(programID: program.requireID(), name: "bench-tet", payOn: CalendarDay(now), cashDeadline: CalendarDay(now).adding(days: 7),
                                                      province: .hanoi, by: maker, now: now, on: app.db)
        cycle.$program.value = program
        return (maker, checker, cycle)
    }
}
