import Fluent
import Vapor
import ASXHCore

/// What step 1 matching decided for one list row (one enrolment), and what the police decided on review.
final class RegisterMatch: Model, @unchecked Sendable {
    static let schema = "register_matches"

    // managed
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data
    /// `MatchStatus` raw value.
    @Field(key: "status") var status: String
    @OptionalField(key: "citizen_id") var citizenID: String?
    @Field(key: "confidence") var confidence: Double
    /// Reason codes joined by `;`.
    @Field(key: "reasons") var reasons: String
    /// The candidates a reviewer chooses among, best first, as JSON (`[ReviewCandidate]`).
    @Field(key: "candidates") var candidates: String
    /// `ReviewState` raw value; nil when nobody needs to look.
    @OptionalField(key: "review_state") var reviewState: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    // relations
    @Parent(key: "enrolment_id") var enrolment: Enrolment
    @Parent(key: "person_id") var person: Person
    @Parent(key: "source_list_id") var sourceList: SourceList
    @OptionalParent(key: "decided_by") var decidedBy: User?

    init() {}

    var matchStatus: MatchStatus? { MatchStatus(rawValue: self.status) }
    var review: ReviewState? { self.reviewState.flatMap(ReviewState.init(rawValue:)) }

    func decodedCandidates() -> [ReviewCandidate] {
        (try? JSONDecoder().decode([ReviewCandidate].self, from: Data(self.candidates.utf8))) ?? []
    }
}

/// Where a row stands in the review queue.
enum ReviewState: String, Codable, CaseIterable, Sendable {
    /// Waiting for the commune police.
    case open
    /// A candidate was accepted as the listed person.
    case accepted
    /// None of the candidates is the person: not found in the register.
    case noneOfThese
    /// Sent to the working group to verify at the door (step 2).
    case fieldCheck
}

/// One register record offered to a reviewer.
struct ReviewCandidate: Codable, Sendable, Equatable {
    var citizenID: String
    var oldID: String?
    var fullName: String
    var birth: String
    var gender: String?
    var communeCode: String
    var address: String
    var deceased: Bool
    var confidence: Double
    var reasons: String

    init(_ candidate: MatchCandidate) {
        let record = candidate.record
        self.citizenID = record.citizenID
        self.oldID = record.oldID
        self.fullName = record.fullName
        self.birth = record.birthDate?.description ?? ""
        self.gender = record.gender?.rawValue
        self.communeCode = record.communeCode
        self.address = record.address
        self.deceased = record.status == .deceased
        self.confidence = candidate.confidence
        self.reasons = MatchReason.joined(candidate.reasons)
    }
}
