import Fluent
import Vapor

/// `asxh user add --username U --password P --role R --area before2025:commune:00004 [--name "…"]`
struct UserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "add | list")
        var action: String
        @Option(name: "username", help: "Log-in name")
        var username: String?
        @Option(name: "password", help: "Password (at least 10 characters, not easy to guess); read from ASXH_PASSWORD if omitted")
        var password: String?
        @Option(name: "role", help: "cityOfficer | districtOfficer | communePolice | communeLabourOfficer | workingGroupMember | communeChair | auditor | administrator")
        var role: String?
        @Option(name: "area", help: "scheme:level:code, e.g. before2025:province:01, before2025:district:001, since2025:commune:00004")
        var area: String?
        @Option(name: "name", help: "Display name")
        var name: String?
    }

    var help: String { "Create or list users (tạo hoặc liệt kê người dùng)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        switch signature.action {
        case "add":
            guard let username = signature.username, !username.isEmpty else { throw CommandFailure("--username là bắt buộc / --username is required") }
            guard let password = signature.password ?? Environment.get("ASXH_PASSWORD") else {
                throw CommandFailure("Cần mật khẩu (--password hoặc ASXH_PASSWORD) / A password is required (--password or ASXH_PASSWORD)")
            }
            if let problem = PasswordRule.problem(password, username: username) { throw CommandFailure(problem.reason) }
            guard let role = signature.role.flatMap(Role.init(rawValue:)) else {
                throw CommandFailure("--role phải là một trong / must be one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let area = signature.area.flatMap(Area.init) else {
                throw CommandFailure("--area không hợp lệ / is invalid: expected scheme:level:code, e.g. before2025:commune:00004")
            }
            let user = try await UserAccounts.create(username: username, password: password, role: role, area: area, displayName: signature.name ?? username, by: nil, on: app.db)
            context.console.print("Đã tạo / created: \(user.username) (\(role.rawValue), \(area.description))")
        case "list":
            for user in try await User.query(on: app.db).sort(\.$username).all() {
                context.console.print("\(user.username)\t\(user.role.rawValue)\t\(user.area.description)\t\(user.displayName)")
            }
        default:
            throw CommandFailure("Hành động không rõ / unknown action: \(signature.action) (add | list)")
        }
    }
}

/// A command-line failure with a message for the person at the terminal.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Creating accounts, shared by the command, the demo and tests.
enum UserAccounts {
    static func create(username: String, password: String, role: Role, area: Area, displayName: String, by actor: User?, on database: any Database) async throws -> User {
        if let problem = PasswordRule.problem(password, username: username) { throw problem }
        let hash = try Bcrypt.hash(password)
        return try await database.writeTransaction { db in
            if try await User.query(on: db).filter(\.$username == username).first() != nil {
                throw ASXHError.invalidInput(field: "username", vi: "Tên đăng nhập \(username) đã tồn tại.", en: "Username \(username) already exists.")
            }
            let user = User(username: username, displayName: displayName, passwordHash: hash, role: role, area: area)
            try await user.create(on: db)
            try await Audit.record(on: db, actor: actor, action: "user.create", entityType: "user", entityID: user.id?.uuidString,
                                   after: ["username": username, "role": role.rawValue, "area": area.description])
            return user
        }
    }
}
