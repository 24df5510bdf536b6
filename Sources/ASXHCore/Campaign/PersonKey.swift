/// How an imported list row is recognised as a person asxh already knows: the same personal ID, else the same
/// old ID, else the same folded name + birth year + commune, provided the birth dates agree as far as both records
/// give them (a list's "1938" meets "12/03/1938"; "12/03/1938" never meets "15/07/1938").
/// Names alone decide nothing (namesakes born the same year are common among the elderly), so without an ID the
/// commune must agree too; the police's matching (step 1) resolves the rest against the population register.
public enum PersonKey: Hashable, Sendable {
    case personalID(String)
    case oldID(String)
    /// The commune is the 2025 one when the record has it, so people imported under either scheme meet (an old
    /// commune that maps to exactly one new commune carries both codes).
    case nameBirthCommune(name: String, year: Int, commune: String)

    /// The key as one string, for a database column with an index: exact lookups instead of fetching every
    /// namesake (common names have hundreds of holders in a city; fetching them all makes imports quadratic).
    public var storageKey: String {
        switch self {
        case .personalID(let id): return "id:" + id
        case .oldID(let id): return "old:" + id
        case .nameBirthCommune(let name, let year, let commune):
            return "\(name)|\(year)|\(commune)"
        }
    }
}

extension PersonKey {
    /// Whether two birth dates of one year can be the same person's: a part either record leaves out agrees.
    public static func birthDatesAgree(month: Int?, day: Int?, otherMonth: Int?, otherDay: Int?) -> Bool {
        (month == nil || otherMonth == nil || month == otherMonth) && (day == nil || otherDay == nil || day == otherDay)
    }
}
