import Foundation
import Testing

@testable import ASXHCore

/// A fixed day, so that "in the future" and two-digit years do not depend on when the tests run.
private let today = BirthDate.ReferenceDay(year: 2025, month: 6, day: 15)

@Suite("PersonalID")
struct PersonalIDTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let text: String
        let digits: String
        let province: String
        let provinceName: String?
        let gender: Gender
        let birthYear: Int
        var testDescription: String { self.text }
    }

    @Test(arguments: [
        Valid(text: "001085012345", digits: "001085012345", province: "001", provinceName: "Hà Nội", gender: .male, birthYear: 1985),
        Valid(text: "001185012345", digits: "001185012345", province: "001", provinceName: "Hà Nội", gender: .female, birthYear: 1985),
        Valid(text: "079200012345", digits: "079200012345", province: "079", provinceName: "Hồ Chí Minh", gender: .male, birthYear: 2000),
        Valid(text: "096325012345", digits: "096325012345", province: "096", provinceName: "Cà Mau", gender: .female, birthYear: 2025),
        Valid(text: "002045999999", digits: "002045999999", province: "002", provinceName: "Hà Giang", gender: .male, birthYear: 1945),
        Valid(text: "004100000000", digits: "004100000000", province: "004", provinceName: "Cao Bằng", gender: .female, birthYear: 1900),
        Valid(text: "001 085 012 345", digits: "001085012345", province: "001", provinceName: "Hà Nội", gender: .male, birthYear: 1985),
        Valid(text: "001.085.012.345", digits: "001085012345", province: "001", provinceName: "Hà Nội", gender: .male, birthYear: 1985),
        Valid(text: "001-085-012-345", digits: "001085012345", province: "001", provinceName: "Hà Nội", gender: .male, birthYear: 1985),
        Valid(text: "'001085012345", digits: "001085012345", province: "001", provinceName: "Hà Nội", gender: .male, birthYear: 1985),
        Valid(text: " \u{00A0}001085012345\t", digits: "001085012345", province: "001", provinceName: "Hà Nội", gender: .male, birthYear: 1985),
        Valid(text: "101085012345", digits: "101085012345", province: "101", provinceName: nil, gender: .male, birthYear: 1985),
        Valid(text: "295185012345", digits: "295185012345", province: "295", provinceName: nil, gender: .female, birthYear: 1985),
    ])
    func parsesValid(_ c: Valid) throws {
        let id = try PersonalID(parsing: c.text, today: today)
        #expect(id.digits == c.digits)
        #expect(id.provinceCode == c.province)
        #expect(id.provinceName == c.provinceName)
        #expect(id.bornAbroad == (c.provinceName == nil))
        #expect(id.gender == c.gender)
        #expect(id.birthYear == c.birthYear)
        #expect(!id.restoredLeadingZero)
    }

    @Test(arguments: [
        ("", IdentityProblem.empty),
        (" - ", .empty),
        ("00108501234", .wrongLength(found: 11, expected: 12)),
        ("0010850123456", .wrongLength(found: 13, expected: 12)),
        ("12345", .wrongLength(found: 5, expected: 12)),
        ("00108501234a", .nonDigit(character: "a", position: 12)),
        ("CCCD 001085012345", .nonDigit(character: "C", position: 1)),
        ("001085'012345", .nonDigit(character: "'", position: 7)),
        ("1.23457E+11", .scientificNotation(text: "1.23457E+11")),
        ("1,23457e+11", .scientificNotation(text: "1,23457e+11")),
        ("003085012345", .unknownProvinceCode(code: "003")),
        ("000085012345", .unknownProvinceCode(code: "000")),
        ("097085012345", .unknownProvinceCode(code: "097")),
        ("100085012345", .unknownProvinceCode(code: "100")),
        ("296085012345", .unknownProvinceCode(code: "296")),
        ("001485012345", .centuryOutOfRange(digit: 4)),
        ("001985012345", .centuryOutOfRange(digit: 9)),
        ("001230012345", .birthYearInFuture(year: 2030)),
        ("001326012345", .birthYearInFuture(year: 2026)),
    ] as [(String, IdentityProblem)])
    func reportsProblems(_ text: String, _ expected: IdentityProblem) {
        #expect(throws: expected) { try PersonalID(parsing: text, today: today) }
        #expect(!expected.messageVI.isEmpty && !expected.messageEN.isEmpty)
        #expect(expected.code.allSatisfy { $0.isLowercase || $0 == "_" })
    }

    @Test(arguments: [
        ("1085012345", "001085012345"),  // Hà Nội lost two zeros
        ("10085012345", "010085012345"),  // Lào Cai lost one
        ("79200012345", "079200012345"),
        ("'1085012345", "001085012345"),
    ])
    func restoresLeadingZeros(_ text: String, _ digits: String) throws {
        let id = try PersonalID(parsing: text, today: today)
        #expect(id.digits == digits)
        #expect(id.restoredLeadingZero)
    }

    @Test func restoresLeadingZerosOfNumberCells() throws {
        let id = try PersonalID(cell: .number(1_085_012_345), today: today)
        #expect(id.digits == "001085012345")
        #expect(id.restoredLeadingZero)
        #expect(throws: IdentityProblem.self) { try PersonalID(cell: .number(1_085_012_345.5), today: today) }
        // Ten digits that stay invalid with zeros added keep their own length in the message.
        #expect(throws: IdentityProblem.wrongLength(found: 10, expected: 12)) { try PersonalID(parsing: "9999999999", today: today) }
    }

    @Test func masksAllButLastFour() throws {
        let id = try PersonalID(parsing: "001085012345", today: today)
        #expect(id.masked == "••••••••2345")
        #expect("\(id)" == "••••••••2345")
    }

    @Test func equalityIgnoresHowTheNumberWasWritten() throws {
        let a = try PersonalID(parsing: "1085012345", today: today)
        let b = try PersonalID(parsing: "001085012345", today: today)
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
    }

    @Test func codableAsDigits() throws {
        let id = try PersonalID(parsing: "001 085 012 345", today: today)
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"001085012345\"]")
        #expect(try JSONDecoder().decode([PersonalID].self, from: data) == [id])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([PersonalID].self, from: Data("[\"003085012345\"]".utf8)) }
    }

    @Test func provinceTableHasTheSixtyThreeProvinces() {
        #expect(BirthProvince.all.count == 63)
        #expect(Set(BirthProvince.all.map(\.code)).count == 63)
        #expect(BirthProvince.all.allSatisfy { $0.code.count == 3 })
        #expect(BirthProvince.named(code: 1)?.name == "Hà Nội")
        #expect(BirthProvince.named(code: 96)?.name == "Cà Mau")
        #expect(BirthProvince.named(code: 3) == nil)
        #expect(BirthProvince.named(code: 150) == nil)
    }

    struct Inconsistency: Sendable, CustomTestStringConvertible {
        let id: String
        let birth: BirthDate?
        let gender: Gender?
        let expected: [IDInconsistency]
        var testDescription: String { "\(self.id) \(self.birth?.description ?? "-") \(self.gender?.rawValue ?? "-")" }
    }

    @Test(arguments: [
        Inconsistency(id: "001085012345", birth: BirthDate(year: 1985, month: 3, day: 2), gender: .male, expected: []),
        Inconsistency(id: "001085012345", birth: BirthDate(year: 1985), gender: nil, expected: []),
        Inconsistency(id: "001085012345", birth: nil, gender: nil, expected: []),
        Inconsistency(id: "001085012345", birth: BirthDate(year: 1986), gender: nil, expected: [.birthYear(inID: 1985, listed: 1986)]),
        Inconsistency(id: "001086012345", birth: BirthDate(year: 1985), gender: nil, expected: [.birthYear(inID: 1986, listed: 1985)]),
        // Century: the two-digit year agrees, the century digit does not, both ways round.
        Inconsistency(id: "001005012345", birth: BirthDate(year: 2005), gender: nil, expected: [.century(inID: 1905, listed: 2005)]),
        Inconsistency(id: "001205012345", birth: BirthDate(year: 1905), gender: nil, expected: [.century(inID: 2005, listed: 1905)]),
        // Gender both ways round.
        Inconsistency(id: "001085012345", birth: nil, gender: .female, expected: [.gender(inID: .male, listed: .female)]),
        Inconsistency(id: "001185012345", birth: nil, gender: .male, expected: [.gender(inID: .female, listed: .male)]),
        // Century digit 1 is female, 1900s: a listed male born 1950 disagrees on year and gender.
        Inconsistency(
            id: "001145012345", birth: BirthDate(year: 1950, month: 1, day: 1), gender: .male,
            expected: [.birthYear(inID: 1945, listed: 1950), .gender(inID: .female, listed: .male)]),
    ])
    func inconsistencies(_ c: Inconsistency) throws {
        let id = try PersonalID(parsing: c.id, today: today)
        let found = id.inconsistencies(birthDate: c.birth, gender: c.gender)
        #expect(found == c.expected)
        for item in found {
            #expect(item.code.hasPrefix("id_"))
            #expect(!item.messageVI.isEmpty && !item.messageEN.isEmpty)
        }
    }

    @Test func inconsistencyMessagesNameTheParts() {
        #expect(IDInconsistency.birthYear(inID: 1985, listed: 1986).messageVI.contains("1985"))
        #expect(IDInconsistency.century(inID: 1905, listed: 2005).messageEN.contains("century"))
        #expect(IDInconsistency.gender(inID: .male, listed: .female).messageVI.contains("Nữ"))
    }
}

@Suite("OldID")
struct OldIDTests {
    @Test(arguments: [
        ("012345678", "012345678", false),
        ("012 345 678", "012345678", false),
        ("'012345678", "012345678", false),
        ("12345678", "012345678", true),
        ("112345678", "112345678", false),
    ])
    func parses(_ text: String, _ digits: String, _ restored: Bool) throws {
        let id = try OldID(parsing: text)
        #expect(id.digits == digits)
        #expect(id.restoredLeadingZero == restored)
    }

    @Test(arguments: [
        ("1234567", IdentityProblem.wrongLength(found: 7, expected: 9)),
        ("0123456789", .wrongLength(found: 10, expected: 9)),
        ("001085012345", .wrongLength(found: 12, expected: 9)),
        ("01234567x", .nonDigit(character: "x", position: 9)),
        ("", .empty),
    ] as [(String, IdentityProblem)])
    func rejects(_ text: String, _ expected: IdentityProblem) {
        #expect(throws: expected) { try OldID(parsing: text) }
    }

    @Test func masksAndReadsNumberCells() throws {
        let id = try OldID(cell: .number(12_345_678))
        #expect(id.digits == "012345678")
        #expect(id.restoredLeadingZero)
        #expect(id.masked == "•••••5678")
        #expect("\(id)" == "•••••5678")
        #expect(IdentityProblem.wrongLength(found: 7, expected: 9).messageVI.contains("CMND"))
    }
}

@Suite("Gender")
struct GenderTests {
    @Test(arguments: [
        ("Nam", Gender?.some(.male)), ("nam", .male), ("NAM", .male), (" Nam ", .male), ("Nam giới", .male),
        ("M", .male), ("m", .male), ("Male", .male), ("male", .male), ("Trai", .male), ("Ông", .male),
        ("Nữ", .female), ("nữ", .female), ("NỮ", .female), ("Nu", .female), ("nu", .female), ("Nữ giới", .female),
        ("F", .female), ("Female", .female), ("Gái", .female), ("Bà", .female), ("N\u{1EEF}", .female),
        ("Nu\u{0303}", .female),  // decomposed input
        // Ambiguous codes and words are refused rather than guessed.
        ("1", nil), ("0", nil), ("2", nil), ("N", nil), ("X", nil), ("", nil), ("Ong", nil), ("Ba", nil), ("Nam Nữ", nil),
    ] as [(String, Gender?)])
    func parses(_ text: String, _ expected: Gender?) {
        #expect(Gender(parsing: text) == expected)
    }

    @Test func labels() {
        #expect(Gender.male.labelVI == "Nam")
        #expect(Gender.female.labelVI == "Nữ")
        #expect(Gender.female.labelEN == "Female")
    }
}

@Suite("BirthDate")
struct BirthDateTests {
    @Test(arguments: [
        ("01/02/1945", BirthDate(year: 1945, month: 2, day: 1)),
        ("1/2/1945", BirthDate(year: 1945, month: 2, day: 1)),
        ("1/2/45", BirthDate(year: 1945, month: 2, day: 1)),
        ("1/2/26", BirthDate(year: 1926, month: 2, day: 1)),
        ("1/2/25", BirthDate(year: 2025, month: 2, day: 1)),
        ("1/2/20", BirthDate(year: 2020, month: 2, day: 1)),
        ("01-02-1945", BirthDate(year: 1945, month: 2, day: 1)),
        ("01.02.1945", BirthDate(year: 1945, month: 2, day: 1)),
        ("01 02 1945", BirthDate(year: 1945, month: 2, day: 1)),
        ("1945-02-01", BirthDate(year: 1945, month: 2, day: 1)),
        ("1945/2/1", BirthDate(year: 1945, month: 2, day: 1)),
        ("1945", BirthDate(year: 1945)),
        (" 1945 ", BirthDate(year: 1945)),
        ("02/1945", BirthDate(year: 1945, month: 2)),
        ("2/1945", BirthDate(year: 1945, month: 2)),
        ("1945-02", BirthDate(year: 1945, month: 2)),
        ("01/02/1945 00:00:00", BirthDate(year: 1945, month: 2, day: 1)),
        ("1/2/1945 12:00:00 SA", BirthDate(year: 1945, month: 2, day: 1)),
        ("1945-02-01T00:00:00", BirthDate(year: 1945, month: 2, day: 1)),
        ("'01/02/1945", BirthDate(year: 1945, month: 2, day: 1)),
        ("01/02/1945.", BirthDate(year: 1945, month: 2, day: 1)),
        ("ngày 01 tháng 02 năm 1945", BirthDate(year: 1945, month: 2, day: 1)),
        ("Ngày 1 tháng 2 năm 1945", BirthDate(year: 1945, month: 2, day: 1)),
        ("Năm 1945", BirthDate(year: 1945)),
        ("tháng 2/1945", BirthDate(year: 1945, month: 2)),
        ("01/02/1945\u{00A0}", BirthDate(year: 1945, month: 2, day: 1)),
        ("01021945", BirthDate(year: 1945, month: 2, day: 1)),
        ("19450201", BirthDate(year: 1945, month: 2, day: 1)),
        ("1021945", BirthDate(year: 1945, month: 2, day: 1)),
        ("16469", BirthDate(year: 1945, month: 2, day: 1)),  // an Excel serial written out as text
        ("29/02/1948", BirthDate(year: 1948, month: 2, day: 29)),
        ("29/02/2000", BirthDate(year: 2000, month: 2, day: 29)),
        ("15/06/2025", BirthDate(year: 2025, month: 6, day: 15)),
        ("06/2025", BirthDate(year: 2025, month: 6)),
        ("2025", BirthDate(year: 2025)),
        ("1/1/1900", BirthDate(year: 1900, month: 1, day: 1)),
    ] as [(String, BirthDate?)])
    func parsesText(_ text: String, _ expected: BirthDate?) throws {
        #expect(try BirthDate(parsing: text, today: today) == expected)
    }

    @Test(arguments: [
        ("", BirthDateProblem.empty),
        ("abc", .unrecognised(text: "abc")),
        ("1/2", .unrecognised(text: "1/2")),
        ("2/45", .unrecognised(text: "2/45")),
        ("1/2/3/1945", .unrecognised(text: "1/2/3/1945")),
        ("123", .unrecognised(text: "123")),
        ("01/02/1945 (âm lịch)", .unrecognised(text: "01/02/1945 (âm lịch)")),
        ("31/02/1950", .notACalendarDate(text: "31/02/1950", day: 31, month: 2, year: 1950)),
        ("29/02/1950", .notACalendarDate(text: "29/02/1950", day: 29, month: 2, year: 1950)),
        ("29/02/1900", .notACalendarDate(text: "29/02/1900", day: 29, month: 2, year: 1900)),
        ("31/04/1950", .notACalendarDate(text: "31/04/1950", day: 31, month: 4, year: 1950)),
        ("0/04/1950", .notACalendarDate(text: "0/04/1950", day: 0, month: 4, year: 1950)),
        ("13/13/1950", .monthOutOfRange(text: "13/13/1950", month: 13, dayFirst: true)),
        ("02/13/1950", .monthOutOfRange(text: "02/13/1950", month: 13, dayFirst: false)),
        ("13/1950", .monthOutOfRange(text: "13/1950", month: 13, dayFirst: true)),
        ("01/02/1899", .beforeEarliest(text: "01/02/1899", year: 1899)),
        ("1899", .beforeEarliest(text: "1899", year: 1899)),
        ("16/06/2025", .inFuture(text: "16/06/2025")),
        ("07/2025", .inFuture(text: "07/2025")),
        ("2026", .inFuture(text: "2026")),
        ("99999", .inFuture(text: "99999")),
    ] as [(String, BirthDateProblem)])
    func reportsProblems(_ text: String, _ expected: BirthDateProblem) {
        #expect(throws: expected) { try BirthDate(parsing: text, today: today) }
        #expect(!expected.messageVI.isEmpty && !expected.messageEN.isEmpty)
    }

    @Test(arguments: [
        (Cell.date(serial: 16469), BirthDate(year: 1945, month: 2, day: 1)),
        (.date(serial: 16469.75), BirthDate(year: 1945, month: 2, day: 1)),
        (.date(serial: 1), BirthDate(year: 1900, month: 1, day: 1)),
        (.date(serial: 59), BirthDate(year: 1900, month: 2, day: 28)),
        (.date(serial: 61), BirthDate(year: 1900, month: 3, day: 1)),
        (.date(serial: 45823), BirthDate(year: 2025, month: 6, day: 15)),
        (.number(16469), BirthDate(year: 1945, month: 2, day: 1)),
        (.number(1945), BirthDate(year: 1945)),
        (.number(1_021_945), BirthDate(year: 1945, month: 2, day: 1)),
        (.number(15_021_945), BirthDate(year: 1945, month: 2, day: 15)),
        (.number(19_450_215), BirthDate(year: 1945, month: 2, day: 15)),
        (.number(1900), BirthDate(year: 1900)),
        (.text("01/02/1945"), BirthDate(year: 1945, month: 2, day: 1)),
    ] as [(Cell, BirthDate?)])
    func parsesCells(_ cell: Cell, _ expected: BirthDate?) throws {
        #expect(try BirthDate(cell: cell, today: today) == expected)
    }

    @Test(arguments: [
        (Cell.empty, BirthDateProblem.empty),
        (.number(45), .unrecognised(text: "45")),
        (.number(1945.5), .unrecognised(text: "1945.5")),
        (.number(1899), .beforeEarliest(text: "1899", year: 1899)),
        (.number(2030), .inFuture(text: "2030")),
        (.number(45824), .inFuture(text: "45824")),
        (.date(serial: 60), .excelPhantomDay),
        (.date(serial: 0.5), .unrecognised(text: "0.5")),
        (.bool(true), .unrecognised(text: "TRUE")),
    ] as [(Cell, BirthDateProblem)])
    func rejectsCells(_ cell: Cell, _ expected: BirthDateProblem) {
        #expect(throws: expected) { try BirthDate(cell: cell, today: today) }
    }

    @Test func excelSerialRoundTrips() throws {
        for serial in [1, 59, 61, 10_000, 16_469, 36_526, 45_823] {
            let date = try BirthDate(excelSerial: Double(serial), today: today)
            #expect(date.excelSerial == serial)
        }
    }

    @Test func notesTwoDigitYears() throws {
        var note = BirthDate.ParseNote()
        _ = try BirthDate.parse(text: "1/2/45", today: today, note: &note)
        #expect(note.expandedTwoDigitYear)
        note = BirthDate.ParseNote()
        _ = try BirthDate.parse(text: "1/2/1945", today: today, note: &note)
        #expect(!note.expandedTwoDigitYear)
    }

    @Test(arguments: [
        (BirthDate(year: 1945, month: 3, day: 5)!, BirthDate(year: 1945, month: 5, day: 3)),
        (BirthDate(year: 1945, month: 12, day: 1)!, BirthDate(year: 1945, month: 1, day: 12)),
        (BirthDate(year: 1945, month: 3, day: 13)!, nil),
        (BirthDate(year: 1945, month: 5, day: 5)!, nil),
        (BirthDate(year: 1945, month: 5)!, nil),
        (BirthDate(year: 1945)!, nil),
    ] as [(BirthDate, BirthDate?)])
    func dayMonthSwap(_ date: BirthDate, _ swapped: BirthDate?) {
        #expect(date.couldSwapDayAndMonth == (swapped != nil))
        #expect(date.dayMonthSwapped == swapped)
    }

    @Test func precisionFormsAndOrder() throws {
        let full = BirthDate(year: 1945, month: 2, day: 1)!
        let month = BirthDate(year: 1945, month: 2)!
        let year = BirthDate(year: 1945)!
        #expect(full.description == "01/02/1945" && full.isoString == "1945-02-01")
        #expect(month.description == "02/1945" && month.isoString == "1945-02")
        #expect(year.description == "1945" && year.isoString == "1945")
        #expect(year.isYearOnly && !month.isYearOnly && !full.isYearOnly)
        #expect(full.isFullDate && !month.isFullDate)
        #expect(year < month && month < full && full < BirthDate(year: 1945, month: 2, day: 2)!)
        #expect(BirthDate(year: 1945, month: 2, day: 30) == nil)
        #expect(BirthDate(year: 1945, day: 3) == nil)
        let data = try JSONEncoder().encode([full, month, year])
        #expect(try JSONDecoder().decode([BirthDate].self, from: data) == [full, month, year])
    }

    @Test func referenceDayIsTodayInVietnam() {
        // 2025-06-15 20:00 UTC is already 16 June in Hanoi.
        let day = BirthDate.ReferenceDay.current(now: Date(timeIntervalSince1970: 1_750_017_600))
        #expect(day == BirthDate.ReferenceDay(year: 2025, month: 6, day: 16))
    }
}
