/// Names as they look when typed with a pre-Unicode Vietnamese font (TCVN3 / VNI) and read back as Unicode.
enum DemoLegacyText {
    static let available = false

    /// Nil while the Text module's legacy encoder is not available.
    // TODO(demo): call LegacyEncoding.encode(_:as:) once Text/ has it.
    static func encode(_ name: String, tcvn3: Bool) -> String? {
        nil
    }
}
