/// Problems reading the bundled administrative-unit files.
public enum AdministrativeUnitsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A resource file is missing or unreadable.
    case missingResource(String)
    /// A line of a resource file does not have the expected fields.
    case malformedLine(String, Int)

    /// Stable code for logs and API responses.
    public var code: String {
        switch self {
        case .missingResource: "places.missing_resource"
        case .malformedLine: "places.malformed_line"
        }
    }

    /// Message for Vietnamese-speaking users.
    public var vietnameseMessage: String {
        switch self {
        case .missingResource(let file): "Thiếu tệp dữ liệu đơn vị hành chính: \(file)."
        case .malformedLine(let file, let line): "Tệp dữ liệu đơn vị hành chính \(file) sai định dạng ở dòng \(line)."
        }
    }

    /// Message for English-speaking users and logs.
    public var englishMessage: String {
        switch self {
        case .missingResource(let file): "Administrative-unit data file missing: \(file)."
        case .malformedLine(let file, let line): "Administrative-unit data file \(file) is malformed at line \(line)."
        }
    }

    public var description: String { "\(self.code): \(self.englishMessage) / \(self.vietnameseMessage)" }
}
