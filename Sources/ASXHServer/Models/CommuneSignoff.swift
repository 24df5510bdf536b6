import Fluent
import Vapor
import ASXHCore

/// The commune People's Committee chair confirms the commune's class lists (step 4). A new sign-off is needed
/// when the lists change after it; each one is kept.
final class CommuneSignoff: Model, @unchecked Sendable {
    static let schema = "commune_signoffs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "campaign_id") var campaign: Campaign
    @Field(key: "area_scheme") var areaScheme: AdministrativeScheme
    @Field(key: "commune_code") var communeCode: String
    @Parent(key: "signed_by") var signedBy: User
    @Field(key: "signed_at") var signedAt: Date
    /// Cases per class at the moment of signing, as JSON (`{"A1": 12, …}`).
    @Field(key: "counts") var counts: String

    init() {}
}
