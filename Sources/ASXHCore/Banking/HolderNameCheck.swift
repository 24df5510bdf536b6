/// Whether an account's holder name (tên chủ tài khoản) is the beneficiary's name, compared as banks store
/// names: upper-case ASCII without diacritics, single spaces ("Nguyễn Văn Ánh" is "NGUYEN VAN ANH").
///
/// The comparison is exact on that form, as the paying bank's is: a name that differs in one letter is what
/// the bank returns as BE01, so it is reported, never forgiven here.
public enum HolderNameCheck: Sendable, Hashable {
    case matches
    /// Both names in bank form: `expected` from the person, `given` from the account.
    case differs(expected: String, given: String)

    /// Compares the holder name typed or read from the bank with the person's name.
    public static func compare(holderName: String, personName: String) -> HolderNameCheck {
        let expected = VietnameseText.bankName(personName)
        let given = VietnameseText.bankName(holderName)
        return expected == given ? .matches : .differs(expected: expected, given: given)
    }

    public var isMatch: Bool {
        if case .matches = self { return true }
        return false
    }
}
