import ASXHCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Recording the accounts money follows (step 5), with the checks and signals of `AccountReview`: the first
/// account in the person's own name, shared with nobody outside the household, is verified at once; anything else
/// waits for a second officer, who is never the one who recorded it. Every write is audited in its transaction.
enum AccountRegistry {
    /// An account as an officer typed it (or the visit or the department's list gave it).
    struct Entry: Sendable {
        var bank: String
        var accountNumber: String
        var holderName: String
        var representative: RepresentativeAuthorisation?
        var source: BankAccount.Source
    }

    /// The bank the text names, or a refusal that lists the candidates.
    static func bank(_ text: String, in directory: BankDirectory) throws -> Bank {
        switch directory.resolve(text) {
        case .bank(let bank): return bank
        case .ambiguous(let banks):
            let names = banks.prefix(8).map(\.shortName).joined(separator: ", ")
            throw PaymentRuns.refused("bank_ambiguous", "“\(text)” có thể là: \(names). Hãy chọn một ngân hàng.", "“\(text)” could be: \(names). Choose one bank.")
        case .unknown:
            throw PaymentRuns.refused("bank_unknown", "Không tìm thấy ngân hàng “\(text)”.", "No bank matches “\(text)”.")
        }
    }

    static func record(_ personID: UUID, _ entry: Entry, by user: User, directory: BankDirectory, now: Date, on database: any Database) async throws -> BankAccount {
        let bank = try Self.bank(entry.bank, in: directory)
        let number: AccountNumber
        do { number = try AccountNumber(entry.accountNumber, bank: bank) } catch {
            throw ASXHError.invalidInput(field: "accountNumber", vi: error.messageVI, en: error.messageEN)
        }
        let holder = VietnameseText.bankName(entry.holderName)
        guard !holder.isEmpty else {
            throw ASXHError.invalidInput(field: "holderName", vi: "Chưa ghi tên chủ tài khoản.", en: "The holder name is missing.")
        }
        let recorder = try user.requireID()
        return try await database.writeTransaction { db in
            try await Self.lockAccounts(of: personID, on: db)
            guard let person = try await Person.query(on: db).scoped(to: user.area).filter(\.$id == personID).filter(\.$mergedInto == nil).first() else {
                throw ASXHError.notFound
            }
            var representative = entry.representative
            representative?.approvedBy = nil
            let ownership = AccountOwnership.decide(holderName: holder, personName: person.fullName, representative: representative, recordedBy: recorder,
                                                    today: CalendarDay(now))
            if case .refused(let reasons) = ownership, reasons != [.approvalMissing] {
                throw PaymentRuns.refused(reasons[0].code, reasons.map(\.messageVI).joined(separator: " "), reasons.map(\.messageEN).joined(separator: " "))
            }
            let accounts = try await BankAccount.query(on: db).filter(\.$person.$id == personID)
                .filter(\.$status ~~ [.pending, .verified]).all()
            if let same = accounts.first(where: { $0.bin == bank.bin && $0.accountNumber == number.digits && $0.holderName == holder }) {
                return same  // the same account again (a retried form, a re-read list): nothing changes
            }
            if accounts.contains(where: { $0.status == .pending }) {
                throw PaymentRuns.refused("account_pending", "Đã có một tài khoản chờ duyệt cho người này; hãy duyệt hoặc từ chối trước.",
                                   "An account is already waiting for approval for this person; approve or refuse it first.", status: .conflict)
            }
            let verified = accounts.first { $0.status == .verified }
            let shared = try await Self.sharedOutsideHousehold(bin: bank.bin, number: number.digits, person: person, on: db)
            let signals = AccountReview.signals(ownership: ownership == .refused([.approvalMissing]) ? .representative(representative!) : ownership,
                                                replacesVerified: verified != nil, sharedOutsideHousehold: shared)
            let account = BankAccount()
            account.$person.id = personID
            account.bin = bank.bin
            account.bankName = bank.shortName
            account.accountNumber = number.digits
            account.holderName = holder
            account.representative = representative.flatMap(Audit.json)
            account.source = entry.source
            account.status = signals.isEmpty ? .verified : .pending
            account.signals = signals.isEmpty ? nil : signals.map(\.rawValue).joined(separator: ",")
            account.$recordedBy.id = recorder
            account.recordedAt = now
            account.verifiedOn = signals.isEmpty ? CalendarDay(now).iso : nil
            account.replacesID = verified?.id
            try await account.create(on: db)
            try await Audit.record(on: db, actor: user, action: "account.record", entityType: "bank_account", entityID: account.id?.uuidString,
                                   before: verified?.snapshot, after: account.snapshot, place: PersonPlace(person), at: now)
            if account.status == .verified { try await Self.markCase(personID, by: user, now: now, on: db) }
            return account
        }
    }

    /// A person's accounts are recorded and decided one officer at a time: two recording at once would both find no
    /// account (the second then failed on the one-verified-account index), a decision could meet a new recording.
    private static func lockAccounts(of personID: UUID, on db: any Database) async throws {
        try await (db as! any SQLDatabase).lockUntilCommit("person-accounts:\(personID.uuidString)")
    }

    /// Whether the account is already verified for someone who does not live at this person's address.
    static func sharedOutsideHousehold(bin: String, number: String, person: Person, on db: any Database) async throws -> Bool {
        let others = try await BankAccount.query(on: db).filter(\.$bin == bin).filter(\.$accountNumber == number)
            .filter(\.$status == .verified).filter(\.$person.$id != person.requireID()).with(\.$person).all()
        let home = VietnameseText.fold(person.address ?? "")
        return others.contains { home.isEmpty || VietnameseText.fold($0.person.address ?? "") != home }
    }

    /// The person's case in the current campaign reaches "account recorded" (never moves back).
    static func markCase(_ personID: UUID, by user: User, now: Date, on db: any Database) async throws {
        let earlier = CaseState.allCases.filter { $0 < .accountRecorded }.map(\.rawValue)
        try await CampaignCase.transition(
            where: "person_id = \(bind: personID) AND state IN (\(binds: earlier)) AND campaign_id IN (SELECT id FROM campaigns WHERE is_current = \(bind: true))",
            to: .accountRecorded, action: "case.account_recorded", actor: user, at: now, on: db)
    }

    /// A second officer approves (the account becomes the one money follows; the one before is superseded) or
    /// refuses. The recorder never decides (`four_eyes`).
    static func decide(_ accountID: UUID, approve: Bool, by user: User, now: Date, on database: any Database) async throws {
        try await database.writeTransaction { db in
            if let owner = try await BankAccount.query(on: db).filter(\.$id == accountID).field(\.$id).field(\.$person.$id).first() {
                try await Self.lockAccounts(of: owner.$person.id, on: db)
            }
            guard let account = try await BankAccount.query(on: db).scoped(to: user.area).filter(\.$id == accountID)
                .filter(\.$status == .pending).with(\.$person).first() else { throw ASXHError.notFound }
            let approver = try user.requireID()
            if let refusal = AccountReview.checkApproval(recordedBy: account.$recordedBy.id, approver: approver) {
                throw PaymentRuns.refused(refusal.code, refusal.messageVI, refusal.messageEN, status: .forbidden)
            }
            let before = account.snapshot
            let place = PersonPlace(account.person)
            if approve, var authorisation = account.authorisation {
                authorisation.approvedBy = approver
                if case .refused(let reasons) = AccountOwnership.decide(holderName: account.holderName, personName: account.person.fullName,
                                                                        representative: authorisation, recordedBy: account.$recordedBy.id, today: CalendarDay(now)) {
                    throw PaymentRuns.refused(reasons[0].code, reasons.map(\.messageVI).joined(separator: " "), reasons.map(\.messageEN).joined(separator: " "))
                }
                account.representative = Audit.json(authorisation)
            }
            if approve, let current = try await BankAccount.query(on: db).filter(\.$person.$id == account.$person.id).filter(\.$status == .verified).first() {
                let replaced = current.snapshot
                current.status = .superseded
                try await current.save(on: db)
                try await Audit.record(on: db, actor: user, action: "account.supersede", entityType: "bank_account", entityID: current.id?.uuidString,
                                       before: replaced, after: current.snapshot, place: place, at: now)
            }
            account.status = approve ? .verified : .refused
            account.$decidedBy.id = approver
            account.decidedAt = now
            account.verifiedOn = approve ? CalendarDay(now).iso : nil
            try await account.save(on: db)
            try await Audit.record(on: db, actor: user, action: approve ? "account.approve" : "account.refuse", entityType: "bank_account",
                                   entityID: accountID.uuidString, before: before, after: account.snapshot, place: place, at: now)
            if approve { try await Self.markCase(account.$person.id, by: user, now: now, on: db) }
        }
    }

    /// A person who left the campaign (deceased, moved out): their verified account is closed, so the next sync
    /// tells the payment software and no batch pays it.
    static func closeAccounts(ofCase caseID: UUID, by user: User, now: Date, on db: any Database) async throws {
        let accounts = try await BankAccount.query(on: db).filter(\.$status == .verified)
            .filter(.sql(embed: "person_id IN (SELECT person_id FROM campaign_cases WHERE id = \(bind: caseID))")).with(\.$person).all()
        for account in accounts {
            let before = account.snapshot
            account.status = .closed
            try await account.save(on: db)
            try await Audit.record(on: db, actor: user, action: "account.close", entityType: "bank_account", entityID: account.id?.uuidString,
                                   before: before, after: account.snapshot, place: PersonPlace(account.person), at: now)
        }
    }

    struct FieldworkResult: Content {
        struct Refusal: Content {
            var personID: UUID
            var code: String
            var vi: String
            var en: String
        }
        var verified = 0
        var pending = 0
        var refused: [Refusal] = []
    }

    /// The most accounts one click takes from the visits (a commune's worth; click again for more).
    static let fieldworkBatch = 5_000

    /// Records the accounts citizens gave at the door (class A1) for people in the area with no account yet, each
    /// under the same rules as a typed one; what the rules refuse is listed with its reason, nothing else is lost.
    static func recordFromFieldwork(in area: Area, by user: User, directory: BankDirectory, now: Date, on database: any Database) async throws -> FieldworkResult {
        let cases = try await CampaignCase.query(on: database).scoped(to: area)
            .filter(\.$caseClass == .a1).filter(\.$state != CaseState.closed.rawValue)
            .filter(.sql(embed: "\(ident: CampaignCase.schema).\(ident: "campaign_id") IN (SELECT id FROM campaigns WHERE is_current = \(bind: true))"))
            .filter(.sql(embed: "NOT EXISTS (SELECT 1 FROM bank_accounts a WHERE a.person_id = \(ident: CampaignCase.schema).\(ident: "person_id") AND a.status IN ('pending', 'verified'))"))
            .limit(Self.fieldworkBatch).all()
        var result = FieldworkResult()
        for campaignCase in cases {
            guard let classification = campaignCase.classification.flatMap({ try? JSONDecoder().decode(Classification.self, from: Data($0.utf8)) }),
                  let bank = classification.bank, let number = classification.accountNumber else { continue }
            let entry = Entry(bank: bank, accountNumber: number, holderName: classification.accountHolder ?? "", representative: nil, source: .visit)
            do {
                let account = try await Self.record(campaignCase.$person.id, entry, by: user, directory: directory, now: now, on: database)
                if account.status == .verified { result.verified += 1 } else { result.pending += 1 }
            } catch let error as ASXHError {
                result.refused.append(.init(personID: campaignCase.$person.id, code: error.code, vi: error.messageVI, en: error.messageEN))
            }
        }
        return result
    }

    /// Accounts waiting for a second officer in an area, oldest first.
    static func pending(in area: Area, limit: Int = 500, on db: any Database) async throws -> [BankAccount] {
        try await BankAccount.query(on: db).scoped(to: area).filter(\.$status == .pending)
            .with(\.$person).with(\.$recordedBy).sort(\.$recordedAt).limit(limit).all()
    }
}

extension Application {
    private struct BankDirectoryKey: StorageKey { typealias Value = BankDirectory }

    /// The NAPAS bank directory shipped with asxh (`scripts/update-bank-directory.sh` refreshes it).
    var bankDirectory: BankDirectory {
        get {
            if let directory = self.storage[BankDirectoryKey.self] { return directory }
            let directory = (try? BankDirectory.bundled()) ?? (try! BankDirectory(banks: []))
            self.storage[BankDirectoryKey.self] = directory
            return directory
        }
        set { self.storage[BankDirectoryKey.self] = newValue }
    }
}
