import Fluent
import Foundation
import ASXHCore

/// The downloadable list of rows an import rejected: row, column, value and reason in Vietnamese and English.
enum RejectionReport {
    enum Format { case csv, xlsx }

    static let header = ["Dòng / Row", "Cột / Column", "Giá trị / Value", "Mã lỗi / Code", "Lý do", "Reason"]

    /// Writes the report to a temporary file and returns its path; rows are streamed from the database in pages
    /// (keyset, so the cost stays linear); values that look like IDs are masked unless `role` sees full IDs.
    static func write(list: SourceList, format: Format, for role: Role, on database: any Database) async throws -> String {
        let listID = try list.requireID()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("asxh-rejections-\(UUID().uuidString).\(format == .csv ? "csv" : "xlsx")").path
        let sink: any RowSink = format == .csv ? try CSVSink(path: path) : try XLSXSink(path: path, sheet: "Dòng bị từ chối")
        try sink.write(Self.header)
        var last: (row: Int, id: UUID)?
        while true {
            var query = ListRejection.query(on: database).filter(\.$list.$id == listID)
            if let last {
                query = query.group(.or) { $0.filter(\.$row > last.row).group(.and) { $0.filter(\.$row == last.row).filter(\.$id > last.id) } }
            }
            let page = try await query.sort(\.$row).sort(\.$id).limit(5_000).all()
            for rejection in page {
                try sink.write([String(rejection.row), rejection.column, Masking.cell(rejection.value, for: role), rejection.code,
                                rejection.messageVI, rejection.messageEN])
            }
            guard page.count == 5_000, let end = page.last else { break }
            last = (end.row, try end.requireID())
        }
        try sink.close()
        return path
    }
}

/// A place to write report rows (CSV for machines, XLSX for people).
protocol RowSink {
    func write(_ row: [String]) throws
    func close() throws
}

final class CSVSink: RowSink {
    private let writer: CSVWriter
    init(path: String) throws { self.writer = try CSVWriter(path: path, byteOrderMark: true) }
    func write(_ row: [String]) throws { try self.writer.write(row: row) }
    func close() throws { try self.writer.close() }
}

final class XLSXSink: RowSink {
    private let writer: XLSXWriter
    init(path: String, sheet: String) throws {
        self.writer = try XLSXWriter(path: path)
        try self.writer.addSheet(sheet, columnWidths: [8, 18, 24, 22, 60, 60])
    }
    func write(_ row: [String]) throws { try self.writer.addRow(row) }
    func close() throws { try self.writer.close() }
}
