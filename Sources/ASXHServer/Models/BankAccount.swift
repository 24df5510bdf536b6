import ASXHCore
import Fluent
import Foundation

/// An account a person's benefits may be paid into. Rows are never rewritten into another account: a change is a
/// new row that `replaces` the old one, which becomes `superseded` once the new one is verified.
final class BankAccount: Model, @unchecked Sendable {
    static let schema = "bank_accounts"

    enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for a second officer (see `signals`).
        case pending
        /// The account money follows (one per person).
        case verified
        case refused
        /// Replaced by a newer verified account.
        case superseded
        /// The person left the campaign (deceased, moved out): the payment software must stop using it.
        case closed
    }

    enum Source: String, Codable, Sendable, CaseIterable {
        case visit
        case list
        case police
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "person_id") var person: Person
    @Field(key: "bin") var bin: String
    /// The bank's current short name when recorded.
    @Field(key: "bank_name") var bankName: String
    @Field(key: "account_number") var accountNumber: String
    /// In bank form (upper-case ASCII).
    @Field(key: "holder_name") var holderName: String
    /// `RepresentativeAuthorisation` as JSON when the holder is not the person.
    @OptionalField(key: "representative") var representative: String?
    @Field(key: "source") var source: Source
    @Field(key: "status") var status: Status
    /// `AccountSignal` raw values, comma-separated: why a second officer must look.
    @OptionalField(key: "signals") var signals: String?
    @Parent(key: "recorded_by") var recordedBy: User
    @Field(key: "recorded_at") var recordedAt: Date
    @OptionalParent(key: "decided_by") var decidedBy: User?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    /// The day it became the account money follows.
    @OptionalField(key: "verified_on") var verifiedOn: String?
    @OptionalField(key: "replaces_id") var replacesID: UUID?

    init() {}

    var signalList: [AccountSignal] {
        (self.signals ?? "").split(separator: ",").compactMap { AccountSignal(rawValue: String($0)) }
    }

    var authorisation: RepresentativeAuthorisation? {
        self.representative.flatMap { try? JSONDecoder().decode(RepresentativeAuthorisation.self, from: Data($0.utf8)) }
    }

    /// What the audit log keeps of it (the number in full: auditors trace where money went).
    var snapshot: [String: String] {
        ["bin": self.bin, "bank": self.bankName, "account_number": self.accountNumber, "holder_name": self.holderName,
         "status": self.status.rawValue, "signals": self.signals ?? "", "representative": self.representative ?? ""]
    }
}

extension QueryBuilder where Model == BankAccount {
    /// Accounts of people in `area`, filtered in SQL through the person.
    func scoped(to area: Area) -> Self {
        area.personFilters.reduce(self.join(Person.self, on: \BankAccount.$person.$id == \Person.$id)) { query, filter in
            query.filter(.sql(embed: "\(ident: Person.schema).\(ident: filter.column) = \(bind: filter.code)"))
        }
    }
}

/// One export of account changes to the payment software.
final class AccountSyncBatch: Model, @unchecked Sendable {
    static let schema = "account_sync_batches"

    @ID(key: .id) var id: UUID?
    @Field(key: "sequence") var sequence: Int
    @Parent(key: "created_by") var createdBy: User
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "new_count") var newCount: Int
    @Field(key: "changed_count") var changedCount: Int
    @Field(key: "closed_count") var closedCount: Int
    /// SHA-256 of the batch's CSV, as the manifest states it.
    @Field(key: "sha256") var sha256: String
    @OptionalParent(key: "acknowledged_by") var acknowledgedBy: User?
    @OptionalField(key: "acknowledged_at") var acknowledgedAt: Date?
    /// The payment software's receipt reference, as the officer typed it.
    @OptionalField(key: "acknowledgement") var acknowledgement: String?
    /// The area whose accounts it carries (`Area.description`).
    @Field(key: "area") var area: String

    init() {}
}

/// One account carried by one sync batch, and what the payment software must do with it.
final class AccountSyncRow: Model, @unchecked Sendable {
    static let schema = "account_sync_rows"

    enum Change: String, Codable, Sendable, CaseIterable {
        case new
        case changed
        case closed

        var vietnamese: String {
            switch self {
            case .new: return "Mới"
            case .changed: return "Thay đổi"
            case .closed: return "Đóng"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "batch_id") var batch: AccountSyncBatch
    @Parent(key: "account_id") var account: BankAccount
    @Field(key: "change") var change: Change
    @Field(key: "position") var position: Int

    init() {}
}
