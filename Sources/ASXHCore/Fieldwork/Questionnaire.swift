import Foundation

/// A versioned set of survey questions, stored as data (JSON) so an administrator can publish a new version
/// without a release. Answers keep the version they were given under. The classification rules read answers by
/// question id (`Questionnaire.ID`), so every version must keep those questions; `problems()` says which are missing.
public struct Questionnaire: Codable, Sendable, Equatable {
    public var version: Int
    public var titleVi: String
    public var titleEn: String
    public var questions: [Question]

    public init(version: Int, titleVi: String, titleEn: String, questions: [Question]) {
        self.version = version
        self.titleVi = titleVi
        self.titleEn = titleEn
        self.questions = questions
    }

    public struct Question: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable, CaseIterable {
            case choice, yesNo, text, phone, accountNumber, date
        }

        public var id: String
        public var kind: Kind
        public var vi: String
        public var en: String
        public var options: [Option]
        public var required: Bool
        /// Asked only when every condition holds (all of them: "declined" and "able to transact").
        public var askedWhen: [Condition]

        public init(id: String, kind: Kind, vi: String, en: String, options: [Option] = [], required: Bool = true, askedWhen: [Condition] = []) {
            self.id = id
            self.kind = kind
            self.vi = vi
            self.en = en
            self.options = kind == .yesNo && options.isEmpty ? Option.yesNo : options
            self.required = required
            self.askedWhen = askedWhen
        }
    }

    public struct Option: Codable, Sendable, Equatable {
        public var value: String
        public var vi: String
        public var en: String

        public init(_ value: String, _ vi: String, _ en: String) {
            self.value = value
            self.vi = vi
            self.en = en
        }

        public static let yesNo = [Option("yes", "Có", "Yes"), Option("no", "Không", "No")]
    }

    public struct Condition: Codable, Sendable, Equatable {
        public var question: String
        public var isOneOf: [String]

        public init(_ question: String, isOneOf values: [String]) {
            self.question = question
            self.isOneOf = values
        }
    }

    public func question(_ id: String) -> Question? { self.questions.first { $0.id == id } }

    /// Whether `question` is asked given the answers so far (its conditions' questions must themselves be asked).
    public func isAsked(_ question: Question, _ answers: SurveyAnswers) -> Bool {
        question.askedWhen.allSatisfy { condition in
            guard let asked = self.question(condition.question), self.isAsked(asked, answers),
                  let value = answers[condition.question] else { return false }
            return condition.isOneOf.contains(value)
        }
    }

    /// The longest free-text answer kept (a visit is not an essay; a bounded row is a bounded database write).
    public static let maxTextLength = 500
}

/// The answers of one visit, by question id. Values are the option value for choices, "yes"/"no", or text.
public struct SurveyAnswers: Codable, Sendable, Equatable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    public subscript(_ question: String) -> String? {
        get { self.values[question].flatMap { $0.isEmpty ? nil : $0 } }
        set { self.values[question] = newValue }
    }

    public func yes(_ question: String) -> Bool { self[question] == "yes" }
}

/// Every wrong or missing answer of one submission.
public struct AnswerProblems: Error, Sendable, Equatable {
    public var problems: [AnswerProblem]
}

/// A wrong or missing answer, naming the question, in Vietnamese and English.
public struct AnswerProblem: Sendable, Equatable {
    public var question: String
    public var vi: String
    public var en: String

    public init(question: String, vi: String, en: String) {
        self.question = question
        self.vi = vi
        self.en = en
    }
}

extension Questionnaire {
    /// The answers as they will be stored: trimmed, NFC, only questions actually asked; or every problem found,
    /// each naming its question (required and unanswered, not an offered option, a malformed phone or account).
    public func validate(_ answers: SurveyAnswers) -> Result<SurveyAnswers, AnswerProblems> {
        var problems: [AnswerProblem] = []
        for id in answers.values.keys.sorted() where self.question(id) == nil {
            problems.append(AnswerProblem(question: id, vi: "Câu hỏi “\(id)” không có trong bộ câu hỏi phiên bản \(self.version).",
                                          en: "Question “\(id)” is not in questionnaire version \(self.version)."))
        }
        var kept = SurveyAnswers()
        for question in self.questions {
            guard self.isAsked(question, kept) else { continue }
            let value = answers[question.id].map { VietnameseText.nfc($0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            let label = "“\(question.vi)” / “\(question.en)”"
            if value.isEmpty {
                if question.required {
                    problems.append(AnswerProblem(question: question.id, vi: "Chưa trả lời câu \(label).", en: "No answer to \(label)."))
                }
                continue
            }
            if let problem = Self.check(value, for: question, label: label) {
                problems.append(problem)
                continue
            }
            kept[question.id] = value
        }
        return problems.isEmpty ? .success(kept) : .failure(AnswerProblems(problems: problems))
    }

    private static func check(_ value: String, for question: Question, label: String) -> AnswerProblem? {
        func problem(_ vi: String, _ en: String) -> AnswerProblem {
            AnswerProblem(question: question.id, vi: "Câu \(label): \(vi)", en: "\(label): \(en)")
        }
        switch question.kind {
        case .choice, .yesNo:
            guard question.options.contains(where: { $0.value == value }) else {
                return problem("“\(value.prefix(40))” không phải một lựa chọn.", "“\(value.prefix(40))” is not one of the options.")
            }
        case .text:
            guard value.count <= Self.maxTextLength else {
                return problem("dài quá \(Self.maxTextLength) ký tự.", "longer than \(Self.maxTextLength) characters.")
            }
        case .phone:
            guard Self.phoneNumber(value) != nil else {
                return problem("số điện thoại phải có 10 chữ số, bắt đầu bằng 0 (hoặc +84).", "a phone number has 10 digits starting with 0 (or +84).")
            }
        case .accountNumber:
            let digits = value.filter { !$0.isWhitespace }
            guard (6...19).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return problem("số tài khoản gồm 6–19 chữ số.", "an account number has 6–19 digits.")
            }
        case .date:
            guard CalendarDay(parsing: value) != nil else {
                return problem("ngày phải có dạng dd/mm/yyyy.", "a date reads dd/mm/yyyy.")
            }
        }
        return nil
    }

    /// "0912 345 678", "+84912345678" → "0912345678"; nil if it is not a Vietnamese mobile or landline number.
    public static func phoneNumber(_ text: String) -> String? {
        var digits = text.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") { digits = "0" + digits.dropFirst(3) } else if digits.hasPrefix("84") && digits.count == 11 { digits = "0" + digits.dropFirst(2) }
        guard digits.count == 10, digits.first == "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }
}
