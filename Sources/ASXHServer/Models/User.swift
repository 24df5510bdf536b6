import Fluent
import Vapor
import ASXHCore

/// A person who uses asxh, with one role in one area.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    // managed
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: Role
    @Field(key: "area_scheme") var areaScheme: AdministrativeScheme
    @Field(key: "area_level") var areaLevel: AdministrativeLevel
    @Field(key: "area_code") var areaCode: String

    init() {}

    init(id: UUID? = nil, username: String, displayName: String, passwordHash: String, role: Role, area: Area) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.areaScheme = area.scheme
        self.areaLevel = area.level
        self.areaCode = area.code
    }

    var area: Area { Area(scheme: self.areaScheme, level: self.areaLevel, code: self.areaCode) }
}

extension User: ModelSessionAuthenticatable {}
