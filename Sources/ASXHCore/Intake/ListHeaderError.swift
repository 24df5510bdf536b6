/// Why the columns of a list could not be understood.
public enum ListHeaderError: Error, Sendable, Hashable {
    /// No row among the first `scanned` looks like a header.
    case noHeaderRow(scanned: Int)
    /// Required fields have no column. `unmapped` lists the columns that were not recognised, as candidates.
    case missingRequiredFields(missing: [ListField], unmapped: [ListColumn])
    /// An override names a header text that no column has.
    case unknownOverrideColumn(String)
    /// An override names a field that does not exist.
    case unknownOverrideField(String)
    /// An override is not of the form "column=field".
    case malformedOverride(String)

    /// A stable snake_case code.
    public var code: String {
        switch self {
        case .noHeaderRow: return "no_header_row"
        case .missingRequiredFields: return "missing_required_fields"
        case .unknownOverrideColumn: return "unknown_override_column"
        case .unknownOverrideField: return "unknown_override_field"
        case .malformedOverride: return "malformed_override"
        }
    }

    public var messageVI: String {
        switch self {
        case .noHeaderRow(let scanned):
            return "Không tìm thấy dòng tiêu đề cột (Họ và tên, Ngày sinh, Số CCCD…) trong \(scanned) dòng đầu. Chỉ định cột bằng --map \"B=fullName\"."
        case .missingRequiredFields(let missing, let unmapped):
            let names = missing.map { $0 == .birthDate ? "Ngày sinh hoặc Số định danh cá nhân" : $0.labelVI }
            var text = "Thiếu cột bắt buộc: \(names.joined(separator: "; "))."
            if !unmapped.isEmpty {
                text += " Các cột chưa nhận diện được: \(unmapped.map(\.label).joined(separator: ", "))."
            }
            return text + " Chỉ định cột bằng --map \"cột=trường\", ví dụ --map \"C=birthDate\"."
        case .unknownOverrideColumn(let column):
            return "Không có cột nào có tiêu đề \"\(column)\"."
        case .unknownOverrideField(let field):
            let known = ListField.allCases.map(\.rawValue).joined(separator: ", ")
            return "Không có trường \"\(field)\". Các trường: \(known), ignore."
        case .malformedOverride(let text):
            return "Chỉ định cột \"\(text)\" không đúng dạng \"cột=trường\" (ví dụ \"B=fullName\")."
        }
    }

    public var messageEN: String {
        switch self {
        case .noHeaderRow(let scanned):
            return "No header row (Full name, Date of birth, ID number…) in the first \(scanned) rows. Map columns with --map \"B=fullName\"."
        case .missingRequiredFields(let missing, let unmapped):
            let names = missing.map { $0 == .birthDate ? "Date of birth or Personal ID" : $0.labelEN }
            var text = "Required columns missing: \(names.joined(separator: "; "))."
            if !unmapped.isEmpty {
                text += " Columns not recognised: \(unmapped.map(\.label).joined(separator: ", "))."
            }
            return text + " Map columns with --map \"column=field\", e.g. --map \"C=birthDate\"."
        case .unknownOverrideColumn(let column):
            return "No column has the header \"\(column)\"."
        case .unknownOverrideField(let field):
            let known = ListField.allCases.map(\.rawValue).joined(separator: ", ")
            return "There is no field \"\(field)\". Fields: \(known), ignore."
        case .malformedOverride(let text):
            return "Column mapping \"\(text)\" is not of the form \"column=field\" (e.g. \"B=fullName\")."
        }
    }
}
