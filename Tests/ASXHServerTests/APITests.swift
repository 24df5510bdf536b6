import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ASXHServer
import ASXHCore

/// Checks real responses against the OpenAPI document the server publishes: the status must be documented for
/// the operation, and the body must fit its schema (types, required fields, enums, formats, bounds, $refs).
final class OpenAPIConformance {
    let document: [String: Any]
    private(set) var checked: Set<String> = []

    init(_ data: Data) throws {
        self.document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    var paths: [String: [String: Any]] { (self.document["paths"] as? [String: [String: Any]]) ?? [:] }

    /// "GET /api/v1/people/{personID}" for every operation the document lists.
    var operations: Set<String> {
        Set(self.paths.flatMap { path, item in item.keys.filter { ["get", "post", "patch", "put", "delete"].contains($0) }.map { "\($0.uppercased()) \(path)" } })
    }

    func check(_ response: TestingHTTPResponse, _ method: String, _ template: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let status = String(response.status.code)
        guard let operation = self.paths[template]?[method.lowercased()] as? [String: Any],
              let responses = operation["responses"] as? [String: Any] else {
            Issue.record("\(method) \(template) is not in the document", sourceLocation: sourceLocation)
            return
        }
        guard let documented = responses[status] as? [String: Any] else {
            Issue.record("\(method) \(template) answered \(status), which the document does not list: \(response.body.string.prefix(300))", sourceLocation: sourceLocation)
            return
        }
        self.checked.insert("\(method) \(template) \(status)")
        guard let schema = ((documented["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] else { return }
        guard let body = try? JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed]) else {
            Issue.record("\(method) \(template) \(status): body is not JSON", sourceLocation: sourceLocation)
            return
        }
        for problem in self.validate(body, against: schema, at: "$") {
            Issue.record("\(method) \(template) \(status): \(problem)", sourceLocation: sourceLocation)
        }
    }

    func validate(_ value: Any, against schema: Any, at path: String) -> [String] {
        guard var schema = schema as? [String: Any] else { return ["\(path): bad schema"] }
        if let ref = schema["$ref"] as? String {
            let name = String(ref.split(separator: "/").last!)
            schema = ((self.document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any] ?? [:]
        }
        var problems: [String] = []
        let types: [String] = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        let actual: String
        switch value {
        case is NSNull: actual = "null"
        case let number as NSNumber where "\(type(of: number))".contains("Boolean"): actual = "boolean"
        case let number as NSNumber: actual = number.doubleValue == number.doubleValue.rounded() && !"\(number)".contains(".") ? "integer" : "number"
        case is String: actual = "string"
        case is [Any]: actual = "array"
        case is [String: Any]: actual = "object"
        default: actual = "unknown"
        }
        if !types.isEmpty && !types.contains(actual) && !(actual == "integer" && types.contains("number")) {
            return ["\(path): \(actual), expected \(types)"]
        }
        if let allowed = schema["enum"] as? [Any] {
            let text = actual == "null" ? "null" : "\(value)"
            if !allowed.contains(where: { ($0 is NSNull ? "null" : "\($0)") == text }) { problems.append("\(path): \(text) not in \(allowed)") }
        }
        if let text = value as? String {
            switch schema["format"] as? String {
            case "uuid": if UUID(uuidString: text) == nil { problems.append("\(path): \(text) is not a uuid") }
            case "date-time": if ISO8601DateFormatter().date(from: text) == nil { problems.append("\(path): \(text) is not a date-time") }
            case "date": if CalendarDay(parsing: text) == nil || text.count != 10 { problems.append("\(path): \(text) is not a date") }
            default: break
            }
        }
        if let number = value as? NSNumber, actual != "boolean" {
            if let minimum = schema["minimum"] as? Double, number.doubleValue < minimum { problems.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"] as? Double, number.doubleValue > maximum { problems.append("\(path): above \(maximum)") }
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil { problems.append("\(path).\(key): required") }
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            for (key, item) in object {
                if let property = properties[key] {
                    problems += self.validate(item, against: property, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] {
                    problems += self.validate(item, against: additional, at: "\(path).\(key)")
                } else if !properties.isEmpty {
                    problems.append("\(path).\(key): not in the document")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, item) in array.enumerated() { problems += self.validate(item, against: items, at: "\(path)[\(index)]") }
        }
        return problems
    }
}

@Suite("API v1: the OpenAPI document holds for every route, device tokens, area scoping")
struct APITests {
    @Test("every /api/v1 route is in the document and every documented answer fits it")
    func conformance() async throws {
        try await withTestApp { app in
            let fixture = try await FieldworkServerTests.fixture(app)
            try await FieldworkServerTests.assign(app, fixture)
            let member = fixture.members[0]
            let documentResponse = try await member.request(.GET, "/api/v1/openapi.json")
            let spec = try OpenAPIConformance(Data(buffer: documentResponse.body))
            #expect(spec.document["openapi"] as? String == "3.1.0")
            spec.check(documentResponse, "GET", "/api/v1/openapi.json")
            let routes = Set(app.routes.all.filter { $0.path.first?.description == "api" }.map { route in
                "\(route.method.rawValue) /" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
            })
            #expect(routes == spec.operations, "routes \(routes.symmetricDifference(spec.operations)) differ from the document")

            // People
            let people = try await member.request(.GET, "/api/v1/people?page=1")
            spec.check(people, "GET", "/api/v1/people")
            spec.check(try await member.request(.GET, "/api/v1/people?id=001040000001"), "GET", "/api/v1/people")  // 403: a member searches no full ID
            spec.check(try await member.request(.GET, "/api/v1/people?page=-4"), "GET", "/api/v1/people")
            let personID = fixture.cases[0].$person.id.uuidString
            spec.check(try await member.request(.GET, "/api/v1/people/\(personID)"), "GET", "/api/v1/people/{personID}")
            spec.check(try await member.request(.GET, "/api/v1/people/\(UUID().uuidString)"), "GET", "/api/v1/people/{personID}")
            spec.check(try await fixture.police.request(.PATCH, "/api/v1/people/\(personID)", json: PersonChange(fullName: nil, address: "Số 1 ngõ 12 phố Hàng Bạc")),
                       "PATCH", "/api/v1/people/{personID}")
            spec.check(try await member.request(.PATCH, "/api/v1/people/\(personID)", json: PersonChange(fullName: "X", address: nil)), "PATCH", "/api/v1/people/{personID}")
            // Work list, visits (every answer the phone can get), cases, progress
            spec.check(try await member.request(.GET, "/api/v1/worklist"), "GET", "/api/v1/worklist")
            let submission = FieldworkServerTests.submission(fixture.cases[0].id!, FieldworkServerTests.a1)
            spec.check(try await member.request(.POST, "/api/v1/visits", json: submission), "POST", "/api/v1/visits")
            spec.check(try await member.request(.POST, "/api/v1/visits", json: submission), "POST", "/api/v1/visits")
            spec.check(try await member.request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[1].id!, FieldworkServerTests.declines)), "POST", "/api/v1/visits")
            spec.check(try await member.request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(UUID(), FieldworkServerTests.a1)), "POST", "/api/v1/visits")
            spec.check(try await member.request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[1].id!, key: "bad", FieldworkServerTests.a1)), "POST", "/api/v1/visits")
            spec.check(try await member.request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[1].id!, key: submission.clientKey, FieldworkServerTests.a1)), "POST", "/api/v1/visits")
            spec.check(try await member.request(.POST, "/api/v1/visits", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: "{\"clientKey\": ")), "POST", "/api/v1/visits")
            for query in ["", "?class=A1", "?state=assigned&member=me", "?commune=00004&page=1", "?class=Z"] {
                spec.check(try await fixture.police.request(.GET, "/api/v1/cases\(query)"), "GET", "/api/v1/cases")
            }
            let cases = try await fixture.police.request(.GET, "/api/v1/cases?class=A1").content.decode(CaseController.CaseListDTO.self)
            #expect(cases.total == 1 && cases.cases[0].caseClass == .a1)
            spec.check(try await fixture.police.request(.GET, "/api/v1/progress"), "GET", "/api/v1/progress")
            spec.check(try await fixture.police.request(.GET, "/api/v1/progress?area=nonsense"), "GET", "/api/v1/progress")
            // Refusals before any handler: anonymous, wrong role.
            let anonymous = Browser(app: app)
            for (method, path, template) in [("GET", "/api/v1/cases", "/api/v1/cases"), ("GET", "/api/v1/worklist", "/api/v1/worklist"), ("GET", "/api/v1/openapi.json", "/api/v1/openapi.json")] {
                spec.check(try await anonymous.request(HTTPMethod(rawValue: method), path, withCSRF: false), method, template)
            }
            _ = try await app.db.makeUser("quan.tri", role: .administrator, area: .hanoi)
            let admin = try await Browser.login(app, "quan.tri")
            spec.check(try await admin.request(.GET, "/api/v1/cases"), "GET", "/api/v1/cases")
            spec.check(try await admin.request(.GET, "/api/v1/worklist"), "GET", "/api/v1/worklist")
            #expect(spec.checked.count >= 20)
            print("OpenAPI conformance: \(spec.checked.count) operation/status pairs checked: \(spec.checked.sorted())")
        }
    }

    @Test("a device token is issued once, works on /api/v1 only and without CSRF, and stops working when revoked; both audited")
    func deviceTokens() async throws {
        try await withTestApp { app in
            let fixture = try await FieldworkServerTests.fixture(app)
            try await FieldworkServerTests.assign(app, fixture)
            let issued = try await fixture.members[0].request(.POST, "/tokens", json: DeviceTokenController.NewToken(name: "Điện thoại Samsung"),
                                                                headers: ["Accept": "application/json"])
            #expect(issued.status == .created)
            let body = try issued.content.decode([String: String].self)
            let token = try #require(body["token"])
            #expect(token.hasPrefix("asxh_") && token.count == 48)
            #expect(try await DeviceToken.query(on: app.db).first()?.tokenHash == Sessions.hash(token))
            let phone = Browser(app: app)
            let bearer: HTTPHeaders = ["Authorization": "Bearer \(token)", "Accept": "application/json"]
            #expect(try await phone.request(.GET, "/api/v1/worklist", withCSRF: false, headers: bearer).status == .ok)
            let visit = try await phone.request(.POST, "/api/v1/visits", json: FieldworkServerTests.submission(fixture.cases[0].id!, FieldworkServerTests.a1), withCSRF: false, headers: bearer)
            #expect(visit.status == .created)
            // Pages are not for tokens; a token cannot issue tokens; a wrong token is refused, not anonymous.
            #expect(try await phone.request(.GET, "/people", withCSRF: false, headers: bearer).status == .unauthorized)
            #expect(try await phone.request(.GET, "/api/v1/worklist", withCSRF: false, headers: ["Authorization": "Bearer asxh_wrong"]).status == .unauthorized)
            // Another user cannot revoke it; its owner can.
            let id = try #require(try await DeviceToken.query(on: app.db).first()?.id)
            #expect(try await fixture.members[1].request(.POST, "/tokens/\(id.uuidString)/revoke").status == .notFound)
            #expect(try await fixture.members[0].request(.POST, "/tokens/\(id.uuidString)/revoke").status == .seeOther)
            #expect(try await phone.request(.GET, "/api/v1/worklist", withCSRF: false, headers: bearer).status == .unauthorized)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["token.issue", "token.revoke"]).count() == 2)
            let page = try await fixture.members[0].request(.GET, "/tokens")
            #expect(page.body.string.contains("Điện thoại Samsung") && !page.body.string.contains(token))
        }
    }
}
