import ASXHCore
import Fluent
import Vapor

/// Survey versions: the administrator publishes a new one (as JSON, checked against the class rules' needs);
/// visits keep the version they were given under, so a phone still holding the old version is not refused.
struct QuestionnaireController: RouteCollection {
    /// A survey as JSON: the standard one is about 10 kB.
    static let maxBody: ByteCount = "256kb"

    func boot(routes: any RoutesBuilder) throws {
        let publishers = routes.allowing(\.canPublishQuestionnaires)
        publishers.get("questionnaires", use: self.list)
        publishers.post("questionnaires", maxBody: Self.maxBody, use: self.publish)
        // Any signed-in user: a phone or a script reads the version it answers under.
        routes.signedIn().get("api", "v1", "questionnaires", ":version", use: self.show)
    }

    func list(request: Request) async throws -> Response {
        let versions = try await StoredQuestionnaire.query(on: request.db).with(\.$publishedBy).sort(\.$version, .descending).limit(200).all()
        return Layout.response(QuestionnairesView(context: PageContext(request), versions: versions).html)
    }

    func show(request: Request) async throws -> Response {
        guard let text = request.parameters.get("version"), text.count <= 6, let version = Int(text), version > 0,
              let stored = try await StoredQuestionnaire.query(on: request.db).filter(\.$version == version).first() else { throw ASXHError.notFound }
        let response = Response(status: .ok, body: .init(string: stored.body))
        response.headers.contentType = .json
        return response
    }

    struct Publication: Content {
        var definition: String
    }

    /// Publishes the JSON as the next version (whatever version it names); refused with the reasons when a question
    /// the class rules read is missing or a condition points forward.
    func publish(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let text = try request.content.decode(Publication.self).definition
        let questionnaire: Questionnaire
        do {
            questionnaire = try JSONDecoder().decode(Questionnaire.self, from: Data(text.utf8))
        } catch {
            throw ASXHError.invalidInput(field: "definition", vi: "Bộ câu hỏi không phải JSON đúng dạng: \(Self.describe(error))",
                                         en: "The survey is not valid JSON of the expected shape: \(Self.describe(error))")
        }
        let problems = questionnaire.problems()
        guard problems.isEmpty else {
            throw ASXHError.invalidInput(field: "definition", vi: "Bộ câu hỏi chưa dùng được: " + problems.joined(separator: "; "),
                                         en: "The survey cannot be published: " + problems.joined(separator: "; "))
        }
        let version = try await request.db.writeTransaction { db in
            var questionnaire = questionnaire
            questionnaire.version = (try await StoredQuestionnaire.query(on: db).max(\.$version) ?? 0) + 1
            let stored = StoredQuestionnaire()
            stored.version = questionnaire.version
            stored.body = StoredQuestionnaire.encode(questionnaire)
            stored.publishedAt = request.application.now()
            stored.$publishedBy.id = user.id
            try await stored.create(on: db)
            try await Audit.record(on: db, actor: user, action: "questionnaire.publish", entityType: "questionnaire", entityID: stored.id?.uuidString,
                                   after: ["version": String(stored.version), "questions": String(questionnaire.questions.count)])
            return stored.version
        }
        if request.wantsJSON { return try await ["version": version].encodeResponse(status: .created, for: request) }
        return request.redirect(to: "/questionnaires?published=\(version)")
    }

    /// Where decoding stopped, without echoing the whole input.
    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context): return "thiếu/missing “\(key.stringValue)” at \(Self.path(context))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context): return "\(Self.path(context)): \(context.debugDescription.prefix(120))"
        case DecodingError.dataCorrupted(let context): return "\(Self.path(context)) \(context.debugDescription.prefix(120))"
        default: return "JSON"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
