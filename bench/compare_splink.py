#!/usr/bin/env python3
"""asxh match vs Splink 5 (DuckDB backend) on the same generated files.

    python3 bench/compare_splink.py --asxh .build/release/asxh --people 200000 --register 2000000

1. `asxh generate --single-list csv` writes one department list, the population-register extract and the
   ground truth (once per work folder; reused when present).
2. `asxh match` runs under /usr/bin/time -v (wall time, peak RSS).
3. Splink 5 runs as a separate process (this file with --splink-child), also under /usr/bin/time -v:
   link_only between the list and the register, u by random sampling, m by EM on blocks, best candidate
   per list row; automatic link at match probability >= --splink-auto (default: calibrated in Splink's
   favour on the ground truth, see README), review band down to --splink-review.
4. Both are scored against ground-truth.csv with the same definitions, printed side by side; the exit
   status is 1 when asxh does not beat Splink on every measure (time, memory, precision, recall, review).

Splink's per-row best candidates are kept in the work folder, so other thresholds can be scored without
re-running Splink (--skip-asxh --skip-splink re-score what is there). See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

LIST_NAME = "danh-sach.csv"
REGISTER_NAME = "population-register.csv"
TRUTH_NAME = "ground-truth.csv"
ASXH_AUTOMATIC = {"matched", "corrected", "deceased"}
ASXH_STATUSES = ASXH_AUTOMATIC | {"review", "not_found", "rejected"}

# Splink decision thresholds on the best candidate's match probability. The automatic one is, by default,
# calibrated on the ground truth of the run itself: the value of the grid giving Splink its best recall with
# its automatic links at the reference precision (99.98%) or better. That is an oracle choice in Splink's
# favour; pass --splink-auto to fix it instead. Below it, down to the review floor,
# the best candidate goes to review; below the floor the row is not_found.
CALIBRATION_GRID = [0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9995, 0.9999, 0.99999, 0.999999]
CALIBRATION_PRECISION = 0.9998
DEFAULT_SPLINK_REVIEW = 0.1


# ---------------------------------------------------------------------------------------------------------
# Text and field normalisation (shared by the Splink side and the list reader)
# ---------------------------------------------------------------------------------------------------------

_fold_cache: dict[str, str] = {}


def fold_token(token: str) -> str:
    """Lower-case, diacritics-free spelling of one word: NFD, combining marks dropped, đ → d."""
    cached = _fold_cache.get(token)
    if cached is None:
        decomposed = unicodedata.normalize("NFD", token.lower())
        cached = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")
        if len(_fold_cache) < 2_000_000:
            _fold_cache[token] = cached
    return cached


def fold(text: str | None) -> str | None:
    if text is None:
        return None
    tokens = [fold_token(t) for t in text.split()]
    return " ".join(t for t in tokens if t) or None


def with_diacritics(text: str | None) -> str | None:
    """Lower-case NFC spelling with whitespace collapsed (keeps tones: Hùng ≠ Hưng)."""
    if text is None:
        return None
    out = " ".join(unicodedata.normalize("NFC", text).lower().split())
    return out or None


_DATE_PATTERNS = [
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "ymd"),
]


def list_date(value: str) -> str | None:
    """The list's birth date as 'YYYY-MM-DD' or 'YYYY' (year only), None when unreadable.

    Day and month are kept as written (no calendar check), so a swapped date still compares as a swap.
    """
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{4}", value):
        return value
    if re.fullmatch(r"\d{5}(\.0+)?", value):  # spreadsheet serial day number
        try:
            return (date(1899, 12, 30) + timedelta(days=int(float(value)))).isoformat()
        except (OverflowError, ValueError):
            return None
    for pattern, order in _DATE_PATTERNS:
        m = pattern.match(value)
        if m:
            if order == "dmy":
                d, mo, y = m.group(1), m.group(2), m.group(3)
            else:
                y, mo, d = m.group(1), m.group(2), m.group(3)
            return f"{y}-{int(mo):02d}-{int(d):02d}"
    return None


def split_ids(value: str) -> tuple[str | None, str | None]:
    """(12-digit personal ID, 9-digit old ID) from the list's ID cell; leading zeros lost by spreadsheets
    are restored (10-11 digits → 12, 8 → 9). Anything else (letters, odd lengths) is treated as missing."""
    value = value.strip().replace(" ", "")
    if value.endswith(".0"):
        value = value[:-2]
    if not value.isdigit():
        return None, None
    if len(value) in (10, 11, 12):
        return value.zfill(12), None
    if len(value) in (8, 9):
        return None, value.zfill(9)
    return None, None


def gender_code(value: str | None) -> str | None:
    g = fold(value or "")
    if g in ("nam", "m", "male"):
        return "m"
    if g in ("nu", "f", "female"):
        return "f"
    return None


def commune_code(value: str) -> str | None:
    value = value.strip()
    if value.endswith(".0"):
        value = value[:-2]
    return value.zfill(5) if value.isdigit() and len(value) <= 5 else None


# ---------------------------------------------------------------------------------------------------------
# Reading the list: physical row numbers (1-based, title lines counted), STT, fields
# ---------------------------------------------------------------------------------------------------------

_HEADER_KEYS = {
    "stt": "stt",
    "ho va ten": "name",
    "ho ten": "name",
    "ngay sinh": "dob",
    "gioi tinh": "gender",
    "so cccd": "id",
    "so dinh danh": "id",
    "ma xa": "commune",
}


@dataclass
class ListRow:
    row: int  # physical line number in the file
    stt: str
    name: str
    dob: str
    gender: str
    id: str
    commune: str


def read_list(path: str) -> list[ListRow]:
    rows: list[ListRow] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        columns: dict[str, int] | None = None
        for record in reader:
            line = reader.line_num
            if columns is None:
                keys = [fold(c) or "" for c in record]
                if "stt" in keys and any(k in _HEADER_KEYS and _HEADER_KEYS[k] == "name" for k in keys):
                    columns = {}
                    for index, key in enumerate(keys):
                        name = _HEADER_KEYS.get(key)
                        if name and name not in columns:
                            columns[name] = index
                continue
            if not any(cell.strip() for cell in record):
                continue

            def cell(name: str) -> str:
                index = columns.get(name)
                return record[index] if index is not None and index < len(record) else ""

            rows.append(ListRow(line, cell("stt").strip(), cell("name"), cell("dob"), cell("gender"),
                                cell("id"), cell("commune")))
    if columns is None:
        raise SystemExit(f"{path}: no header row with STT / Họ và tên found")
    return rows


# ---------------------------------------------------------------------------------------------------------
# The Splink side (run as a child process so that its time and peak memory are measured on their own)
# ---------------------------------------------------------------------------------------------------------

def splink_child(args: argparse.Namespace) -> None:
    import duckdb
    import pyarrow as pa
    import splink
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    phases: dict[str, float] = {}
    started = time.monotonic()
    mark = started

    def phase(name: str) -> None:
        nonlocal mark
        now = time.monotonic()
        phases[name] = round(now - mark, 2)
        mark = now
        print(f"[splink] {name}: {phases[name]:.1f} s", file=sys.stderr, flush=True)

    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {int(args.threads)}")

    # List: parsed in Python (title lines, Vietnamese header, physical row numbers).
    rows = read_list(args.list)
    cids, oids = zip(*(split_ids(r.id) for r in rows)) if rows else ((), ())
    list_table = pa.table({
        "unique_id": pa.array([r.row for r in rows], pa.int64()),
        "name_raw": [r.name for r in rows],
        "dob_raw": [list_date(r.dob) for r in rows],
        "gender": [gender_code(r.gender) for r in rows],
        "cid": list(cids),
        "oid": list(oids),
        "commune": [commune_code(r.commune) for r in rows],
    })
    con.register("list_arrow", list_table)
    con.execute("CREATE TABLE list_raw AS SELECT * FROM list_arrow")
    con.unregister("list_arrow")
    del list_table, rows

    # Register: DuckDB's CSV reader (fast, streamed).
    con.execute(f"""
        CREATE TABLE register_raw AS
        SELECT row_number() OVER () AS unique_id,
               full_name AS name_raw,
               nullif(trim(date_of_birth), '') AS dob_raw,
               CASE WHEN gender = 'Nam' THEN 'm' WHEN gender IN ('Nữ', 'Nu') THEN 'f' END AS gender,
               nullif(trim(citizen_id), '') AS cid,
               nullif(trim(old_id), '') AS oid,
               lpad(trim(commune_code), 5, '0') AS commune,
               status
        FROM read_csv('{args.register}', header = true, all_varchar = true)
    """)
    phase("read")

    # Same name normalisation on both sides (Python unicodedata, as a DuckDB function over distinct names).
    con.create_function("vn_fold", fold, ["VARCHAR"], "VARCHAR", null_handling="special")
    con.create_function("vn_lower", with_diacritics, ["VARCHAR"], "VARCHAR", null_handling="special")
    for table in ("list_raw", "register_raw"):
        con.execute(f"""
            CREATE TABLE {table}_names AS
            SELECT name_raw, vn_fold(name_raw) AS name, vn_lower(name_raw) AS name_dia
            FROM (SELECT DISTINCT name_raw FROM {table})
        """)
    features = """
        SELECT t.unique_id,
               n.name, n.name_dia,
               split_part(n.name, ' ', 1) AS surname,
               string_split(n.name, ' ')[-1] AS given,
               CASE WHEN length(t.dob_raw) = 10 THEN t.dob_raw END AS dob,
               CASE WHEN length(t.dob_raw) >= 4 THEN substr(t.dob_raw, 1, 4) END AS yob,
               t.gender, t.cid, t.oid, t.commune {extra}
        FROM {table} t LEFT JOIN {table}_names n USING (name_raw)
    """
    con.execute("CREATE TABLE list_features AS " + features.format(table="list_raw", extra=", NULL::VARCHAR AS status"))
    con.execute("CREATE TABLE register_features AS "
                + features.format(table="register_raw", extra=", t.status"))
    con.execute("DROP TABLE list_raw; DROP TABLE register_raw; DROP TABLE list_raw_names;"
                " DROP TABLE register_raw_names")
    phase("normalise")

    db_api = DuckDBAPI(connection=con)
    df_list = db_api.register("list_features", dataset_display_name="list")
    df_register = db_api.register("register_features", dataset_display_name="register")

    id_comparison = cl.CustomComparison(
        output_column_name="id",
        comparison_levels=[
            cll.CustomLevel("(cid_l IS NULL AND oid_l IS NULL) OR (cid_r IS NULL AND oid_r IS NULL)")
            .configure(is_null_level=True, label_for_charts="ID missing"),
            cll.CustomLevel("cid_l = cid_r", "personal ID exact"),
            cll.CustomLevel("oid_l = oid_r", "old ID exact"),
            cll.CustomLevel("damerau_levenshtein(cid_l, cid_r) <= 1", "personal ID one typo / transposition"),
            cll.ElseLevel(),
        ],
    )
    name_comparison = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name_dia").configure(tf_adjustment_column="name_dia",
                                                     label_for_charts="exact with diacritics"),
            cll.ExactMatchLevel("name").configure(tf_adjustment_column="name",
                                                 label_for_charts="exact without diacritics"),
            cll.JaroWinklerLevel("name", 0.95),
            cll.JaroWinklerLevel("name", 0.88),
            cll.JaroWinklerLevel("name", 0.70),
            cll.ElseLevel(),
        ],
    )
    dob_comparison = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.CustomLevel("yob_l IS NULL OR yob_r IS NULL").configure(is_null_level=True,
                                                                        label_for_charts="null"),
            cll.CustomLevel("dob_l = dob_r", "exact date"),
            cll.CustomLevel("yob_l = yob_r AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
                            " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)", "day and month swapped"),
            cll.CustomLevel("yob_l = yob_r AND (dob_l IS NULL OR dob_r IS NULL"
                            " OR substr(dob_l, 6, 5) = '01-01' OR substr(dob_r, 6, 5) = '01-01')",
                            "same year, one side year only or 1 January"),
            cll.CustomLevel("damerau_levenshtein(dob_l, dob_r) <= 1", "one typo in the date"),
            cll.CustomLevel("yob_l = yob_r", "same year"),
            cll.CustomLevel("abs(try_cast(yob_l AS INTEGER) - try_cast(yob_r AS INTEGER)) <= 2", "within 2 years"),
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=[
            id_comparison,
            name_comparison,
            dob_comparison,
            cl.ExactMatch("gender"),
            cl.ExactMatch("commune"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("cid"),
            block_on("oid"),
            block_on("substr(cid, 7, 6)"),  # personal ID with a typo in its first half
            block_on("name", "yob"),  # moved people (commune differs)
            block_on("surname", "given", "commune"),  # date wrong or missing
            block_on("surname", "commune", "yob"),  # given name misspelt
            block_on("given", "dob"),  # surname misspelt, moved
            block_on("commune", "dob"),
        ],
        additional_columns_to_retain=["status"],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([df_list, df_register], settings, log_level=args.log_level)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("cid"), block_on("name", "dob", "commune")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=args.u_pairs, seed=args.seed)
    phase("estimate u")
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("cid"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("commune", "dob"))
    phase("estimate m (EM)")

    predictions = linker.inference.predict(threshold_match_probability=args.min_probability)
    phase("predict")

    # Best and runner-up candidate per list row.
    con.execute(f"""
        CREATE TABLE best AS
        WITH pairs AS (
            SELECT CASE WHEN source_dataset_l = 'list' THEN unique_id_l ELSE unique_id_r END AS row,
                   CASE WHEN source_dataset_l = 'list' THEN cid_r ELSE cid_l END AS citizen_id,
                   CASE WHEN source_dataset_l = 'list' THEN status_r ELSE status_l END AS status,
                   match_probability AS p
            FROM {predictions.physical_name}
        ), ranked AS (
            SELECT *, row_number() OVER (PARTITION BY row ORDER BY p DESC, citizen_id) AS rank,
                   count(*) OVER (PARTITION BY row) AS candidates
            FROM pairs
        )
        SELECT r1.row, r1.citizen_id, r1.status, r1.p, coalesce(r2.p, 0) AS p_second, r1.candidates
        FROM ranked r1 LEFT JOIN ranked r2 ON r2.row = r1.row AND r2.rank = 2
        WHERE r1.rank = 1
        ORDER BY r1.row
    """)
    con.execute(f"COPY best TO '{args.out}' (HEADER, DELIMITER ',')")
    pairs = con.execute(f"SELECT count(*) FROM {predictions.physical_name}").fetchone()[0]
    phase("best candidate")
    phases["total"] = round(time.monotonic() - started, 2)
    model_path = os.path.splitext(args.out)[0] + "-model.json"
    linker.misc.save_model_to_json(model_path, overwrite=True)
    with open(os.path.splitext(args.out)[0] + "-phases.json", "w") as handle:
        json.dump({"phases": phases, "scored_pairs": pairs, "splink": splink.__version__,
                   "duckdb": duckdb.__version__}, handle)


# ---------------------------------------------------------------------------------------------------------
# Running and measuring
# ---------------------------------------------------------------------------------------------------------

@dataclass
class Run:
    wall: float = float("nan")
    peak_mib: float = float("nan")
    returncode: int = 0
    stdout: str = ""


def timed(command: list[str], time_file: str, log_file: str, stdout_file: str | None = None) -> Run:
    """Runs `command` under GNU time -v; wall time and peak RSS come from it."""
    started = time.monotonic()
    with open(log_file, "w") as log:
        out = open(stdout_file, "w") if stdout_file else subprocess.DEVNULL
        try:
            proc = subprocess.run(["/usr/bin/time", "-v", "-o", time_file, *command], stdout=out, stderr=log)
        finally:
            if stdout_file:
                out.close()
    run = Run(wall=time.monotonic() - started, returncode=proc.returncode)
    if stdout_file:
        with open(stdout_file) as handle:
            run.stdout = handle.read()
    with open(time_file) as handle:
        for line in handle:
            line = line.strip()
            if line.startswith("Maximum resident set size (kbytes):"):
                run.peak_mib = int(line.rsplit(":", 1)[1]) / 1024
            elif line.startswith("Elapsed (wall clock) time"):
                parts = line.rsplit(": ", 1)[1].split(":")
                seconds = 0.0
                for part in parts:
                    seconds = seconds * 60 + float(part)
                run.wall = seconds
    return run


# ---------------------------------------------------------------------------------------------------------
# Scoring (the same definitions for both tools)
# ---------------------------------------------------------------------------------------------------------

@dataclass
class Truth:
    citizen_id: str
    noise: str


@dataclass
class Score:
    rows: int = 0
    automatic: int = 0
    correct: int = 0
    linkable: int = 0
    review: int = 0
    review_with_truth: int = 0
    not_found: int = 0
    not_found_right: int = 0
    unlinkable: int = 0
    unlinkable_found: int = 0
    rejected: int = 0
    wrong_rows: list[int] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.automatic if self.automatic else float("nan")

    @property
    def recall(self) -> float:
        return self.correct / self.linkable if self.linkable else float("nan")

    @property
    def review_rate(self) -> float:
        return self.review / self.rows if self.rows else float("nan")

    @property
    def not_found_precision(self) -> float:
        return self.not_found_right / self.not_found if self.not_found else float("nan")

    @property
    def not_found_recall(self) -> float:
        return self.unlinkable_found / self.unlinkable if self.unlinkable else float("nan")


def read_truth(path: str, list_file: str) -> dict[int, Truth]:
    truth: dict[int, Truth] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            if record["file"] == list_file:
                truth[int(record["row"])] = Truth(record["citizen_id"].strip(), record["noise"])
    return truth


def score(truth: dict[int, Truth], decisions: dict[int, tuple[str, str]]) -> Score:
    """decisions: physical row → (kind, citizen_id), kind one of automatic, review, not_found, rejected."""
    s = Score()
    for row, t in truth.items():
        s.rows += 1
        decision = decisions.get(row, ("not_found", ""))
        kind, cid = decision[0], decision[1]
        if t.citizen_id:
            s.linkable += 1
        else:
            s.unlinkable += 1
        if kind == "automatic":
            s.automatic += 1
            if t.citizen_id and cid == t.citizen_id:
                s.correct += 1
            else:
                s.wrong_rows.append(row)
        elif kind == "review":
            s.review += 1
            if t.citizen_id:
                s.review_with_truth += 1
        elif kind == "rejected":
            s.rejected += 1
        elif kind == "not_found":
            s.not_found += 1
            if not t.citizen_id:
                s.not_found_right += 1
                s.unlinkable_found += 1
    return s


def is_invalid(t: Truth) -> bool:
    """Rows the generator made invalid (a `bad…` noise kind: no name, impossible date, letters in the ID):
    an import must reject them, so they are left out of precision and recall for both tools."""
    return any(kind.startswith("bad") for kind in t.noise.split(";"))


@dataclass
class Evaluation:
    every: Score  # all list data rows
    valid: Score  # rows without a bad… noise kind

    @property
    def precision(self) -> float:
        return self.valid.precision

    @property
    def recall(self) -> float:
        return self.valid.recall

    @property
    def review_rate(self) -> float:
        return self.every.review_rate


def evaluate(truth: dict[int, Truth], decisions) -> Evaluation:
    return Evaluation(score(truth, decisions), score({r: t for r, t in truth.items() if not is_invalid(t)}, decisions))


def asxh_decisions(result_path: str, stt_to_row: dict[str, int], problems: list[str]) -> dict[int, tuple[str, str]]:
    decisions: dict[int, tuple[str, str]] = {}
    statuses: dict[str, int] = {}
    unknown_rows = 0
    with open(result_path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        expected = ["row", "status", "citizen_id", "confidence", "reasons"]
        if reader.fieldnames != expected:
            problems.append(f"asxh result header is {reader.fieldnames}, expected {expected}")
        for record in reader:
            status = (record.get("status") or "").strip()
            statuses[status] = statuses.get(status, 0) + 1
            row = stt_to_row.get((record.get("row") or "").strip())
            if row is None:
                unknown_rows += 1
                continue
            if row in decisions:
                problems.append(f"asxh result has STT {record['row']} more than once")
            cid = (record.get("citizen_id") or "").strip()
            if status in ASXH_AUTOMATIC:
                kind = "automatic"
                if not re.fullmatch(r"\d{12}", cid):
                    problems.append(f"asxh STT {record['row']}: status {status} with citizen_id {cid!r}")
            elif status in ("review", "not_found", "rejected"):
                kind = status
            else:
                kind = "not_found"
                problems.append(f"asxh STT {record['row']}: unknown status {status!r}")
            decisions[row] = (kind, cid, status)  # type: ignore[assignment]
    if unknown_rows:
        problems.append(f"asxh result: {unknown_rows} rows whose STT is not in the list")
    missing = len(stt_to_row) - len(decisions)
    if missing:
        problems.append(f"asxh result: {missing} list rows have no result line")
    print("asxh statuses: " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())))
    return decisions


def splink_decisions(best_path: str, auto: float, review: float) -> dict[int, tuple[str, str]]:
    decisions: dict[int, tuple[str, str]] = {}
    with open(best_path, newline="") as handle:
        for record in csv.DictReader(handle):
            p, p2 = float(record["p"]), float(record["p_second"])
            if p >= auto and p2 < auto:
                kind = "automatic"
            elif p >= review:
                kind = "review"  # includes two candidates both above the automatic threshold
            else:
                kind = "not_found"
            decisions[int(record["row"])] = (kind, record["citizen_id"])
    return decisions


def check_asxh_statuses(decisions, register_path: str, truth: dict[int, Truth], problems: list[str]) -> None:
    """Cross-checks asxh's deceased / matched statuses with the register's status of the linked person."""
    linked = {d[1]: None for d in decisions.values() if d[0] == "automatic"}
    with open(register_path, encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            if record["citizen_id"] in linked:
                linked[record["citizen_id"]] = record["status"]
    not_in_register = dead_linked_alive = alive_linked_dead = 0
    for row, d in decisions.items():
        if d[0] != "automatic":
            continue
        status = linked.get(d[1])
        if status is None:
            not_in_register += 1
        elif status == "deceased" and d[2] != "deceased":
            dead_linked_alive += 1
        elif status != "deceased" and d[2] == "deceased":
            alive_linked_dead += 1
    if not_in_register:
        problems.append(f"asxh: {not_in_register} automatic links to an ID that is not in the register")
    if dead_linked_alive:
        problems.append(f"asxh: {dead_linked_alive} links to a deceased person not marked 'deceased'")
    if alive_linked_dead:
        problems.append(f"asxh: {alive_linked_dead} rows marked 'deceased' linked to a living person")


def noise_breakdown(truth: dict[int, Truth], decisions, limit: int = 12) -> str:
    """Which noise kinds the wrong automatic links and the missed links carry (for the log)."""
    wrong: dict[str, int] = {}
    missed: dict[str, int] = {}
    for row, t in truth.items():
        d = decisions.get(row, ("not_found", ""))
        kinds = [k for k in t.noise.split(";") if k] or ["clean"]
        if d[0] == "automatic" and d[1] != t.citizen_id:
            for k in kinds:
                wrong[k] = wrong.get(k, 0) + 1
        elif t.citizen_id and not (d[0] == "automatic" and d[1] == t.citizen_id):
            for k in kinds:
                missed[k] = missed.get(k, 0) + 1

    def top(counts: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])[:limit]) or "-"

    return f"    wrong links by noise: {top(wrong)}\n    missed links by noise: {top(missed)}"


# ---------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------

def fmt_pct(x: float, digits: int = 3) -> str:
    return "n/a" if x != x else f"{100 * x:.{digits}f}%"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--asxh", help="path to the asxh executable (release build)")
    parser.add_argument("--people", type=int, default=200_000, help="beneficiaries (list rows, about)")
    parser.add_argument("--register", type=int, default=2_000_000, help="register rows")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", help="folder for the generated files and results "
                        "(default /tmp/asxh-vs-splink-PEOPLE-REGISTER-SEED)")
    parser.add_argument("--skip-generate", action="store_true", help="use the files already in --workdir")
    parser.add_argument("--skip-asxh", action="store_true", help="re-score the asxh result already in --workdir")
    parser.add_argument("--skip-splink", action="store_true", help="re-score Splink's candidates already there")
    parser.add_argument("--splink-auto", type=float, default=None,
                        help="Splink automatic-link threshold on match probability (default: calibrated, see "
                        "--splink-precision)")
    parser.add_argument("--splink-precision", type=float, default=CALIBRATION_PRECISION,
                        help="without --splink-auto: the threshold of the grid giving Splink its best recall on this "
                        f"run with precision at least this (default {CALIBRATION_PRECISION}, the reference's level)")
    parser.add_argument("--splink-review", type=float, default=DEFAULT_SPLINK_REVIEW,
                        help=f"Splink review band lower bound (default {DEFAULT_SPLINK_REVIEW})")
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: all cores)")
    parser.add_argument("--u-pairs", type=float, default=1e7, help="pairs sampled to estimate u")
    parser.add_argument("--min-probability", type=float, default=0.01,
                        help="Splink predict() threshold (pairs below it are dropped)")
    parser.add_argument("--log-level", default="WARNING", help="Splink log level in the child")
    # internal: the Splink child process
    parser.add_argument("--splink-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--list", help=argparse.SUPPRESS)
    parser.add_argument("--register-file", dest="register_file", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.splink_child:
        args.register = args.register_file
        splink_child(args)
        return 0

    workdir = args.workdir or f"/tmp/asxh-vs-splink-{args.people}-{args.register}-{args.seed}"
    os.makedirs(workdir, exist_ok=True)
    list_path = os.path.join(workdir, LIST_NAME)
    register_path = os.path.join(workdir, REGISTER_NAME)
    truth_path = os.path.join(workdir, TRUTH_NAME)
    have_files = all(os.path.exists(p) for p in (list_path, register_path, truth_path))
    needs_asxh = not args.skip_asxh or not (have_files or args.skip_generate)
    if needs_asxh and not args.asxh:
        parser.error("--asxh PATH is required")
    if args.asxh and not os.access(args.asxh, os.X_OK):
        parser.error(f"--asxh {args.asxh}: not an executable")

    if not have_files:
        if args.skip_generate:
            parser.error(f"--skip-generate: {workdir} lacks {LIST_NAME}, {REGISTER_NAME} or {TRUTH_NAME}")
        print(f"generating {args.people:,} people, {args.register:,} register rows (seed {args.seed}) in {workdir}",
              flush=True)
        subprocess.run([args.asxh, "generate", "--out", workdir, "--people", str(args.people),
                        "--register", str(args.register), "--seed", str(args.seed), "--single-list", "csv"],
                       check=True)

    problems: list[str] = []
    list_rows = read_list(list_path)
    stt_to_row: dict[str, int] = {}
    for r in list_rows:
        if r.stt in stt_to_row:
            problems.append(f"list: STT {r.stt} appears on rows {stt_to_row[r.stt]} and {r.row}")
        stt_to_row[r.stt] = r.row
    truth = read_truth(truth_path, LIST_NAME)
    if set(truth) != {r.row for r in list_rows}:
        problems.append(f"ground truth has {len(truth):,} rows for {LIST_NAME}, the list {len(list_rows):,}: "
                        f"{len(set(truth) ^ {r.row for r in list_rows}):,} differ")
    print(f"{len(list_rows):,} list rows, {sum(1 for t in truth.values() if t.citizen_id):,} of them in the register")

    # asxh
    asxh_result = os.path.join(workdir, "asxh-result.csv")
    asxh_run_file = os.path.join(workdir, "asxh-run.json")
    if not args.skip_asxh:
        print("running asxh match …", flush=True)
        run = timed([args.asxh, "match", "--register", register_path, "--list", list_path, "--out", asxh_result,
                     "--json"], os.path.join(workdir, "asxh-time.txt"), os.path.join(workdir, "asxh-stderr.log"),
                    os.path.join(workdir, "asxh-stdout.json"))
        if run.returncode != 0:
            print(f"asxh match failed ({run.returncode}); see {workdir}/asxh-stderr.log", file=sys.stderr)
            return 2
        with open(asxh_run_file, "w") as handle:
            json.dump(run.__dict__, handle)
    if not os.path.exists(asxh_run_file):
        parser.error(f"--skip-asxh: no earlier asxh run in {workdir}")
    with open(asxh_run_file) as handle:
        asxh_run = Run(**json.load(handle))
    try:
        summary = json.loads(asxh_run.stdout.strip().splitlines()[-1]) if asxh_run.stdout.strip() else None
        if summary is None:
            summary = json.loads(asxh_run.stdout)
    except (json.JSONDecodeError, IndexError):
        try:
            summary = json.loads(asxh_run.stdout)
        except json.JSONDecodeError:
            summary = None
            problems.append("asxh match --json: stdout is not JSON")
    if summary is not None:
        print("asxh --json: " + json.dumps(summary, ensure_ascii=False)[:600])

    # Splink
    best_path = os.path.join(workdir, "splink-best.csv")
    splink_run_file = os.path.join(workdir, "splink-run.json")
    if not args.skip_splink:
        print("running Splink 5 + DuckDB …", flush=True)
        command = [sys.executable, os.path.abspath(__file__), "--splink-child", "--list", list_path,
                   "--register-file", register_path, "--out", best_path, "--seed", str(args.seed),
                   "--u-pairs", str(args.u_pairs), "--min-probability", str(args.min_probability),
                   "--log-level", args.log_level]
        if args.threads:
            command += ["--threads", str(args.threads)]
        run = timed(command, os.path.join(workdir, "splink-time.txt"), os.path.join(workdir, "splink-stderr.log"))
        if run.returncode != 0:
            print(f"Splink failed ({run.returncode}); see {workdir}/splink-stderr.log", file=sys.stderr)
            return 2
        with open(splink_run_file, "w") as handle:
            json.dump(run.__dict__, handle)
    if not os.path.exists(splink_run_file):
        parser.error(f"--skip-splink: no earlier Splink run in {workdir}")
    with open(splink_run_file) as handle:
        splink_run = Run(**json.load(handle))
    phases_path = os.path.splitext(best_path)[0] + "-phases.json"
    if os.path.exists(phases_path):
        with open(phases_path) as handle:
            info = json.load(handle)
        print(f"Splink {info['splink']} / DuckDB {info['duckdb']}: {info['scored_pairs']:,} scored pairs; phases "
              + ", ".join(f"{k} {v} s" for k, v in info["phases"].items()))

    # Scoring
    asxh_d = asxh_decisions(asxh_result, stt_to_row, problems)
    check_asxh_statuses(asxh_d, register_path, truth, problems)
    if args.splink_auto is None:
        args.splink_auto, best_key = CALIBRATION_GRID[-1], None
        for threshold in CALIBRATION_GRID:
            if threshold >= args.splink_review:
                x = evaluate(truth, splink_decisions(best_path, threshold, args.splink_review))
                key = (x.recall, x.precision, -x.review_rate)
                if x.precision >= args.splink_precision and (best_key is None or key > best_key):
                    args.splink_auto, best_key = threshold, key
        calibration = (f" (calibrated: Splink's best recall on the grid at precision >= "
                       f"{fmt_pct(args.splink_precision, 2)})")
    else:
        calibration = " (fixed)"
    splink_d = splink_decisions(best_path, args.splink_auto, args.splink_review)
    ae, se = evaluate(truth, asxh_d), evaluate(truth, splink_d)
    a, s = ae.every, se.every

    print()
    print(f"{'':26}{'asxh':>14}{'Splink 5':>14}   better")
    measures = [
        ("time (s)", asxh_run.wall, splink_run.wall, lambda x: f"{x:.2f}" if x < 10 else f"{x:.1f}", "lower"),
        ("peak memory (MiB)", asxh_run.peak_mib, splink_run.peak_mib, lambda x: f"{x:,.0f}", "lower"),
        ("precision", ae.precision, se.precision, fmt_pct, "higher"),
        ("recall", ae.recall, se.recall, fmt_pct, "higher"),
        ("review rate", ae.review_rate, se.review_rate, lambda x: fmt_pct(x, 2), "lower"),
    ]
    failures = []
    for name, x, y, f, better in measures:
        wins = (x < y) if better == "lower" else (x > y)
        # Both at the best possible value (100% precision, no review) cannot be beaten: not a failure.
        perfect = (name == "precision" and x == y == 1.0) or (name == "review rate" and x == y == 0.0)
        if perfect:
            wins = True
        if not wins:
            failures.append(name)
        print(f"{name:26}{f(x):>14}{f(y):>14}   {'tie (best possible)' if perfect else 'asxh' if wins else 'Splink' if x != y else 'tie'}")
    av, sv = ae.valid, se.valid
    print(f"{'automatic links (valid)':26}{av.automatic:>14,}{sv.automatic:>14,}")
    print(f"{'  wrong':26}{av.automatic - av.correct:>14,}{sv.automatic - sv.correct:>14,}")
    print(f"{'review rows':26}{a.review:>14,}{s.review:>14,}")
    print(f"{'not_found (truly absent)':26}{f'{a.not_found:,} ({fmt_pct(a.not_found_precision, 1)})':>14}"
          f"{f'{s.not_found:,} ({fmt_pct(s.not_found_precision, 1)})':>14}")
    print(f"{'in register, not_found':26}{a.not_found - a.not_found_right:>14,}{s.not_found - s.not_found_right:>14,}"
          "   (entitled people dropped silently)")
    print(f"{'absent rows found absent':26}{fmt_pct(a.not_found_recall, 1):>14}{fmt_pct(s.not_found_recall, 1):>14}")
    print(f"{'invalid rows':26}{a.rows - av.rows:>14,}{s.rows - sv.rows:>14,}")
    print(f"{'  rejected':26}{a.rejected:>14,}{s.rejected:>14,}")
    print(f"{'  linked automatically':26}{a.automatic - av.automatic:>14,}{s.automatic - sv.automatic:>14,}")
    print(f"{'precision, all rows':26}{fmt_pct(a.precision):>14}{fmt_pct(s.precision):>14}")
    print(f"{'recall, all rows':26}{fmt_pct(a.recall):>14}{fmt_pct(s.recall):>14}")
    print(f"rows {a.rows:,} ({av.rows:,} valid); with a register ID {a.linkable:,} ({av.linkable:,} valid). "
          f"Precision and recall on valid rows, review rate on all rows.")
    print(f"Splink: automatic when p >= {args.splink_auto}{calibration} and no second candidate as high; "
          f"review {args.splink_review} <= p < {args.splink_auto}")
    valid_truth = {r: t for r, t in truth.items() if not is_invalid(t)}
    print("asxh (valid rows):\n" + noise_breakdown(valid_truth, asxh_d))
    print("Splink (valid rows):\n" + noise_breakdown(valid_truth, splink_d))

    # Splink at other thresholds, for transparency (same best-candidate file).
    print("\nSplink at other automatic thresholds (review floor 0.1 / 0.5):")
    print(f"{'p >=':>10}{'precision':>12}{'recall':>10}{'review':>9}{'(0.5)':>9}{'wrong':>8}")
    for t in CALIBRATION_GRID:
        x = evaluate(truth, splink_decisions(best_path, t, min(0.1, t)))
        y = evaluate(truth, splink_decisions(best_path, t, min(0.5, t)))
        print(f"{t:>10}{fmt_pct(x.precision):>12}{fmt_pct(x.recall, 2):>10}{fmt_pct(x.review_rate, 2):>9}"
              f"{fmt_pct(y.review_rate, 2):>9}{x.valid.automatic - x.valid.correct:>8}")

    if problems:
        print("\nproblems seen:")
        for p in problems[:40]:
            print("  - " + p)
        if len(problems) > 40:
            print(f"  … and {len(problems) - 40} more")
    if failures:
        print(f"\nasxh does NOT beat Splink on: {', '.join(failures)}")
        return 1
    print("\nasxh beats Splink on every measure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
