"""The report files of one run: ``<date>.json`` (schema ``parity-report/1``), ``<date>.md``
and ``latest.json`` under ``reports/parity/<job>/``. Each is written to a temporary file and
renamed, so a reader (the cutover gate, a person) never sees half a report.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..files import atomic_write

SCHEMA = "parity-report/1"
REPORT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")


def build(
    job: str, day: str, found: dict[str, Any], rules: dict[str, Any], redact: bool = False
) -> dict[str, Any]:
    report = {
        "schema": SCHEMA,
        "job": job,
        "date": day,
        "verdict": found["verdict"],
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "legacy": found["legacy"],
        "new": found["new"],
        "rules": rules,
        "counts": found["counts"],
        "differences": found["differences"],
        "examples": _redacted(found["examples"]) if redact else found["examples"],
    }
    report["examples"]["redacted"] = redact
    return report


def _digest(value: Any) -> str:
    return (
        "sha256:"
        + hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()[:12]
    )


def _redacted(examples: dict[str, Any]) -> dict[str, Any]:
    """Examples with every key and value replaced by a short digest (equal values, equal digests)."""

    def scrub(item: dict[str, Any]) -> dict[str, Any]:
        out = dict(item)
        if "key" in out:
            out["key"] = {name: _digest(v) for name, v in out["key"].items()}
        for field in ("legacy", "new"):  # the cells of a value example
            if field in out:
                out[field] = None if out[field] is None else _digest(out[field])
        return out

    return {
        "schema": examples["schema"],
        "missing_keys": [scrub(i) for i in examples["missing_keys"]],
        "extra_keys": [scrub(i) for i in examples["extra_keys"]],
        "duplicate_keys": [scrub(i) for i in examples["duplicate_keys"]],
        "values": {c: [scrub(i) for i in items] for c, items in examples["values"].items()},
    }


def _key_text(key: dict[str, Any]) -> str:
    return ", ".join(f"{name}={value}" for name, value in key.items())


def _cell(value: Any) -> str:
    text = "null" if value is None else json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 60 else text[:57] + "..."
    return text.replace("|", "\\|").replace("`", "'")


def markdown(report: dict[str, Any]) -> str:
    """The short human summary: verdict, counts, and the first examples of each difference."""
    counts, diffs, examples = report["counts"], report["differences"], report["examples"]
    lines = [
        f"# Parity {report['job']} {report['date']}: **{report['verdict']}**",
        "",
        f"- legacy: `{report['legacy'].get('path') or report['legacy'].get('query')}` ({counts['legacy_rows']:,} rows)",
        f"- new: `{report['new'].get('path') or report['new'].get('query')}` ({counts['new_rows']:,} rows)",
        f"- key: {', '.join(report['rules']['key'])}; keys on both sides: {counts['matched_keys']:,}",
        f"- rows identical: {counts['rows_identical']:,}; equal within the rules: {counts['rows_equal_within_rules']:,};"
        f" different: {counts['rows_different']:,}",
        f"- content checksums {'equal' if counts['checksums_equal'] else 'differ'}"
        f" (legacy {report['legacy']['checksum']}, new {report['new']['checksum']})",
        f"- differences: {diffs['total']:,}",
        "",
    ]
    schema = diffs["schema"]
    if schema["only_in_legacy"] or schema["only_in_new"] or schema["type_changes"]:
        lines += ["## Schema", ""]
        if schema["only_in_legacy"]:
            lines.append(f"- only in legacy: {', '.join(schema['only_in_legacy'])}")
        if schema["only_in_new"]:
            lines.append(f"- only in new: {', '.join(schema['only_in_new'])}")
        for change in schema["type_changes"]:
            lines.append(
                f"- {change['column']}: {change['legacy']} in legacy, {change['new']} in new"
            )
        lines.append("")
    for kind, title, row_field in (
        ("missing_keys", "Keys missing from the new output", "legacy_row"),
        ("extra_keys", "Keys only in the new output", "new_row"),
    ):
        if diffs[kind]:
            lines += [f"## {title}: {diffs[kind]:,}", ""]
            lines += [f"- {_key_text(e['key'])} (row {e[row_field]})" for e in examples[kind]]
            lines.append("")
    dups = diffs["duplicate_keys"]
    if dups["legacy"] or dups["new"]:
        lines += [f"## Duplicated keys: {dups['legacy']:,} in legacy, {dups['new']:,} in new", ""]
        lines += [
            f"- {e['side']}: {_key_text(e['key'])} (rows {', '.join(map(str, e['rows']))})"
            for e in examples["duplicate_keys"]
        ]
        lines.append("")
    if diffs["values"]:
        lines += [
            "## Values that differ",
            "",
            "| column | key | legacy | new | rule |",
            "|---|---|---|---|---|",
        ]
        for column, items in examples["values"].items():
            for e in items:
                rule = ", ".join(f"{k} {v}" for k, v in e["rule"].items()) or "exact"
                lines.append(
                    f"| {column} ({diffs['values'][column]:,}) | {_cell(_key_text(e['key']))} | {_cell(e['legacy'])} | {_cell(e['new'])} | {_cell(rule)} |"
                )
        lines.append("")
    totals = counts["control_totals"]
    if totals:
        lines += [
            "## Control totals",
            "",
            "| column | legacy | new | difference |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {c} | {t['legacy']} | {t['new']} | {t['difference']} |" for c, t in totals.items()
        ]
        lines.append("")
    return "\n".join(lines)


def write(report: dict[str, Any], reports_dir: str | Path) -> Path:
    """Writes ``<date>.json``, ``<date>.md`` and, when this is the newest date, ``latest.json``."""
    folder = Path(reports_dir) / report["job"]
    text = json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
    target = folder / f"{report['date']}.json"
    atomic_write(target, text)
    atomic_write(folder / f"{report['date']}.md", markdown(report))
    dates = sorted(p.name for p in folder.iterdir() if REPORT_NAME.match(p.name))
    if dates and dates[-1] == target.name:
        atomic_write(folder / "latest.json", text)
    return target
