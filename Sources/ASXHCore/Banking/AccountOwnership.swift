import Foundation

/// The authorisation (giấy ủy quyền) that lets a benefit be paid into someone else's account: class C's
/// "tài khoản người được ủy quyền" support plan.
public struct RepresentativeAuthorisation: Sendable, Hashable, Codable {
    /// The authorised person as the authorisation names them; the account must be in this name.
    public var representativeName: String
    /// Their relationship to the beneficiary (quan hệ với người hưởng): "con", "vợ", "cháu" …
    public var relationship: String
    /// The authorisation's number or reference (số giấy ủy quyền / số chứng thực).
    public var documentReference: String
    /// The last day the authorisation is valid.
    public var expiresOn: CalendarDay?
    /// The second officer who checked the authorisation; never the one who recorded the account.
    public var approvedBy: UUID?

    public init(
        representativeName: String, relationship: String, documentReference: String, expiresOn: CalendarDay?,
        approvedBy: UUID?
    ) {
        self.representativeName = representativeName
        self.relationship = relationship
        self.documentReference = documentReference
        self.expiresOn = expiresOn
        self.approvedBy = approvedBy
    }
}

/// Whose account a benefit may be paid into.
///
/// An account in the beneficiary's own name is accepted. An account in another name is accepted only as an
/// authorised representative's account: the authorisation must name the holder, say how they are related,
/// carry a reference, not have expired, and have been approved by a second officer. Anything else would pay a
/// stranger, so every missing piece is reported at once for the officer to complete.
public enum AccountOwnership {
    /// The outcome of `decide`.
    public enum Decision: Sendable, Hashable {
        /// The holder is the beneficiary.
        case own
        /// The holder is the beneficiary's authorised representative, under this authorisation.
        case representative(RepresentativeAuthorisation)
        /// Not acceptable, for every one of these reasons (never empty).
        case refused([OwnershipRefusal])

        public var isAccepted: Bool {
            if case .refused = self { return false }
            return true
        }
    }

    /// Decides whether an account with `holderName` may receive the benefits of the person named `personName`.
    /// `recordedBy` is the officer recording the account; `today` is the campaign clock's day.
    public static func decide(
        holderName: String, personName: String, representative: RepresentativeAuthorisation?, recordedBy: UUID,
        today: CalendarDay
    ) -> Decision {
        let check = HolderNameCheck.compare(holderName: holderName, personName: personName)
        guard case .differs(let expected, let given) = check else { return .own }
        guard let representative else { return .refused([.holderDiffers(expected: expected, given: given)]) }

        var reasons: [OwnershipRefusal] = []
        let named = VietnameseText.bankName(representative.representativeName)
        if named.isEmpty {
            reasons.append(.representativeNameMissing)
        } else if named != given {
            reasons.append(.representativeDiffers(authorised: named, holder: given))
        }
        if Self.isBlank(representative.relationship) { reasons.append(.relationshipMissing) }
        if Self.isBlank(representative.documentReference) { reasons.append(.authorisationReferenceMissing) }
        if let expiry = representative.expiresOn {
            if expiry < today { reasons.append(.authorisationExpired(expiry)) }
        } else {
            reasons.append(.authorisationExpiryMissing)
        }
        if let approver = representative.approvedBy {
            if approver == recordedBy { reasons.append(.approverIsRecorder) }
        } else {
            reasons.append(.approvalMissing)
        }
        return reasons.isEmpty ? .representative(representative) : .refused(reasons)
    }

    private static func isBlank(_ text: String) -> Bool {
        text.allSatisfy { $0.isWhitespace || $0.isPunctuation }
    }
}

/// One reason an account cannot receive a person's benefits.
public enum OwnershipRefusal: Sendable, Hashable {
    /// The holder is someone else and no authorisation was given.
    case holderDiffers(expected: String, given: String)
    /// The authorisation does not say who is authorised.
    case representativeNameMissing
    /// The authorisation names someone other than the account holder (both in bank form).
    case representativeDiffers(authorised: String, holder: String)
    /// The representative's relationship to the beneficiary is missing.
    case relationshipMissing
    /// The authorisation's number or reference is missing.
    case authorisationReferenceMissing
    /// The authorisation has no expiry date.
    case authorisationExpiryMissing
    /// The authorisation expired on this day.
    case authorisationExpired(CalendarDay)
    /// No second officer has approved the authorisation.
    case approvalMissing
    /// The officer who recorded the account approved it too.
    case approverIsRecorder

    /// A stable snake_case code for reports and logs.
    public var code: String {
        switch self {
        case .holderDiffers: "holder_differs"
        case .representativeNameMissing: "representative_name_missing"
        case .representativeDiffers: "representative_differs"
        case .relationshipMissing: "relationship_missing"
        case .authorisationReferenceMissing: "authorisation_reference_missing"
        case .authorisationExpiryMissing: "authorisation_expiry_missing"
        case .authorisationExpired: "authorisation_expired"
        case .approvalMissing: "approval_missing"
        case .approverIsRecorder: "four_eyes"
        }
    }

    public var messageVI: String {
        switch self {
        case .holderDiffers(let expected, let given):
            return "Tên chủ tài khoản \"\(given)\" khác tên đối tượng \"\(expected)\"; chỉ nhận nếu là tài khoản người được ủy quyền."
        case .representativeNameMissing:
            return "Chưa ghi họ tên người được ủy quyền."
        case .representativeDiffers(let authorised, let holder):
            return "Giấy ủy quyền cho \"\(authorised)\", nhưng chủ tài khoản là \"\(holder)\"."
        case .relationshipMissing:
            return "Chưa ghi quan hệ của người được ủy quyền với đối tượng."
        case .authorisationReferenceMissing:
            return "Chưa ghi số giấy ủy quyền."
        case .authorisationExpiryMissing:
            return "Chưa ghi ngày hết hạn của giấy ủy quyền."
        case .authorisationExpired(let day):
            return "Giấy ủy quyền đã hết hạn ngày \(day.vietnamese)."
        case .approvalMissing:
            return "Tài khoản người được ủy quyền cần cán bộ thứ hai duyệt."
        case .approverIsRecorder:
            return "Người ghi tài khoản không tự duyệt; cần cán bộ thứ hai."
        }
    }

    public var messageEN: String {
        switch self {
        case .holderDiffers(let expected, let given):
            return "The holder \"\(given)\" is not the beneficiary \"\(expected)\"; accepted only as an authorised representative's account."
        case .representativeNameMissing:
            return "The authorised representative's name is missing."
        case .representativeDiffers(let authorised, let holder):
            return "The authorisation names \"\(authorised)\", but the account holder is \"\(holder)\"."
        case .relationshipMissing:
            return "The representative's relationship to the beneficiary is missing."
        case .authorisationReferenceMissing:
            return "The authorisation's reference number is missing."
        case .authorisationExpiryMissing:
            return "The authorisation's expiry date is missing."
        case .authorisationExpired(let day):
            return "The authorisation expired on \(day)."
        case .approvalMissing:
            return "A representative's account needs a second officer's approval."
        case .approverIsRecorder:
            return "The officer who recorded the account cannot approve it; a second officer must."
        }
    }
}
