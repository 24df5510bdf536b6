#!/usr/bin/env python3
"""Checks asxh's QR encoder (Sources/ASXHCore/Banking/QRCode*.swift) against independent tools.

Test tooling only: nothing in the app runs Python. Needs `pip install segno zxing-cpp pillow numpy
opencv-python-headless cairosvg` (cairosvg needs the system's libcairo2) and a Swift toolchain.

  scripts/check_qr.py                 build a throwaway package from the Swift sources, encode a set of inputs
                                      (every version 1-40 filled to capacity, all four levels, the three modes,
                                      VietQR payloads, UTF-8 text), and for each one
                                        - compare the module matrix with segno's for the same version, level,
                                          mode and mask, and compare the mask our penalty scoring chose with segno's;
                                        - render the SVG our code wrote with Cairo, require it to be pixel-identical
                                          to segno's own PNG of the symbol, and decode it with zxing-cpp (counted)
                                          and OpenCV (reported: its detectors miss some large versions even in
                                          segno's PNGs).
                                      Ends with "N passed, N failed"; exit status 1 on any failure.
  scripts/check_qr.py decode FILE...  decode SVG (as QRCode.svg writes them) or PNG files and print the text.
  scripts/check_qr.py fixtures        print the Swift fixture file for Tests/ASXHCoreTests (matrices from segno):
                                      scripts/check_qr.py fixtures > Tests/ASXHCoreTests/Fixtures/qr/QRFixtures.swift
"""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BANKING = os.path.join(ROOT, "Sources", "ASXHCore", "Banking")
SWIFT_FILES = ["QRCode.swift", "QRCode+Matrix.swift", "QRCode+ReedSolomon.swift", "QRCode+SVG.swift", "VietQR.swift"]
VIETQR_VECTOR = ("00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN"
                 "62150811Chuyen tien6304BBB8")

MAIN_SWIFT = r'''
import Foundation

// Reads cases as JSON on stdin, writes each SVG into argv[1] and the matrices as JSON on stdout.
struct Case: Decodable { var id: String; var text: String; var ec: String; var version: Int?; var mask: Int?; var mode: String? }
struct Output: Encodable { var id: String; var version: Int; var mask: Int; var mode: String; var ec: String; var rows: [String]; var svg: String; var error: String? }

let directory = URL(fileURLWithPath: CommandLine.arguments[1])
let cases = try JSONDecoder().decode([Case].self, from: FileHandle.standardInput.readDataToEndOfFile())
var outputs: [Output] = []
for item in cases {
    do {
        let code = try QRCode(item.text, errorCorrection: QRCode.ErrorCorrection(rawValue: item.ec)!, version: item.version,
                              mask: item.mask, mode: item.mode.flatMap(QRCode.Mode.init(rawValue:)))
        let path = directory.appendingPathComponent("\(item.id).svg")
        try code.svg(moduleSize: 4).write(to: path, atomically: true, encoding: .utf8)
        outputs.append(Output(id: item.id, version: code.version, mask: code.mask, mode: code.mode.rawValue, ec: item.ec,
                              rows: code.matrixText(dark: "1", light: "0").split(separator: "\n").map(String.init),
                              svg: path.path, error: nil))
    } catch {
        outputs.append(Output(id: item.id, version: 0, mask: 0, mode: "", ec: item.ec, rows: [], svg: "", error: "\(error)"))
    }
}
// A VietQR payload made by VietQR.make, to be scanned like the others.
let made = try VietQR.make(bin: "970436", account: "0011001234567", amount: 1_500_000, message: "Trợ cấp tháng 1")
print(made, to: &standardError)
FileHandle.standardOutput.write(try JSONEncoder().encode(outputs))

struct StandardError: TextOutputStream { mutating func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) } }
var standardError = StandardError()
'''

PACKAGE_SWIFT = '''// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "qrcheck", targets: [.executableTarget(name: "qrcheck", path: "Sources/qrcheck")])
'''


# ---------------------------------------------------------------- rendering and decoding

def svg_to_image(svg_text, scale=4):
    """Rasterises the subset of SVG that QRCode.svg writes: a viewBox, and paths of axis-aligned rectangles
    written with M/m, H/h, V/v, Z/z. Each closed sub-path is filled as the rectangle it outlines."""
    from PIL import Image, ImageDraw
    box = re.search(r'viewBox="([\d.\s-]+)"', svg_text)
    _, _, width, height = (float(v) for v in box.group(1).split())
    image = Image.new("L", (int(width * scale), int(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    for d in re.findall(r'<path[^>]*\sd="([^"]*)"', svg_text):
        tokens = re.findall(r'[MmHhVvZzLl]|-?\d+(?:\.\d+)?', d)
        x = y = 0.0
        points = []
        command = None
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.isalpha():
                command = token
                i += 1
                if command in "Zz":
                    if points:
                        xs = [p[0] for p in points]
                        ys = [p[1] for p in points]
                        draw.rectangle([min(xs) * scale, min(ys) * scale, max(xs) * scale - 1, max(ys) * scale - 1], fill=0)
                        x, y = points[0]
                    points = []
                continue
            if command in "Mm":
                nx, ny = float(tokens[i]), float(tokens[i + 1])
                i += 2
                x, y = (nx, ny) if command == "M" else (x + nx, y + ny)
                points = [(x, y)]
            elif command in "Ll":
                nx, ny = float(tokens[i]), float(tokens[i + 1])
                i += 2
                x, y = (nx, ny) if command == "L" else (x + nx, y + ny)
                points.append((x, y))
            elif command in "Hh":
                value = float(tokens[i])
                i += 1
                x = value if command == "H" else x + value
                points.append((x, y))
            elif command in "Vv":
                value = float(tokens[i])
                i += 1
                y = value if command == "V" else y + value
                points.append((x, y))
            else:
                raise ValueError("unsupported path command %r" % command)
    return image


def render_svg(svg_text):
    """The SVG rendered by Cairo (a real SVG engine) at its own width and height; without cairosvg, by
    svg_to_image at 4 pixels a module (the size QRCode.svg(moduleSize: 4) asks for)."""
    import io
    from PIL import Image
    try:
        import cairosvg
    except ImportError:
        return svg_to_image(svg_text)
    return Image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg_text.encode("utf-8")))).convert("L")


def load_image(path):
    from PIL import Image
    if path.lower().endswith(".svg"):
        with open(path, encoding="utf-8") as handle:
            return render_svg(handle.read())
    return Image.open(path).convert("L")


def decode_zxing(image):
    """The payload bytes as zxing-cpp reads them, or None."""
    import zxingcpp
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return bytes(results[0].bytes) if results else None


def decode_opencv(image):
    """The text as OpenCV reads it (its classic detector, then the ArUco-based one, which finds large versions
    the classic one misses even in segno's own PNGs), or None."""
    import cv2
    import numpy
    array = numpy.array(image)
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        text, points, _ = detector.detectAndDecode(array)
        if points is not None and text:
            return text
    return None


def segno_png_pixels(text, ec, version, mask, mode):
    """segno's own PNG of the symbol (scale 4, quiet zone 4), as a numpy array."""
    import io
    import numpy
    from PIL import Image
    segno = patched_segno()
    kwargs = dict(error=ec.lower(), version=version, mode=mode, mask=mask, boost_error=False)
    if mode == "byte":
        kwargs["encoding"] = "utf-8"
    buffer = io.BytesIO()
    segno.make_qr(text, **kwargs).save(buffer, kind="png", scale=4, border=4)
    buffer.seek(0)
    return numpy.array(Image.open(buffer).convert("L"))


# ---------------------------------------------------------------- reference matrices

def patched_segno():
    """segno with one deviation from ISO/IEC 18004 fixed: when the bit stream already ends on a codeword boundary
    after the terminator, segno 1.6 adds a whole zero codeword where §7.4.10 adds no padding bits and goes straight
    to the pad codewords 0xEC 0x11 (segno issue #148, open). Both read back alike; only the matrices differ."""
    import segno
    from segno import consts, encoder
    if not getattr(encoder, "_asxh_patched", False):
        def write_padding_bits(buff, version, length):
            if version not in (consts.VERSION_M1, consts.VERSION_M3):
                buff.extend([0] * (-length % 8))
        encoder.write_padding_bits = write_padding_bits
        encoder._asxh_patched = True
    return segno


def segno_rows(text, ec, version, mask, mode):
    segno = patched_segno()
    kwargs = dict(error=ec.lower(), version=version, mode=mode, boost_error=False)
    if mode == "byte":
        kwargs["encoding"] = "utf-8"
    if mask is not None:
        kwargs["mask"] = mask
    code = segno.make_qr(text, **kwargs)
    rows = ["".join("1" if bit else "0" for bit in row) for row in code.matrix]
    return rows, code.mask, code.version


def capacity(version, ec):
    """Most printable-ASCII bytes segno fits into this version and level in byte mode."""
    segno = patched_segno()
    low, high = 1, 3000
    while low < high:
        middle = (low + high + 1) // 2
        try:
            segno.make_qr("a" * middle, error=ec.lower(), version=version, mode="byte", boost_error=False)
            low = middle
        except segno.DataOverflowError:
            high = middle - 1
    return low


def cases():
    rng = random.Random(18004)
    alphabet = "".join(chr(c) for c in range(0x20, 0x7F))
    out = [
        {"id": "vietqr-vector", "text": VIETQR_VECTOR, "ec": "M"},
        {"id": "hello-world-1M", "text": "HELLO WORLD", "ec": "M"},
        {"id": "numeric-1M", "text": "01234567", "ec": "M"},
        {"id": "numeric-long", "text": "".join(rng.choice("0123456789") for _ in range(500)), "ec": "M"},
        {"id": "alnum-long", "text": "".join(rng.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:") for _ in range(300)), "ec": "Q"},
        {"id": "utf8-vi", "text": "Nguyễn Văn Ánh – trợ cấp xã hội tháng 1/2025", "ec": "M"},
        {"id": "single-byte", "text": "a", "ec": "M"},
    ]
    for ec in "LMQH":
        for version in (1, 2, 5, 7, 10, 14, 21, 27, 33, 40):
            if ec == "M":
                continue
            length = capacity(version, ec)
            out.append({"id": "fill-%s-v%02d" % (ec, version), "text": "".join(rng.choice(alphabet) for _ in range(length)), "ec": ec})
    for version in range(1, 41):
        length = capacity(version, "M")
        out.append({"id": "fill-M-v%02d" % version, "text": "".join(rng.choice(alphabet) for _ in range(length)), "ec": "M"})
    for mask in range(8):
        out.append({"id": "vietqr-mask%d" % mask, "text": VIETQR_VECTOR, "ec": "M", "mask": mask})
    return out


# ---------------------------------------------------------------- running the Swift encoder

def run_swift(items, out_dir):
    build = tempfile.mkdtemp(prefix="asxh-qrcheck-")
    try:
        sources = os.path.join(build, "Sources", "qrcheck")
        os.makedirs(sources)
        for name in SWIFT_FILES:
            os.symlink(os.path.join(BANKING, name), os.path.join(sources, name))
        with open(os.path.join(sources, "main.swift"), "w") as handle:
            handle.write(MAIN_SWIFT)
        with open(os.path.join(build, "Package.swift"), "w") as handle:
            handle.write(PACKAGE_SWIFT)
        subprocess.run(["swift", "build", "-q"], cwd=build, check=True)
        binary = subprocess.run(["swift", "build", "--show-bin-path"], cwd=build, check=True,
                                capture_output=True, text=True).stdout.strip()
        result = subprocess.run([os.path.join(binary, "qrcheck"), out_dir], input=json.dumps(items).encode(),
                                capture_output=True, check=True)
        return json.loads(result.stdout), result.stderr.decode().strip()
    finally:
        shutil.rmtree(build, ignore_errors=True)


def self_check():
    items = cases()
    out_dir = tempfile.mkdtemp(prefix="asxh-qr-svg-")
    outputs, made_payload = run_swift(items, out_dir)
    by_id = {item["id"]: item for item in items}
    passed = failed = 0
    opencv_misses = []

    def check(ok, label):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL", label)

    for output in outputs:
        item = by_id[output["id"]]
        if output.get("error"):
            check(False, "%s: Swift error %s" % (output["id"], output["error"]))
            continue
        text = item["text"]
        rows, _, _ = segno_rows(text, item["ec"], output["version"], output["mask"], output["mode"])
        check(rows == output["rows"], "%s: matrix differs from segno (v%d-%s mask %d)" % (
            output["id"], output["version"], item["ec"], output["mask"]))
        if item.get("mask") is None:
            _, segno_mask, segno_version = segno_rows(text, item["ec"], None, None, output["mode"])
            check(segno_version == output["version"], "%s: version %d, segno chose %d" % (output["id"], output["version"], segno_version))
            check(segno_mask == output["mask"], "%s: mask %d, segno chose %d" % (output["id"], output["mask"], segno_mask))
        image = load_image(output["svg"])
        import numpy
        same = numpy.array_equal(numpy.array(image), segno_png_pixels(text, item["ec"], output["version"], output["mask"], output["mode"]))
        check(same, "%s: our SVG, rendered, differs from segno's PNG" % output["id"])
        decoded = decode_zxing(image)
        check(decoded == text.encode("utf-8"), "%s: zxing-cpp read %r" % (output["id"], decoded[:40] if decoded else decoded))
        opencv = decode_opencv(image)
        if opencv != text:
            opencv_misses.append("%s (v%d)" % (output["id"], output["version"]))

    # The payload VietQR.make wrote must scan back through a real decoder too.
    made_dir = tempfile.mkdtemp(prefix="asxh-qr-made-")
    made_out, _ = run_swift([{"id": "vietqr-made", "text": made_payload, "ec": "M"}], made_dir)
    made_decoded = decode_zxing(load_image(made_out[0]["svg"]))
    check(made_decoded == made_payload.encode(), "VietQR.make payload did not scan back: %r" % made_decoded)

    print("%d symbols, versions %d-%d; SVGs in %s" % (len(outputs), min(o["version"] for o in outputs if not o.get("error")),
                                                      max(o["version"] for o in outputs if not o.get("error")), out_dir))
    print("VietQR.make payload:", made_payload)
    if opencv_misses:
        print("OpenCV (second opinion, not counted) did not read %d of %d: %s" % (
            len(opencv_misses), len(outputs), ", ".join(opencv_misses)))
    else:
        print("OpenCV read all %d" % len(outputs))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def decode_files(paths):
    status = 0
    for path in paths:
        image = load_image(path)
        decoded = decode_zxing(image)
        if decoded is None:
            print("%s: no QR code found" % path)
            status = 1
        else:
            print("%s: %s" % (path, decoded.decode("utf-8", errors="replace")))
    return status


# ---------------------------------------------------------------- fixtures

FIXTURES = [
    # name, text, level, version, mask, mode: what QRCodeTests compares against (segno's matrix for exactly these).
    ("vietQRVector", VIETQR_VECTOR, "M", None, None, "byte"),
    ("helloWorld", "HELLO WORLD", "M", None, None, "alphanumeric"),
    ("numeric", "01234567", "M", None, None, "numeric"),
    # 180 bytes of UTF-8: version 9-M, five blocks of two lengths, and version information.
    ("vietnameseText", "Chi trả trợ cấp xã hội hằng tháng qua tài khoản ngân hàng cho đối tượng bảo trợ xã hội, người có công, "
     "hộ nghèo: Đề án 06, Hà Nội 2025.", "M", None, None, "byte"),
]


def fixtures():
    lines = [
        "// Generated by scripts/check_qr.py fixtures from segno %s (segno.make_qr, boost_error=False, the mode given," % patched_segno().__version__,
        "// segno choosing version and mask; its padding fixed as ISO/IEC 18004 §7.4.10 says, see patched_segno):",
        "// the reference matrices QRCodeTests compares the Swift encoder with. Do not edit by hand.",
        "",
        "enum QRFixtures {",
        "    struct Fixture {",
        "        var text: String",
        "        var level: String",
        "        var version: Int",
        "        var mask: Int",
        "        var mode: String",
        "        var rows: String",
        "    }",
        "",
    ]
    for name, text, level, version, mask, mode in FIXTURES:
        rows, chosen_mask, chosen_version = segno_rows(text, level, version, mask, mode)
        lines.append("    static let %s = Fixture(" % name)
        lines.append("        text: %s," % json.dumps(text, ensure_ascii=False))
        lines.append("        level: \"%s\", version: %d, mask: %d, mode: \"%s\"," % (level, chosen_version, chosen_mask, mode))
        lines.append("        rows: \"\"\"")
        for row in rows:
            lines.append("            " + row.replace("1", "#").replace("0", "."))
        lines.append("            \"\"\"")
        lines.append("    )")
        lines.append("")
    lines.append("    static let all = [%s]" % ", ".join(name for name, *_ in FIXTURES))
    lines.append("}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if not arguments:
        sys.exit(self_check())
    if arguments[0] == "decode":
        sys.exit(decode_files(arguments[1:]))
    if arguments[0] == "fixtures":
        sys.exit(fixtures())
    print(__doc__)
    sys.exit(2)
