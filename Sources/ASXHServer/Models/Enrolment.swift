import Fluent
import Vapor
import ASXHCore

/// A person's entitlement under one policy group, as one department list row states it.
final class Enrolment: Model, @unchecked Sendable {
    static let schema = "enrolments"

    // managed
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data
    @Field(key: "policy_group") var policyGroup: String
    @OptionalField(key: "sub_group") var subGroup: String?
    @OptionalField(key: "monthly_amount") var monthlyAmount: Int?
    @Field(key: "source_row") var sourceRow: Int
    /// Account number and bank as the department's list gave them: a hint for step 5, not yet verified.
    @OptionalField(key: "listed_account_number") var listedAccountNumber: String?
    @OptionalField(key: "listed_bank") var listedBank: String?

    // relations
    @Parent(key: "person_id") var person: Person
    @Parent(key: "source_list_id") var sourceList: SourceList

    init() {}
}
