import Fluent
import Foundation
import SQLKit
import Testing
@testable import ASXHServer

/// Photographs the audited tables, so a test can run a write path and then prove that every row it created or
/// changed has its audit event: "no change lacks its event", checked on the data, not on the code's word.
struct AuditedTables {
    /// table → row id → the row's values (timestamps of bookkeeping left out).
    var rows: [String: [String: String]] = [:]

    static let tables = ["people", "enrolments", "campaign_cases", "users", "source_lists", "bank_accounts", "payment_programs", "payment_cycles", "payment_batches",
                          "cash_handovers", "account_sync_batches"]
    static let ignoredColumns: Set<String> = ["updated_at", "created_at", "imported_at"]

    static func take(_ database: any Database) async throws -> AuditedTables {
        let sql = database as! any SQLDatabase
        var snapshot = AuditedTables()
        for table in Self.tables {
            var rows: [String: String] = [:]
            for row in try await sql.raw("SELECT * FROM \(ident: table)").all() {
                var values: [String] = []
                var id = ""
                // A case's copy of its person's place is kept by the database; the person's change is what is audited.
                for column in row.allColumns.sorted() where !Self.ignoredColumns.contains(column) && !(table == "campaign_cases" && PersonPlace.columns.contains(column)) {
                    let value = Self.text(row, column)
                    if column == "id" { id = value }
                    values.append("\(column)=\(value)")
                }
                rows[id.uppercased()] = values.joined(separator: "|")
            }
            snapshot.rows[table] = rows
        }
        return snapshot
    }

    private static func text(_ row: any SQLRow, _ column: String) -> String {
        if (try? row.decodeNil(column: column)) == true { return "NULL" }
        if let value = try? row.decode(column: column, as: UUID.self) { return value.uuidString }
        if let value = try? row.decode(column: column, as: String.self) { return value }
        if let value = try? row.decode(column: column, as: Int.self) { return String(value) }
        if let value = try? row.decode(column: column, as: Bool.self) { return String(value) }
        if let value = try? row.decode(column: column, as: Double.self) { return String(value) }
        if let value = try? row.decode(column: column, as: Date.self) { return value.description }
        return "?"
    }

    /// Row ids (upper-case) created and changed in `table` since `earlier`.
    func changes(in table: String, since earlier: AuditedTables) -> (created: Set<String>, changed: Set<String>) {
        let before = earlier.rows[table] ?? [:], after = self.rows[table] ?? [:]
        let created = Set(after.keys).subtracting(before.keys)
        let changed = Set(after.keys.filter { before[$0] != nil && before[$0] != after[$0] })
        return (created, changed)
    }

    /// Records an issue for every created or changed row that has no audit event to answer for it.
    /// Created people, enrolments and cases answer to their list's `list.import`; a created user to `user.create`;
    /// a changed row to an event naming it (a changed enrolment: the merge of the person it moved from).
    static func expectEveryChangeAudited(since earlier: AuditedTables, on database: any Database, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let now = try await AuditedTables.take(database)
        let events = try await AuditEvent.query(on: database).all()
        let eventsByEntity = Dictionary(grouping: events, by: { ($0.entityID ?? "").uppercased() })
        let importedLists = Set(events.filter { $0.action == "list.import" }.compactMap { $0.entityID?.uppercased() })
        let enrolments = try await Enrolment.query(on: database).all()
        let listsOfPerson = Dictionary(grouping: enrolments, by: { $0.$person.id.uuidString.uppercased() }).mapValues { Set($0.map { $0.$sourceList.id.uuidString.uppercased() }) }
        let cases = try await CampaignCase.query(on: database).all()
        let personOfCase = Dictionary(uniqueKeysWithValues: cases.map { (try! $0.requireID().uuidString.uppercased(), $0.$person.id.uuidString.uppercased()) })
        func named(_ id: String, _ prefix: String) -> Bool { (eventsByEntity[id] ?? []).contains { $0.action.hasPrefix(prefix) } }
        // A merged-away person's enrolments moved to the survivor; the merge event answers for where they went.
        func imported(person: String) -> Bool { !(listsOfPerson[person] ?? []).isDisjoint(with: importedLists) || named(person, "person.merge") }

        var checked = 0
        for table in Self.tables {
            let (created, changed) = now.changes(in: table, since: earlier)
            for id in created {
                let answered: Bool
                switch table {
                case "people": answered = imported(person: id)
                case "enrolments": answered = enrolments.first { $0.id?.uuidString.uppercased() == id }.map { importedLists.contains($0.$sourceList.id.uuidString.uppercased()) } ?? false
                // A case is created by its person's import, or carried into the next campaign (an event naming it).
                case "campaign_cases": answered = (personOfCase[id].map(imported(person:)) ?? false) || named(id, "case.carry_over")
                case "users": answered = named(id, "user.create")
                case "bank_accounts": answered = named(id, "account.record")
                case "payment_programs", "payment_cycles", "payment_batches", "account_sync_batches": answered = named(id, "")
                // A hand-over is audited on its payment (the event names the payment).
                case "cash_handovers":
                    let row = now.rows["cash_handovers"]?[id] ?? ""
                    let payment = row.split(separator: "|").first { $0.hasPrefix("payment_id=") }.map { String($0.dropFirst("payment_id=".count)).uppercased() } ?? ""
                    answered = named(payment, "payment.cash_handover")
                default: answered = importedLists.contains(id)
                }
                #expect(answered, "\(table) \(id) was created without an audit event", sourceLocation: sourceLocation)
                checked += 1
            }
            for id in changed {
                let answered: Bool
                switch table {
                case "people": answered = named(id, "person.")
                case "campaign_cases": answered = named(id, "case.")
                case "enrolments":
                    let before = earlier.rows["enrolments"]?[id] ?? ""
                    let oldPerson = before.split(separator: "|").first { $0.hasPrefix("person_id=") }.map { String($0.dropFirst("person_id=".count)).uppercased() } ?? ""
                    answered = named(oldPerson, "person.merge")
                case "source_lists": answered = importedLists.contains(id)  // its counts are set inside the import
                default: answered = named(id, "")
                }
                #expect(answered, "\(table) \(id) changed without an audit event", sourceLocation: sourceLocation)
                checked += 1
            }
        }
        #expect(checked > 0, "the write path changed nothing", sourceLocation: sourceLocation)
    }
}
