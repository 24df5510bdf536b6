/// How an imported list row is recognised as a person asxh already knows: the same personal ID, else the same
/// old ID, else the same folded name + birth date (as precise as both records give it) + commune.
/// Names alone decide nothing (namesakes born the same year are common among the elderly), so without an ID the
/// commune must agree too; the police's matching (step 1) resolves the rest against the population register.
public enum PersonKey: Hashable, Sendable {
    case personalID(String)
    case oldID(String)
    case nameBirthCommune(name: String, year: Int, month: Int?, day: Int?, commune: String)

    /// The keys of a record, strongest first. A record with none of them cannot be recognised and is always new.
    public static func keys(personalID: String?, oldID: String?, foldedName: String, birthYear: Int?, birthMonth: Int?, birthDay: Int?, commune: String?) -> [PersonKey] {
        var keys: [PersonKey] = []
        if let personalID, !personalID.isEmpty { keys.append(.personalID(personalID)) }
        if let oldID, !oldID.isEmpty { keys.append(.oldID(oldID)) }
        if let birthYear, let commune, !commune.isEmpty, !foldedName.isEmpty {
            keys.append(.nameBirthCommune(name: foldedName, year: birthYear, month: birthMonth, day: birthDay, commune: commune))
        }
        return keys
    }
}
