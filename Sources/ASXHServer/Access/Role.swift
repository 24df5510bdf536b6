import ASXHCore

/// What a user does in the campaign. Each role is bound to one area (see `Area`).
enum Role: String, Codable, CaseIterable, Sendable {
    case cityOfficer
    case districtOfficer
    case communePolice
    case communeLabourOfficer
    case workingGroupMember
    case communeChair
    case auditor
    case administrator

    var vietnameseName: String {
        switch self {
        case .cityOfficer: return "Cán bộ Sở (cấp thành phố)"
        case .districtOfficer: return "Cán bộ cấp huyện"
        case .communePolice: return "Công an xã"
        case .communeLabourOfficer: return "Cán bộ LĐTBXH cấp xã"
        case .workingGroupMember: return "Thành viên Tổ công tác"
        case .communeChair: return "Chủ tịch UBND xã"
        case .auditor: return "Kiểm toán / thanh tra"
        case .administrator: return "Quản trị hệ thống"
        }
    }

    var englishName: String {
        switch self {
        case .cityOfficer: return "City department officer"
        case .districtOfficer: return "District officer"
        case .communePolice: return "Commune police"
        case .communeLabourOfficer: return "Commune labour officer"
        case .workingGroupMember: return "Working-group member"
        case .communeChair: return "Commune People's Committee chair"
        case .auditor: return "Auditor"
        case .administrator: return "Administrator"
        }
    }

    /// Police match people against the population register by ID, so they see IDs in full; nobody else does.
    var seesFullIDs: Bool { self == .communePolice }

    /// Department lists enter the system through the department (or its district offices).
    var canImportLists: Bool { [.cityOfficer, .districtOfficer, .administrator].contains(self) }

    /// Who may correct a person's record (name as written, address) in their area.
    var canEditPeople: Bool { [.cityOfficer, .districtOfficer, .communePolice, .communeLabourOfficer].contains(self) }

    /// Step 1 review decisions belong to the commune police.
    var canDecideReviews: Bool { self == .communePolice }

    var canReadReviews: Bool { [.communePolice, .communeLabourOfficer, .communeChair, .districtOfficer, .cityOfficer, .auditor].contains(self) }

    /// Who visits homes and records the survey (step 3): the working group, police and labour officer in it.
    var canVisit: Bool { [.workingGroupMember, .communePolice, .communeLabourOfficer].contains(self) }

    /// A class changed without a new visit is approved by a second officer of the commune (police, labour officer).
    var canApproveClassChanges: Bool { [.communePolice, .communeLabourOfficer].contains(self) }

    /// The commune police, with the People's Committee, direct the working group (steps 2–4).
    var canManageGroups: Bool { [.communePolice, .communeChair].contains(self) }

    /// The commune People's Committee chair confirms the commune's class lists (step 4).
    var canSignOffLists: Bool { self == .communeChair }

    /// Campaigns (opening, closing, deadlines) are set up by the system's administrator for the department.
    var canManageCampaigns: Bool { self == .administrator }

    /// New survey versions are published by the administrator (the department's content, the system's data).
    var canPublishQuestionnaires: Bool { self == .administrator }

    var canReadCampaigns: Bool { [.administrator, .cityOfficer, .auditor].contains(self) }

    /// Who follows the field work: groups, cases, progress.
    var canReadFieldwork: Bool { self != .administrator }

    /// Step 5: accounts are recorded at the door (working group), from the lists and by the commune police.
    var canRecordAccounts: Bool { [.communePolice, .communeLabourOfficer, .workingGroupMember].contains(self) }

    /// A second officer of the commune approves an account with a signal (never the one who recorded it).
    var canApproveAccounts: Bool { [.communePolice, .communeLabourOfficer].contains(self) }

    /// The police hand the accounts to the payment software (the department's, for the whole city).
    var canSyncAccounts: Bool { [.communePolice, .cityOfficer].contains(self) }

    /// Programs, cycles and batches are the department's: one officer makes a batch, another checks it.
    var canManagePayments: Bool { self == .cityOfficer }

    var canReadPayments: Bool { [.cityOfficer, .districtOfficer, .communePolice, .communeLabourOfficer, .communeChair, .auditor].contains(self) }

    /// Who hands cash over at the commune (and records the proof).
    var canPayCash: Bool { [.communePolice, .communeLabourOfficer, .workingGroupMember].contains(self) }

    var canReadAudit: Bool { [.auditor, .administrator].contains(self) }

    var canManageUsers: Bool { self == .administrator }
}
