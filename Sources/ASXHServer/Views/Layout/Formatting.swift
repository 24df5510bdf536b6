import Foundation
import ASXHCore

/// How numbers and places read on Vietnamese screens.
enum Formatting {
    /// 1080000 → "1.080.000" (Vietnamese groups thousands with dots).
    static func vnd(_ amount: Int) -> String {
        Self.grouped(amount)
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    static func dateTime(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "vi_VN")
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = "dd/MM/yyyy HH:mm:ss"
        return formatter.string(from: date)
    }

    /// Masks every run of 9 or more digits (IDs, account numbers) but its last 4, for logs and audit screens.
    static func maskDigitRuns(_ text: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            out += run.count >= 9 ? IdentityScan.masked(run) : run
            run = ""
        }
        for c in text {
            if c.isASCII && c.isNumber { run.append(c) } else { flush(); out.append(c) }
        }
        flush()
        return out
    }
}
