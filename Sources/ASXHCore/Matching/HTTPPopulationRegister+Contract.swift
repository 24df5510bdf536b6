import Foundation

/// The JSON bodies of the register's HTTP interface, version 1 (`docs/register-http.md` is the contract).
///
/// Keys are snake_case and spelled out in `CodingKeys`, so the wire format does not depend on encoder settings.
/// Absent optional values are omitted on encoding and accepted as absent or `null` on decoding.
public enum RegisterHTTPContract {
    /// Most queries a register accepts in one `POST /v1/persons/search` (it answers 413 above).
    public static let maxQueriesPerRequest = 1_000

    /// Body of `POST /v1/persons/search`.
    public struct SearchRequest: Sendable, Hashable, Codable {
        public var queries: [Query]
        /// Candidates the register returns per query, at most; the register applies its own default (50) when absent.
        public var maxCandidates: Int?

        public init(queries: [Query], maxCandidates: Int? = nil) {
            self.queries = queries
            self.maxCandidates = maxCandidates
        }

        enum CodingKeys: String, CodingKey {
            case queries
            case maxCandidates = "max_candidates"
        }
    }

    /// One person to look for. Each filled field widens the search (the register returns the union of what each
    /// rule finds); the matcher, not the register, decides who is the person.
    public struct Query: Sendable, Hashable, Codable {
        /// The caller's reference, echoed in the result; unique within a request.
        public var ref: String
        /// 12 digits.
        public var citizenID: String?
        /// 9 digits (or 12 for the last generation of CMND).
        public var oldID: String?
        /// As the list wrote it (NFC); the register compares it without case, diacritics or extra spaces.
        public var fullName: String?
        /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; the register compares the year only.
        public var dateOfBirth: String?
        /// 5 digits, pre-2025 GSO scheme.
        public var communeCode: String?

        public init(
            ref: String, citizenID: String? = nil, oldID: String? = nil, fullName: String? = nil, dateOfBirth: String? = nil,
            communeCode: String? = nil
        ) {
            self.ref = ref
            self.citizenID = citizenID
            self.oldID = oldID
            self.fullName = fullName
            self.dateOfBirth = dateOfBirth
            self.communeCode = communeCode
        }

        enum CodingKeys: String, CodingKey {
            case ref
            case citizenID = "citizen_id"
            case oldID = "old_id"
            case fullName = "full_name"
            case dateOfBirth = "date_of_birth"
            case communeCode = "commune_code"
        }
    }

    /// Body of a 200 answer to `POST /v1/persons/search`: one result per query, any order.
    public struct SearchResponse: Sendable, Hashable, Codable {
        public var results: [Result]

        public init(results: [Result]) {
            self.results = results
        }
    }

    public struct Result: Sendable, Hashable, Codable {
        public var ref: String
        public var candidates: [Person]
        /// More candidates existed than `max_candidates`; the ones returned are the best placed (IDs first, then the
        /// query's commune).
        public var truncated: Bool

        public init(ref: String, candidates: [Person], truncated: Bool = false) {
            self.ref = ref
            self.candidates = candidates
            self.truncated = truncated
        }

        enum CodingKeys: String, CodingKey {
            case ref, candidates, truncated
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.ref = try container.decode(String.self, forKey: .ref)
            self.candidates = try container.decodeIfPresent([Person].self, forKey: .candidates) ?? []
            self.truncated = try container.decodeIfPresent(Bool.self, forKey: .truncated) ?? false
        }
    }

    /// Body of a 200 answer to `GET /v1/persons?old_id=…`.
    public struct PersonList: Sendable, Hashable, Codable {
        public var persons: [Person]

        public init(persons: [Person]) {
            self.persons = persons
        }
    }

    /// One register record on the wire (also the body of `GET /v1/persons/{citizen_id}`): the extract's columns.
    public struct Person: Sendable, Hashable, Codable {
        public var citizenID: String
        public var oldID: String?
        public var fullName: String
        /// `YYYY-MM-DD`, or `YYYY` when the register knows only the year.
        public var dateOfBirth: String?
        /// `Nam` or `Nữ` (`male`/`female` are accepted too).
        public var gender: String?
        public var communeCode: String
        public var address: String?
        /// `alive` or `deceased`.
        public var status: String
        public var deathDate: String?

        public init(
            citizenID: String, oldID: String? = nil, fullName: String, dateOfBirth: String? = nil, gender: String? = nil,
            communeCode: String, address: String? = nil, status: String = "alive", deathDate: String? = nil
        ) {
            self.citizenID = citizenID
            self.oldID = oldID
            self.fullName = fullName
            self.dateOfBirth = dateOfBirth
            self.gender = gender
            self.communeCode = communeCode
            self.address = address
            self.status = status
            self.deathDate = deathDate
        }

        /// The wire form of a record.
        public init(_ record: RegisterRecord) {
            self.init(
                citizenID: record.citizenID, oldID: record.oldID, fullName: record.fullName,
                dateOfBirth: record.birthDate?.isoString, gender: record.gender?.labelVI, communeCode: record.communeCode,
                address: record.address, status: record.status.rawValue, deathDate: record.deathDate)
        }

        enum CodingKeys: String, CodingKey {
            case citizenID = "citizen_id"
            case oldID = "old_id"
            case fullName = "full_name"
            case dateOfBirth = "date_of_birth"
            case gender
            case communeCode = "commune_code"
            case address, status
            case deathDate = "death_date"
        }

        /// The record, checked; the error names the field, never its value.
        public func record() throws(RegisterHTTPError) -> RegisterRecord {
            guard RegisterHTTPWire.isDigits(self.citizenID, count: 12) else { throw .invalidResponse(field: "citizen_id") }
            let oldID = RegisterHTTPWire.nonEmpty(self.oldID)
            if let oldID, !oldID.utf8.allSatisfy(RegisterHTTPWire.isDigit) { throw .invalidResponse(field: "old_id") }
            guard !self.fullName.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidResponse(field: "full_name") }
            var birthDate: BirthDate?
            if let text = RegisterHTTPWire.nonEmpty(self.dateOfBirth) {
                guard let date = RegisterHTTPWire.birthDate(text) else { throw .invalidResponse(field: "date_of_birth") }
                birthDate = date
            }
            guard let commune = RegisterHTTPWire.communeCode(self.communeCode) else {
                throw .invalidResponse(field: "commune_code")
            }
            guard let status = RegisterRecord.Status(rawValue: self.status.lowercased()) else {
                throw .invalidResponse(field: "status")
            }
            return RegisterRecord(
                citizenID: self.citizenID, oldID: oldID, fullName: VietnameseText.nfc(self.fullName), birthDate: birthDate,
                gender: RegisterHTTPWire.nonEmpty(self.gender).flatMap { Gender(parsing: $0) },
                communeCode: commune, address: self.address ?? "", status: status,
                deathDate: RegisterHTTPWire.nonEmpty(self.deathDate))
        }
    }

    /// Body of every non-2xx answer: `{"error":{"code":"unauthorized","message":"…"}}`.
    public struct ErrorBody: Sendable, Hashable, Codable {
        public struct Detail: Sendable, Hashable, Codable {
            /// Stable snake_case code (`unauthorized`, `forbidden`, `not_found`, `bad_request`, `too_many_queries`,
            /// `rate_limited`, `unavailable`).
            public var code: String
            /// For people reading logs on the register's side; the adapter does not show it (it may hold data).
            public var message: String?

            public init(code: String, message: String? = nil) {
                self.code = code
                self.message = message
            }
        }

        public var error: Detail

        public init(code: String, message: String? = nil) {
            self.error = Detail(code: code, message: message)
        }
    }
}

extension RegisterHTTPContract.Query {
    /// The wire query for a list row, identifiers normalised the way the register stores them: a personal ID that
    /// lost leading zeros gets them back, a 9-digit number in the personal ID column is sent as the old ID, the
    /// commune code is zero-padded to 5 digits. Nil when the row holds nothing the register can search by
    /// (no identifier, and a name without birth date or commune).
    public init?(ref: String, query: MatchQuery) {
        var citizenID: String?
        var oldID = query.oldID.flatMap(RegisterHTTPWire.oldID)
        if let text = query.personalID, let parsed = MatchDigits.parse(text) {
            switch parsed.digits {
            case 10...12: citizenID = MatchDigits.string(parsed.bcd, width: 12)
            case 8, 9: if oldID == nil { oldID = MatchDigits.string(parsed.bcd, width: 9) }
            default: break
            }
        }
        let name = VietnameseText.nfc(query.fullName).trimmingCharacters(in: .whitespacesAndNewlines)
        let commune = query.communeCode.flatMap(RegisterHTTPWire.communeCode)
        let searchable = !name.isEmpty && (query.birthDate != nil || commune != nil)
        guard citizenID != nil || oldID != nil || searchable else { return nil }
        self.init(
            ref: ref, citizenID: citizenID, oldID: oldID, fullName: name.isEmpty ? nil : name,
            dateOfBirth: query.birthDate?.isoString, communeCode: commune)
    }
}

/// Normalising and checking the identifiers that cross the wire.
enum RegisterHTTPWire {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isDigits(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy(Self.isDigit)
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// 12 digits from an ID as a list writes it (separators, lost leading zeros); nil when it cannot be one.
    static func citizenID(_ text: String) -> String? {
        guard let parsed = MatchDigits.parse(text), (10...12).contains(parsed.digits) else { return nil }
        return MatchDigits.string(parsed.bcd, width: 12)
    }

    /// 9 digits (8 get their lost leading zero back), or 12 for the last CMND generation.
    static func oldID(_ text: String) -> String? {
        guard let parsed = MatchDigits.parse(text) else { return nil }
        switch parsed.digits {
        case 8, 9: return MatchDigits.string(parsed.bcd, width: 9)
        case 12: return MatchDigits.string(parsed.bcd, width: 12)
        default: return nil
        }
    }

    /// 5 digits, zero-padded.
    static func communeCode(_ text: String) -> String? {
        guard let parsed = MatchDigits.parse(text), parsed.digits <= 5 else { return nil }
        return MatchDigits.string(parsed.bcd, width: 5)
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    static func birthDate(_ text: String) -> BirthDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].utf8.count == 4 else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.utf8.count <= 4, part.utf8.allSatisfy(Self.isDigit), let n = Int(part) else { return nil }
            numbers.append(n)
        }
        return BirthDate(
            year: numbers[0], month: numbers.count > 1 ? numbers[1] : nil, day: numbers.count > 2 ? numbers[2] : nil)
    }
}
