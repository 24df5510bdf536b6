import Vapor

/// Every value taken from a request is parsed here, with bounds, into a clear 400 naming the field: a Swift trap
/// (an overflow, a huge allocation) would take the server down for every user.
extension Request {
    /// The deepest page any list offers: past it the numbers would stop meaning anything (and `page × size` must
    /// never overflow).
    static let maxPage = 100_000

    /// An integer query value within `range`, `fallback` when the value is absent or empty.
    func queryInt(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = try self.queryText(name, maxLength: 20) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ASXHError.invalidInput(field: name, vi: "Giá trị \(name) phải là số nguyên từ \(range.lowerBound) đến \(range.upperBound).",
                                         en: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }

    /// A page number (1…`maxPage`).
    func queryPage() throws -> Int { try self.queryInt("page", in: 1...Self.maxPage, default: 1) }

    /// A text query value, trimmed, nil when absent or empty; longer than `maxLength` characters is a 400.
    func queryText(_ name: String, maxLength: Int) throws -> String? {
        guard let raw = self.query[String.self, at: name] else { return nil }
        return try Self.bounded(raw, field: name, maxLength: maxLength)
    }

    /// A text form or JSON value, with the same rules as `queryText`.
    static func bounded(_ raw: String, field: String, maxLength: Int) throws -> String? {
        guard raw.utf8.count <= maxLength * 4, raw.count <= maxLength else {
            throw ASXHError.invalidInput(field: field, vi: "\(field) dài quá \(maxLength) ký tự.", en: "\(field) is longer than \(maxLength) characters.")
        }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// One of an enumeration's values (`PolicyGroup`, `ReviewState`, …), nil when absent or empty; anything else is
    /// a 400 that names the field and what it should be (`what`: a Vietnamese and an English noun).
    static func choice<T: RawRepresentable>(_ raw: String?, field: String, what: (vi: String, en: String)) throws -> T? where T.RawValue == String {
        guard let raw, let text = try Self.bounded(raw, field: field, maxLength: 40) else { return nil }
        guard let value = T(rawValue: text) else {
            throw ASXHError.invalidInput(field: field, vi: "\(what.vi) không hợp lệ.", en: "Unknown \(what.en).")
        }
        return value
    }

    /// `choice` for a query value.
    func queryChoice<T: RawRepresentable>(_ name: String, what: (vi: String, en: String)) throws -> T? where T.RawValue == String {
        try Self.choice(self.query[String.self, at: name], field: name, what: what)
    }

    /// A UUID path parameter; anything else is "not found" (an ID from another area looks the same).
    func uuidParameter(_ name: String) throws -> UUID {
        guard let id = self.parameters.get(name, as: UUID.self) else { throw ASXHError.notFound }
        return id
    }
}
