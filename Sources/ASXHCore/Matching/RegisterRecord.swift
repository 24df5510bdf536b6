/// One person as the population register extract holds them.
///
/// Extract columns: `citizen_id,old_id,full_name,date_of_birth,gender,commune_code,address,status,death_date`
/// (dates `YYYY-MM-DD`, or a year alone when the register knows only the year; gender Nam/Nữ; commune code the
/// 5-digit pre-2025 GSO code; status alive/deceased).
public struct RegisterRecord: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        case alive
        case deceased
    }

    /// The 12-digit personal ID (số định danh cá nhân).
    public var citizenID: String
    /// The old identity card number (CMND), when the register kept it.
    public var oldID: String?
    public var fullName: String
    /// Nil when the register has no birth date; 1 January often stands for an unknown birthday of old people.
    public var birthDate: BirthDate?
    public var gender: Gender?
    /// 5-digit commune code (pre-2025 scheme), zero-padded.
    public var communeCode: String
    public var address: String
    public var status: Status
    /// `YYYY-MM-DD` when deceased and known.
    public var deathDate: String?

    public init(
        citizenID: String, oldID: String? = nil, fullName: String, birthDate: BirthDate?, gender: Gender?,
        communeCode: String, address: String = "", status: Status = .alive, deathDate: String? = nil
    ) {
        self.citizenID = citizenID
        self.oldID = oldID
        self.fullName = fullName
        self.birthDate = birthDate
        self.gender = gender
        self.communeCode = communeCode
        self.address = address
        self.status = status
        self.deathDate = deathDate
    }
}
