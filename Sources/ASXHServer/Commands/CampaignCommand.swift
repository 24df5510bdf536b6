import Fluent
import Vapor
import ASXHCore

/// `asxh campaign [--province CODE --scheme before2025|since2025]`: shows the current campaign, or sets the
/// province it runs in and the scheme its commune codes follow (placement and defaults follow them).
struct CampaignCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "province", help: "Province code in the campaign's scheme, e.g. 01 (Hà Nội)")
        var province: String?
        @Option(name: "scheme", help: "before2025 | since2025")
        var scheme: String?
    }

    var help: String { "Show or set the current campaign's province and scheme (tỉnh và danh mục hành chính của đợt)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let campaign = try await Campaign.current(on: app.db) else { throw CommandFailure("Không có đợt hiện hành / no current campaign") }
        if signature.province != nil || signature.scheme != nil {
            guard let code = signature.province, let scheme = signature.scheme.flatMap(AdministrativeScheme.init(rawValue:)),
                  AdministrativeUnits.shared.unit(code, scheme: scheme, level: .province) != nil
            else {
                throw CommandFailure("Cần --province (mã tỉnh có trong danh mục) và --scheme before2025|since2025 / both --province (a known code) and --scheme are required")
            }
            let before = ["province_code": campaign.provinceCode ?? "", "scheme": campaign.scheme?.rawValue ?? ""]
            try await app.db.writeTransaction { db in
                campaign.provinceCode = code
                campaign.scheme = scheme
                try await campaign.save(on: db)
                let actor = User.commandLine(area: Area(scheme: scheme, level: .province, code: code))
                try await Audit.record(on: db, actor: actor, action: "campaign.set_place", entityType: "campaign", entityID: campaign.id?.uuidString,
                                       before: before, after: ["province_code": code, "scheme": scheme.rawValue])
            }
        }
        context.console.print("\(campaign.name): \(campaign.province?.description ?? "chưa đặt tỉnh / no province set")")
    }
}
