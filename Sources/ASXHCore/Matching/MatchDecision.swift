/// What the police's matching decided for one list row.
public enum MatchStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Certain identity and the list's key fields agree with the register.
    case matched
    /// Certain identity, but the list differs: the register's values replace the list's (old values kept in the audit).
    case corrected
    /// A person must decide among `candidates` (best first).
    case review
    /// No register record is a plausible match.
    case notFound = "not_found"
    /// Certain identity and the register says the person has died.
    case deceased

    /// Matched, corrected and deceased rows are linked without a person looking at them.
    public var isAutomaticLink: Bool {
        switch self {
        case .matched, .corrected, .deceased: return true
        case .review, .notFound: return false
        }
    }

    public var labelVI: String {
        switch self {
        case .matched: return "Khớp"
        case .corrected: return "Khớp, đã sửa theo CSDL dân cư"
        case .review: return "Cần xem xét"
        case .notFound: return "Không tìm thấy"
        case .deceased: return "Đã chết"
        }
    }

    public var labelEN: String {
        switch self {
        case .matched: return "Matched"
        case .corrected: return "Matched, corrected from the register"
        case .review: return "Needs review"
        case .notFound: return "Not found"
        case .deceased: return "Deceased"
        }
    }
}

/// Why the matcher decided as it did: short stable codes, written joined by `;` in result files.
public enum MatchReason: String, Sendable, Hashable, Codable, CaseIterable {
    // Identity number.
    case idExact = "id_exact"
    case idMissing = "id_missing"
    case idLeadingZero = "id_leading_zero"
    case oldID = "old_id"
    case idTypo = "id_typo"
    case idTransposed = "id_transposed"
    case idMismatch = "id_mismatch"
    /// The list's ID is the ID of another real person in the register.
    case idOtherPerson = "id_other_person"
    // Name.
    case nameNoDiacritics = "name_no_diacritics"
    case nameTypo = "name_typo"
    case nameMiddleDiffers = "name_middle_differs"
    case namePartial = "name_partial"
    case nameMismatch = "name_mismatch"
    // Birth date.
    case dobYearOnly = "dob_year_only"
    case dobRegisterYearOnly = "dob_register_year_only"
    case dobJan1 = "dob_jan1"
    case dobSwapped = "dob_swapped"
    case dobDiffers = "dob_differs"
    case dobYearDiffers = "dob_year_differs"
    case dobMissing = "dob_missing"
    // Other fields.
    case genderDiffers = "gender_differs"
    case moved
    /// Another pre-2025 commune than the register's, but one that became the same 2025 commune (a move next door,
    /// or a neighbouring ward written for the merged one).
    case communeMerged = "commune_merged"
    /// Same commune, but the list's house address is not the register's (informative: the register's address
    /// is the one kept, and addresses are often written differently).
    case addressDiffers = "address_differs"
    // The decision.
    case deceased
    case namesakeAmbiguous = "namesake_ambiguous"
    case lowConfidence = "low_confidence"
    case typoUnconfirmed = "typo_unconfirmed"
    case noCandidate = "no_candidate"

    /// The reason means the list's value is wrong or less precise than the register's, so a certain link is
    /// `corrected` rather than `matched`.
    public var meansListDiffers: Bool {
        switch self {
        case .idLeadingZero, .oldID, .idTypo, .idTransposed, .idMismatch, .nameNoDiacritics, .nameTypo,
            .nameMiddleDiffers, .namePartial, .nameMismatch, .dobYearOnly, .dobSwapped, .dobDiffers,
            .dobYearDiffers, .genderDiffers, .moved, .communeMerged:
            return true
        default:
            return false
        }
    }

    /// Codes joined the way result files write them: `id_typo;name_no_diacritics`.
    public static func joined(_ reasons: [MatchReason]) -> String {
        reasons.map(\.rawValue).joined(separator: ";")
    }
}

/// A register record the matcher considered, with how likely it is to be the listed person.
public struct MatchCandidate: Sendable, Hashable {
    public var record: RegisterRecord
    /// Posterior probability that this record is the listed person (0…1).
    public var confidence: Double
    /// How the list row and this record differ or agree.
    public var reasons: [MatchReason]

    public init(record: RegisterRecord, confidence: Double, reasons: [MatchReason]) {
        self.record = record
        self.confidence = confidence
        self.reasons = reasons
    }
}

/// The matcher's answer for one list row.
public struct MatchDecision: Sendable, Hashable {
    /// The query's `row`.
    public var row: Int
    public var status: MatchStatus
    /// The linked personal ID for automatic links; nil for review and not found.
    public var citizenID: String?
    /// Posterior probability of the best candidate (0 when there is none).
    public var confidence: Double
    public var reasons: [MatchReason]
    /// Best first: the linked record alone for automatic links, the alternatives for review.
    public var candidates: [MatchCandidate]

    public init(
        row: Int, status: MatchStatus, citizenID: String?, confidence: Double, reasons: [MatchReason],
        candidates: [MatchCandidate]
    ) {
        self.row = row
        self.status = status
        self.citizenID = citizenID
        self.confidence = confidence
        self.reasons = reasons
        self.candidates = candidates
    }

    /// The linked record, for automatic links.
    public var record: RegisterRecord? {
        self.status.isAutomaticLink ? self.candidates.first?.record : nil
    }
}
