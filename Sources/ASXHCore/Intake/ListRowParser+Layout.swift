extension ListRowParser {
    /// A row of column numbers such as "1 2 3 …" or "(1) (2) (3)=(1)x(2)" or "A B C", which Vietnamese
    /// official forms put under the header. Needs two such cells and nothing else; numbers above 300 are
    /// data (an ID or an amount), not column numbers.
    static func isColumnNumbering(_ row: TableRow) -> Bool {
        var count = 0
        for cell in row.cells {
            switch cell {
            case .empty:
                continue
            case .number(let value):
                guard value == value.rounded(), value >= 0, value <= 300 else { return false }
            case .text(let text):
                if IntakeFold.clean(text).isEmpty { continue }
                guard Self.isColumnNumberText(text) else { return false }
            case .date, .bool:
                return false
            }
            count += 1
        }
        return count >= 2
    }

    private static func isColumnNumberText(_ text: String) -> Bool {
        var digitRun = 0
        var letters = 0
        var digits = 0
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39:
                digitRun += 1
                digits += 1
                if digitRun > 3 { return false }
            case 0x41...0x5A, 0x61...0x7A:
                // A lone letter column label "A"; "x" between numbers is multiplication.
                letters += 1
                digitRun = 0
            case 0x20, 0x28, 0x29, 0x3D, 0x2B, 0x2D, 0x2A, 0x2F, 0x2E, 0x2C:
                digitRun = 0
            default:
                return false
            }
        }
        return digits > 0 ? letters <= digits : letters == 1
    }

    /// Why a row whose text is `text` is layout rather than a person, if it is.
    /// Only asked about rows without an ID or birth date.
    static func layoutReason(_ text: String, folded: String) -> ListSkipReason? {
        let lower = text.lowercased()
        if Self.isTotal(lower, folded: folded) { return .total }
        if Self.isFooter(folded) { return .footer }
        if Self.isSection(lower, folded: folded) { return .section(title: text, group: PolicyGroup(parsing: text)) }
        return nil
    }

    /// "Tổng cộng", "Tổng số", "Cộng phường Phúc Xá", "Total". Diacritics matter: "Tống" is a surname.
    static func isTotal(_ lower: String, folded: String) -> Bool {
        for prefix in ["tổng cộng", "tổng số", "tổng", "cộng", "lũy kế", "luỹ kế", "total", "grand total", "subtotal", "sub-total", "sub total"] {
            if Self.startsWithWord(lower, prefix) { return true }
        }
        return IntakeFold.startsWithPhrase(folded, "tong cong") || folded == "tong so" || folded == "cong"
    }

    /// Signature blocks and the place-and-date line under a list.
    static func isFooter(_ folded: String) -> Bool {
        for phrase in [
            "nguoi lap bieu", "nguoi lap", "lap bieu", "thu truong", "ke toan", "chu tich", "giam doc",
            "truong phong", "pho truong phong", "ky ghi ro ho ten", "ky va ghi ro ho ten", "ky ten", "dong dau",
            "xac nhan cua", "prepared by", "approved by",
        ] where IntakeFold.hasPhrase(folded, phrase) {
            return true
        }
        for phrase in ["ghi chu", "luu y", "nguoi duyet", "nguoi kiem tra", "ubnd", "uy ban nhan dan", "t m", "tm", "kt", "k t"]
        where IntakeFold.startsWithPhrase(folded, phrase) {
            return true
        }
        // "Hà Nội, ngày 15 tháng 3 năm 2025"
        return IntakeFold.hasPhrase(folded, "ngay") && IntakeFold.hasPhrase(folded, "thang") && IntakeFold.hasPhrase(folded, "nam")
    }

    /// "I. Phường Phúc Xá", "A. Đối tượng bảo trợ xã hội", "1. Xã Đông Anh", "Phường Phúc Xá", "Tổ dân phố 5".
    static func isSection(_ lower: String, folded: String) -> Bool {
        // A roman numeral or a single letter followed by "." or ")" is an enumerated heading.
        var enumerator = ""
        var rest = Substring(lower)
        for (offset, ch) in lower.enumerated() {
            if ch == "." || ch == ")" {
                enumerator = String(lower.prefix(offset))
                rest = lower.dropFirst(offset + 1).drop { $0 == " " }
                break
            }
            if !(ch.isASCII && (ch.isLetter || ch.isNumber)) || offset > 5 { break }
        }
        let isRoman = !enumerator.isEmpty && enumerator.allSatisfy { "ivxlc".contains($0) }
        let isLetter = enumerator.count == 1 && enumerator.first!.isLetter
        let isNumber = !enumerator.isEmpty && enumerator.allSatisfy(\.isNumber)
        if (isRoman || isLetter) && IntakeFold.letterCount(String(rest), limit: 2) >= 2 { return true }
        let words = [
            "phường", "xã", "thị trấn", "thị xã", "quận", "huyện", "tổ dân phố", "tổ", "tdp", "thôn", "khu phố",
            "khu", "cụm", "xóm", "ấp", "đối tượng", "nhóm", "diện", "hộ nghèo", "hộ cận nghèo", "người có công",
            "bảo trợ xã hội", "danh sách",
        ]
        if words.contains(where: { Self.startsWithWord(rest, $0) }) { return true }
        if isNumber {
            // Without diacritics an enumerated heading is still recognisable by its first word.
            let foldedRest = IntakeFold.fold(String(rest))
            let plain = ["phuong", "xa", "thi tran", "thi xa", "quan", "huyen", "to dan pho", "thon", "khu pho", "doi tuong", "nhom"]
            return plain.contains { foldedRest == $0 || foldedRest.hasPrefix($0 + " ") }
        }
        return false
    }

    static func startsWithWord<S: StringProtocol>(_ text: S, _ word: String) -> Bool {
        guard text.hasPrefix(word) else { return false }
        guard let next = text.dropFirst(word.count).first else { return true }
        return !(next.isLetter || next.isNumber)
    }
}
