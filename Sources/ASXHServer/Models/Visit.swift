import Fluent
import Vapor
import ASXHCore

/// One home visit as a working-group member submitted it. Stored once per client key (a phone retrying after a
/// lost answer sends the same key), with the questionnaire version its answers were given under.
final class Visit: Model, @unchecked Sendable {
    static let schema = "visits"

    enum Status: String, Codable, Sendable {
        /// The visit decided the case.
        case accepted
        /// Another member's visit reached the case first with a different outcome: the group leader decides.
        case conflict
        /// The leader chose the other visit.
        case overruled
    }

    // managed
    @ID(key: .id) var id: UUID?

    // data
    @Field(key: "client_key") var clientKey: String
    @Parent(key: "case_id") var campaignCase: CampaignCase
    @Parent(key: "member_id") var member: User
    @Field(key: "questionnaire_version") var questionnaireVersion: Int
    /// `SurveyAnswers` as JSON, as validated.
    @Field(key: "answers") var answers: String
    /// The class the rules gave (`A1` … `D`) or `revisit`.
    @Field(key: "outcome") var outcome: String
    @Field(key: "status") var status: Status
    /// When the member recorded it on the phone (maybe hours before it reached the server).
    @Field(key: "visited_at") var visitedAt: Date
    @Field(key: "received_at") var receivedAt: Date
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    @OptionalParent(key: "resolved_by") var resolvedBy: User?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?

    init() {}
}

/// A photo or signature taken at a visit. Kept in the database (never under a public path) and served only
/// through an area-checked route.
final class VisitFile: Model, @unchecked Sendable {
    static let schema = "visit_files"

    enum Kind: String, Codable, Sendable, CaseIterable {
        /// The citizen's confirmation: a signature drawn on the screen or a photo of the signed paper.
        case confirmation
        /// The authorisation for a representative's account (giấy ủy quyền).
        case authorisation
        /// Any other document (the ID card, a bank card).
        case document
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "visit_id") var visit: Visit
    @Field(key: "kind") var kind: Kind
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data

    init() {}
}

/// A published version of the survey (`Questionnaire` as JSON).
final class StoredQuestionnaire: Model, @unchecked Sendable {
    static let schema = "questionnaires"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "body") var body: String
    @Field(key: "published_at") var publishedAt: Date
    @OptionalParent(key: "published_by") var publishedBy: User?

    init() {}

    static func encode(_ questionnaire: Questionnaire) -> String { Audit.json(questionnaire) ?? "{}" }

    func decoded() throws -> Questionnaire { try JSONDecoder().decode(Questionnaire.self, from: Data(self.body.utf8)) }

    /// The version new visits are given under.
    static func latest(on database: any Database) async throws -> Questionnaire {
        guard let stored = try await StoredQuestionnaire.query(on: database).sort(\.$version, .descending).first() else { return .standard }
        return try stored.decoded()
    }

    static func version(_ version: Int, on database: any Database) async throws -> Questionnaire? {
        try await StoredQuestionnaire.query(on: database).filter(\.$version == version).first()?.decoded()
    }
}
