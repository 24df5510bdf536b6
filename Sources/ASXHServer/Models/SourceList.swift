import Fluent
import Vapor
import ASXHCore

/// One file the department sent, as imported.
final class SourceList: Model, @unchecked Sendable {
    static let schema = "source_lists"

    // managed
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "imported_at", on: .create) var importedAt: Date?

    // data
    @Field(key: "file_name") var fileName: String
    @Field(key: "sha256") var sha256: String
    @OptionalField(key: "sheet") var sheet: String?
    @OptionalField(key: "default_group") var defaultGroup: String?
    @Field(key: "rows_total") var rowsTotal: Int
    @Field(key: "rows_imported") var rowsImported: Int
    @Field(key: "rows_rejected") var rowsRejected: Int
    @Field(key: "rows_skipped") var rowsSkipped: Int
    @Field(key: "new_people") var newPeople: Int
    @Field(key: "new_enrolments") var newEnrolments: Int

    // relations
    @OptionalParent(key: "uploaded_by") var uploadedBy: User?

    init() {}
}

/// A list row that could not be imported, kept so nobody silently disappears.
final class ListRejection: Model, @unchecked Sendable {
    static let schema = "list_rejections"

    @ID(key: .id) var id: UUID?
    @Parent(key: "list_id") var list: SourceList
    @Field(key: "row") var row: Int
    @Field(key: "column_name") var column: String
    @Field(key: "value") var value: String
    @Field(key: "code") var code: String
    @Field(key: "message_vi") var messageVI: String
    @Field(key: "message_en") var messageEN: String

    init() {}
}

extension QueryBuilder where Model == SourceList {
    /// City-level users and auditors see every list; others see the lists they imported.
    func visible(to user: User) -> Self {
        if user.areaLevel == .province { return self }
        return self.filter(\.$uploadedBy.$id == user.id)
    }
}
