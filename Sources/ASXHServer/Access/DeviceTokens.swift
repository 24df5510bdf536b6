import Fluent
import SQLKit
import Vapor
import ASXHCore

/// Authenticates `/api/v1` requests that carry `Authorization: Bearer asxh_…`: a phone or a script, no cookie.
/// Such a request needs no CSRF token (a browser never adds the header on its own). A wrong, revoked or
/// malformed token is refused at once, never treated as anonymous.
struct DeviceTokenMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization?.token else { return try await next.respond(to: request) }
        guard request.url.path.hasPrefix("/api/v1/"), bearer.hasPrefix(DeviceToken.prefix),
              bearer.utf8.count == DeviceToken.prefix.utf8.count + Sessions.tokenLength,
              let token = try await Self.lookUp(bearer, on: request.db) else {
            throw ASXHError.refused(status: .unauthorized, code: "bad_token", vi: "Mã truy cập thiết bị không hợp lệ hoặc đã bị thu hồi.",
                                    en: "The device token is invalid or revoked.")
        }
        let now = request.application.now()
        // Touched at most every five minutes: a phone syncing a queue must not write a row per visit.
        if now.timeIntervalSince(token.lastUsedAt ?? .distantPast) > 300 {
            try await (request.db as! any SQLDatabase).update(DeviceToken.schema).set("last_used_at", to: now).where("id", .equal, token.id).run()
        }
        request.auth.login(token.user)
        request.deviceToken = token
        return try await next.respond(to: request)
    }
}

extension DeviceTokenMiddleware {
    /// The live token and its user, in one SQL query (every API call of a phone comes through here).
    static func lookUp(_ bearer: String, on database: any Database) async throws -> DeviceToken? {
        guard let row = try await (database as! any SQLDatabase).raw("""
            SELECT t.id, t.name, t.last_used_at, u.id AS user_id, u.username, u.display_name, u.role, u.area_scheme, u.area_level, u.area_code
            FROM device_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: Sessions.hash(bearer)) AND t.revoked_at IS NULL
            """).first() else { return nil }
        guard let role = Role(rawValue: try row.decode(column: "role", as: String.self)),
              let scheme = AdministrativeScheme(rawValue: try row.decode(column: "area_scheme", as: String.self)),
              let level = AdministrativeLevel(rawValue: try row.decode(column: "area_level", as: String.self)) else { return nil }
        let user = User(id: try row.decode(column: "user_id", as: UUID.self), username: try row.decode(column: "username", as: String.self),
                        displayName: try row.decode(column: "display_name", as: String.self), passwordHash: "", role: role,
                        area: Area(scheme: scheme, level: level, code: try row.decode(column: "area_code", as: String.self)))
        let token = DeviceToken()
        token.id = try row.decode(column: "id", as: UUID.self)
        token.name = try row.decode(column: "name", as: String.self)
        token.lastUsedAt = try row.decode(column: "last_used_at", as: Date?.self)
        token.$user.id = try user.requireID()
        token.$user.value = user
        return token
    }
}

extension Request {
    private struct DeviceTokenKey: StorageKey { typealias Value = DeviceToken }

    /// The device token this request authenticated with, if it did.
    var deviceToken: DeviceToken? {
        get { self.storage[DeviceTokenKey.self] }
        set { self.storage[DeviceTokenKey.self] = newValue }
    }
}

/// Issuing and revoking tokens; each is audited.
struct DeviceTokenController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.signedIn()
        users.get("tokens", use: self.list)
        users.post("tokens", use: self.issue)
        users.post("tokens", ":tokenID", "revoke", use: self.revoke)
    }

    /// The user's own tokens; an administrator sees every token of users in their area.
    private func visible(to user: User, on database: any Database) async throws -> [DeviceToken] {
        let tokens = try await DeviceToken.query(on: database).with(\.$user).sort(\.$createdAt, .descending).limit(500).all()
        return tokens.filter { token in
            token.$user.id == user.id || (user.role.canManageUsers && user.area.contains(token.user.area))
        }
    }

    func list(request: Request) async throws -> Response {
        let user = try request.requireUser()
        return Layout.response(DeviceTokensView(context: PageContext(request), tokens: try await self.visible(to: user, on: request.db), issued: nil).html)
    }

    struct NewToken: Content { var name: String }

    func issue(request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard request.deviceToken == nil else { throw ASXHError.forbidden }  // a token does not breed tokens
        let form = try request.content.decode(NewToken.self)
        guard let name = try Request.bounded(form.name, field: "name", maxLength: 100) else {
            throw ASXHError.invalidInput(field: "name", vi: "Đặt tên cho thiết bị.", en: "Name the device.")
        }
        let secret = DeviceToken.prefix + Sessions.randomToken()
        let token = DeviceToken()
        token.$user.id = try user.requireID()
        token.name = name
        token.tokenHash = Sessions.hash(secret)
        token.createdAt = request.application.now()
        try await request.db.writeTransaction { db in
            try await token.create(on: db)
            try await Audit.record(on: db, actor: user, action: "token.issue", entityType: "device_token", entityID: token.id?.uuidString, after: ["name": name, "user": user.username])
        }
        token.$user.value = user
        if request.wantsJSON { return try await ["id": token.id?.uuidString ?? "", "token": secret].encodeResponse(status: .created, for: request) }
        return Layout.response(DeviceTokensView(context: PageContext(request), tokens: try await self.visible(to: user, on: request.db), issued: secret).html)
    }

    func revoke(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let id = try request.uuidParameter("tokenID")
        guard let token = try await self.visible(to: user, on: request.db).first(where: { $0.id == id }) else { throw ASXHError.notFound }
        if token.revokedAt == nil {
            try await request.db.writeTransaction { db in
                token.revokedAt = request.application.now()
                token.$revokedBy.id = user.id
                try await token.save(on: db)
                try await Audit.record(on: db, actor: user, action: "token.revoke", entityType: "device_token", entityID: id.uuidString,
                                       before: ["revoked": "no"], after: ["revoked": "yes", "user": token.user.username])
            }
        }
        if request.wantsJSON { return Response(status: .noContent) }
        return request.redirect(to: "/tokens")
    }
}
