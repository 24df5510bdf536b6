import Fluent
import Vapor

/// An append-only record of one write: who, when, what, and the values before and after.
/// The database refuses updates and deletes of this table (see `CreateAuditEvent`).
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    @OptionalField(key: "entity_id") var entityID: String?
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?

    // where: the place the event concerns (a person's, else the actor's area), so the log is read by area
    @OptionalField(key: "province_code") var provinceCode: String?
    @OptionalField(key: "district_code") var districtCode: String?
    @OptionalField(key: "commune_code") var communeCode: String?
    @OptionalField(key: "province2025_code") var province2025Code: String?
    @OptionalField(key: "commune2025_code") var commune2025Code: String?

    init() {}
}

extension QueryBuilder where Model == AuditEvent {
    /// Events that concern `area`, filtered in SQL by the same columns that place people. A province-level
    /// reader (the city's auditor or administrator) reads the whole log, log-in failures of unknown names too.
    func scoped(to area: Area) -> Self {
        guard area.level != .province else { return self }
        return area.personFilters.reduce(self) { query, filter in query.filter(FieldKey(stringLiteral: filter.column), .equal, filter.code) }
    }
}
