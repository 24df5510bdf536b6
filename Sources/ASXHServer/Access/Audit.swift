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
        let place = place ?? actor.map { PersonPlace($0.area) } ?? PersonPlace()
        // Written in SQL: a Fluent model's save reads its fields by reflection, and every write in asxh comes here.
        try await (database as! any SQLDatabase).insert(into: AuditEvent.schema)
            .columns(["id", "at", "actor_id", "actor", "action", "entity_type", "entity_id", "before", "after"] + PersonPlace.columns)
            .values([SQLBind(UUID()), SQLBind(date), SQLBind(actor?.id), SQLBind(actor?.username ?? "system"), SQLBind(action), SQLBind(entityType),
                     SQLBind(entityID), SQLBind(Self.json(before)), SQLBind(Self.json(after)), SQLBind(place.provinceCode), SQLBind(place.districtCode),
                     SQLBind(place.communeCode), SQLBind(place.province2025Code), SQLBind(place.commune2025Code)])
            .run()
    }
}
