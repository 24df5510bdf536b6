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
    /// The province the campaign runs in and the scheme its commune codes follow (ledger 004; set with
    /// `asxh campaign`). Optional in the model only because the 001 seed was written before them.
    @OptionalField(key: "province_code") var provinceCode: String?
    @OptionalField(key: "scheme") var scheme: AdministrativeScheme?
    /// Each step's deadline, as JSON (`CampaignSchedule`; ledger 005).
    @OptionalField(key: "deadlines") var deadlines: String?
    @OptionalField(key: "opened_at") var openedAt: Date?
    /// A closed campaign keeps its cases and history; no import or visit feeds it.
    @OptionalField(key: "closed_at") var closedAt: Date?

    init() {}

    init(id: UUID? = nil, name: String, isCurrent: Bool) {
        self.id = id
        self.name = name
        self.isCurrent = isCurrent
    }
}

extension Campaign {
    /// The campaign imports feed and verification updates.
    static func current(on database: any Database) async throws -> Campaign? {
        try await Campaign.query(on: database).filter(\.$isCurrent == true).first()
    }

    var schedule: CampaignSchedule {
        get { self.deadlines.flatMap { try? JSONDecoder().decode(CampaignSchedule.self, from: Data($0.utf8)) } ?? CampaignSchedule([:]) }
        set { self.deadlines = Self.encode(newValue) }
    }

    static func encode(_ schedule: CampaignSchedule) -> String {
        Audit.json(schedule) ?? "{}"
    }

    /// The whole province as an area, in the campaign's scheme: where placement, defaults and look-ups start.
    var province: Area? {
        guard let code = self.provinceCode, let scheme = self.scheme else { return nil }
        return Area(scheme: scheme, level: .province, code: code)
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
    // steps 2–4 (ledger 005)
    @OptionalParent(key: "group_id") var group: WorkingGroup?
    @OptionalParent(key: "member_id") var member: User?
    @OptionalField(key: "walk_order") var walkOrder: Int?
    @OptionalField(key: "household") var household: String?
    @OptionalField(key: "case_class") var caseClass: CaseClass?
    /// `Classification` as JSON: the account, reason or support plan the class demands.
    @OptionalField(key: "classification") var classification: String?
    @OptionalField(key: "classified_at") var classifiedAt: Date?
    @OptionalField(key: "visit_count") var visitCount: Int?
    @OptionalField(key: "missed_visits") var missedVisits: Int?
    @OptionalField(key: "last_visit_id") var lastVisitID: UUID?
    // after the visit (ledger 005): an A2 opening, a C plan's closure
    @OptionalField(key: "opened_bank") var openedBank: String?
    @OptionalField(key: "opened_on") var openedOn: String?
    @OptionalField(key: "support_closed_at") var supportClosedAt: Date?
    @OptionalField(key: "support_note") var supportNote: String?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
