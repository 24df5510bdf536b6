#!/usr/bin/env bash
# Manual check (not part of the unit tests): the XLSX writer and reader against LibreOffice.
#   1. XLSXWriter writes a workbook; LibreOffice converts each sheet to CSV; the CSV must equal what we expect.
#   2. LibreOffice turns a CSV into an .xlsx; XLSXReader must read the same values back (dates as dates).
# Needs LibreOffice Calc: apt-get install -y libreoffice-calc-nogui. Builds a throwaway package in a temp folder
# from Sources/ASXHCore/Formats (about a minute on 2 cores). Usage: scripts/check-formats-libreoffice.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
command -v soffice >/dev/null || { echo "soffice not found: apt-get install -y libreoffice-calc-nogui" >&2; exit 2; }
WORK=$(mktemp -d /tmp/asxh-formats-lo.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

PKG="$WORK/pkg"
mkdir -p "$PKG/Sources/ASXHCore" "$PKG/Sources/formatscheck"
ln -s "$ROOT/Sources/ASXHCore/Formats" "$PKG/Sources/ASXHCore/Formats"
cat > "$PKG/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "formatscheck",
    dependencies: [.package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19")],
    targets: [
        .target(name: "ASXHCore", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .executableTarget(name: "formatscheck", dependencies: ["ASXHCore"]),
    ]
)
SWIFT
cat > "$PKG/Sources/formatscheck/main.swift" <<'SWIFT'
import ASXHCore
import Foundation

/// dd/mm/yyyy or yyyy-mm-dd of an Excel serial (1900 system).
func date(_ serial: Double, iso: Bool) -> String {
    let days = Int(serial.rounded(.down)) - 25_569 + 719_468  // to days since 0000-03-01
    let era = (days >= 0 ? days : days - 146_096) / 146_097
    let dayOfEra = days - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return iso ? String(format: "%04d-%02d-%02d", year, month, day) : String(format: "%02d/%02d/%04d", day, month, year)
}

func show(_ cell: Cell, iso: Bool) -> String {
    if case .date(let serial) = cell { return date(serial, iso: iso) }
    return cell.text
}

/// The cell with its kind, so the check sees dates and numbers come back as such, not as text.
func tagged(_ cell: Cell) -> String {
    switch cell {
    case .date(let serial): return "date:" + date(serial, iso: true)
    case .number: return "number:" + cell.text
    default: return cell.text
    }
}

let arguments = CommandLine.arguments
switch arguments[1] {
case "write":  // write OUT.xlsx EXPECTED_DIR: one expected CSV per sheet, as LibreOffice shows the cells
    let sheets: [(String, [[Cell]])] = [
        ("Danh sách", [
            [.text("Họ và tên"), .text("Ngày sinh"), .text("Mức hưởng"), .text("Ghi chú"), .text("Đã nhận")],
            [.text("Nguyễn Văn Đức"), .date(serial: 25_000), .number(1_500_000), .text("a & b <c> \"d\""), .bool(true)],
            [.text("Trần Thị Ánh"), .date(serial: 45_292), .number(0.5), .text("hai\ndòng"), .bool(false)],
            [.empty, .empty, .number(-42), .text("_x000D_ literal")],
            [.text("  khoảng trắng đầu"), .date(serial: 1000), .empty, .empty, .text("cuối")],
        ]),
        ("Tổng hợp", [[.text("Xã"), .text("Số người")], [.text("Phường Hàng Bạc"), .number(123)]]),
    ]
    for storage in [XLSXWriter.StringStorage.inline, .shared] {
        let path = arguments[2].replacingOccurrences(of: ".xlsx", with: storage == .inline ? "-inline.xlsx" : "-shared.xlsx")
        let writer = try XLSXWriter(path: path, stringStorage: storage)
        for (name, rows) in sheets {
            try writer.addSheet(name, columnWidths: [24, 12, 12, 20, 8])
            for row in rows { try writer.addRow(row) }
        }
        try writer.close()
    }
    for (index, (_, rows)) in sheets.enumerated() {
        let csv = CSVWriter.string(rows: rows.map { $0.map { show($0, iso: false) } }, lineEnding: .lf)
        try csv.write(toFile: "\(arguments[3])/sheet\(index + 1).csv", atomically: true, encoding: .utf8)
    }
case "dump":  // dump IN.xlsx: every sheet as CSV (kinds tagged), sheets separated by "== name"
    let workbook = try XLSXReader(path: arguments[2])
    for name in workbook.sheetNames {
        print("== \(name)")
        let rows = try workbook.rows(sheet: name).readAll()
        print(CSVWriter.string(rows: rows.map { $0.cells.map(tagged) }, lineEnding: .lf), terminator: "")
    }
default:
    fatalError("unknown mode")
}
SWIFT

echo "building the check tool…"
(cd "$PKG" && swift build -c release --product formatscheck >/dev/null)
TOOL="$PKG/.build/release/formatscheck"
failures=0

echo "1. XLSXWriter → LibreOffice → CSV"
mkdir -p "$WORK/expected" "$WORK/lo"
"$TOOL" write "$WORK/out.xlsx" "$WORK/expected"
for kind in inline shared; do
    for sheet in 1 2; do
        rm -f "$WORK"/lo/*
        # CSV filter tokens: sep ',', quote '"', UTF-8, …, save cell contents as shown, sheet number.
        soffice --headless --convert-to "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,$sheet" \
            --outdir "$WORK/lo" "$WORK/out-$kind.xlsx" >/dev/null 2>&1
        got=$(ls "$WORK"/lo/*.csv)
        if python3 - "$WORK/expected/sheet$sheet.csv" "$got" <<'PY'
import csv, sys
def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [[c for c in r] for r in csv.reader(f)]
def trim(r):
    while r and r[-1] == "": r = r[:-1]
    return r
a = [trim(r) for r in rows(sys.argv[1])]
b = [trim(r) for r in rows(sys.argv[2])]
if a != b:
    print("   expected:", a); print("   libreoffice:", b); sys.exit(1)
PY
        then echo "   $kind strings, sheet $sheet: same"; else echo "   $kind strings, sheet $sheet: DIFFERENT"; failures=$((failures + 1)); fi
    done
done

echo "2. CSV → LibreOffice → .xlsx → XLSXReader"
cat > "$WORK/source.csv" <<'CSV'
Họ và tên,Ngày sinh,Mức hưởng,Ghi chú
Nguyễn Văn Đức,1968-05-12,1500000,"a, b & ""c"""
Trần Thị Ánh,1990-03-15,"0,25",
Lê Văn Bình,2001-12-31,-42,cuối
CSV
soffice --headless --infilter="CSV:44,34,76,1,,1066,false,true" --convert-to xlsx --outdir "$WORK/lo2" \
    "$WORK/source.csv" >/dev/null 2>&1
"$TOOL" dump "$WORK/lo2/source.xlsx" > "$WORK/dump.txt"
if python3 - "$WORK/source.csv" "$WORK/dump.txt" <<'PY'
import csv, io, sys
src = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
for row in src[1:]:
    row[1] = "date:" + row[1]
    row[2] = "number:" + row[2].replace(",", ".")  # vi-VN input uses a decimal comma
text = open(sys.argv[2], encoding="utf-8").read().split("\n", 1)[1]
got = list(csv.reader(io.StringIO(text)))
trim = lambda r: r[:max([i + 1 for i, c in enumerate(r) if c] or [0])]
if [trim(r) for r in src] != [trim(r) for r in got]:
    print("   source:", src); print("   read:", got); sys.exit(1)
PY
then echo "   read back the same (ISO dates came back as date cells)"; else echo "   DIFFERENT"; failures=$((failures + 1)); fi

if [ "$failures" -eq 0 ]; then echo "LibreOffice check passed"; else echo "LibreOffice check: $failures difference(s)"; exit 1; fi
