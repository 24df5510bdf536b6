import Fluent
import Foundation

/// A logged-in session. The cookie holds a random token; the table holds only its SHA-256, so a copy of the
/// table opens no session. Rows exist only for people who logged in, and expire (idle and absolute).
final class UserSession: Model, @unchecked Sendable {
    static let schema = "user_sessions"

    // managed
    @ID(key: .id) var id: UUID?

    // data
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "csrf") var csrf: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "seen_at") var seenAt: Date

    // relations
    @Parent(key: "user_id") var user: User

    init() {}
}
