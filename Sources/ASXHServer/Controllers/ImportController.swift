import Fluent
import Vapor
import ASXHCore

struct ImportController: RouteCollection {
    /// The largest list file accepted from the page (a city-wide list of a million rows is about 120 MB as CSV).
    static let maxUpload: ByteCount = "200mb"

    func boot(routes: any RoutesBuilder) throws {
        let importers = routes.allowing(\.canImportLists)
        importers.get("imports", use: self.index)
        importers.post("imports", maxBody: Self.maxUpload, use: self.upload)
        importers.get("imports", "jobs", ":jobID", use: self.job)
        // Auditors read what was imported and rejected, too.
        let readers = routes.allowing { $0.canImportLists || $0 == .auditor }
        readers.get("imports", ":listID", use: self.show)
        readers.get("imports", ":listID", "rejections.csv", use: self.rejectionsCSV)
        readers.get("imports", ":listID", "rejections.xlsx", use: self.rejectionsXLSX)
    }

    func index(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let lists = try await SourceList.query(on: request.db).visible(to: user).sort(\.$importedAt, .descending).limit(50).all()
        return Layout.response(ImportsView(context: PageContext(request), lists: lists, problem: nil).html)
    }

    struct Upload: Content {
        var file: File
        var sheet: String?
        var group: String?
        var scheme: String?
        var map: String?
    }

    func upload(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let upload = try request.content.decode(Upload.self)
        guard upload.file.data.readableBytes > 0 else {
            throw ASXHError.invalidInput(field: "file", vi: "Chưa chọn tệp hoặc tệp rỗng.", en: "No file chosen, or the file is empty.")
        }
        let fileName = try Request.bounded(upload.file.filename, field: "file", maxLength: 255) ?? "danh-sach"
        let group: PolicyGroup? = try Request.choice(upload.group, field: "group", what: ("Nhóm đối tượng", "policy group"))
        let scheme: AdministrativeScheme? = try Request.choice(upload.scheme, field: "scheme", what: ("Danh mục hành chính", "administrative scheme"))
        let jobs = request.application.importJobs
        guard let jobID = await jobs.start(fileName: fileName, owner: user) else {
            throw ASXHError.refused(status: .tooManyRequests, code: "imports_busy",
                                    vi: "Đang có \(ImportJobs.maxRunning) danh sách được nhập; vui lòng thử lại sau ít phút.",
                                    en: "\(ImportJobs.maxRunning) lists are being imported; please try again in a few minutes.")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-upload-\(UUID().uuidString)-\(Self.safeName(fileName))").path
        do {
            try await request.fileio.writeFile(upload.file.data, at: path)
        } catch {
            await jobs.update(jobID, .failed(vi: "Không lưu được tệp tải lên.", en: "The upload could not be stored."))
            throw error
        }
        // Without a choice on the form, the file follows the campaign's scheme.
        let campaign = try await Campaign.current(on: request.db)
        let options = ListImportOptions(
            fileName: fileName,
            sheet: try upload.sheet.flatMap { try Request.bounded($0, field: "sheet", maxLength: 100) },
            defaultGroup: group,
            columnOverrides: try (Request.bounded(upload.map ?? "", field: "map", maxLength: 2_000) ?? "")
                .split(whereSeparator: \.isNewline).map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            scheme: scheme ?? campaign?.scheme ?? user.areaScheme,
            actor: user
        )
        let database = request.application.db
        let logger = request.logger
        Task.detached {
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                let summary = try await ListImporter(database: database).run(path: path, options: options) { progress in
                    Task { await jobs.update(jobID, .running(progress)) }
                }
                await jobs.update(jobID, .finished(summary))
            } catch let error as ListImportError {
                await jobs.update(jobID, .failed(vi: error.messageVI, en: error.messageEN))
            } catch {
                // The error's text may name server paths or hold personal data: the log keeps it, the page a reference.
                let reference = ErrorPageMiddleware.reference()
                logger.error("import \(jobID) failed, reference \(reference): \(String(reflecting: error))")
                await jobs.update(jobID, .failed(vi: "Nhập thất bại, không có dòng nào được ghi. Mã tra cứu: \(reference).",
                                                 en: "The import failed and wrote nothing. Reference: \(reference)."))
            }
        }
        return request.redirect(to: "/imports/jobs/\(jobID.uuidString)")
    }

    func job(request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard let job = await request.application.importJobs.job(try request.uuidParameter("jobID")), job.ownerID == user.id
        else { throw ASXHError.notFound }
        return Layout.response(ImportJobView(context: PageContext(request), job: job).html)
    }

    func show(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let list = try await self.list(request, for: user)
        let rejections = try await ListRejection.query(on: request.db).filter(\.$list.$id == list.requireID())
            .sort(\.$row).limit(500).all()
        return Layout.response(SourceListView(context: PageContext(request), list: list, rejections: rejections).html)
    }

    func rejectionsCSV(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let list = try await self.list(request, for: user)
        let path = try await RejectionReport.write(list: list, format: .csv, for: user.role, on: request.db)
        return try await request.download(path, name: "\(list.fileName)-loi.csv", contentType: .csvUTF8)
    }

    func rejectionsXLSX(request: Request) async throws -> Response {
        let user = try request.requireUser()
        let list = try await self.list(request, for: user)
        let path = try await RejectionReport.write(list: list, format: .xlsx, for: user.role, on: request.db)
        return try await request.download(path, name: "\(list.fileName)-loi.xlsx", contentType: .xlsx)
    }

    private func list(_ request: Request, for user: User) async throws -> SourceList {
        let id = try request.uuidParameter("listID")
        guard let list = try await SourceList.query(on: request.db).visible(to: user).filter(\.$id == id).first()
        else { throw ASXHError.notFound }
        return list
    }

    static func safeName(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "." || $0 == "-") }.map(Character.init))
    }
}
