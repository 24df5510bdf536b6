import Foundation

/// The one password rule, checked wherever a password is set (command line, pages, demo, tests).
enum PasswordRule {
    static let minimumLength = 10
    /// bcrypt reads only the first 72 bytes: a longer password would silently be a shorter one.
    static let maximumBytes = 72

    /// Words people reach for first; a real deployment can add its own list here.
    private static let common: Set<String> = [
        "1234567890", "0123456789", "12345678910", "password123", "matkhau123", "matkhau1234", "admin12345", "administrator",
        "qwertyuiop", "1111111111", "abcdefghij", "abc1234567", "hanoi12345", "vietnam123", "123456789a", "a123456789",
    ]

    /// Why `password` may not be used for `username`, nil when it may.
    static func problem(_ password: String, username: String) -> ASXHError? {
        func refuse(_ vi: String, _ en: String) -> ASXHError { .invalidInput(field: "password", vi: vi, en: en) }
        if password.count < self.minimumLength {
            return refuse("Mật khẩu cần ít nhất \(self.minimumLength) ký tự.", "The password needs at least \(self.minimumLength) characters.")
        }
        if password.utf8.count > self.maximumBytes {
            return refuse("Mật khẩu dài quá \(self.maximumBytes) byte.", "The password is longer than \(self.maximumBytes) bytes.")
        }
        let lowered = password.lowercased()
        if Set(lowered).count < 4 || self.common.contains(lowered) || (!username.isEmpty && lowered.contains(username.lowercased())) {
            return refuse("Mật khẩu quá dễ đoán (lặp ký tự, phổ biến hoặc chứa tên đăng nhập).",
                          "The password is too easy to guess (repeated characters, a common password, or the user name).")
        }
        return nil
    }
}
