import Fluent
import Foundation
import ASXHCore

/// A class changed without a new visit: one officer proposes corrected answers with a reason, the rules derive
/// the class, and a second officer approves or refuses. Only an approved change touches the case.
final class ClassChange: Model, @unchecked Sendable {
    static let schema = "class_changes"

    enum Status: String, Codable, Sendable {
        case pending
        case approved
        case refused
    }

    // managed
    @ID(key: .id) var id: UUID?

    // data
    @Parent(key: "case_id") var campaignCase: CampaignCase
    @Field(key: "questionnaire_version") var questionnaireVersion: Int
    /// `SurveyAnswers` as JSON, as validated.
    @Field(key: "answers") var answers: String
    @OptionalField(key: "from_class") var fromClass: CaseClass?
    @Field(key: "to_class") var toClass: CaseClass
    /// `Classification` as JSON: what the case will carry once approved.
    @Field(key: "classification") var classification: String
    @Field(key: "reason") var reason: String
    @Field(key: "status") var status: Status

    // relations
    @Parent(key: "proposed_by") var proposedBy: User
    @Field(key: "proposed_at") var proposedAt: Date
    @OptionalParent(key: "decided_by") var decidedBy: User?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}
}
