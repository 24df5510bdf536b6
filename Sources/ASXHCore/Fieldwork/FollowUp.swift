import Foundation

/// What a class still waits for after the visit, and the rules for settling it: an A2 account opening, a C
/// support plan done by its due date, a D case corrected by the police (step 1) or closed. Also the rule for a
/// class changed without a new visit: a second officer approves what the first proposed.
public enum FollowUp {
    public enum Pending: String, Sendable, Codable, CaseIterable {
        /// A2: the account is being opened at a bank.
        case opening
        /// C: the support plan must be carried out.
        case supportPlan
        /// D: the police correct the data (new address, register check) or close the case.
        case dataCorrection

        public var vietnameseName: String {
            switch self {
            case .opening: return "Đang mở tài khoản"
            case .supportPlan: return "Phương án hỗ trợ chưa xong"
            case .dataCorrection: return "Cần làm sạch lại dữ liệu"
            }
        }

        public var englishName: String {
            switch self {
            case .opening: return "Account being opened"
            case .supportPlan: return "Support plan open"
            case .dataCorrection: return "Data to correct"
            }
        }
    }

    public static func pending(for caseClass: CaseClass) -> Pending? {
        switch caseClass {
        case .a2: return .opening
        case .c: return .supportPlan
        case .d: return .dataCorrection
        case .a1, .b: return nil
        }
    }

    /// The longest note or reason an officer may write.
    public static let maxNoteLength = 500

    /// An A2 opening is recorded with the bank and the day the account was opened (not in the future).
    public static func checkOpening(caseClass: CaseClass?, bank: String, openedOn: CalendarDay, today: CalendarDay) -> ClassificationRefusal? {
        guard caseClass == .a2 else {
            return ClassificationRefusal(code: "not_a2", vi: "Chỉ ghi mở tài khoản cho trường hợp A2 (đăng ký mở).", en: "Openings are recorded for class A2 only.")
        }
        if bank.trimmingCharacters(in: .whitespaces).isEmpty {
            return ClassificationRefusal(code: "bank_missing", vi: "Chưa ghi ngân hàng mở tài khoản.", en: "The bank is missing.")
        }
        if openedOn > today {
            return ClassificationRefusal(code: "opened_in_future", vi: "Ngày mở tài khoản nằm trong tương lai.", en: "The opening date is in the future.")
        }
        return nil
    }

    /// A C plan is closed with a note saying what was done.
    public static func checkSupportClosure(caseClass: CaseClass?, note: String) -> ClassificationRefusal? {
        guard caseClass == .c else {
            return ClassificationRefusal(code: "not_c", vi: "Chỉ trường hợp C có phương án hỗ trợ.", en: "Only class C cases have a support plan.")
        }
        if note.trimmingCharacters(in: .whitespaces).isEmpty {
            return ClassificationRefusal(code: "note_missing", vi: "Ghi rõ đã hỗ trợ thế nào.", en: "Say what was done.")
        }
        return nil
    }

    /// A D case leaves the campaign only as deceased or moved out of the province, both confirmed by the police
    /// (register check); anything else is corrected in step 1 and visited again.
    public static func checkClosure(caseClass: CaseClass?, reason: CaseClosedReason) -> ClassificationRefusal? {
        guard caseClass == .d else {
            return ClassificationRefusal(code: "not_d", vi: "Chỉ đóng hồ sơ trường hợp D (không liên hệ được).", en: "Only class D cases are closed here.")
        }
        guard reason == .deceased || reason == .movedOut else {
            return ClassificationRefusal(code: "closure_reason", vi: "Chỉ đóng vì đã chết hoặc đã chuyển khỏi tỉnh.", en: "Close only as deceased or moved out of the province.")
        }
        return nil
    }

    /// A class changed without a visit needs a reason and a second officer: the proposer never approves.
    public static func checkProposal(reason: String) -> ClassificationRefusal? {
        reason.trimmingCharacters(in: .whitespaces).isEmpty
            ? ClassificationRefusal(code: "reason_missing", vi: "Ghi lý do đổi phân loại.", en: "Give the reason for the change.")
            : nil
    }

    public static func checkApproval(proposer: UUID, approver: UUID) -> ClassificationRefusal? {
        proposer == approver
            ? ClassificationRefusal(code: "four_eyes", vi: "Người đề nghị không tự duyệt; cần cán bộ thứ hai.", en: "The proposer cannot approve; a second officer must.")
            : nil
    }
}
