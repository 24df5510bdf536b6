import Foundation

/// Why a CSV or XLSX file could not be read or written, in Vietnamese (for the people who sent the file)
/// and in English (for logs and support).
public enum TabularFileError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// The file does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// The file has no content at all.
    case emptyFile
    /// An OLE2 compound file: an old binary Excel workbook (.xls), or an .xlsx protected by a password.
    case legacyExcel
    /// An HTML page or an "XML Spreadsheet 2003" saved with an Excel extension, as some older systems export.
    case disguisedSpreadsheet(kind: String)
    /// A binary file that is neither a workbook nor text (a PDF, an image, a Word document, …).
    case notTabular(detail: String)
    /// A ZIP file whose workbook parts are missing or damaged.
    case corruptWorkbook(detail: String)
    /// The requested sheet is not in the workbook.
    case sheetNotFound(name: String, available: [String])
    /// A quoted CSV field was still open at the end of the file; `row` is the record where it began.
    case unterminatedQuote(row: Int)
    /// Writing failed (disk full, permissions, too many rows for Excel, …).
    case writeFailed(detail: String)
    /// A part of the workbook inflates past what any real list needs (a "zip bomb", or a file far too big).
    case tooLarge(part: String, limitBytes: Int)

    /// A stable code for logs, JSON responses and tests.
    public var code: String {
        switch self {
        case .unreadable: return "file.unreadable"
        case .emptyFile: return "file.empty"
        case .legacyExcel: return "file.legacy_excel"
        case .disguisedSpreadsheet: return "file.disguised_spreadsheet"
        case .notTabular: return "file.not_tabular"
        case .corruptWorkbook: return "file.corrupt_workbook"
        case .sheetNotFound: return "file.sheet_not_found"
        case .unterminatedQuote: return "csv.unterminated_quote"
        case .writeFailed: return "file.write_failed"
        case .tooLarge: return "file.too_large"
        }
    }

    /// The message for the people who sent or opened the file.
    public var vietnamese: String {
        switch self {
        case .unreadable(let path, let reason):
            return "Không đọc được tệp \(Self.fileName(path)) (\(reason))."
        case .emptyFile:
            return "Tệp trống, không có dữ liệu."
        case .legacyExcel:
            return "Tệp là Excel cũ (.xls) hoặc đã đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu nếu có, "
                + "rồi chọn Lưu thành (Save As) định dạng \"Excel Workbook (.xlsx)\" và tải lên lại."
        case .disguisedSpreadsheet(let kind):
            return "Tệp thực chất là \(kind), không phải bảng tính Excel. Hãy mở bằng Excel rồi Lưu thành (Save As) "
                + "định dạng \"Excel Workbook (.xlsx)\" và tải lên lại."
        case .notTabular(let detail):
            return "Tệp không phải bảng tính (.xlsx) hay tệp văn bản CSV (\(detail))."
        case .corruptWorkbook(let detail):
            return "Tệp Excel bị hỏng hoặc không đúng định dạng .xlsx (\(detail)). Hãy mở bằng Excel và lưu lại."
        case .sheetNotFound(let name, let available):
            return "Không có trang tính \"\(name)\". Các trang tính có trong tệp: "
                + available.map { "\"\($0)\"" }.joined(separator: ", ") + "."
        case .unterminatedQuote(let row):
            return "Dòng \(row): dấu ngoặc kép (\") mở nhưng không đóng đến hết tệp. Hãy kiểm tra lại dòng này."
        case .writeFailed(let detail):
            return "Không ghi được tệp (\(detail))."
        case .tooLarge(let part, let limit):
            return "Tệp Excel giải nén ra quá lớn (phần \(part) vượt \(limit / (1 << 20)) MB). Hãy chia danh sách thành nhiều tệp."
        }
    }

    /// The same message in English, for logs and support.
    public var english: String {
        switch self {
        case .unreadable(let path, let reason):
            return "Cannot read the file \(Self.fileName(path)) (\(reason))."
        case .emptyFile:
            return "The file is empty."
        case .legacyExcel:
            return "This is an old Excel file (.xls) or a password-protected workbook. Open it in Excel, remove "
                + "the password if any, use Save As \"Excel Workbook (.xlsx)\" and upload it again."
        case .disguisedSpreadsheet(let kind):
            return "The file is really \(kind), not an Excel workbook. Open it in Excel, use Save As "
                + "\"Excel Workbook (.xlsx)\" and upload it again."
        case .notTabular(let detail):
            return "The file is neither a workbook (.xlsx) nor a CSV text file (\(detail))."
        case .corruptWorkbook(let detail):
            return "The Excel file is damaged or not a valid .xlsx (\(detail)). Open it in Excel and save it again."
        case .sheetNotFound(let name, let available):
            return "There is no sheet \"\(name)\". Sheets in the file: "
                + available.map { "\"\($0)\"" }.joined(separator: ", ") + "."
        case .unterminatedQuote(let row):
            return "Row \(row): a double quote (\") is opened and never closed before the end of the file."
        case .writeFailed(let detail):
            return "Cannot write the file (\(detail))."
        case .tooLarge(let part, let limit):
            return "The Excel file unpacks to too much data (part \(part) exceeds \(limit / (1 << 20)) MB). Split the list into several files."
        }
    }

    public var description: String { "\(self.code): \(self.vietnamese) / \(self.english)" }
    public var errorDescription: String? { self.vietnamese + " / " + self.english }

    private static func fileName(_ path: String) -> String {
        (path as NSString).lastPathComponent
    }
}
