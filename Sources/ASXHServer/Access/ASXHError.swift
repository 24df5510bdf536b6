import Vapor

/// Errors a user can meet, each with a stable code and a Vietnamese and an English message.
enum ASXHError: AbortError, Equatable {
    case notLoggedIn
    case forbidden
    case notFound
    case csrfMismatch
    case badLogin
    case invalidInput(field: String, vi: String, en: String)
    /// Any other refusal with its own status and stable code (too many log-in attempts, a role's limit, …).
    case refused(status: HTTPResponseStatus, code: String, vi: String, en: String)

    var status: HTTPResponseStatus {
        switch self {
        case .notLoggedIn: return .unauthorized
        case .forbidden, .csrfMismatch: return .forbidden
        case .notFound: return .notFound
        case .badLogin: return .unauthorized
        case .invalidInput: return .badRequest
        case .refused(let status, _, _, _): return status
        }
    }

    var code: String {
        switch self {
        case .notLoggedIn: return "not_logged_in"
        case .forbidden: return "forbidden"
        case .notFound: return "not_found"
        case .csrfMismatch: return "csrf_mismatch"
        case .badLogin: return "bad_login"
        case .invalidInput(let field, _, _): return "invalid_\(field)"
        case .refused(_, let code, _, _): return code
        }
    }

    var messageVI: String {
        switch self {
        case .notLoggedIn: return "Vui lòng đăng nhập."
        case .forbidden: return "Bạn không có quyền thực hiện thao tác này."
        case .notFound: return "Không tìm thấy (hoặc ngoài địa bàn của bạn)."
        case .csrfMismatch: return "Phiên làm việc đã hết hạn, vui lòng tải lại trang và thử lại."
        case .badLogin: return "Sai tên đăng nhập hoặc mật khẩu."
        case .invalidInput(_, let vi, _): return vi
        case .refused(_, _, let vi, _): return vi
        }
    }

    var messageEN: String {
        switch self {
        case .notLoggedIn: return "Please log in."
        case .forbidden: return "You are not allowed to do this."
        case .notFound: return "Not found (or outside your area)."
        case .csrfMismatch: return "Your session expired; reload the page and try again."
        case .badLogin: return "Wrong username or password."
        case .invalidInput(_, _, let en): return en
        case .refused(_, _, _, let en): return en
        }
    }

    var reason: String { "\(self.messageVI) / \(self.messageEN)" }
}
