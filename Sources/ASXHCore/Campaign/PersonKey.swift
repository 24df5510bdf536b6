/// How an imported list row is recognised as a person asxh already knows: the same personal ID, else the same
/// old ID, else the same folded name + birth date (as precise as both records give it) + commune.
/// Names alone decide nothing (namesakes born the same year are common among the elderly), so without an ID the
/// commune must agree too; the police's matching (step 1) resolves the rest against the population register.
public enum PersonKey: Hashable, Sendable {
    case personalID(String)
    case oldID(String)
    case nameBirthCommune(name: String, year: Int, month: Int?, day: Int?, commune: String)

    /// The key as one string, for a database column with an index: exact lookups instead of fetching every
    /// namesake (common names have hundreds of holders in a city; fetching them all makes imports quadratic).
    public var storageKey: String {
        switch self {
        case .personalID(let id): return "id:" + id
        case .oldID(let id): return "old:" + id
        case .nameBirthCommune(let name, let year, let month, let day, let commune):
            return "\(name)|\(year)|\(month.map(String.init) ?? "")|\(day.map(String.init) ?? "")|\(commune)"
        }
    }
}
