import Fluent
import Vapor
import ASXHCore

/// One campaign run (e.g. the Lunar New Year payment drive).
final class Campaign: Model, @unchecked Sendable {
    static let schema = "campaigns"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "is_current") var isCurrent: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, name: String, isCurrent: Bool) {
        self.id = id
        self.name = name
        self.isCurrent = isCurrent
    }
}

/// One person in one campaign and the step they have reached.
final class CampaignCase: Model, @unchecked Sendable {
    static let schema = "campaign_cases"

    @ID(key: .id) var id: UUID?
    @Parent(key: "campaign_id") var campaign: Campaign
    @Parent(key: "person_id") var person: Person
    @Field(key: "state") var state: String
    @OptionalField(key: "closed_reason") var closedReason: String?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
