import ASXHCore
import Fluent
import Vapor

/// Appends audit events. Every write in asxh goes through here, inside the same transaction as the write.
enum Audit {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func json(_ value: (some Encodable)?) -> String? {
        guard let value else { return nil }
        return (try? Self.encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }
    }

    static func record(
        on database: any Database,
        actor: User?,
        action: String,
        entityType: String,
        entityID: String?,
        before: (some Encodable)? = String?.none,
        after: (some Encodable)? = String?.none,
        place: PersonPlace? = nil,
        at date: Date = Date()
    ) async throws {
        let place = place ?? actor.map { PersonPlace($0.area) } ?? PersonPlace()
        let event = AuditEvent()
        event.at = date
        event.actorID = actor?.id
        event.actor = actor?.username ?? "system"
        event.action = action
        event.entityType = entityType
        event.entityID = entityID
        event.before = Self.json(before)
        event.after = Self.json(after)
        event.provinceCode = place.provinceCode
        event.districtCode = place.districtCode
        event.communeCode = place.communeCode
        event.province2025Code = place.province2025Code
        event.commune2025Code = place.commune2025Code
        try await event.create(on: database)
    }
}
