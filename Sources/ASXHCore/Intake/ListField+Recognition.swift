extension ListField {
    /// The field a header cell names, or nil. Case, diacritics, line breaks and punctuation are ignored,
    /// so "Họ và tên", "HỌ VÀ TÊN", "Ho va ten" and "Họ và\ntên (1)" all name `fullName`.
    public static func recognise(header text: String) -> ListField? {
        Self.recognise(folded: IntakeFold.fold(text))
    }

    /// Recognition of an already folded header text.
    static func recognise(folded f: String) -> ListField? {
        if f.isEmpty { return nil }
        if let exact = Self.exactHeaders[f] { return exact }
        // Titles such as "DANH SÁCH ĐỐI TƯỢNG BẢO TRỢ XÃ HỘI NĂM 2025" are long; header cells are short.
        var words = 1
        for byte in f.utf8 where byte == 0x20 { words += 1 }
        if words > 10 { return nil }
        func starts(_ prefixes: String...) -> Bool {
            prefixes.contains { IntakeFold.startsWithPhrase(f, $0) }
        }
        func contains(_ parts: String...) -> Bool {
            parts.contains { IntakeFold.hasPhrase(f, $0) }
        }
        // Issue date and place of an ID card sit next to its number and must not be taken for it.
        if contains("ngay cap", "noi cap", "cap ngay", "issue date", "date of issue", "place of issue") { return nil }
        if starts("danh sach") { return nil }
        if contains("cccd", "dinh danh", "can cuoc", "ddcn", "id number", "personal id", "national id", "citizen id") {
            return .personalID
        }
        if contains("cmnd", "chung minh", "cmt", "chung minh thu", "chung minh nhan dan") { return .oldID }
        if starts("so tai khoan", "tai khoan", "so tk", "account number", "account no", "bank account") { return .accountNumber }
        if starts("ngan hang", "ten ngan hang", "bank", "bank name", "noi mo tai khoan") { return .bankName }
        if starts("ho va ten", "ho ten", "full name", "ho va ten doi tuong") {
            // A proxy's or account holder's name is not the beneficiary's.
            if contains("uy quyen", "nhan thay", "giam ho", "dai dien", "chu tai khoan") { return nil }
            return .fullName
        }
        if starts("ngay sinh", "ngay thang nam sinh", "ngay thang sinh", "date of birth", "sinh ngay", "birth date") {
            return .birthDate
        }
        if starts("nam sinh", "year of birth", "birth year") { return .birthYear }
        if starts("gioi tinh", "gender", "sex") { return .gender }
        if starts("ma xa", "ma phuong", "ma dvhc", "ma dv hc", "ma don vi hanh chinh", "commune code", "ward code") {
            return .communeCode
        }
        if starts("dia chi", "address") || contains("thuong tru", "cu tru", "cho o", "noi o") { return .address }
        if starts("nhom doi tuong", "loai doi tuong", "doi tuong chinh sach", "policy group") { return .policyGroup }
        if starts("dien", "che do") { return .subGroup }
        if starts("muc huong", "so tien", "muc tro cap", "thanh tien", "muc chi", "tien tro cap", "amount", "monthly amount") {
            return .monthlyAmount
        }
        if starts("ghi chu", "note", "notes", "remark", "remarks") { return .notes }
        if starts("stt", "so thu tu") { return .sequence }
        if starts("xa phuong", "phuong xa", "ten xa", "ten phuong", "commune name", "ward name") { return .communeName }
        return nil
    }

    /// Whole folded header texts, for the short and ambiguous ones that prefix rules cannot safely catch.
    static let exactHeaders: [String: ListField] = [
        "stt": .sequence, "tt": .sequence, "so tt": .sequence, "so thu tu": .sequence, "thu tu": .sequence,
        "no": .sequence, "s tt": .sequence,
        "ho va ten": .fullName, "ho ten": .fullName, "ten": .fullName, "ten doi tuong": .fullName,
        "ho va ten doi tuong": .fullName, "ho ten doi tuong": .fullName, "full name": .fullName,
        "fullname": .fullName, "name": .fullName, "beneficiary name": .fullName,
        "ho": .fullName, "ho dem": .fullName, "ho va dem": .fullName, "ho va ten dem": .fullName,
        "ho lot": .fullName, "first name": .fullName, "last name": .fullName,
        "ngay sinh": .birthDate, "ngay thang nam sinh": .birthDate, "ns": .birthDate, "dob": .birthDate,
        "date of birth": .birthDate, "birth date": .birthDate, "birthdate": .birthDate,
        "nam sinh": .birthYear, "year of birth": .birthYear, "birth year": .birthYear, "yob": .birthYear,
        "gioi tinh": .gender, "gioi": .gender, "nam nu": .gender, "gender": .gender, "sex": .gender,
        "phai": .gender,
        "id": .personalID, "so id": .personalID, "id no": .personalID,
        "dia chi": .address, "address": .address, "residence": .address, "home address": .address,
        "ma xa": .communeCode, "ma phuong": .communeCode, "ma xa phuong": .communeCode,
        "ma phuong xa": .communeCode, "ma dvhc": .communeCode,
        "xa phuong": .communeName, "xa": .communeName, "phuong": .communeName, "phuong xa": .communeName,
        "xa phuong thi tran": .communeName, "ten xa": .communeName, "ten phuong": .communeName,
        "ten xa phuong": .communeName, "commune": .communeName, "ward": .communeName,
        "commune ward": .communeName, "commune name": .communeName,
        "nhom doi tuong": .policyGroup, "doi tuong": .policyGroup, "nhom": .policyGroup,
        "loai doi tuong": .policyGroup, "group": .policyGroup, "policy group": .policyGroup,
        "beneficiary group": .policyGroup, "nhom chinh sach": .policyGroup, "category": .policyGroup,
        "dien": .subGroup, "che do": .subGroup, "dien huong": .subGroup, "dien doi tuong": .subGroup,
        "dien chinh sach": .subGroup, "sub group": .subGroup, "subgroup": .subGroup,
        "sub category": .subGroup, "subcategory": .subGroup, "loai tro cap": .subGroup,
        "muc huong": .monthlyAmount, "so tien": .monthlyAmount, "muc tro cap": .monthlyAmount,
        "thanh tien": .monthlyAmount, "amount": .monthlyAmount, "monthly amount": .monthlyAmount,
        "so tai khoan": .accountNumber, "stk": .accountNumber, "tai khoan": .accountNumber,
        "so tk": .accountNumber, "tk": .accountNumber, "account number": .accountNumber,
        "account no": .accountNumber, "account": .accountNumber, "bank account": .accountNumber,
        "ngan hang": .bankName, "ten ngan hang": .bankName, "bank": .bankName, "bank name": .bankName,
        "ghi chu": .notes, "notes": .notes, "note": .notes, "remarks": .notes,
    ]

    /// A header cell that names a gender ("Nam", "Nữ"): the sub-columns of the layout where a birth date
    /// is written in the male or the female column.
    static func genderWord(folded f: String) -> Gender? {
        switch f {
        case "nam", "male", "m": return .male
        case "nu", "female", "f": return .female
        default: return nil
        }
    }

    /// Reads a field name given by a person in an override: the code name ("fullName", "full_name"),
    /// or any header text that `recognise(header:)` knows ("Họ và tên").
    public init?(overrideName text: String) {
        let folded = IntakeFold.fold(text)
        let squeezed = String(folded.unicodeScalars.filter { $0 != " " })
        if let field = ListField.allCases.first(where: { $0.rawValue.lowercased() == squeezed }) {
            self = field
        } else if let field = ListField.recognise(folded: folded) {
            self = field
        } else {
            return nil
        }
    }
}
