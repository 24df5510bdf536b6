extension BirthDate {
    /// Parses a birth date written as text.
    ///
    /// Accepted: "dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "d/m/yy", "yyyy-mm-dd", "yyyy",
    /// "mm/yyyy", "yyyy-mm", "ddmmyyyy" or "yyyymmdd" when only one reading is valid, an Excel serial written
    /// as five digits, "dmmyyyy" (seven digits: a number that lost its leading zero), a trailing time ("01/02/1945 00:00:00"), and the words "ngày … tháng … năm …".
    /// Day comes before month: Vietnamese lists write it that way.
    ///
    /// A two-digit year is in the 1900s when it is greater than `today`'s two-digit year, otherwise in the
    /// 2000s: these are mostly elderly people, and a birth cannot be in the future.
    /// Dates must exist in the calendar and lie between 1900 and `today`.
    public init(parsing text: String, today: ReferenceDay = .current()) throws(BirthDateProblem) {
        var note = ParseNote()
        self = try Self.parse(text: text, today: today, note: &note)
    }

    /// Parses a spreadsheet cell from a birth-date column.
    ///
    /// `.date(serial:)` is an Excel serial day. A `.number` from 1900 to `today`'s year is a year; a larger
    /// integer up to `today`'s serial is a serial day (from Excel date cells stored without a date style).
    public init(cell: Cell, today: ReferenceDay = .current()) throws(BirthDateProblem) {
        var note = ParseNote()
        self = try Self.parse(cell: cell, today: today, note: &note)
    }

    /// The date of an Excel serial day number (1900 date system; any time of day is dropped).
    public init(excelSerial: Double, today: ReferenceDay = .current()) throws(BirthDateProblem) {
        self = try Self.fromSerial(excelSerial, text: Cell.number(excelSerial).text, today: today)
    }

    /// What parsing had to assume, for the caller to turn into warnings.
    struct ParseNote {
        var expandedTwoDigitYear = false
    }

    static func parse(cell: Cell, today: ReferenceDay, note: inout ParseNote) throws(BirthDateProblem) -> BirthDate {
        switch cell {
        case .empty:
            throw .empty
        case .text(let text):
            return try Self.parse(text: text, today: today, note: &note)
        case .date(let serial):
            return try Self.fromSerial(serial, text: cell.text, today: today)
        case .number(let value):
            let text = cell.text
            guard value == value.rounded(), abs(value) < 1e9 else { throw .unrecognised(text: text) }
            let n = Int(value)
            if n >= 1_000_000 && n <= 99_999_999 {
                // ddmmyyyy typed as a number, its leading zero gone: 1021945 is 01/02/1945.
                return try Self.parse(text: text, today: today, note: &note)
            }
            if n > 2100 {
                return try Self.fromSerial(value, text: text, today: today)
            }
            if n >= 1000 {
                return try Self.checked(year: n, month: nil, day: nil, text: text, today: today)
            }
            throw .unrecognised(text: text)
        case .bool:
            throw .unrecognised(text: cell.text)
        }
    }

    static func fromSerial(_ serial: Double, text: String, today: ReferenceDay) throws(BirthDateProblem) -> BirthDate {
        guard serial.isFinite, serial >= 1, serial < 3_000_000 else { throw .unrecognised(text: text) }
        let whole = Int(serial.rounded(.down))
        if whole == 60 { throw .excelPhantomDay }
        // Excel counts 29/02/1900 as a day, so serials after it are one day further from 1899-12-31.
        let days = whole < 60 ? whole - 25568 : whole - 25569
        let (y, m, d) = Self.civil(fromDaysSince1970: days)
        return try Self.checked(year: y, month: m, day: d, text: text, today: today)
    }

    static func parse(text raw: String, today: ReferenceDay, note: inout ParseNote) throws(BirthDateProblem) -> BirthDate {
        var groups = DigitGroups()
        var needsWords = false
        var sawContent = false
        scan: for byte in raw.utf8 {
            switch byte {
            case 0x30...0x39:
                if !groups.addDigit(byte) { throw .unrecognised(text: IdentityScan.trimmed(raw)) }
                sawContent = true
            case 0x2F, 0x2D, 0x2E, 0x20, 0x2C, 0x09, 0x0A, 0x0D:
                groups.close()
            case 0x3A:  // ":" starts a time of day: the digits just read were the hour
                groups.close()
                if groups.count == 4 { groups.dropLast() }
                break scan
            case 0x54, 0x74:  // "T" of an ISO date-time ends the date; anywhere else it is a letter
                if groups.count == 2 && groups.pending {
                    groups.close()
                    break scan
                }
                needsWords = true
                break scan
            case 0x27 where !sawContent:
                sawContent = true
            default:
                needsWords = true
                break scan
            }
        }
        groups.close()
        if needsWords {
            groups = try Self.wordGroups(raw)
        } else if groups.count == 0 && IntakeFold.clean(raw).isEmpty {
            throw .empty
        }
        return try Self.fromGroups(groups, text: raw, today: today, note: &note)
    }

    /// Slow path for text with letters or non-ASCII: "ngày 01 tháng 02 năm 1945", "Năm 1945", no-break spaces.
    static func wordGroups(_ raw: String) throws(BirthDateProblem) -> DigitGroups {
        var text = Substring(raw)
        if let colon = text.firstIndex(of: ":") {
            // Drop a time of day and the hour digits before its colon.
            text = text[..<colon]
            while let last = text.last, last.isNumber { text = text.dropLast() }
        }
        var groups = DigitGroups()
        for token in VietnameseText.fold(String(text)).split(separator: " ") {
            switch token {
            case "ngay", "thang", "nam", "sinh":
                groups.close()
            default:
                for byte in token.utf8 {
                    guard (0x30...0x39).contains(byte), groups.addDigit(byte) else {
                        throw .unrecognised(text: IdentityScan.trimmed(raw))
                    }
                }
                groups.close()
            }
        }
        return groups
    }

    static func fromGroups(_ g: DigitGroups, text: String, today: ReferenceDay, note: inout ParseNote) throws(BirthDateProblem) -> BirthDate {
        // `text` is passed on untrimmed to `checked`, which trims it only for a message.
        let trimmed = { IdentityScan.trimmed(text) }
        switch g.count {
        case 1:
            switch g.length(0) {
            case 4:
                return try Self.checked(year: g.value(0), month: nil, day: nil, text: text, today: today)
            case 5:
                return try Self.fromSerial(Double(g.value(0)), text: text, today: today)
            case 7, 8:
                // Seven digits: ddmmyyyy that lost its leading zero as a number; only the day-first reading fits.
                let n = g.value(0)
                let dayFirst = Result { () throws(BirthDateProblem) in
                    try Self.checked(year: n % 10000, month: n / 10000 % 100, day: n / 1_000_000, text: text, today: today)
                }
                let yearFirst = Result { () throws(BirthDateProblem) in
                    try Self.checked(year: n / 10000, month: n / 100 % 100, day: n % 100, text: text, today: today)
                }
                switch (dayFirst, yearFirst) {
                case (.success(let a), .success(let b)): if a == b { return a } else { throw .ambiguous(text: trimmed()) }
                case (.success(let a), .failure): return a
                case (.failure, .success(let b)): return b
                case (.failure(let problem), .failure): throw problem
                }
            default:
                throw .unrecognised(text: trimmed())
            }
        case 2:
            if g.length(0) <= 2 && g.length(1) == 4 {
                return try Self.checked(year: g.value(1), month: g.value(0), day: nil, text: text, today: today)
            }
            if g.length(0) == 4 && g.length(1) <= 2 {
                return try Self.checked(year: g.value(0), month: g.value(1), day: nil, text: text, today: today)
            }
            throw .unrecognised(text: trimmed())
        case 3:
            if g.length(0) == 4 && g.length(1) <= 2 && g.length(2) <= 2 {
                return try Self.checked(year: g.value(0), month: g.value(1), day: g.value(2), text: text, today: today)
            }
            guard g.length(0) <= 2 && g.length(1) <= 2 else { throw .unrecognised(text: trimmed()) }
            switch g.length(2) {
            case 4:
                return try Self.checked(year: g.value(2), month: g.value(1), day: g.value(0), text: text, today: today)
            case 2:
                let yy = g.value(2)
                let year = yy > today.year % 100 ? 1900 + yy : (today.year / 100) * 100 + yy
                note.expandedTwoDigitYear = true
                return try Self.checked(year: year, month: g.value(1), day: g.value(0), text: text, today: today)
            default:
                throw .unrecognised(text: trimmed())
            }
        default:
            throw .unrecognised(text: trimmed())
        }
    }

    /// `text` is the cell as written, trimmed only when a problem quotes it.
    static func checked(year: Int, month: Int?, day: Int?, text raw: String, today: ReferenceDay) throws(BirthDateProblem) -> BirthDate {
        var text: String { IdentityScan.trimmed(raw) }
        if let month, !(1...12).contains(month) {
            throw .monthOutOfRange(text: text, month: month, dayFirst: (day ?? 13) > 12)
        }
        guard let date = BirthDate(year: year, month: month, day: day) else {
            throw .notACalendarDate(text: text, day: day ?? 0, month: month ?? 0, year: year)
        }
        if year < 1900 { throw .beforeEarliest(text: text, year: year) }
        let limit = (today.year, month == nil ? 0 : today.month, day == nil ? 0 : today.day)
        if (year, month ?? 0, day ?? 0) > limit { throw .inFuture(text: text) }
        return date
    }

    /// Year, month, day of a count of days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
    static func civil(fromDaysSince1970 days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The Excel serial day number of a date (1900 date system, counting Excel's phantom 29/02/1900).
    static func excelSerial(year: Int, month: Int, day: Int) -> Int {
        let days = Self.daysSince1970(year: year, month: month, day: day)
        return days < -25_508 ? days + 25_568 : days + 25_569
    }

    /// The full date's Excel serial day number; nil unless day, month and year are known.
    public var excelSerial: Int? {
        guard let month = self.month, let day = self.day else { return nil }
        return Self.excelSerial(year: self.year, month: month, day: day)
    }
}

/// Up to four runs of digits, kept inline so parsing a date allocates nothing.
struct DigitGroups {
    private var v0 = 0, v1 = 0, v2 = 0, v3 = 0
    private var l0 = 0, l1 = 0, l2 = 0, l3 = 0
    private(set) var count = 0
    private var current = 0
    private var currentLength = 0

    var pending: Bool { self.currentLength > 0 }

    /// False when the text has too many or too long digit runs to be a date.
    mutating func addDigit(_ byte: UInt8) -> Bool {
        self.current = self.current * 10 + Int(byte - 0x30)
        self.currentLength += 1
        return self.currentLength <= 8 && self.count < 4
    }

    mutating func close() {
        guard self.currentLength > 0 else { return }
        switch self.count {
        case 0: (self.v0, self.l0) = (self.current, self.currentLength)
        case 1: (self.v1, self.l1) = (self.current, self.currentLength)
        case 2: (self.v2, self.l2) = (self.current, self.currentLength)
        case 3: (self.v3, self.l3) = (self.current, self.currentLength)
        default: break
        }
        // A fifth run leaves the count at 5, which no accepted form matches.
        self.count = min(self.count + 1, 5)
        self.current = 0
        self.currentLength = 0
    }

    mutating func dropLast() {
        if self.count > 0 { self.count -= 1 }
    }

    func value(_ i: Int) -> Int {
        switch i {
        case 0: return self.v0
        case 1: return self.v1
        case 2: return self.v2
        default: return self.v3
        }
    }

    func length(_ i: Int) -> Int {
        switch i {
        case 0: return self.l0
        case 1: return self.l1
        case 2: return self.l2
        default: return self.l3
        }
    }
}
