import ASXHCore
import Fluent
import SQLKit
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
        try await (database as! any SQLDatabase).raw(Self.event(actor: actor, action: action, entityType: entityType, entityID: entityID,
                                                                before: before, after: after, place: place, at: date)).run()
    }

    /// The INSERT of one audit event, for a caller that sends it with its own writes (`SQLDatabase.run(together:)`).
    /// Written in SQL: a Fluent model's save reads its fields by reflection, and every write in asxh comes here.
    static func event(
        actor: User?,
        action: String,
        entityType: String,
        entityID: String?,
        before: (some Encodable)? = String?.none,
        after: (some Encodable)? = String?.none,
        place: PersonPlace? = nil,
        at date: Date
    ) -> SQLQueryString {
        let place = place ?? actor.map { PersonPlace($0.area) } ?? PersonPlace()
        let columns = (["id", "at", "actor_id", "actor", "action", "entity_type", "entity_id", "before", "after"] + PersonPlace.columns).joined(separator: ", ")
        return """
            INSERT INTO \(ident: AuditEvent.schema) (\(unsafeRaw: columns)) VALUES (\(bind: UUID()), \(bind: date), \(bind: actor?.id), \(bind: actor?.username ?? "system"),
              \(bind: action), \(bind: entityType), \(bind: entityID), \(bind: Self.json(before)), \(bind: Self.json(after)), \(bind: place.provinceCode),
              \(bind: place.districtCode), \(bind: place.communeCode), \(bind: place.province2025Code), \(bind: place.commune2025Code))
            """
    }
}
