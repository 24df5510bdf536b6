import Fluent
import Vapor
import ASXHCore

struct ImportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("imports", use: self.index)
        routes.on(.POST, "imports", body: .collect(maxSize: "200mb"), use: self.upload)
        routes.get("imports", "jobs", ":jobID", use: self.job)
        routes.get("imports", ":listID", use: self.show)
        routes.get("imports", ":listID", "rejections.csv", use: self.rejectionsCSV)
        routes.get("imports", ":listID", "rejections.xlsx", use: self.rejectionsXLSX)
    }

    func index(request: Request) async throws -> Response {
        let user = try request.require(\.canImportLists)
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
        let user = try request.require(\.canImportLists)
        let upload = try request.content.decode(Upload.self)
        guard upload.file.data.readableBytes > 0 else {
            throw ASXHError.invalidInput(field: "file", vi: "Chưa chọn tệp hoặc tệp rỗng.", en: "No file chosen, or the file is empty.")
        }
        let fileName = upload.file.filename.isEmpty ? "danh-sach" : upload.file.filename
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-upload-\(UUID().uuidString)-\(Self.safeName(fileName))").path
        try await request.fileio.writeFile(upload.file.data, at: path)
        let options = ListImportOptions(
            fileName: fileName,
            sheet: upload.sheet.flatMap { $0.isEmpty ? nil : $0 },
            defaultGroup: upload.group.flatMap(PolicyGroup.init(rawValue:)),
            columnOverrides: (upload.map ?? "").split(whereSeparator: \.isNewline).map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            scheme: upload.scheme.flatMap(AdministrativeScheme.init(rawValue:)) ?? .before2025,
            actor: user
        )
        let jobs = request.application.importJobs
        let jobID = await jobs.start(fileName: fileName, owner: user)
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
                logger.report(error: error)
                await jobs.update(jobID, .failed(vi: "Nhập thất bại, không có dòng nào được ghi: \(error)", en: "The import failed and wrote nothing: \(error)"))
            }
        }
        return request.redirect(to: "/imports/jobs/\(jobID.uuidString)")
    }

    func job(request: Request) async throws -> Response {
        let user = try request.require(\.canImportLists)
        guard let id = request.parameters.get("jobID", as: UUID.self),
              let job = await request.application.importJobs.job(id), job.ownerID == user.id
        else { throw ASXHError.notFound }
        return Layout.response(ImportJobView(context: PageContext(request), job: job).html)
    }

    func show(request: Request) async throws -> Response {
        let user = try request.require { $0.canImportLists || $0 == .auditor }
        let list = try await self.list(request, for: user)
        let rejections = try await ListRejection.query(on: request.db).filter(\.$list.$id == list.requireID())
            .sort(\.$row).limit(500).all()
        return Layout.response(SourceListView(context: PageContext(request), list: list, rejections: rejections).html)
    }

    func rejectionsCSV(request: Request) async throws -> Response {
        let user = try request.require { $0.canImportLists || $0 == .auditor }
        let list = try await self.list(request, for: user)
        let path = try await RejectionReport.write(list: list, format: .csv, on: request.db)
        return try await Self.download(path, name: "\(list.fileName)-loi.csv", contentType: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]), request: request)
    }

    func rejectionsXLSX(request: Request) async throws -> Response {
        let user = try request.require { $0.canImportLists || $0 == .auditor }
        let list = try await self.list(request, for: user)
        let path = try await RejectionReport.write(list: list, format: .xlsx, on: request.db)
        return try await Self.download(path, name: "\(list.fileName)-loi.xlsx", contentType: HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"), request: request)
    }

    private func list(_ request: Request, for user: User) async throws -> SourceList {
        guard let id = request.parameters.get("listID", as: UUID.self),
              let list = try await SourceList.query(on: request.db).visible(to: user).filter(\.$id == id).first()
        else { throw ASXHError.notFound }
        return list
    }

    private static func download(_ path: String, name: String, contentType: HTTPMediaType, request: Request) async throws -> Response {
        let response = try await request.fileio.asyncStreamFile(at: path, mediaType: contentType) { _ in
            try? FileManager.default.removeItem(atPath: path)
        }
        let ascii = VietnameseText.fold(name).replacingOccurrences(of: " ", with: "-")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"")
        return response
    }

    static func safeName(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "." || $0 == "-") }.map(Character.init))
    }
}

extension QueryBuilder where Model == SourceList {
    /// City-level users and auditors see every list; others see the lists they imported.
    func visible(to user: User) -> Self {
        if user.areaLevel == .province { return self }
        return self.filter(\.$uploadedBy.$id == user.id)
    }
}
