import ASXHCore
import Fluent
import Foundation

/// A benefit paid in cycles: a monthly allowance or the Lunar New Year gift, with its amount per policy group.
final class PaymentProgram: Model, @unchecked Sendable {
    static let schema = "payment_programs"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// `ProgramAmounts` as JSON.
    @Field(key: "amounts") var amountsJSON: String
    /// The department's account the money leaves from (the debtor of every bank file).
    @Field(key: "payer_name") var payerName: String
    @Field(key: "payer_account") var payerAccount: String
    @Field(key: "payer_bin") var payerBIN: String
    @OptionalParent(key: "created_by") var createdBy: User?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var amounts: ProgramAmounts {
        get { (try? JSONDecoder().decode(ProgramAmounts.self, from: Data(self.amountsJSON.utf8))) ?? ProgramAmounts(kind: .gift, perGroup: [:]) }
        set { self.amountsJSON = Audit.json(newValue) ?? "{}" }
    }
}

/// One payment run of a program in one province (`tet-2024`), with the day money goes out and the day by which
/// everyone not paid by the bank must have had their cash.
final class PaymentCycle: Model, @unchecked Sendable {
    static let schema = "payment_cycles"

    @ID(key: .id) var id: UUID?
    @Parent(key: "program_id") var program: PaymentProgram
    @Field(key: "name") var name: String
    @Field(key: "pay_on") var payOn: String
    @Field(key: "cash_deadline") var cashDeadline: String
    @Field(key: "province_code") var provinceCode: String
    @Field(key: "scheme") var scheme: AdministrativeScheme
    @OptionalParent(key: "created_by") var createdBy: User?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var province: Area { Area(scheme: self.scheme, level: .province, code: self.provinceCode) }
}

extension QueryBuilder where Model == PaymentCycle {
    /// Cycles of the province `area` lies in (a district or commune reads its province's cycles), in SQL.
    func scoped(to area: Area) -> Self {
        let place = PersonPlace(area)
        return self.filter(\.$scheme == area.scheme)
            .filter(\.$provinceCode == ((area.scheme == .before2025 ? place.provinceCode : place.province2025Code) ?? ""))
    }
}

/// A cycle's payments with control totals, made by one officer and checked by another before any file leaves.
final class PaymentBatch: Model, @unchecked Sendable {
    static let schema = "payment_batches"

    enum Status: String, Codable, Sendable {
        case draft
        case approved
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "cycle_id") var cycle: PaymentCycle
    @Field(key: "status") var status: Status
    @Field(key: "payment_count") var paymentCount: Int
    @Field(key: "payment_sum") var paymentSum: Int64
    /// The pain.001 message id (unique): a file sent twice is recognised by the bank.
    @Field(key: "message_id") var messageID: String
    @Parent(key: "made_by") var madeBy: User
    @Field(key: "made_at") var madeAt: Date
    @OptionalParent(key: "checked_by") var checkedBy: User?
    @OptionalField(key: "checked_at") var checkedAt: Date?

    init() {}

    var totals: ControlTotals { ControlTotals(count: self.paymentCount, sum: self.paymentSum) }
}

/// One person's payment in one cycle (unique per program, cycle and person), the sum of their enrolments' items.
final class Payment: Model, @unchecked Sendable {
    static let schema = "payments"

    enum Status: String, Codable, Sendable, CaseIterable {
        case pending
        case paid
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "batch_id") var batch: PaymentBatch
    @Parent(key: "cycle_id") var cycle: PaymentCycle
    @Parent(key: "person_id") var person: Person
    @Field(key: "full_name") var fullName: String
    @Field(key: "amount") var amount: Int64
    /// Each enrolment's share, as JSON (`[PaymentItem]`): a person on several lists is paid once, itemised.
    @Field(key: "items") var items: String
    /// How the batch meant to pay (what the person wanted, as far as the records allowed).
    @Field(key: "first_channel") var firstChannel: PaymentChannel
    /// How they are being paid now (a rejected transfer moves to cash).
    @Field(key: "channel") var channel: PaymentChannel
    @Field(key: "status") var status: Status
    /// Held out of the bank file until a second officer releases it (an account changed just before the batch).
    @Field(key: "held") var held: Bool
    @OptionalField(key: "bin") var bin: String?
    @OptionalField(key: "account_number") var accountNumber: String?
    @OptionalField(key: "holder_name") var holderName: String?
    @Field(key: "end_to_end_id") var endToEndID: String
    @OptionalField(key: "bank_status") var bankStatus: PaymentStatus?
    @OptionalField(key: "bank_reason") var bankReason: String?
    @OptionalField(key: "cash_reason") var cashReason: String?
    @OptionalField(key: "province_code") var provinceCode: String?
    @OptionalField(key: "district_code") var districtCode: String?
    @OptionalField(key: "commune_code") var communeCode: String?
    @OptionalField(key: "province2025_code") var province2025Code: String?
    @OptionalField(key: "commune2025_code") var commune2025Code: String?

    init() {}

    var place: PersonPlace {
        PersonPlace(provinceCode: self.provinceCode, districtCode: self.districtCode, communeCode: self.communeCode,
                    province2025Code: self.province2025Code, commune2025Code: self.commune2025Code)
    }
}

extension QueryBuilder where Model == Payment {
    /// Payments to people in `area`, by the place copied onto each payment when its batch was made.
    func scoped(to area: Area) -> Self {
        area.personFilters.reduce(self) { query, filter in query.filter(FieldKey(stringLiteral: filter.column), .equal, filter.code) }
    }
}

/// One enrolment's share of a payment.
struct PaymentItem: Codable, Equatable, Sendable {
    var enrolment: UUID
    var group: String
    var amount: Int64

    /// The items as JSON, written by hand: a batch writes a million of them (`JSONEncoder` took a tenth of its time).
    /// Group names are `PolicyGroup` raw values (letters only), so nothing needs escaping.
    static func json(_ items: [PaymentItem]) -> String {
        "[" + items.map { "{\"amount\":\($0.amount),\"enrolment\":\"\($0.enrolment.uuidString)\",\"group\":\"\($0.group)\"}" }.joined(separator: ",") + "]"
    }
}

/// A bank result file applied to a batch; its SHA-256 makes a second import of the same file change nothing.
final class PaymentResultImport: Model, @unchecked Sendable {
    static let schema = "payment_result_imports"

    @ID(key: .id) var id: UUID?
    @Parent(key: "batch_id") var batch: PaymentBatch
    @Field(key: "sha256") var sha256: String
    @Field(key: "file_name") var fileName: String
    @OptionalField(key: "message_id") var messageID: String?
    /// `ResultSummary` as JSON.
    @Field(key: "summary") var summary: String
    @Parent(key: "imported_by") var importedBy: User
    @Field(key: "imported_at") var importedAt: Date

    init() {}
}

/// Cash handed to the person (or their representative): who, when, and the signature or photo that proves it.
final class CashHandover: Model, @unchecked Sendable {
    static let schema = "cash_handovers"

    @ID(key: .id) var id: UUID?
    @Parent(key: "payment_id") var payment: Payment
    @Parent(key: "handed_by") var handedBy: User
    @Field(key: "handed_at") var handedAt: Date
    @Field(key: "recipient") var recipient: String
    @Field(key: "evidence_type") var evidenceType: String
    @Field(key: "evidence") var evidence: Data

    init() {}
}
