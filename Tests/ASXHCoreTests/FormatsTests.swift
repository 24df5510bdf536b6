import Foundation
import Testing
import ZIPFoundation
@testable import ASXHCore

/// A fresh temporary directory per call, so parallel tests never share files.
private func temporaryPath(_ name: String) -> String {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("asxh-formats-tests-\(UUID().uuidString)", isDirectory: true)
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent(name).path
}

private func writeFile(_ name: String, _ bytes: [UInt8]) -> String {
    let path = temporaryPath(name)
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}

private func writeFile(_ name: String, _ text: String) -> String {
    writeFile(name, Array(text.utf8))
}

private func texts(_ rows: [TableRow]) -> [[String]] {
    rows.map { $0.cells.map(\.text) }
}

// MARK: - CSV

@Suite("CSV reader")
struct CSVReaderTests {
    @Test func quotedFieldsWithDelimitersQuotesAndLineBreaks() throws {
        let path = writeFile("quotes.csv", "a,\"b,c\",\"d\"\"e\",\"line1\nline2\"\r\nx,y,,z\n\"\",last\n")
        let reader = try CSVReader(path: path)
        let rows = try reader.readAll()
        #expect(rows.map(\.number) == [1, 2, 3])
        #expect(rows[0].cells == [.text("a"), .text("b,c"), .text("d\"e"), .text("line1\nline2")])
        #expect(rows[1].cells == [.text("x"), .text("y"), .empty, .text("z")])
        #expect(rows[2].cells == [.empty, .text("last")])
        #expect(reader.detectedEncoding == .utf8)
        #expect(reader.delimiter == UInt8(ascii: ","))
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineEndings(_ newline: String) throws {
        let text = ["Họ tên,Số tiền", "Nguyễn Văn A,100", "", "\"Trần\(newline)Thị\",200"].joined(separator: newline)
            + newline
        let rows = try CSVReader(path: writeFile("endings.csv", text)).readAll()
        #expect(rows.map(\.number) == [1, 2, 3, 4])
        #expect(texts(rows) == [["Họ tên", "Số tiền"], ["Nguyễn Văn A", "100"], [], ["Trần\(newline)Thị", "200"]])
    }

    @Test(arguments: [",", ";", "\t"])
    func delimiterIsDetected(_ delimiter: String) throws {
        let lines = [
            "DANH SÁCH ĐỐI TƯỢNG",
            ["STT", "Họ và tên", "Địa chỉ", "Số tiền"].joined(separator: delimiter),
            ["1", "Nguyễn Văn A", "\"Số 5\(delimiter) ngõ 10, Hàng Bạc\"", "\"1,5\""].joined(separator: delimiter),
            ["2", "Lê Thị B", "Xã Đông Anh", "\"2,5\""].joined(separator: delimiter),
        ]
        let reader = try CSVReader(path: writeFile("delimiters.csv", lines.joined(separator: "\r\n")))
        #expect(reader.delimiter == UInt8(ascii: Unicode.Scalar(delimiter)!))
        let rows = try reader.readAll()
        #expect(rows[0].cells == [.text("DANH SÁCH ĐỐI TƯỢNG")])
        #expect(rows[2].cells.count == 4)
        #expect(rows[2][2] == .text("Số 5\(delimiter) ngõ 10, Hàng Bạc"))
    }

    @Test func utf8ByteOrderMarkIsSkipped() throws {
        let reader = try CSVReader(path: writeFile("bom.csv", [0xEF, 0xBB, 0xBF] + Array("Mã,Tên\n1,Đức\n".utf8)))
        #expect(reader.detectedEncoding == .utf8BOM)
        #expect(try texts(reader.readAll()) == [["Mã", "Tên"], ["1", "Đức"]])
    }

    /// "Họ và tên;Địa chỉ / Nguyễn Văn Đức;"Phường Hàng Bạc, Quận Hoàn Kiếm" / Trần Thị Ánh;Xã Đông Anh" as Excel
    /// saves it on a Vietnamese Windows: Windows-1258 with combining tone marks.
    static let windows1258Sample: [UInt8] = [
        0x48, 0x6F, 0xF2, 0x20, 0x76, 0xE0, 0x20, 0x74, 0xEA, 0x6E, 0x3B, 0xD0, 0x69, 0xF2, 0x61, 0x20, 0x63, 0x68,
        0x69, 0xD2, 0x0D, 0x0A, 0x4E, 0x67, 0x75, 0x79, 0xEA, 0xDE, 0x6E, 0x20, 0x56, 0xE3, 0x6E, 0x20, 0xD0, 0xFD,
        0xEC, 0x63, 0x3B, 0x22, 0x50, 0x68, 0xFD, 0xF5, 0xCC, 0x6E, 0x67, 0x20, 0x48, 0xE0, 0x6E, 0x67, 0x20, 0x42,
        0x61, 0xF2, 0x63, 0x2C, 0x20, 0x51, 0x75, 0xE2, 0xF2, 0x6E, 0x20, 0x48, 0x6F, 0xE0, 0x6E, 0x20, 0x4B, 0x69,
        0xEA, 0xEC, 0x6D, 0x22, 0x0D, 0x0A, 0x54, 0x72, 0xE2, 0xCC, 0x6E, 0x20, 0x54, 0x68, 0x69, 0xF2, 0x20, 0xC1,
        0x6E, 0x68, 0x3B, 0x58, 0x61, 0xDE, 0x20, 0xD0, 0xF4, 0x6E, 0x67, 0x20, 0x41, 0x6E, 0x68, 0x0D, 0x0A,
    ]
    static let windows1258Expected = [
        ["Họ và tên", "Địa chỉ"],
        ["Nguyễn Văn Đức", "Phường Hàng Bạc, Quận Hoàn Kiếm"],
        ["Trần Thị Ánh", "Xã Đông Anh"],
    ]

    @Test func windows1258IsDecodedAndNormalisedToNFC() throws {
        let reader = try CSVReader(path: writeFile("ansi.csv", Self.windows1258Sample))
        #expect(reader.detectedEncoding == .windows1258)
        #expect(reader.delimiter == UInt8(ascii: ";"))
        let rows = try reader.readAll()
        #expect(texts(rows) == Self.windows1258Expected)
        // NFC: "Nguyễn" is 6 scalars, not 7 or 8.
        #expect(rows[1][0].text.unicodeScalars.count == "Nguyễn Văn Đức".precomposedStringWithCanonicalMapping.unicodeScalars.count)
        #expect(rows[1][0].text.unicodeScalars.allSatisfy { !(0x0300...0x036F).contains($0.value) })
    }

    @Test func windows1258IsFoundBeyondTheFirstChunk() throws {
        // 64 KiB of ASCII first: the UTF-8 check must look at the whole file, not the first chunk.
        var bytes: [UInt8] = []
        for index in 0..<4000 { bytes += Array("\(index);ascii only\r\n".utf8) }
        bytes += Self.windows1258Sample
        let reader = try CSVReader(path: writeFile("late-ansi.csv", bytes), chunkSize: 4096)
        #expect(reader.detectedEncoding == .windows1258)
        let rows = try reader.readAll()
        #expect(rows.count == 4003)
        #expect(texts(Array(rows.suffix(3))) == Self.windows1258Expected)
    }

    @Test func strayInvalidBytesInAUTF8FileStayUTF8() throws {
        var bytes = Array(String(repeating: "Nguyễn Văn Đức;Hà Nội\n", count: 50).utf8)
        bytes += [0x41, 0xFF, 0x3B, 0x42, 0x0A]
        let reader = try CSVReader(path: writeFile("mostly-utf8.csv", bytes))
        #expect(reader.detectedEncoding == .utf8)
        let rows = try reader.readAll()
        #expect(rows[0].cells == [.text("Nguyễn Văn Đức"), .text("Hà Nội")])
        #expect(rows[50][0] == .text("A\u{FFFD}"))
    }

    @Test(arguments: [false, true])
    func utf16WithByteOrderMark(bigEndian: Bool) throws {
        // Excel's "Unicode Text": UTF-16 with BOM, tab-separated; 😀 checks surrogate pairs.
        let text = "Họ và tên\tGhi chú\r\nNguyễn Văn Đức\t\"a\tb\" 😀\r\n"
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let high = UInt8(unit >> 8)
            let low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        for chunkSize in [16, 17, 4096] {
            let reader = try CSVReader(path: writeFile("unicode.txt", bytes), chunkSize: chunkSize)
            #expect(reader.detectedEncoding == (bigEndian ? .utf16BigEndian : .utf16LittleEndian))
            #expect(reader.delimiter == UInt8(ascii: "\t"))
            #expect(try texts(reader.readAll()) == [["Họ và tên", "Ghi chú"], ["Nguyễn Văn Đức", "a\tb 😀"]])
        }
    }

    @Test func decomposedUTF8IsNormalisedToNFC() throws {
        let decomposed = "Nguyễn Văn Đức".decomposedStringWithCanonicalMapping
        let rows = try CSVReader(path: writeFile("nfd.csv", decomposed + ",x\n")).readAll()
        #expect(rows[0][0] == .text("Nguyễn Văn Đức".precomposedStringWithCanonicalMapping))
    }

    @Test func unterminatedQuoteIsAnErrorWithTheRowNumber() throws {
        let path = writeFile("broken.csv", "a,b\n1,2\n3,\"never closed\n4,5\n")
        let reader = try CSVReader(path: path)
        #expect(try reader.next()?.number == 1)
        #expect(try reader.next()?.number == 2)
        #expect(throws: TabularFileError.unterminatedQuote(row: 3)) { try reader.next() }
        let error = TabularFileError.unterminatedQuote(row: 3)
        #expect(error.vietnamese.contains("Dòng 3"))
        #expect(error.english.contains("Row 3"))
    }

    @Test(arguments: [16, 17, 23, 64, 1 << 18])
    func chunkBoundariesDoNotChangeTheResult(chunkSize: Int) throws {
        var text = "Mã;Họ tên;Ghi chú\r\n"
        for index in 0..<300 {
            text += "\(index);\"Nguyễn \"\"Văn\"\" \(index)\";\"dòng 1\r\ndòng 2; vẫn ô này\"\r\n"
            if index % 7 == 0 { text += "\r\n" }
            if index % 11 == 0 { text += "\(index);Đặng Thị Ánh;\r" }
        }
        let path = writeFile("chunks.csv", text)
        let expected = try CSVReader(path: path, chunkSize: 1 << 20).readAll()
        let rows = try CSVReader(path: path, chunkSize: chunkSize).readAll()
        #expect(rows == expected)
        #expect(rows[1].cells == [.text("0"), .text("Nguyễn \"Văn\" 0"), .text("dòng 1\r\ndòng 2; vẫn ô này")])
        #expect(rows.count == 1 + 300 + 43 + 28)
    }

    @Test func emptyFileHasNoRows() throws {
        #expect(try CSVReader(path: writeFile("empty.csv", [])).next() == nil)
    }
}

@Suite("CSV writer")
struct CSVWriterTests {
    @Test func quotesOnlyWhatNeedsQuoting() {
        let text = CSVWriter.string(rows: [["a", "b,c", "say \"hi\"", "two\nlines", ""], ["Đức"]])
        #expect(text == "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\nĐức\r\n")
    }

    @Test func byteOrderMarkAndFormulaNeutralising() {
        let text = CSVWriter.string(rows: [["=SUM(A1)", "x"]], delimiter: UInt8(ascii: ";"), lineEnding: .lf,
                                    byteOrderMark: true, neutralisesFormulas: true)
        #expect(text == "\u{FEFF}'=SUM(A1);x\n")
    }

    @Test func fileRoundTripThroughTheReader() throws {
        let path = temporaryPath("roundtrip.csv")
        let rows = [["Họ và tên", "Địa chỉ", "Ghi chú"], ["Nguyễn Văn A", "Số 5, ngõ 10", "nói \"có\"\r\nxuống dòng"]]
            + (0..<5000).map { ["Người \($0)", "Xã \($0 % 50)", "\($0)"] }
        let writer = try CSVWriter(path: path, byteOrderMark: true)
        for row in rows { try writer.write(row: row) }
        try writer.close()
        let reader = try CSVReader(path: path)
        #expect(reader.detectedEncoding == .utf8BOM)
        #expect(try texts(reader.readAll()) == rows)
    }
}

// MARK: - XLSX

@Suite("XLSX writer and reader")
struct XLSXRoundTripTests {
    @Test(arguments: [XLSXWriter.StringStorage.inline, .shared])
    func roundTrip(storage: XLSXWriter.StringStorage) throws {
        let path = temporaryPath("roundtrip.xlsx")
        let writer = try XLSXWriter(path: path, stringStorage: storage)
        try writer.addSheet("Danh sách", columnWidths: [30, 12, 14])
        try writer.addRow(["Họ và tên", "Ngày sinh", "Số tiền", "Đã nhận", "Ghi chú"])
        try writer.addRow([.text("Nguyễn Văn A"), .date(serial: 25_000), .number(1_500_000), .bool(true),
                           .text("a & b <c> \"d\"\r\nline")])
        try writer.addRow([.text("  leading space"), .empty, .number(0.1), .bool(false), .text("_x000D_ literal")])
        try writer.addRow([] as [Cell])
        try writer.addRow([.empty, .empty, .number(-3.25e-7), .empty, .text("Trần Thị B\u{1}")])
        try writer.addRow([.number(123_456_789_012), .date(serial: 45_000.75), .number(1234.5678)])
        #expect(try writer.addSheet("Danh sách") == "Danh sách (2)")
        try writer.addRow(["chỉ một ô"])
        #expect(try writer.addSheet("a/b:c[d]") == "a_b_c_d_")
        try writer.close()

        let workbook = try XLSXReader(path: path)
        #expect(workbook.sheetNames == ["Danh sách", "Danh sách (2)", "a_b_c_d_"])
        let rows = try workbook.rows(sheet: "Danh sách").readAll()
        #expect(rows.map(\.number) == [1, 2, 3, 5, 6])
        #expect(texts([rows[0]]) == [["Họ và tên", "Ngày sinh", "Số tiền", "Đã nhận", "Ghi chú"]])
        #expect(rows[1].cells == [.text("Nguyễn Văn A"), .date(serial: 25_000), .number(1_500_000), .bool(true),
                                  .text("a & b <c> \"d\"\r\nline")])
        #expect(rows[2].cells == [.text("  leading space"), .empty, .number(0.1), .bool(false),
                                  .text("_x000D_ literal")])
        #expect(rows[3].cells == [.empty, .empty, .number(-3.25e-7), .empty, .text("Trần Thị B\u{1}")])
        #expect(rows[4].cells == [.number(123_456_789_012), .date(serial: 45_000.75), .number(1234.5678)])

        #expect(try workbook.rows(sheet: "Danh sách (2)").readAll().map(\.cells) == [[.text("chỉ một ô")]])
        #expect(try workbook.rows(sheet: "a_b_c_d_").readAll().isEmpty)

        var pushed: [TableRow] = []
        try workbook.forEachRow(sheet: nil) { pushed.append($0) }
        #expect(pushed == rows)
    }

    @Test func manyRowsStreamAcrossChunksAndBatches() throws {
        let path = temporaryPath("many.xlsx")
        let writer = try XLSXWriter(path: path, stringStorage: .shared)
        try writer.addSheet("Dữ liệu")
        let count = 30_000
        for index in 0..<count {
            try writer.addRow([.text("Người \(index)"), .text("Xã \(index % 100)"), .number(Double(index)),
                               .date(serial: Double(20_000 + index % 3000))])
        }
        try writer.close()

        let reader = try XLSXReader(path: path).rows()
        var seen = 0
        while let row = try reader.next() {
            #expect(row.number == seen + 1)
            if row.cells != [.text("Người \(seen)"), .text("Xã \(seen % 100)"), .number(Double(seen)),
                             .date(serial: Double(20_000 + seen % 3000))] {
                Issue.record("row \(row.number) differs: \(row.cells)")
                break
            }
            seen += 1
        }
        #expect(seen == count)
    }

    @Test func droppingAReaderEarlyStopsItsThread() throws {
        let path = temporaryPath("early.xlsx")
        let writer = try XLSXWriter(path: path)
        for index in 0..<50_000 { try writer.addRow([.number(Double(index))]) }
        try writer.close()
        let workbook = try XLSXReader(path: path)
        for _ in 0..<20 {
            let reader = try workbook.rows()
            #expect(try reader.next()?.cells == [.number(0)])
        }
        #expect(try workbook.rows().readAll().count == 50_000)
    }
}

/// An .xlsx written part by part, the way Excel and other tools lay them out, to check the reader against
/// files it did not write.
enum HandBuiltWorkbook {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static func write(to path: String, date1904: Bool = false, stored: Bool = false) throws {
        let parts: [(String, String)] = [
            ("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/></Types>
            """),
            ("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
              <Relationship Id="rId1" Type="\(relationships)/officeDocument" Target="xl/workbook.xml"/>
            </Relationships>
            """),
            ("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="\(main)" xmlns:r="\(relationships)">
              \(date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>")
              <sheets>
                <sheet name="Ẩn" sheetId="3" state="hidden" r:id="rId1"/>
                <sheet name="Danh sách" sheetId="1" r:id="rId3"/>
                <sheet name="Tổng hợp &amp; ghi chú" sheetId="2" r:id="rId2"/>
              </sheets>
            </workbook>
            """),
            ("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
              <Relationship Id="rId2" Type="\(relationships)/worksheet" Target="worksheets/sheet2.xml"/>
              <Relationship Id="rId1" Type="\(relationships)/worksheet" Target="/xl/worksheets/hidden.xml"/>
              <Relationship Id="rId3" Type="\(relationships)/worksheet" Target="worksheets/sheet1.xml"/>
              <Relationship Id="rId4" Type="\(relationships)/sharedStrings" Target="sharedStrings.xml"/>
              <Relationship Id="rId5" Type="\(relationships)/styles" Target="styles.xml"/>
            </Relationships>
            """),
            ("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="\(main)">
              <numFmts count="3">
                <numFmt numFmtId="164" formatCode="[$-42A]dd/mm/yyyy;@"/>
                <numFmt numFmtId="165" formatCode="0&quot; ngày&quot;"/>
                <numFmt numFmtId="166" formatCode="[Red]#,##0\\d"/>
              </numFmts>
              <cellStyleXfs count="1"><xf numFmtId="14" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
              <cellXfs count="6">
                <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
                <xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
                <xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
                <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1">
                  <alignment horizontal="center"/>
                </xf>
                <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
                <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
              </cellXfs>
            </styleSheet>
            """),
            ("xl/sharedStrings.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="\(main)" count="7" uniqueCount="7">\
            <si><t>DANH SÁCH ĐỐI TƯỢNG BẢO TRỢ XÃ HỘI</t></si>\
            <si><t>Họ và tên</t></si>\
            <si><r><rPr><b/><sz val="11"/></rPr><t>Ngày</t></r><r><t xml:space="preserve"> sinh</t></r></si>\
            <si><t>Nguyễn Văn A_x000D_
            B &amp; C &#272;</t></si>\
            <si><t>漢</t><rPh sb="0" eb="1"><t>カン</t></rPh><phoneticPr fontId="1"/></si>\
            <si><t>_x005F_x000D_ literal</t></si>\
            <si><t>Le\u{0302}\u{0323}<![CDATA[ <raw> & ]]></t></si>\
            </sst>
            """),
            ("xl/worksheets/sheet1.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="\(main)" xmlns:r="\(relationships)"><dimension ref="A1:H7"/>
            <sheetData>
            <row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c></row>
            <row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="s"><v>2</v></c>\
            <c r="D3" t="inlineStr"><is><r><t>Ghi </t></r><r><rPr><i/></rPr><t>chú</t></r></is></c></row>
            <row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" s="1"><v>45292</v></c><c r="C4" s="2"><v>1500000</v></c>\
            <c r="D4" t="str"><f>A4&amp;"x"</f><v>Tổng &lt;cộng&gt;</v></c><c r="E4" t="b"><v>1</v></c>\
            <c r="F4" t="e"><v>#N/A</v></c></row>
            <row r="6"><c r="B6" s="3"><v>45000.5</v></c><c r="C6" s="4"><v>12</v></c><c r="D6" s="5"><v>3</v></c>\
            <c r="E6" t="s"><v>4</v></c><c r="F6" t="s"><v>5</v></c><c r="G6" t="s"><v>6</v></c><c r="H6" s="1"/></row>
            <row r="7" s="1" customFormat="1"/>
            </sheetData>
            <mergeCells count="1"><mergeCell ref="A1:F1"/></mergeCells>
            </worksheet>
            """),
            ("xl/worksheets/sheet2.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <x:worksheet xmlns:x="\(main)"><x:sheetData>\
            <x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>xin chào</x:t></x:is></x:c>\
            <x:c r="C2" t="d"><x:v>2024-01-01T12:00:00</x:v></x:c></x:row>\
            </x:sheetData></x:worksheet>
            """),
            ("xl/worksheets/hidden.xml", """
            <worksheet xmlns="\(main)"><sheetData><row><c><v>1</v></c><c><v>2</v></c></row>\
            <row><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>
            """),
        ]
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, xml) in parts {
            let data = Data(xml.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: stored ? .none : .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
    }
}

@Suite("XLSX limits")
struct XLSXLimitTests {
    @Test("a sheet that inflates past the limit is refused with a clear error, whatever its compressed size")
    func sheetPastTheLimit() throws {
        let path = temporaryPath("big.xlsx")
        let writer = try XLSXWriter(path: path)
        try writer.addSheet("Danh sách")
        for row in 0..<5_000 { try writer.addRow([.text("Nguyễn Văn A"), .number(Double(row)), .text("Thôn Đông, xã Phúc Xá")]) }
        try writer.close()
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size <= 100_000)

        let small = try XLSXReader(path: path, limits: XLSXReader.Limits(sheetBytes: 100_000))
        let error = #expect(throws: TabularFileError.self) { _ = try small.rows().readAll() }
        #expect(error?.code == "file.too_large")
        #expect(error?.vietnamese.contains("chia danh sách") == true)
        #expect(try XLSXReader(path: path).rows().readAll().count == 5_000)

        let tinyParts = XLSXReader.Limits(sheetBytes: 1 << 30, otherPartBytes: 10)
        #expect(throws: TabularFileError.self) { _ = try XLSXReader(path: path, limits: tinyParts) }
    }
}

@Suite("XLSX reader on a hand-built workbook")
struct XLSXHandBuiltTests {
    @Test(arguments: [false, true])
    func readsSharedStringsStylesDatesAndGaps(date1904: Bool) throws {
        let path = temporaryPath("hand.xlsx")
        try HandBuiltWorkbook.write(to: path, date1904: date1904)
        let workbook = try XLSXReader(path: path)
        #expect(workbook.sheetNames == ["Ẩn", "Danh sách", "Tổng hợp & ghi chú"])
        #expect(workbook.sheets.map(\.isHidden) == [true, false, false])

        let rows = try workbook.rows().readAll()  // first visible sheet
        let offset: Double = date1904 ? 1462 : 0
        #expect(rows.map(\.number) == [1, 3, 4, 6])
        #expect(rows[0].cells == [.text("DANH SÁCH ĐỐI TƯỢNG BẢO TRỢ XÃ HỘI")])
        #expect(rows[1].cells == [.text("Họ và tên"), .text("Ngày sinh"), .empty, .text("Ghi chú")])
        #expect(rows[2].cells == [.text("Nguyễn Văn A\r\nB & C Đ"), .date(serial: 45292 + offset),
                                  .number(1_500_000), .text("Tổng <cộng>"), .bool(true), .text("#N/A")])
        #expect(rows[3].cells == [.empty, .date(serial: 45000.5 + offset), .number(12), .number(3), .text("漢"),
                                  .text("_x000D_ literal"), .text("Lệ <raw> & ")])

        let other = try workbook.rows(sheet: "Tổng hợp & ghi chú").readAll()
        #expect(other == [TableRow(number: 2, cells: [.empty, .text("xin chào"), .date(serial: 45292.5)])])

        let hidden = try workbook.rows(sheet: "ẩn").readAll()
        #expect(hidden == [TableRow(number: 1, cells: [.number(1), .number(2)]),
                           TableRow(number: 2, cells: [.text("x")])])
    }

    @Test func damagedEntryFailsItsChecksum() throws {
        let path = temporaryPath("damaged.xlsx")
        try HandBuiltWorkbook.write(to: path, stored: true)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let needle = Data("<v>1500000</v>".utf8)
        let found = try #require(bytes.range(of: needle))
        bytes[found.lowerBound + 3] = UInt8(ascii: "2")  // still valid XML, different content
        try bytes.write(to: URL(fileURLWithPath: path))

        let reader = try XLSXReader(path: path).rows(sheet: "Danh sách")
        var values: [Cell] = []
        let error = #expect(throws: TabularFileError.self) {
            while let row = try reader.next() { values.append(row[2]) }
        }
        #expect(error?.code == "file.corrupt_workbook")
        #expect(values.contains(.number(2_500_000)))
    }

    @Test func missingSheetListsThePresentOnes() throws {
        let path = temporaryPath("hand.xlsx")
        try HandBuiltWorkbook.write(to: path)
        #expect(throws: TabularFileError.sheetNotFound(name: "Tháng 7", available: ["Ẩn", "Danh sách",
                                                                                   "Tổng hợp & ghi chú"])) {
            try TabularFile.open(path: path, sheet: "Tháng 7")
        }
        let error = TabularFileError.sheetNotFound(name: "Tháng 7", available: ["Danh sách"])
        #expect(error.vietnamese.contains("\"Danh sách\""))
        #expect(error.english.contains("\"Danh sách\""))
    }

    @Test(arguments: [
        (14, nil, true), (22, nil, true), (45, nil, true), (0, nil, false), (3, nil, false), (49, nil, false),
        (164, "dd/mm/yyyy", true), (164, "[$-42A]d mmmm yyyy", true), (164, "0\" ngày\"", false),
        (164, "[Red]#,##0\\d", false), (164, "#,##0_);(#,##0)", false), (164, "h:mm", true), (164, "General", false),
        (14, "0.00", false),
    ] as [(Int, String?, Bool)])
    func dateFormats(id: Int, code: String?, isDate: Bool) {
        #expect(XLSXStylesParser.isDateFormat(id: id, code: code) == isDate)
    }
}

@Suite("ZIP checksum")
struct ZipChecksumTests {
    @Test(arguments: [0, 1, 7, 8, 9, 1000])
    func matchesZIPFoundation(length: Int) {
        let data = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        var checksum = ZipChecksum()
        data.withUnsafeBytes { checksum.update(UnsafeRawBufferPointer(rebasing: $0[..<(length / 2)])) }
        data.withUnsafeBytes { checksum.update(UnsafeRawBufferPointer(rebasing: $0[(length / 2)...])) }
        #expect(checksum.value == data.crc32(checksum: 0))
    }

    @Test func knownValue() {
        var checksum = ZipChecksum()
        Array("123456789".utf8).withUnsafeBytes { checksum.update($0) }
        #expect(checksum.value == 0xCBF4_3926)
    }
}

// MARK: - Entry point

@Suite("Tabular file entry point")
struct TabularFileTests {
    @Test func choosesTheFormatByContentNotExtension() throws {
        let csvNamedXLSX = writeFile("list.xlsx", "Mã,Tên\n1,Đức\n")
        let asCSV = try TabularFile.open(path: csvNamedXLSX)
        #expect(asCSV.format == .csv)
        #expect(asCSV.sheetNames == ["list"])
        #expect(try texts(asCSV.rows().readAll()) == [["Mã", "Tên"], ["1", "Đức"]])

        let workbookPath = temporaryPath("list.csv")
        let writer = try XLSXWriter(path: workbookPath)
        try writer.addSheet("Trang 1")
        try writer.addRow(["Mã", "Tên"])
        try writer.close()
        let asXLSX = try TabularFile.open(path: workbookPath)
        #expect(asXLSX.format == .xlsx)
        #expect(asXLSX.sheet == "Trang 1")
        #expect(try texts(asXLSX.rows().readAll()) == [["Mã", "Tên"]])
    }

    @Test func sheetNamesMatchLoosely() throws {
        let path = temporaryPath("hand.xlsx")
        try HandBuiltWorkbook.write(to: path)
        let file = try TabularFile.open(path: path, sheet: " DANH SÁCH ")
        #expect(file.sheet == "Danh sách")
        #expect(try file.rows().next()?.number == 1)
    }

    @Test(arguments: [
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0], "file.legacy_excel"),
        (Array("<html><body><table><tr><td>1</td></tr></table></body></html>".utf8), "file.disguised_spreadsheet"),
        (Array("<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">".utf8),
         "file.disguised_spreadsheet"),
        (Array("%PDF-1.7 ...".utf8), "file.not_tabular"),
        ([0x00, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x05, 0x41, 0x42, 0x00, 0x00, 0x07], "file.not_tabular"),
        ([], "file.empty"),
        (Array("PK\u{3}\u{4}not really a zip".utf8), "file.corrupt_workbook"),
    ] as [([UInt8], String)])
    func unreadableFilesGiveClearErrors(bytes: [UInt8], code: String) throws {
        let path = writeFile("upload.xls", bytes)
        do {
            _ = try TabularFile.open(path: path)
            Issue.record("expected \(code)")
        } catch let error as TabularFileError {
            #expect(error.code == code)
            #expect(!error.vietnamese.isEmpty && !error.english.isEmpty)
        }
    }

    @Test func legacyExcelSaysSaveAsXLSX() {
        #expect(TabularFileError.legacyExcel.vietnamese.contains(".xlsx"))
        #expect(TabularFileError.legacyExcel.english.contains("Save As"))
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: TabularFileError.self) { try TabularFile.open(path: "/nonexistent/danh-sach.csv") }
    }

    @Test func zipWithoutWorkbookIsNotTabular() throws {
        let path = temporaryPath("doc.xlsx")
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let data = Data("hello".utf8)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(data.count)) { _, _ in
            data
        }
        #expect(throws: TabularFileError.self) { try TabularFile.open(path: path) }
    }
}
