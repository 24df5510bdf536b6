import Vapor

/// Who may enter a route. Every route carries one (in `Route.userInfo`); `AccessMiddleware` enforces it before
/// any handler runs, so a handler never decides whether to check, and a route that declares nothing is refused
/// to everyone (fail closed) until `routes.swift` or its controller says who may use it.
enum RouteAccess: Sendable, Equatable {
    /// Named in `routes.swift`: log-in, health. Nothing else.
    case open
    /// A logged-in user whose role is in the set.
    case roles(Set<Role>)

    static let userInfoKey = "asxh.access"
    /// The largest body a route accepts once its user is let in (uploads); others get the small default.
    static let maxBodyKey = "asxh.maxBody"

    /// Every role: pages any logged-in user may open (their own area's people, for instance).
    static var signedIn: RouteAccess { .roles(Set(Role.allCases)) }

    static func only(_ rule: (Role) -> Bool) -> RouteAccess { .roles(Set(Role.allCases.filter(rule))) }
}

extension Route {
    /// The access rule this route was declared with, nil when none was (then nobody gets in).
    var access: RouteAccess? { self.userInfo[RouteAccess.userInfoKey] as? RouteAccess }

    var maxBodySize: ByteCount? { self.userInfo[RouteAccess.maxBodyKey] as? ByteCount }
}

/// A `RoutesBuilder` that stamps its access rule on every route added through it.
struct AccessRoutes: RoutesBuilder {
    let base: any RoutesBuilder
    let access: RouteAccess

    func add(_ route: Route) {
        route.userInfo[RouteAccess.userInfoKey] = self.access
        self.base.add(route)
    }
}

extension RoutesBuilder {
    /// Routes anyone may call without logging in. Only `routes.swift` uses this.
    func openToEveryone() -> any RoutesBuilder { AccessRoutes(base: self, access: .open) }

    /// Routes for logged-in users of the roles `rule` admits.
    func allowing(_ rule: (Role) -> Bool) -> any RoutesBuilder { AccessRoutes(base: self, access: .only(rule)) }

    /// Routes for every logged-in user.
    func signedIn() -> any RoutesBuilder { AccessRoutes(base: self, access: .signedIn) }

    /// A POST route with a body limit of its own (uploads above the default, log-in below it); the body is
    /// collected only after the user is let in (`BodyGuardMiddleware`).
    @discardableResult
    func post(_ path: PathComponent..., maxBody: ByteCount, use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable) -> Route {
        let route = self.on(.POST, path, body: .collect(maxSize: maxBody), use: closure)
        route.userInfo[RouteAccess.maxBodyKey] = maxBody
        return route
    }
}

/// Enforces each route's `RouteAccess`: anonymous requests to a private route get `notLoggedIn` (a log-in
/// redirect for pages, 401 for the API), users of another role `forbidden`. Runs before CSRF and before any
/// body is collected, so nobody unauthenticated can make the server buffer an upload.
struct AccessMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // No route: the router answers 404 on its own.
        guard let route = request.route else { return try await next.respond(to: request) }
        switch route.access {
        case .open?:
            break
        case .roles(let roles)?:
            let user = try request.requireUser()
            guard roles.contains(user.role) else { throw ASXHError.forbidden }
        case nil:
            _ = try request.requireUser()
            request.logger.error("route \(route.description) declares no access rule; refused")
            throw ASXHError.forbidden
        }
        return try await next.respond(to: request)
    }
}
