import Fluent
import Vapor
import ASXHCore

/// A beneficiary: someone entitled to at least one social-security benefit.
final class Person: Model, @unchecked Sendable {
    static let schema = "people"

    // managed
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data
    @Field(key: "full_name") var fullName: String
    @Field(key: "folded_name") var foldedName: String
    @OptionalField(key: "birth_year") var birthYear: Int?
    @OptionalField(key: "birth_month") var birthMonth: Int?
    @OptionalField(key: "birth_day") var birthDay: Int?
    @OptionalField(key: "gender") var gender: String?
    @OptionalField(key: "personal_id") var personalID: String?
    @OptionalField(key: "old_id") var oldID: String?
    @OptionalField(key: "address") var address: String?
    // area: pre-2025 codes as the lists give them, 2025 codes by conversion (or given directly)
    @OptionalField(key: "province_code") var provinceCode: String?
    @OptionalField(key: "district_code") var districtCode: String?
    @OptionalField(key: "commune_code") var communeCode: String?
    @OptionalField(key: "province2025_code") var province2025Code: String?
    @OptionalField(key: "commune2025_code") var commune2025Code: String?
    /// The old commune was split in 2025: the address needs a street or village to place the person.
    @Field(key: "needs_address_detail") var needsAddressDetail: Bool
    /// `PersonKey.nameBirthCommune(…).storageKey`: how an import recognises this person without an ID.
    @OptionalField(key: "identity_key") var identityKey: String?
    /// Set when matching found this record to be the same person as another; the other one is kept.
    @OptionalField(key: "merged_into") var mergedInto: UUID?

    // relations
    @Children(for: \.$person) var enrolments: [Enrolment]

    init() {}
}

extension Person {
    /// The name + birth year + commune key of a record (nil without a birth year or commune); the 2025 commune
    /// when known, so both schemes meet. Month and day are compared after the look-up (`PersonKey.birthDatesAgree`).
    static func identityKey(foldedName: String, birthYear: Int?, communeCode: String?, commune2025Code: String?) -> String? {
        guard let birthYear, let commune = commune2025Code ?? communeCode, !foldedName.isEmpty else { return nil }
        return PersonKey.nameBirthCommune(name: foldedName, year: birthYear, commune: commune).storageKey
    }

    /// Recomputes `identityKey` after a change of name, birth date or commune.
    func refreshIdentityKey() {
        self.identityKey = Self.identityKey(foldedName: self.foldedName, birthYear: self.birthYear,
                                            communeCode: self.communeCode, commune2025Code: self.commune2025Code)
    }
}
