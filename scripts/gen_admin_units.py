#!/usr/bin/env python3
"""Generate Vietnam's administrative units (both schemes) and the 2025 commune conversion
as compact tab-separated resources for Sources/ASXHCore/Places/Resources/.

Sources (installed with pip into throw-away --target folders, because the two versions of
vietnam-provinces cannot live in one environment; only their data files are read, nothing is imported):
  * vietnam-provinces 0.6.0        -> the scheme before 1 July 2025 (province / district / commune)
  * vietnam-provinces 2025.10.1    -> the 2025 scheme (province / commune), used as a cross-check
  * vietnamadminunits 1.0.4 (MIT)  -> the official 2025 codes and the old-to-new commune conversion

Why the 2025 codes come from vietnamadminunits: vietnam-provinces 2025.x was built from the *draft*
code list (its README says so; its changelog switches to official data only in 2026.1.0). 121 of its
3,321 commune codes differ from the official list of Decision 19/2025/QĐ-TTg that vietnamadminunits
carries. The generator requires both packages to describe the same 34 provinces and 3,321 communes
by name, then takes the official codes.

The two schemes are never joined by code (2025 units reuse old codes for different areas). The
conversion goes through vietnamadminunits' name keys: old commune -> its unit in vietnamadminunits'
pre-2025 table (same code, or same name in the same district when a merger in early 2025 changed the
code) -> the new commune(s).

Usage: python3 scripts/gen_admin_units.py [--out DIR] [--keep-temp]
Output is deterministic (sorted, no dates) so that re-running it gives the same bytes.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

PACKAGES = {
    "old": ("vietnam-provinces", "0.6.0"),
    "new": ("vietnam-provinces", "2025.10.1"),
    "conv": ("vietnamadminunits", "1.0.4"),
}

# Type words by level, matched case-insensitively at the start of a name (longest first).
TYPES = {
    "P": ["Thành phố", "Tỉnh"],
    "D": ["Thành phố", "Thị xã", "Quận", "Huyện"],
    "C": ["Thị trấn", "Đặc khu", "Phường", "Xã"],
}

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "Sources" / "ASXHCore" / "Places" / "Resources"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(name: str) -> str:
    """Tidy a source name: NFC, straight apostrophes, plain hyphens, single spaces."""
    name = nfc(name).replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", name).strip()


OLD_TONE = {  # old-style tone placement ("hoà", "thuỷ") -> new style ("hòa", "thủy"), for comparing only
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}


def compare_key(name: str) -> str:
    key = clean(name).lower()
    for a, b in OLD_TONE.items():
        key = key.replace(a, b)
    return key


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return re.sub(r"[^a-z0-9]", "", text)


def split_type(full: str, level: str) -> tuple[str, str]:
    """Take the unit type from the name prefix (the JSON's division_type is wrong in 0.6.0)."""
    for word in TYPES[level]:
        if full.lower().startswith(word.lower() + " "):
            return word, full[len(word) + 1:].strip()
    if level == "P":  # vietnam-provinces 2025 writes "Cao Bằng" for "Tỉnh Cao Bằng"
        return "Tỉnh", full
    raise SystemExit(f"no known type prefix in {full!r} (level {level})")


def install(tmp: Path) -> dict[str, Path]:
    roots = {}
    for key, (name, version) in PACKAGES.items():
        target = tmp / f"{name}-{version}"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
             "--disable-pip-version-check", "--target", str(target), f"{name}=={version}"],
            check=True,
        )
        dist = list(target.glob(f"{name.replace('-', '_')}-{version}.dist-info"))
        if not dist:
            raise SystemExit(f"{name} {version}: dist-info not found in {target}")
        roots[key] = target
    return roots


def read_old(root: Path):
    data = json.loads((root / "vietnam_provinces" / "data" / "nested-divisions.json").read_text("utf-8"))
    units = []  # (level, code, type, name, parent)
    for p in data:
        pcode = f"{p['code']:02d}"
        units.append(("P", pcode, *split_type(clean(p["name"]), "P"), ""))
        for d in p["districts"]:
            dcode = f"{d['code']:03d}"
            units.append(("D", dcode, *split_type(clean(d["name"]), "D"), pcode))
            for w in d["wards"]:
                units.append(("C", f"{w['code']:05d}", *split_type(clean(w["name"]), "C"), dcode))
    return units


def read_new_names(root: Path):
    data = json.loads((root / "vietnam_provinces" / "data" / "nested-divisions.json").read_text("utf-8"))
    provinces = {f"{p['code']:02d}": clean(p["name"]) for p in data}
    communes = {(f"{p['code']:02d}", compare_key(w["name"])): f"{w['code']:05d}" for p in data for w in p["wards"]}
    if len(communes) != sum(len(p["wards"]) for p in data):
        raise SystemExit("vietnam-provinces 2025: commune names not unique within a province")
    return provinces, communes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--keep-temp", action="store_true")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="asxh-admin-units-"))
    try:
        roots = install(tmp)
        generate(roots, args.out)
    finally:
        if args.keep_temp:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def generate(roots: dict[str, Path], out: Path) -> None:
    # --- before 2025 -----------------------------------------------------------------------
    old_units = read_old(roots["old"])
    old_by_code = {(u[0], u[1]): u for u in old_units}
    if len(old_by_code) != len(old_units):
        raise SystemExit("0.6.0: duplicate codes")

    # --- 2025: official codes from vietnamadminunits, checked against vietnam-provinces 2025 --
    vau_dir = roots["conv"] / "vietnamadminunits" / "data"
    db = sqlite3.connect(vau_dir / "dataset.db")
    new_units = []
    new_code_by_key = {}  # (provinceKey, wardKey) -> code
    provinces_2025 = {}
    for pkey, pcode, pname, wkey, wcode, wname in db.execute(
        "SELECT provinceKey, provinceCode, province, wardKey, wardCode, ward FROM admin_units"
    ):
        provinces_2025[pcode] = clean(pname)
        new_units.append(("C", wcode, *split_type(clean(wname), "C"), pcode))
        new_code_by_key[(pkey, wkey)] = wcode
    for pcode, pname in provinces_2025.items():
        new_units.append(("P", pcode, *split_type(pname, "P"), ""))
    if len({(u[0], u[1]) for u in new_units}) != len(new_units):
        raise SystemExit("vietnamadminunits 2025: duplicate codes")

    vp_provinces, vp_communes = read_new_names(roots["new"])
    if set(vp_provinces) != set(provinces_2025):
        raise SystemExit("2025 province codes differ between the two packages")
    for pcode, pname in vp_provinces.items():
        if split_type(pname, "P")[1] != split_type(provinces_2025[pcode], "P")[1]:
            raise SystemExit(f"2025 province {pcode}: {pname!r} vs {provinces_2025[pcode]!r}")
    vau_communes = {(u[4], compare_key(f"{u[2]} {u[3]}")): u[1] for u in new_units if u[0] == "C"}
    if set(vau_communes) != set(vp_communes):
        missing = sorted(set(vp_communes) ^ set(vau_communes))[:10]
        raise SystemExit(f"2025 communes differ by name between the two packages, e.g. {missing}")
    draft_codes = sum(1 for k, code in vau_communes.items() if vp_communes[k] != code)

    # --- conversion ----------------------------------------------------------------------------
    conv = json.loads((vau_dir / "converter_2025.json").read_text("utf-8"))
    targets: dict[str, list[tuple[str, bool]]] = {}  # vau old key -> [(new code, is default)]
    for pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            for old_key in olds:
                if old_key in targets:
                    raise SystemExit(f"{old_key} listed twice")
                targets[old_key] = [(new_code_by_key[(pkey, wkey)], True)]
    for pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, news in olds.items():
            if old_key in targets:
                raise SystemExit(f"{old_key} both divided and whole")
            targets[old_key] = [(new_code_by_key[(pkey, n["newWardKey"])], bool(n["isDefaultNewWard"])) for n in news]

    legacy = {}  # vau pre-2025 commune code -> (district code, folded full name, key)
    legacy_by_name = collections.defaultdict(list)
    island_districts = {}  # district code -> key (districts with no communes)
    for pkey, dkey, wkey, dcode, wcode, wname, keywords in db.execute(
        "SELECT provinceKey, districtKey, wardKey, districtCode, wardCode, ward, wardKeywords FROM admin_units_legacy"
    ):
        key = f"{pkey}_{dkey}_{wkey or ''}"
        if key not in targets:
            raise SystemExit(f"vietnamadminunits: {key} has no conversion")
        if wcode is None:
            island_districts[dcode] = key
            continue
        legacy[wcode] = (dcode, fold(wname), key, json.loads(keywords or "[]"), clean(wname))
        legacy_by_name[(dcode, fold(wname))].append(wcode)

    def row(level: str, code: str, key: str, how: str):
        news = targets[key]
        default = [c for c, d in news if d][:1]
        codes = default + sorted(c for c, _ in news if c not in default)
        return (level, code, ",".join(codes), "1" if len(codes) > 1 else "0", how)

    conversion = []
    stats = collections.Counter()
    for level, code, typ, name, parent in old_units:
        if level == "D" and code in island_districts:
            conversion.append(row("D", code, island_districts[code], "district without communes"))
            stats["island district"] += 1
        if level != "C":
            continue
        full = fold(f"{typ} {name}")
        hit = legacy.get(code)
        if hit and hit[0] == parent:
            how = "" if hit[1] == full else f"same code, named {hit[4]} in mid-2025"
            conversion.append(row("C", code, hit[2], how))
            stats["by code"] += 1
            continue
        same_name = legacy_by_name.get((parent, full), [])
        if len(same_name) == 1:
            conversion.append(row("C", code, legacy[same_name[0]][2], f"same name, code {same_name[0]} in mid-2025"))
            stats["by name in district"] += 1
            continue
        merged = [c for c, v in legacy.items() if v[0] == parent and full in v[3]]
        if len(merged) == 1:
            conversion.append(row("C", code, legacy[merged[0]][2], f"merged into {merged[0]} before July 2025"))
            stats["by former name"] += 1
            continue
        conversion.append(("C", code, "", "0", "unresolved"))
        stats["unresolved"] += 1
    # Codes that only existed in the first half of 2025 (not in the 0.6.0 list) still convert.
    old_commune_codes = {u[1] for u in old_units if u[0] == "C"}
    for code, (dcode, _, key, _, _) in sorted(legacy.items()):
        if code not in old_commune_codes:
            conversion.append(row("C", code, key, "code from the first half of 2025"))
            stats["extra 2025 code"] += 1

    # --- write -----------------------------------------------------------------------------
    out.mkdir(parents=True, exist_ok=True)
    (out / "README.txt").unlink(missing_ok=True)
    order = {"P": 0, "D": 1, "C": 2}

    def write_units(path: Path, units, title: str):
        units = sorted(units, key=lambda u: (order[u[0]], u[1]))
        lines = [f"# {title}", "# level(P province, D district, C commune)\tcode\ttype\tname\tparent code"]
        lines += ["\t".join(u) for u in units]
        path.write_text("\n".join(lines) + "\n", "utf-8")

    write_units(out / "units-before2025.tsv", old_units, "Administrative units before 1 July 2025 (vietnam-provinces 0.6.0)")
    write_units(out / "units-since2025.tsv", new_units, "Administrative units since 1 July 2025 (vietnamadminunits 1.0.4, official codes)")
    conversion.sort(key=lambda r: (order[r[0]], r[1]))
    lines = [
        "# Old unit -> 2025 commune(s) (vietnamadminunits 1.0.4 conversion dataset). Codes of different schemes never match by value.",
        "# old level(C commune, D district without communes)\told code\tnew commune codes (dataset default first)\tsplit(1: needs street or village)\thow the old code was matched",
    ]
    lines += ["\t".join(r) for r in conversion]
    (out / "conversion-2025.tsv").write_text("\n".join(lines) + "\n", "utf-8")

    licence = (next((roots["conv"]).glob("vietnamadminunits-*.dist-info")) / "licenses" / "LICENSE").read_text("utf-8")
    counts_old = collections.Counter(u[0] for u in old_units)
    counts_new = collections.Counter(u[0] for u in new_units)
    sources = f"""Sources of the files in this folder (generated by scripts/gen_admin_units.py; do not edit by hand)

units-before2025.tsv: {counts_old['P']} provinces, {counts_old['D']} districts, {counts_old['C']} communes.
  From the PyPI package vietnam-provinces 0.6.0 (data dated 2025-01-04), by Nguyễn Hồng Quân,
  https://github.com/sunshine-tech/VietnamProvinces . Names and codes come from the General Statistics
  Office's official list of administrative units (Danh mục các đơn vị hành chính Việt Nam,
  https://danhmuchanhchinh.gso.gov.vn/). Unit types are taken from the name prefix.
  Licence: the wheel declares none; the upstream repository declares GPL-3.0-or-later for the library.
  Only facts (official names and codes) are taken, no code. Official codes and names are part of
  state decisions (Decision 124/2004/QĐ-TTg and its updates), which Vietnam's IP law (Art. 15) leaves
  outside copyright protection.

units-since2025.tsv: {counts_new['P']} provinces, {counts_new['C']} communes.
  From the PyPI package vietnamadminunits 1.0.4 (MIT, licence below), whose codes follow the official
  list of Decision 19/2025/QĐ-TTg. Checked by name against vietnam-provinces 2025.10.1 (same 34
  provinces and 3,321 communes); that package still uses the draft codes, which differ for
  {draft_codes} communes, so its codes are not used.

conversion-2025.tsv: old commune -> new commune(s). From vietnamadminunits 1.0.4 (converter_2025.json
  and dataset.db, MIT). An old commune split among several new ones is flagged: an address there needs
  its street or village to be placed. Matching of old codes: {dict(sorted(stats.items()))}.

vietnamadminunits licence:
{licence.strip()}
"""
    (out / "SOURCES.txt").write_text(sources, "utf-8")

    split = sum(1 for r in conversion if r[3] == "1")
    print(f"before2025: {dict(counts_old)}  since2025: {dict(counts_new)}")
    hanoi_d = [u for u in old_units if u[0] == "D" and u[4] == "01"]
    hanoi_c = [u for u in old_units if u[0] == "C" and u[4] in {d[1] for d in hanoi_d}]
    print(f"Hanoi before2025: {len(hanoi_d)} districts, {len(hanoi_c)} communes; "
          f"since2025: {sum(1 for u in new_units if u[0] == 'C' and u[4] == '01')} communes")
    print(f"conversion rows: {len(conversion)}, split: {split}, matching: {dict(sorted(stats.items()))}")
    print(f"2025 codes that differ from vietnam-provinces 2025.10.1 (draft): {draft_codes}")
    for r in conversion:
        if r[4] == "unresolved":
            u = old_by_code[("C", r[1])]
            print(f"  unresolved: {r[1]} {u[2]} {u[3]} (district {u[4]})")
    for f in sorted(out.iterdir()):
        print(f"  {f.name}: {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
