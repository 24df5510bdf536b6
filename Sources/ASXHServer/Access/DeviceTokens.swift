import Fluent
import Vapor

/// Authenticates `/api/v1` requests that carry `Authorization: Bearer asxh_…`: a phone or a script, no cookie.
/// Such a request needs no CSRF token (a browser never adds the header on its own). A wrong, revoked or
/// malformed token is refused at once, never treated as anonymous.
struct DeviceTokenMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization?.token else { return try await next.respond(to: request) }
        guard request.url.path.hasPrefix("/api/v1/"), bearer.hasPrefix(DeviceToken.prefix),
              bearer.utf8.count == DeviceToken.prefix.utf8.count + Sessions.tokenLength,
              let token = try await DeviceToken.query(on: request.db).filter(\.$tokenHash == Sessions.hash(bearer)).filter(\.$revokedAt == nil)
                .with(\.$user).first() else {
            throw ASXHError.refused(status: .unauthorized, code: "bad_token", vi: "Mã truy cập thiết bị không hợp lệ hoặc đã bị thu hồi.",
                                    en: "The device token is invalid or revoked.")
        }
        let now = request.application.now()
        // Touched at most every five minutes: a phone syncing a queue must not write a row per visit.
        if now.timeIntervalSince(token.lastUsedAt ?? .distantPast) > 300 {
            token.lastUsedAt = now
            try await token.save(on: request.db)
        }
        request.auth.login(token.user)
        request.deviceToken = token
        return try await next.respond(to: request)
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
