import Fluent
import Vapor
import ASXHCore

/// A commune's working group (Tổ công tác Đề án 06): commune police at its core, the labour officer with it.
final class WorkingGroup: Model, @unchecked Sendable {
    static let schema = "working_groups"

    // managed
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data
    @Field(key: "name") var name: String
    @Field(key: "area_scheme") var areaScheme: AdministrativeScheme
    @Field(key: "commune_code") var communeCode: String
    @OptionalParent(key: "leader_id") var leader: User?

    // relations
    @Children(for: \.$group) var members: [WorkingGroupMember]

    init() {}

    init(name: String, commune: Area, leader: UUID?) {
        self.name = name
        self.areaScheme = commune.scheme
        self.communeCode = commune.code
        self.$leader.id = leader
    }

    var commune: Area { Area(scheme: self.areaScheme, level: .commune, code: self.communeCode) }
}

final class WorkingGroupMember: Model, @unchecked Sendable {
    static let schema = "working_group_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "group_id") var group: WorkingGroup
    @Parent(key: "user_id") var user: User

    init() {}

    init(group: UUID, user: UUID) {
        self.$group.id = group
        self.$user.id = user
    }
}

extension QueryBuilder where Model == WorkingGroup {
    /// Groups whose commune lies inside `area`.
    func scoped(to area: Area) -> Self {
        switch area.level {
        case .commune:
            return self.filter(\.$areaScheme == area.scheme).filter(\.$communeCode == area.code)
        case .district, .province:
            let communes = AdministrativeUnits.shared.units(scheme: area.scheme, level: .commune).filter { unit in
                area.level == .district ? unit.parentCode == area.code : unit.provinceCode == area.code
            }.map(\.code)
            return self.filter(\.$areaScheme == area.scheme).filter(\.$communeCode ~~ communes)
        }
    }
}
