import ASXHCore
import Fluent
import Foundation

/// A person who moved is handed to the commune of the new address: their record is placed there (the campaign's
/// province and scheme), the case leaves the old group, and the new commune's group visits again. The case keeps
/// its id, so its visits and audit trail follow it. The one place a case goes back to `assigned`: the visit step
/// is owed again, somewhere else.
enum CaseTransfer {
    static func transfer(_ campaignCase: CampaignCase, to communeCode: String, address: String?, actor: User, now: Date, on database: any Database) async throws {
        let placer = try await RegisterLinks.placer(on: database)
        guard let placement = placer.placement(for: communeCode) else {
            throw ASXHError.invalidInput(field: "commune", vi: "Mã xã \(communeCode) không có trong danh mục của đợt này.",
                                         en: "Commune code \(communeCode) is not in this campaign's list of units.")
        }
        guard placement.place.isInside(placer.importer) else {
            throw ASXHError.invalidInput(field: "commune", vi: "Xã mới nằm ngoài tỉnh của đợt này: hãy báo Sở để chuyển hồ sơ.",
                                         en: "The new commune is outside this campaign's province: ask the department to hand the record over.")
        }
        let state = CaseState(rawValue: campaignCase.state) ?? .imported
        guard state <= .assigned || campaignCase.caseClass == .d else {
            throw ASXHError.refused(status: .conflict, code: "case_not_movable", vi: "Chỉ chuyển xã khi chưa phân loại hoặc phân loại D (không liên hệ được).",
                                    en: "Only a case not yet classified, or classified D (unreachable), moves to another commune.")
        }
        try await database.writeTransaction { db in
            let person = campaignCase.person
            let before = ["commune_code": person.communeCode ?? "", "commune2025_code": person.commune2025Code ?? "", "address": person.address ?? ""]
            let from = PersonPlace(person)
            person.provinceCode = placement.provinceCode
            person.districtCode = placement.districtCode
            person.communeCode = placement.communeCode
            person.province2025Code = placement.province2025Code
            person.commune2025Code = placement.commune2025Code
            person.needsAddressDetail = placement.needsAddressDetail
            if let address { person.address = address }
            person.refreshIdentityKey()
            try await person.save(on: db)
            try await Audit.record(on: db, actor: actor, action: "person.transfer", entityType: "person", entityID: person.id?.uuidString, before: before,
                                   after: ["commune_code": person.communeCode ?? "", "commune2025_code": person.commune2025Code ?? "", "address": person.address ?? ""],
                                   place: PersonPlace(person), at: now)
            let caseBefore = VisitRecorder.snapshot(campaignCase)
            campaignCase.$group.id = nil
            campaignCase.$member.id = nil
            campaignCase.walkOrder = nil
            campaignCase.household = nil
            campaignCase.caseClass = nil
            campaignCase.classification = nil
            campaignCase.classifiedAt = nil
            campaignCase.missedVisits = 0
            if state > .verified { campaignCase.state = CaseState.assigned.rawValue }
            try await campaignCase.save(on: db)
            // Both communes read the move in their audit log.
            for place in [from, PersonPlace(person)] {
                try await Audit.record(on: db, actor: actor, action: "case.transfer", entityType: "campaign_case", entityID: campaignCase.id?.uuidString,
                                       before: caseBefore, after: VisitRecorder.snapshot(campaignCase).merging(["commune": communeCode]) { $1 }, place: place, at: now)
            }
        }
    }
}
