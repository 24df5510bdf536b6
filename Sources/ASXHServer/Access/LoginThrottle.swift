import Vapor

/// Limits failed log-ins per user name and per address within a window, so passwords cannot be guessed at
/// speed. Kept in memory (one server process); a restart forgets, which only helps the rightful user.
actor LoginThrottle {
    struct Limits: Sendable {
        var window: TimeInterval = 15 * 60
        /// Per user name: a person who forgot their password gets several tries.
        var perUsername = 5
        /// Per address: a commune office behind one address may hold a dozen people.
        var perAddress = 30
    }

    let limits: Limits
    private var failures: [String: [Date]] = [:]

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// When the next try is allowed, if either key is over its limit now.
    func lockedUntil(username: String, address: String, now: Date) -> Date? {
        let keys = [("user:" + username.lowercased(), self.limits.perUsername), ("addr:" + address, self.limits.perAddress)]
        var until: Date?
        for (key, limit) in keys {
            let recent = self.recent(key, now: now)
            if recent.count >= limit, let oldest = recent.first {
                let free = oldest.addingTimeInterval(self.limits.window)
                until = max(until ?? free, free)
            }
        }
        return until
    }

    /// Records a failure; true when this failure reached a limit (the moment to write an audit event).
    func fail(username: String, address: String, now: Date) -> Bool {
        if self.failures.count > 100_000 { self.prune(now: now) }
        var reached = false
        for (key, limit) in [("user:" + username.lowercased(), self.limits.perUsername), ("addr:" + address, self.limits.perAddress)] {
            var recent = self.recent(key, now: now)
            recent.append(now)
            self.failures[key] = recent
            if recent.count == limit { reached = true }
        }
        return reached
    }

    func succeed(username: String) {
        self.failures["user:" + username.lowercased()] = nil
    }

    private func recent(_ key: String, now: Date) -> [Date] {
        (self.failures[key] ?? []).filter { now.timeIntervalSince($0) < self.limits.window }
    }

    private func prune(now: Date) {
        self.failures = self.failures.compactMapValues { dates in
            let recent = dates.filter { now.timeIntervalSince($0) < self.limits.window }
            return recent.isEmpty ? nil : recent
        }
    }
}

extension Application {
    private struct LoginThrottleKey: StorageKey {
        typealias Value = LoginThrottle
    }

    var loginThrottle: LoginThrottle {
        get {
            guard let throttle = self.storage[LoginThrottleKey.self] else { fatalError("configure() sets the log-in throttle") }
            return throttle
        }
        set { self.storage[LoginThrottleKey.self] = newValue }
    }
}

extension Request {
    /// The client's address. Behind a reverse proxy named in `ASXH_TRUSTED_PROXIES`, the address it forwarded;
    /// never a forwarded header from anyone else (it could be forged to dodge the per-address limit).
    var clientAddress: String {
        let peer = self.remoteAddress?.ipAddress ?? "unknown"
        let trusted = (Environment.get("ASXH_TRUSTED_PROXIES") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard trusted.contains(peer), let forwarded = self.headers.first(name: "X-Forwarded-For")?.split(separator: ",").last else { return peer }
        return forwarded.trimmingCharacters(in: .whitespaces)
    }
}
