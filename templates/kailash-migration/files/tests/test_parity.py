"""Tests of the parity check (src/{{package_name}}/parity/): standard library and pytest only.

Each test plants one kind of difference between a legacy and a new output and checks that
the check finds exactly that one, and nothing else; equal outputs pass whatever their row
and column order, line endings, byte order mark or declared encoding. Bad input ends with
exit code 2, a message naming the file, column or rule, and no report.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from {{package_name}} import shadow
from {{package_name}}.parity import engine, inputs, stats, yamlite
from {{package_name}}.parity.__main__ import main
from {{package_name}}.parity.inputs import Source
from {{package_name}}.settings import Settings

# Standard library and pytest only: runs beside a legacy system, before the project is installed.
pytestmark = pytest.mark.stdlib_only

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["invoice_id", "customer", "amount", "posted_on", "exported_at"]
ROWS = [
    ["1001", "ACME Ltd", "1250.00", "2026-12-01", "2026-12-07T02:00:01"],
    ["1002", "Globex", "980.50", "2026-12-01", "2026-12-07T02:00:01"],
    ["1003", "Initech", "12000.00", "2026-12-02", "2026-12-07T02:00:02"],
    ["1004", "Umbrella", "15.25", "2026-12-03", "2026-12-07T02:00:02"],
    ["1005", "Hooli", "0.99", "2026-12-04", "2026-12-07T02:00:03"],
]
JOBS_YAML = """\
# The job inventory (an excerpt in the shape create-migration writes).
version: 1
calendar:
  holidays: [2026-12-25, 2027-01-01]
jobs:
  - id: billing-extract
    title: Nightly billing extract
    owner: Billing team
    state: parallel
    legacy:
      kind: cron
      schedule: "0 2 * * 1-5"
      time_zone: Europe/Berlin
      command: /opt/billing/bin/extract.sh --full
      found_in: crontab:3
    outputs:
      legacy: {path: legacy.csv, format: csv, encoding: latin-1, delimiter: ";"}
      new:    {path: new.csv, format: csv}
    parity:
      key: [invoice_id]
      criterion_days: 10
      ignore: [exported_at]
      null_values: ["", "NULL", "\\\\N"]
      columns:
        amount: {abs: 0.01}
        customer: {trim: true, case: insensitive}
        posted_on: {date_formats: ["%d.%m.%Y", "%Y-%m-%d"]}
    history:
      - {at: "2026-12-07T10:00:00Z", from: null, to: inventoried, by: "Jane", reason: "found by assess"}
"""


def write_csv(
    path: Path,
    rows: list[list[str]],
    header: list[str] = HEADER,
    *,
    encoding: str = "utf-8",
    newline: str = "\n",
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        if bom:
            handle.write("\ufeff")
        writer = csv.writer(handle, delimiter=delimiter, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def copy_rows() -> list[list[str]]:
    return [list(row) for row in ROWS]


def two_processes(monkeypatch) -> None:
    """Small outputs compared the way big ones are on two cores: the legacy side read by a
    forked child while this process reads the new side (where the platform has fork)."""
    monkeypatch.setattr(engine, "PARALLEL_IN_MEMORY_FROM", 0)
    monkeypatch.setattr(engine, "_cores", lambda: 2)


@pytest.fixture(params=["one-process", "two-processes"])
def check(request, tmp_path, monkeypatch, capsys):
    """Runs the CLI in tmp_path: ``check(*flags)`` -> (exit code, report or None, stderr).

    Every test runs twice: with one process reading both sides in memory, and with two.
    """
    monkeypatch.chdir(tmp_path)
    if request.param == "two-processes":
        two_processes(monkeypatch)

    def run(*flags: str, job: str = "billing-extract", day: str = "2026-12-07"):
        code = main([job, "--date", day, *flags])
        out = capsys.readouterr()
        report_file = tmp_path / "reports" / "parity" / job / f"{day}.json"
        report = (
            json.loads(report_file.read_text(encoding="utf-8")) if report_file.exists() else None
        )
        return code, report, out.err

    return run


def kinds(report: dict) -> dict:
    """The kinds of difference a report found, with their counts (only those found)."""
    d = report["differences"]
    found = {
        "only_in_legacy": len(d["schema"]["only_in_legacy"]),
        "only_in_new": len(d["schema"]["only_in_new"]),
        "type_changes": len(d["schema"]["type_changes"]),
        "missing_keys": d["missing_keys"],
        "extra_keys": d["extra_keys"],
        "duplicate_keys_legacy": d["duplicate_keys"]["legacy"],
        "duplicate_keys_new": d["duplicate_keys"]["new"],
        **{f"values.{column}": n for column, n in d["values"].items()},
    }
    return {kind: n for kind, n in found.items() if n}


BASE_FLAGS = (
    "--legacy",
    "legacy.csv",
    "--new",
    "new.csv",
    "--key",
    "invoice_id",
    "--ignore",
    "exported_at",
)


# -- equal outputs --------------------------------------------------------------------------


def test_equal_outputs_in_any_row_and_column_order_are_green(tmp_path, check):
    write_csv(tmp_path / "legacy.csv", ROWS)
    order = [4, 2, 0, 3, 1]
    write_csv(
        tmp_path / "new.csv",
        [[row[i] for i in order] for row in reversed(ROWS)],
        [HEADER[i] for i in order],
    )
    code, report, err = check(*BASE_FLAGS)
    assert code == 0, err
    assert report["verdict"] == "green" and kinds(report) == {}
    assert (
        report["schema"] == "parity-report/1"
        and report["job"] == "billing-extract"
        and report["date"] == "2026-12-07"
    )
    assert set(report) >= {
        "generated_at",
        "legacy",
        "new",
        "rules",
        "counts",
        "differences",
        "examples",
    }
    assert report["counts"]["rows_identical"] == 5 and report["counts"]["checksums_equal"] is True
    assert report["counts"]["control_totals"]["amount"]["difference"] == 0
    folder = tmp_path / "reports" / "parity" / "billing-extract"
    assert json.loads((folder / "latest.json").read_text(encoding="utf-8")) == report
    assert "**green**" in (folder / "2026-12-07.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("legacy_options", "new_options", "flags"),
    [
        ({"newline": "\r\n"}, {"newline": "\n"}, ()),
        ({"bom": True}, {}, ()),
        (
            {"encoding": "latin-1", "delimiter": ";"},
            {"encoding": "utf-8"},
            ("--legacy-encoding", "latin-1", "--legacy-delimiter", ";"),
        ),
        ({"encoding": "utf-8"}, {"encoding": "cp1252", "bom": False}, ("--new-encoding", "cp1252")),
    ],
    ids=["crlf-vs-lf", "bom-vs-none", "latin1-semicolon-vs-utf8", "utf8-vs-cp1252"],
)
def test_the_same_data_written_differently_is_green(
    tmp_path, check, legacy_options, new_options, flags
):
    rows = copy_rows()
    rows[0][1] = "Müller & Söhne"  # a character the encodings write differently
    write_csv(tmp_path / "legacy.csv", rows, **legacy_options)
    write_csv(tmp_path / "new.csv", rows, **new_options)
    code, report, err = check(*BASE_FLAGS, *flags)
    assert code == 0, err
    assert kinds(report) == {}
    assert report["counts"]["checksums_equal"] is True


# -- one planted difference of each kind ----------------------------------------------------


def planted(tmp_path, check, change, *flags):
    """Writes ROWS as legacy, ROWS changed by ``change`` (shuffled) as new, and runs the check."""
    write_csv(tmp_path / "legacy.csv", ROWS)
    rows = copy_rows()
    header = list(HEADER)
    header = change(rows) or header
    write_csv(tmp_path / "new.csv", list(reversed(rows)), header)
    return check(*BASE_FLAGS, *flags)


def test_a_missing_key_is_found_and_nothing_else(tmp_path, check):
    code, report, _ = planted(tmp_path, check, lambda rows: rows.pop(2) and None)
    assert code == 1 and report["verdict"] == "red"
    assert kinds(report) == {"missing_keys": 1}
    assert report["examples"]["missing_keys"] == [{"key": {"invoice_id": "1003"}, "legacy_row": 3}]


def test_an_extra_key_is_found_and_nothing_else(tmp_path, check):
    code, report, _ = planted(
        tmp_path, check, lambda rows: rows.append(["2001", "New Co", "1.00", "2026-12-05", "x"])
    )
    assert code == 1
    assert kinds(report) == {"extra_keys": 1}
    assert report["examples"]["extra_keys"][0]["key"] == {"invoice_id": "2001"}


def test_a_duplicate_key_is_found_and_nothing_else(tmp_path, check):
    code, report, _ = planted(tmp_path, check, lambda rows: rows.append(list(rows[1])))
    assert code == 1
    assert kinds(report) == {"duplicate_keys_new": 1}
    example = report["examples"]["duplicate_keys"][0]
    assert (
        example["side"] == "new"
        and example["key"] == {"invoice_id": "1002"}
        and len(example["rows"]) == 2
    )


def test_a_duplicate_key_in_the_legacy_output_is_found_too(tmp_path, check):
    write_csv(tmp_path / "legacy.csv", [*ROWS, ROWS[0]])
    write_csv(tmp_path / "new.csv", ROWS)
    code, report, _ = check(*BASE_FLAGS)
    assert code == 1 and kinds(report) == {"duplicate_keys_legacy": 1}


def test_a_value_inside_its_tolerance_passes_and_one_outside_is_found(tmp_path, check):
    def change(rows):
        rows[0][2] = "1250.009"  # inside abs 0.01
        rows[1][2] = "980.52"  # outside

    code, report, _ = planted(tmp_path, check, change, "--tolerance", "amount=0.01")
    assert code == 1
    assert kinds(report) == {"values.amount": 1}
    assert report["counts"]["rows_equal_within_rules"] == 1
    example = report["examples"]["values"]["amount"][0]
    assert (example["key"], example["legacy"], example["new"]) == (
        {"invoice_id": "1002"},
        "980.50",
        "980.52",
    )
    assert example["rule"] == {"abs": "0.01"}


def test_a_relative_tolerance(tmp_path, check):
    def change(rows):
        rows[2][2] = "12000.50"  # 0.004% of 12000
        rows[3][2] = "15.30"  # 0.3%

    code, report, _ = planted(tmp_path, check, change, "--tolerance", "amount=0.1%")
    assert code == 1 and kinds(report) == {"values.amount": 1}
    assert report["examples"]["values"]["amount"][0]["key"] == {"invoice_id": "1004"}


def test_a_renamed_column_is_found_as_a_schema_difference(tmp_path, check):
    code, report, _ = planted(
        tmp_path, check, lambda rows: ["invoice_id", "customer_name", *HEADER[2:]]
    )
    assert code == 1
    assert kinds(report) == {"only_in_legacy": 1, "only_in_new": 1}
    assert report["differences"]["schema"]["only_in_legacy"] == ["customer"]
    assert report["differences"]["schema"]["only_in_new"] == ["customer_name"]


def test_a_column_that_changed_type_is_found_with_its_values(tmp_path, check):
    def change(rows):
        for row in rows:
            row[2] = "n/a" if row[0] == "1005" else row[2]

    code, report, _ = planted(tmp_path, check, change)
    assert code == 1
    assert kinds(report) == {"type_changes": 1, "values.amount": 1}
    assert report["differences"]["schema"]["type_changes"] == [
        {"column": "amount", "legacy": "number", "new": "text"}
    ]


def test_an_ignored_column_may_differ_and_exist_on_one_side_only(tmp_path, check):
    write_csv(tmp_path / "legacy.csv", [row[:4] for row in ROWS], HEADER[:4])
    write_csv(tmp_path / "new.csv", [[*row[:4], "2026-12-08T09:00"] for row in ROWS])
    code, report, err = check(*BASE_FLAGS)
    assert code == 0, err
    assert "exported_at" not in report["counts"]["compared_columns"]


def test_a_multi_column_key(tmp_path, check):
    rows = [["A", "1", "x"], ["A", "2", "y"], ["B", "1", "z"]]
    write_csv(tmp_path / "legacy.csv", rows, ["region", "n", "v"])
    write_csv(tmp_path / "new.csv", [rows[2], rows[0], ["A", "2", "changed"]], ["region", "n", "v"])
    code, report, _ = check("--legacy", "legacy.csv", "--new", "new.csv", "--key", "region,n")
    assert code == 1 and kinds(report) == {"values.v": 1}
    assert report["examples"]["values"]["v"][0]["key"] == {"region": "A", "n": "2"}


# -- rules from jobs.yaml --------------------------------------------------------------------


def test_rules_come_from_the_jobs_inventory(tmp_path, check):
    (tmp_path / "jobs.yaml").write_text(JOBS_YAML, encoding="utf-8")
    legacy = [
        ["1001", "ACME LTD ", "1250,00", "01.12.2026", "a"],
        ["1002", "Globex", "980.5", "01.12.2026", "NULL"],
        ["1003", "\\N", "12000.004", "02.12.2026", "b"],
    ]
    new = [
        ["1003", "", "12000", "2026-12-02", "c"],
        ["1001", "acme ltd", "1250.001", "2026-12-01", "d"],
        ["1002", "globex", "980.50", "2026-12-01", ""],
    ]
    write_csv(tmp_path / "legacy.csv", legacy, encoding="latin-1", delimiter=";")
    write_csv(tmp_path / "new.csv", new)
    code, report, err = check()
    # "1250,00" is no number to a rule without a number format: the one difference left
    # (and the legacy column, holding it, is text).
    assert code == 1, err
    assert kinds(report) == {"values.amount": 1, "type_changes": 1}
    assert report["examples"]["values"]["amount"][0]["legacy"] == "1250,00"
    assert report["rules"]["key"] == ["invoice_id"] and report["rules"]["criterion_days"] == 10
    # A number format makes it equal; a flag overrides the inventory for one run.
    (tmp_path / "jobs.yaml").write_text(
        JOBS_YAML.replace(
            "amount: {abs: 0.01}",
            'amount: {abs: 0.01, number_format: {decimal: ",", thousands: "."}}',
        ),
        encoding="utf-8",
    )
    code, report, err = check()
    assert code == 0, err
    code, report, _ = check("--tolerance", "amount=0.0001")
    assert code == 1 and kinds(report) == {"values.amount": 2}


def test_a_number_format_reads_grouped_numbers_on_either_side(tmp_path, check):
    write_csv(
        tmp_path / "legacy.csv",
        [["1", "1.234,56"], ["2", "1.000.000"], ["3", "7,5"]],
        ["id", "total"],
    )
    write_csv(
        tmp_path / "new.csv", [["1", "1234.56"], ["2", "1.000.000"], ["3", "7.50"]], ["id", "total"]
    )
    (tmp_path / "jobs.yaml").write_text(
        "jobs:\n  - id: totals\n    parity:\n      key: [id]\n      columns:\n"
        '        total: {number_format: {decimal: ",", thousands: "."}}\n',
        encoding="utf-8",
    )
    code, report, err = check("--legacy", "legacy.csv", "--new", "new.csv", job="totals")
    assert code == 0, err
    assert report["legacy"]["types"]["total"] == "number"


# -- other formats ---------------------------------------------------------------------------


def test_json_lines_and_a_json_array_compare_with_csv(tmp_path, check):
    write_csv(tmp_path / "legacy.csv", ROWS)
    records = [dict(zip(HEADER, row, strict=True)) for row in ROWS]
    (tmp_path / "new.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in reversed(records)), encoding="utf-8"
    )
    code, report, err = check("--legacy", "legacy.csv", "--new", "new.jsonl", "--key", "invoice_id")
    assert code == 0, err
    records[1]["amount"] = 980.5  # a JSON number: compared as a number under a tolerance
    del records[4]["exported_at"]  # a missing field is a null: ignored here
    (tmp_path / "new.json").write_text(json.dumps(records), encoding="utf-8")
    code, report, err = check(
        "--legacy",
        "legacy.csv",
        "--new",
        "new.json",
        "--key",
        "invoice_id",
        "--tolerance",
        "amount=0",
        "--ignore",
        "exported_at",
    )
    assert code == 0, err
    assert report["new"]["format"] == "json"


def test_json_nulls_and_cells_holding_any_character_compare_like_the_rest(tmp_path, check):
    records = [
        {"invoice_id": "1", "customer": None, "amount": "1.00", "note": "a\x1fb"},
        {"invoice_id": "2", "customer": "Globex", "amount": None, "note": "plain"},
    ]
    (tmp_path / "legacy.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    write_csv(
        tmp_path / "new.csv",
        [["2", "Globex", "", "plain"], ["1", "", "1.00", "a\x1fb"]],
        ["invoice_id", "customer", "amount", "note"],
    )
    code, report, err = check("--legacy", "legacy.jsonl", "--new", "new.csv", "--key", "invoice_id")
    assert code == 0, err
    assert report["counts"]["rows_equal_within_rules"] == 2
    write_csv(
        tmp_path / "new.csv",
        [["2", "Globex", "", "plain"], ["1", "", "1.00", "a\x1fc"]],
        ["invoice_id", "customer", "amount", "note"],
    )
    code, report, _ = check("--legacy", "legacy.jsonl", "--new", "new.csv", "--key", "invoice_id")
    assert code == 1 and kinds(report) == {"values.note": 1}


def test_a_database_table_through_the_projects_database_url(tmp_path, check, monkeypatch):
    database = tmp_path / "legacy.db"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "CREATE TABLE invoices (invoice_id TEXT, customer TEXT, amount TEXT, posted_on TEXT)"
        )
        connection.executemany(
            "INSERT INTO invoices VALUES (?, ?, ?, ?)", [row[:4] for row in ROWS]
        )
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    write_csv(tmp_path / "new.csv", ROWS)
    (tmp_path / "jobs.yaml").write_text(
        "jobs:\n  - id: billing-extract\n    outputs:\n"
        '      legacy: {format: table, query: "SELECT invoice_id, customer, amount, posted_on FROM invoices"}\n'
        "      new: {path: new.csv}\n"
        "    parity: {key: [invoice_id], ignore: [exported_at]}\n",
        encoding="utf-8",
    )
    code, report, err = check()
    assert code == 0, err
    assert report["legacy"]["format"] == "table" and report["counts"]["legacy_rows"] == 5


# -- scale: partitions and the parallel reader -----------------------------------------------


def test_many_partitions_and_the_parallel_reader_find_exactly_the_planted_differences(
    tmp_path, check, monkeypatch
):
    monkeypatch.setattr(engine, "PARTITION_BYTES", 4096)  # ~50 partitions: the path big files take
    rows = [
        [str(i), f"customer {i % 97}", f"{i * 1.25:.2f}", "2026-12-01", "t"] for i in range(1, 4001)
    ]
    write_csv(tmp_path / "legacy.csv", rows)
    new = [list(row) for row in rows]
    new[10][2] = "0.00"
    del new[20]
    new.append(["9999", "extra", "1.00", "2026-12-01", "t"])
    new.append(list(new[30]))
    write_csv(tmp_path / "new.csv", new[::-1])
    code, report, _ = check(*BASE_FLAGS)
    assert (
        engine.partitions_for(
            Source(side="legacy", path=str(tmp_path / "legacy.csv"), format="csv")
        )
        >= 3
    )
    assert code == 1
    assert kinds(report) == {
        "values.amount": 1,
        "missing_keys": 1,
        "extra_keys": 1,
        "duplicate_keys_new": 1,
    }
    assert report["counts"]["rows_identical"] == 4000 - 3


def spy_on_partitions(monkeypatch) -> list:
    """Records every set of partition files the check opens (the on-disk way)."""
    opened: list = []
    real = engine.Partitions

    def partitions(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "Partitions", partitions)
    return opened


def same_findings(report: dict) -> dict:
    """A report less what differs from run to run (its date and when it was written)."""
    return {k: v for k, v in report.items() if k not in ("date", "generated_at")}


@pytest.mark.parametrize(
    "budget", ["0", "over-the-file"], ids=["budget-0", "budget-between-text-and-records"]
)
def test_in_memory_and_partitioned_on_disk_find_the_same(tmp_path, check, monkeypatch, budget):
    # Under its memory budget the legacy side is held in memory and the new side's types,
    # totals and checksum derived from it; over it, both go to partitions on disk. Same report.
    rows = [
        [str(i), f"customer {i % 97}", f"{i * 1.25:.2f}", f"2026-12-{i % 28 + 1:02d}", "t"]
        for i in range(1, 1201)
    ]
    rows[5][2] = ""  # a null in the amount column
    write_csv(tmp_path / "legacy.csv", rows)
    new = [list(row) for row in rows]
    new[10][2] = f"{float(new[10][2]) + 0.001:.3f}"  # inside the tolerance
    new[11][2] = "0.00"  # outside it
    new[12][2] = "n/a"  # text in a column of numbers: a type change and a value
    new[13][1] = "CUSTOMER 13"
    new[14][0] = "99999"  # a missing key and an extra one
    del new[20]  # a missing key
    new.append(["10000", "extra", "7", "2026-12-01", "t"])
    order = [3, 0, 4, 2, 1]
    write_csv(
        tmp_path / "new.csv",
        [[row[i] for i in order] for row in new[::-1]],
        [HEADER[i] for i in order],
    )
    flags = (*BASE_FLAGS, "--tolerance", "amount=0.01")
    opened = spy_on_partitions(monkeypatch)
    code, in_memory, err = check(*flags)
    assert code == 1, err
    assert opened == []
    assert kinds(in_memory) == {
        "type_changes": 1,
        "missing_keys": 2,
        "extra_keys": 2,
        "values.amount": 2,
        "values.customer": 1,
    }
    assert in_memory["counts"]["rows_equal_within_rules"] == 1
    size = (tmp_path / "legacy.csv").stat().st_size
    # "over-the-file": the file fits, its records do not: the check starts in memory and starts over on disk.
    megabytes = 0 if budget == "0" else 2 * size / (1024 * 1024)
    monkeypatch.setenv("PARITY_MEMORY_MB", str(megabytes))
    code, on_disk, err = check(*flags, day="2026-12-08")
    assert code == 1, err
    assert (
        opened
        and engine.partitions_for(
            Source(side="legacy", path=str(tmp_path / "legacy.csv"), format="csv")
        )
        == 1
    )
    assert same_findings(on_disk) == same_findings(in_memory)


def test_equal_outputs_have_equal_totals_and_checksums_in_memory_and_on_disk(
    tmp_path, check, monkeypatch
):
    rows = [[str(i), f"c{i}", f"{i / 7:.4f}", "2026-12-01", "t"] for i in range(1, 801)]
    write_csv(tmp_path / "legacy.csv", rows)
    write_csv(tmp_path / "new.csv", rows[::-1])
    _, in_memory, _ = check(*BASE_FLAGS)
    monkeypatch.setenv("PARITY_MEMORY_MB", "0")
    _, on_disk, _ = check(*BASE_FLAGS, day="2026-12-08")
    for report in (in_memory, on_disk):
        assert report["verdict"] == "green" and report["counts"]["checksums_equal"] is True
        assert report["legacy"]["control_totals"] == report["new"]["control_totals"]
    assert same_findings(on_disk) == same_findings(in_memory)


@pytest.mark.parametrize("key", ["plain", "two-columns", "trimmed"])
def test_two_processes_find_what_one_finds_chunk_by_chunk(tmp_path, check, monkeypatch, key):
    # Many chunks (types and totals are learnt chunk by chunk, text columns until their sample
    # is full), a column of numbers that turns to text late on the new side only, one that is
    # text on the legacy side and numbers on the new, planted differences of every kind the
    # in-memory way reports, keys with and without rules: one report either way.
    monkeypatch.setattr(inputs, "CHUNK_ROWS", 40)
    monkeypatch.setattr(stats, "TYPE_SAMPLE", 50)
    header = ["invoice_id", "customer", "amount", "code", "ref"]
    rows = [
        [str(i), f"customer {i % 7}", f"{i * 1.37:.2f}", str(i % 50), f"R{i}" if i == 3 else str(i)]
        for i in range(1, 1004)  # chunks of 40, and a shorter last one
    ]
    write_csv(tmp_path / "legacy.csv", rows, header)
    new = [list(row) for row in rows]
    new[900][3] = "late text"  # numbers until record 901 of the new side
    new[2][4] = "3"  # the legacy side's only text in this column
    new[10][2] = f"{float(new[10][2]) + 0.001:.3f}"  # inside the tolerance
    new[11][2] = "0.00"
    new[12][1] = "someone else"
    del new[20]
    new.append(["5000", "extra", "1.00", "1", "1"])
    order = [4, 0, 3, 2, 1]
    flags = ("--legacy", "legacy.csv", "--new", "new.csv", "--tolerance", "amount=0.01")
    if key == "trimmed":  # a key compared under a rule: " 7" and "7" are one key
        new[40][0] = f" {new[40][0]} "
        (tmp_path / "jobs.yaml").write_text(
            "jobs:\n  - id: billing-extract\n    parity:\n      key: [invoice_id]\n"
            "      columns: {invoice_id: {trim: true}}\n",
            encoding="utf-8",
        )
    else:
        flags += ("--key", "invoice_id" if key == "plain" else "invoice_id,customer")
    write_csv(
        tmp_path / "new.csv",
        [[row[i] for i in order] for row in new[::-1]],
        [header[i] for i in order],
    )
    ran = []
    real = engine._in_memory_forked
    monkeypatch.setattr(engine, "_in_memory_forked", lambda *a: ran.append(1) or real(*a))
    forks = engine._fork_context() is not None and engine.PARALLEL_IN_MEMORY_FROM == 0
    code, report, err = check(*flags)
    assert code == 1, err
    assert bool(ran) == forks
    monkeypatch.setenv("PARITY_PARALLEL", "0")
    _, one_process, _ = check(*flags, day="2026-12-08")
    monkeypatch.setenv("PARITY_MEMORY_MB", "0")
    _, on_disk, _ = check(*flags, day="2026-12-09")
    assert same_findings(report) == same_findings(one_process) == same_findings(on_disk)
    expected = {"type_changes": 2, "values.amount": 1, "values.code": 1, "values.ref": 1}
    if key == "two-columns":  # the changed customer changes the key: one missing, one extra
        expected.update({"missing_keys": 2, "extra_keys": 2})
    else:
        expected.update({"missing_keys": 1, "extra_keys": 1, "values.customer": 1})
    assert kinds(report) == expected
    assert report["counts"]["rows_equal_within_rules"] == (2 if key == "trimmed" else 1)
    assert report["new"]["types"]["code"] == "text" and report["legacy"]["types"]["ref"] == "text"


@pytest.mark.parametrize("found", ["in-both", "legacy-only"])
def test_a_legacy_key_twice_in_two_chunks_is_a_duplicate(tmp_path, check, monkeypatch, found):
    # The legacy records travel from the child chunk by chunk: a key in chunk 1 and again in
    # chunk 2 is still found (with or without a new record of its own).
    monkeypatch.setattr(inputs, "CHUNK_ROWS", 10)
    rows = [[str(i), f"c{i}", "1.00", "2026-12-01", "t"] for i in range(1, 41)]
    write_csv(tmp_path / "new.csv", rows[::-1] if found == "in-both" else rows[1:])
    rows[14] = [rows[0][0], "again", "2.00", "2026-12-01", "t"]  # record 15: chunk 2
    write_csv(tmp_path / "legacy.csv", rows)
    code, report, err = check(*BASE_FLAGS)
    assert code == 1, err
    assert report["differences"]["duplicate_keys"] == {"legacy": 1, "new": 0}
    assert report["examples"]["duplicate_keys"][0]["rows"] == [1, 15]
    monkeypatch.setenv("PARITY_PARALLEL", "0")
    _, one_process, _ = check(*BASE_FLAGS, day="2026-12-08")
    assert same_findings(report) == same_findings(one_process)


def test_a_process_running_other_threads_does_not_fork(tmp_path, check, monkeypatch):
    # A shadow run checks parity inside the job's process, which may run threads: a forked
    # child could inherit a lock one of them holds, so the check stays in one process there.
    two_processes(monkeypatch)
    write_csv(tmp_path / "legacy.csv", ROWS)
    write_csv(tmp_path / "new.csv", ROWS[::-1])
    forked = []
    real = engine._in_memory_forked
    monkeypatch.setattr(engine, "_in_memory_forked", lambda *a: forked.append(1) or real(*a))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        code, report, err = check(*BASE_FLAGS)
    finally:
        stop.set()
        other.join()
    assert code == 0, err
    assert report["verdict"] == "green" and forked == []
    check(*BASE_FLAGS, day="2026-12-08")
    assert forked == [1] or engine._fork_context() is None


def test_two_processes_hand_over_to_one_when_the_new_side_outgrows_the_budget(
    tmp_path, monkeypatch, check
):
    two_processes(monkeypatch)
    write_csv(
        tmp_path / "legacy.csv", [[str(i), "c", "1.00", "2026-12-01", "t"] for i in range(50)]
    )
    new = [[str(i), "c", "1.00", "2026-12-01", "t"] for i in range(2000)]  # 1950 extra keys
    write_csv(tmp_path / "new.csv", new)
    opened = spy_on_partitions(monkeypatch)
    # Room for the legacy records and the new file's text, not for the new side's records.
    monkeypatch.setenv("PARITY_MEMORY_MB", str(1.1 * (tmp_path / "new.csv").stat().st_size / 2**20))
    code, report, err = check(*BASE_FLAGS)
    assert code == 1, err
    assert kinds(report) == {"extra_keys": 1950}
    monkeypatch.setenv("PARITY_PARALLEL", "0")
    _, one_process, _ = check(*BASE_FLAGS, day="2026-12-08")
    assert same_findings(report) == same_findings(one_process)
    assert opened == [] or engine._fork_context() is None


# -- bad input: exit 2, named, nothing written ------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "flags", "named"),
    [
        (
            None,
            ("--legacy", "nowhere.csv", "--new", "new.csv", "--key", "invoice_id"),
            "nowhere.csv",
        ),
        (None, ("--legacy", "legacy.csv", "--new", "new.csv", "--key", "order_id"), "order_id"),
        (None, ("--legacy", "legacy.csv", "--new", "new.csv"), "--key"),
        (None, (*BASE_FLAGS, "--tolerance", "amount"), "--tolerance"),
        (None, (*BASE_FLAGS, "--tolerance", "amount=-1"), "--tolerance amount"),
        (None, (*BASE_FLAGS, "--ignore", "invoice_id"), "invoice_id"),
        (None, (*BASE_FLAGS, "--ignore", "no_such_column"), "no_such_column"),
        (None, (*BASE_FLAGS, "--legacy-encoding", "klingon"), "klingon"),
        ("ragged", BASE_FLAGS, "record 3 has 4 fields"),
        ("latin1", BASE_FLAGS, "--legacy-encoding"),
        (
            "badrule",
            ("--legacy", "legacy.csv", "--new", "new.csv"),
            "parity.columns.amount.tolerance",
        ),
        ("badyaml", ("--legacy", "legacy.csv", "--new", "new.csv"), "line 3"),
        ("jobs", ("--legacy", "legacy.csv", "--new", "new.csv"), "no job 'billing-extract'"),
        ("budget", BASE_FLAGS, "PARITY_MEMORY_MB"),
    ],
    ids=[
        "missing-file",
        "key-not-a-column",
        "no-key",
        "tolerance-syntax",
        "negative-tolerance",
        "ignored-key",
        "ignored-unknown",
        "unknown-encoding",
        "ragged-row",
        "undeclared-latin1",
        "unknown-rule",
        "bad-yaml",
        "job-not-in-inventory",
        "bad-memory-budget",
    ],
)
def test_bad_input_exits_2_naming_what_is_wrong_and_writes_nothing(
    tmp_path, check, monkeypatch, setup, flags, named
):
    write_csv(tmp_path / "legacy.csv", ROWS)
    write_csv(tmp_path / "new.csv", ROWS)
    if setup == "ragged":
        (tmp_path / "legacy.csv").write_text(
            "invoice_id,customer,amount,posted_on,exported_at\n1,a,1,d,e\n2,b,2,d,e\n3,c,3,d\n"
        )
    elif setup == "latin1":
        write_csv(tmp_path / "legacy.csv", [["1", "Müller", "1", "d", "e"]], encoding="latin-1")
    elif setup == "badrule":
        (tmp_path / "jobs.yaml").write_text(
            "jobs:\n  - id: billing-extract\n    parity:\n      key: [invoice_id]\n      columns:\n        amount: {tolerance: 1}\n"
        )
    elif setup == "badyaml":
        (tmp_path / "jobs.yaml").write_text("jobs:\n  - id: billing-extract\n    parity: &rules\n")
    elif setup == "jobs":
        (tmp_path / "jobs.yaml").write_text("jobs:\n  - id: other-job\n")
    elif setup == "budget":
        monkeypatch.setenv("PARITY_MEMORY_MB", "lots")
    code, report, err = check(*flags)
    assert code == 2
    assert named in err, err
    assert report is None and not (tmp_path / "reports").exists()


def test_a_bad_date_exits_2(check):
    code, _, err = check(*BASE_FLAGS, day="2026-02-30")
    assert code == 2 and "--date" in err


def test_a_job_id_that_is_no_slug_exits_2_before_any_path_is_built(check):
    code, _, err = check(*BASE_FLAGS, job="../../etc")
    assert code == 2 and "job '../../etc'" in err


# -- reports ---------------------------------------------------------------------------------


def test_latest_json_follows_the_newest_date_and_a_rerun_replaces_its_day(tmp_path, check):
    write_csv(tmp_path / "legacy.csv", ROWS)
    write_csv(tmp_path / "new.csv", ROWS)
    folder = tmp_path / "reports" / "parity" / "billing-extract"
    assert check(*BASE_FLAGS, day="2026-12-08")[0] == 0
    write_csv(tmp_path / "new.csv", ROWS[:4])
    assert check(*BASE_FLAGS, day="2026-12-07")[0] == 1  # an older day: latest.json stays
    assert json.loads((folder / "latest.json").read_text())["date"] == "2026-12-08"
    assert check(*BASE_FLAGS, day="2026-12-08")[0] == 1  # the same day again: replaced
    assert json.loads((folder / "2026-12-08.json").read_text())["verdict"] == "red"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2026-12-07.json",
        "2026-12-07.md",
        "2026-12-08.json",
        "2026-12-08.md",
        "latest.json",
    ]
    # Readable by the job or person that reads them next: the umask's mode, not a temp file's 0600.
    umask = os.umask(0o022)
    os.umask(umask)
    assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {0o666 & ~umask}


def test_redact_keeps_keys_and_values_out_of_the_report(tmp_path, check):
    def change(rows):
        rows[0][1] = "Secret Person"

    code, report, _ = planted(tmp_path, check, change, "--redact")
    assert code == 1
    text = (
        json.dumps(report) + (tmp_path / "reports/parity/billing-extract/2026-12-07.md").read_text()
    )
    assert "Secret Person" not in text and "ACME" not in text and "1001" not in text
    assert report["examples"]["values"]["customer"][0]["new"].startswith("sha256:")


def test_the_command_runs_from_a_plain_checkout(tmp_path):
    """``PYTHONPATH=src python -m ...parity``: no install, no SDK."""
    write_csv(tmp_path / "legacy.csv", ROWS)
    write_csv(tmp_path / "new.csv", ROWS[::-1])
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "{{package_name}}.parity",
            "billing-extract",
            *BASE_FLAGS,
            "--date",
            "2026-12-07",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "billing-extract 2026-12-07: green" in done.stdout
    assert (tmp_path / "reports/parity/billing-extract/2026-12-07.json").is_file()


# -- jobs.yaml reader -------------------------------------------------------------------------


def test_the_yaml_reader_reads_the_inventory_as_written():
    data = yamlite.load(JOBS_YAML)
    job = data["jobs"][0]
    assert data["version"] == 1 and data["calendar"]["holidays"] == ["2026-12-25", "2027-01-01"]
    assert job["legacy"]["schedule"] == "0 2 * * 1-5" and job["legacy"]["found_in"] == "crontab:3"
    assert job["outputs"]["legacy"] == {
        "path": "legacy.csv",
        "format": "csv",
        "encoding": "latin-1",
        "delimiter": ";",
    }
    assert job["parity"]["null_values"] == ["", "NULL", "\\N"]
    assert job["parity"]["columns"]["posted_on"] == {"date_formats": ["%d.%m.%Y", "%Y-%m-%d"]}
    assert job["history"][0] == {
        "at": "2026-12-07T10:00:00Z",
        "from": None,
        "to": "inventoried",
        "by": "Jane",
        "reason": "found by assess",
    }


def test_the_yaml_reader_agrees_with_pyyaml_where_both_apply():
    yaml = pytest.importorskip("yaml")
    text = (
        "a: http://x.example/path\nb: 'it''s'\nc: \"tab\\tand \\u00e9\"\nd: [1, 2.5, -3, true, null, x y]\n"
        "e:\n  - k: v\n    n: {x: [1, {y: z}]}\n  - - nested\n    - list\nf: |\n  line one\n  line two\ng: >-\n"
        '  folded\n  text\nh: long plain\n  continued here\ni: ~\nj: ""\n# comment\nk: value # trailing\n'
        "l:\n- same-indent item\nm: 0x1F\n"
    )
    assert yamlite.load(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    ["a: &x 1\n", "a: *x\n", "a: !!str 1\n", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n", "\ta: 1\n"],
)
def test_the_yaml_reader_refuses_what_it_does_not_support(text):
    with pytest.raises(yamlite.YamlError):
        yamlite.load(text)


# -- shadow runs -------------------------------------------------------------------------------


def test_shadow_mode_moves_every_output_apart_and_live_changes_nothing():
    settings = Settings()
    assert shadow.apply(settings, {}) == settings
    assert shadow.apply(settings, {"JOB_MODE": "live", "JOB_ID": "x"}) == settings
    moved = shadow.apply(settings, {"JOB_MODE": "shadow", "JOB_ID": "billing-extract"})
    assert moved.output_dir == str(Path("data/shadow/billing-extract"))
    assert moved.report_dir == str(Path("data/shadow/billing-extract/reports"))
    chosen = shadow.apply(
        settings, {"JOB_MODE": "shadow", "JOB_ID": "b", "SHADOW_OUTPUT_DIR": "/tmp/elsewhere"}
    )
    assert chosen.output_dir == "/tmp/elsewhere"


def test_a_shadow_run_never_delivers_to_the_live_target():
    settings = Settings()
    shadow_env = {"JOB_MODE": "shadow", "JOB_ID": "partner-feed"}
    moved = shadow.apply(settings, shadow_env)
    assert moved.target_api_base_url == f"https://{shadow.NO_TARGET}"
    assert moved.sftp_target_host == shadow.NO_TARGET
    staged = shadow.apply(
        settings,
        {
            **shadow_env,
            "SHADOW_TARGET_API_BASE_URL": "https://staging.example",
            "SHADOW_SFTP_TARGET_HOST": "sftp.staging.example",
        },
    )
    assert staged.target_api_base_url == "https://staging.example"
    assert staged.sftp_target_host == "sftp.staging.example"
    assert shadow.apply(settings, {}).target_api_base_url == settings.target_api_base_url


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"JOB_MODE": "shadow"}, "JOB_ID"),
        ({"JOB_MODE": "shadow", "JOB_ID": "../x"}, "JOB_ID"),
        ({"JOB_MODE": "dry-run"}, "JOB_MODE"),
    ],
)
def test_a_bad_shadow_setting_is_an_invalid_setting(env, named):
    with pytest.raises(ValueError, match=named):
        shadow.apply(Settings(), env)


def test_a_shadow_run_adds_the_parity_verdict_to_its_summary(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"JOB_MODE": "shadow", "JOB_ID": "billing-extract"}
    (tmp_path / "jobs.yaml").write_text(
        "jobs:\n  - id: billing-extract\n    outputs:\n      legacy: {path: legacy.csv}\n"
        "      new: {path: data/output/invoices.csv}\n    parity: {key: [invoice_id], ignore: [exported_at]}\n"
    )
    write_csv(tmp_path / "legacy.csv", ROWS)
    (tmp_path / "data/shadow/billing-extract").mkdir(parents=True)
    write_csv(tmp_path / "data/shadow/billing-extract/invoices.csv", ROWS[::-1])
    fields = {"outcome": "loaded"}
    summary = shadow.after_run(fields, True, {**env, "PARITY_DATE": "2026-12-07"})
    assert summary["parity"] == "green", summary
    assert Path(summary["parity_report"]) == Path("reports/parity/billing-extract/2026-12-07.json")
    # A red day, a failed run, a broken configuration: the run goes on, the line says so.
    write_csv(tmp_path / "data/shadow/billing-extract/invoices.csv", ROWS[1:])
    assert shadow.after_run(fields, True, {**env, "PARITY_DATE": "2026-12-08"})["parity"] == "red"
    failed = shadow.after_run({"outcome": "failed"}, False, env)
    assert failed["parity"] == "error" and "did not produce" in failed["parity_error"]
    missing = shadow.after_run(fields, True, {**env, "PARITY_LEGACY_OUTPUT": "gone.csv"})
    assert missing["parity"] == "error" and "gone.csv" in missing["parity_error"]
    # Live runs, and shadow runs with no legacy output configured, get no verdict.
    assert shadow.after_run(fields, True, {}) == fields
    (tmp_path / "jobs.yaml").write_text("jobs:\n  - id: billing-extract\n")
    assert shadow.after_run(fields, True, env) == fields
