import Fluent
import Vapor

/// A bearer token a user issued for a phone or a script (`Authorization: Bearer asxh_…`), good for `/api/v1` only.
/// The token is shown once; the database keeps its SHA-256.
final class DeviceToken: Model, @unchecked Sendable {
    static let schema = "device_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalParent(key: "revoked_by") var revokedBy: User?

    init() {}

    static let prefix = "asxh_"
}
