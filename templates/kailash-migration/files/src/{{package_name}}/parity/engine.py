"""The comparison itself, in bounded memory whatever the size of the outputs.

1. Both sides are read once. Each record is cut down to the compared columns (present on
   both sides, not ignored, in the legacy file's order) and written to one of P temporary
   partition files chosen by the hash of its key, so that equal keys of both sides land in
   the same partition. Reading also counts rows, infers each column's type, sums the
   numeric columns (control totals) and adds up a digest of every record (the content
   checksum: a sum, so the order of the records does not matter).
2. Partition by partition, the legacy records are indexed by key and the new ones looked
   up: keys missing, extra or duplicated, and per key every column compared under its rule.
   Records whose text is identical are equal under every rule and cost one comparison.

Memory holds one chunk of records while reading, then one partition: P is chosen from the
file sizes so that a partition stays around ``PARTITION_BYTES`` of input.
"""

from __future__ import annotations

import gc
import marshal
import math
import os
import re
import tempfile
import zlib
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from .inputs import Source, read
from .rules import BadInput, Comparator, Rules, number_parser

PARTITION_BYTES = 4 * 1024 * 1024
MAX_PARTITIONS = 512
EXAMPLES = 5
TYPE_SAMPLE = 1000
SEPARATOR = "\x1f"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_MASK = (1 << 64) - 1


def partitions_for(*sources: Source) -> int:
    sizes = [os.path.getsize(s.path) for s in sources if s.format != "table"]
    biggest = max(sizes, default=64 * PARTITION_BYTES)
    return max(1, min(MAX_PARTITIONS, biggest // PARTITION_BYTES + 1))


def _projector(indexes: list[int]) -> Callable[[Any], tuple]:
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    return itemgetter(*indexes)


class SideStats:
    """What reading one side learns besides its records: count, types, totals, checksum."""

    def __init__(self, columns: list[str], comparators: list[Comparator], nulls: frozenset) -> None:
        self.columns = columns
        self.rows = 0
        self.nulls = nulls
        self.non_null = [0] * len(columns)
        # None: not decided yet; "number" while every value read so far is a number.
        self.kind: list[str | None] = [None] * len(columns)
        self.totals: list[float] = [0.0] * len(columns)
        self.samples: list[list[str]] = [[] for _ in columns]
        self.parsers = [number_parser(c.rule) if c.rule is not None and c.rule.number_format else None for c in comparators]
        self.date_parsers = [c.parse_date for c in comparators]
        self.checksum = 0

    def add(self, rows: list[tuple]) -> None:
        self.rows += len(rows)
        try:
            digests = map(zlib.crc32, map(str.encode, map(SEPARATOR.join, rows)))
            self.checksum = (self.checksum + sum(digests)) & _MASK
        except TypeError:  # a None cell (JSON null, SQL NULL)
            texts = (SEPARATOR.join("\x00" if v is None else v for v in row) for row in rows)
            self.checksum = (self.checksum + sum(map(zlib.crc32, map(str.encode, texts)))) & _MASK
        nulls = self.nulls
        for j, values in enumerate(zip(*rows)):
            if not nulls.isdisjoint(values):
                values = [v for v in values if v not in nulls]
            self.non_null[j] += len(values)
            if not values:
                continue
            sample = self.samples[j]
            if len(sample) < TYPE_SAMPLE:
                sample.extend(values[: TYPE_SAMPLE - len(sample)])
            kind = self.kind[j]
            if kind is None or kind == "number":
                self.kind[j], self.totals[j] = self._sum(j, values)

    def _sum(self, j: int, values) -> tuple[str, float]:
        parse = self.parsers[j]
        try:
            if parse is None:
                return "number", self.totals[j] + math.fsum(map(float, values))
            numbers = list(map(parse, values))
            if None in numbers:
                return "text", 0.0
            return "number", self.totals[j] + math.fsum(map(float, numbers))
        except (ValueError, OverflowError):
            return "text", 0.0

    def types(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for j, name in enumerate(self.columns):
            kind = self.kind[j]
            if self.non_null[j] == 0:
                out[name] = "empty"
            elif kind == "number":
                out[name] = "number"
            else:
                parse = self.date_parsers[j]
                sample = self.samples[j]
                if parse is not None:
                    is_date = all(parse(v) is not None for v in sample)
                else:
                    is_date = all(_ISO_DATE.fullmatch(v.strip()) for v in sample)
                out[name] = "date" if is_date else "text"
        return out

    def control_totals(self) -> dict[str, float]:
        return {
            name: round(self.totals[j], 9)
            for j, name in enumerate(self.columns)
            if self.kind[j] == "number" and math.isfinite(self.totals[j])
        }


def _key_function(key_positions: list[int], comparators: list[Comparator]) -> Callable[[tuple], Any]:
    plain = [
        c.rule is None or not (c.rule.trim or c.rule.case_insensitive or c.rule.numeric or c.rule.date_formats)
        for c in (comparators[p] for p in key_positions)
    ]
    if all(plain):
        return _projector(key_positions) if len(key_positions) > 1 else itemgetter(key_positions[0])
    forms = [comparators[p].key_form for p in key_positions]
    if len(key_positions) == 1:
        only, form = key_positions[0], forms[0]
        return lambda row: form(row[only])
    return lambda row: tuple(form(row[p]) for form, p in zip(forms, key_positions))


class _Partitions:
    """P temporary files per side; a record goes to the partition of its key's hash."""

    def __init__(self, directory: str, count: int, side: str) -> None:
        self.count = count
        self.paths = [Path(directory, f"{side}-{i}.part") for i in range(count)]
        self.files = [open(p, "wb") for p in self.paths]  # noqa: SIM115  closed in close()

    def write(self, start: int, rows: list[tuple], keys: list) -> None:
        if self.count == 1:
            marshal.dump((start, None, rows), self.files[0])
            return
        count = self.count
        buckets: list[list[int]] = [[] for _ in range(count)]
        for i, key in enumerate(keys):
            buckets[hash(key) % count].append(i)
        for p, indexes in enumerate(buckets):
            if indexes:
                marshal.dump((start, indexes, [rows[i] for i in indexes]), self.files[p])

    def close(self) -> None:
        for f in self.files:
            f.close()

    def records(self, p: int) -> Iterator[tuple[int, list[int] | None, list[tuple]]]:
        with open(self.paths[p], "rb") as f:
            while True:
                try:
                    yield marshal.load(f)
                except EOFError:
                    return


class _Examples:
    """The first examples of one kind of difference, by row number, at most ``limit``."""

    def __init__(self, limit: int = EXAMPLES) -> None:
        self.limit = limit
        self.items: list[tuple[int, dict]] = []

    def offer(self, order: int, item: dict) -> None:
        self.items.append((order, item))
        if len(self.items) > 4 * self.limit:
            self.items.sort(key=lambda pair: pair[0])
            del self.items[self.limit :]

    def first(self) -> list[dict]:
        self.items.sort(key=lambda pair: pair[0])
        return [item for _, item in self.items[: self.limit]]


def _key_value(key_columns: list[str], key: Any) -> dict[str, Any]:
    values = key if isinstance(key, tuple) else (key,)
    return dict(zip(key_columns, values))


def compare(legacy: Source, new: Source, rules: Rules, workdir: str | None = None) -> dict[str, Any]:
    """Compares the two outputs under ``rules``; returns the report's sections (see report.py)."""
    legacy_columns, legacy_chunks = read(legacy)
    try:
        new_columns, new_chunks = read(new)
    except BaseException:
        legacy_chunks.close()
        raise
    try:
        return _compare(legacy, new, rules, legacy_columns, legacy_chunks, new_columns, new_chunks, workdir)
    finally:
        legacy_chunks.close()
        new_chunks.close()


def _check_columns(rules: Rules, legacy: Source, new: Source, legacy_columns: list[str], new_columns: list[str]) -> None:
    on_legacy, on_new = set(legacy_columns), set(new_columns)
    if not rules.key:
        raise BadInput("parity.key: no key column (set parity.key in jobs.yaml or give --key COL[,COL])")
    for column in rules.key:
        for side, columns, source in (("legacy", on_legacy, legacy), ("new", on_new, new)):
            if column not in columns:
                raise BadInput(f"{source.label()}: key column {column!r} is not in the {side} output's columns")
        if column in rules.ignore:
            raise BadInput(f"parity.ignore: {column!r} is a key column and cannot be ignored")
        rule = rules.rule(column)
        if rule is not None and (rule.abs is not None or rule.rel is not None):
            raise BadInput(f"parity.columns.{column}: a key column cannot have a tolerance (abs/rel)")
    for column in rules.ignore:
        if column not in on_legacy and column not in on_new:
            raise BadInput(f"parity.ignore: column {column!r} is in neither output")
    for column in rules.columns:
        if column not in on_legacy and column not in on_new:
            raise BadInput(f"parity.columns.{column}: column {column!r} is in neither output")


def _compare(
    legacy: Source,
    new: Source,
    rules: Rules,
    legacy_columns: list[str],
    legacy_chunks: Iterator,
    new_columns: list[str],
    new_chunks: Iterator,
    workdir: str | None,
) -> dict[str, Any]:
    _check_columns(rules, legacy, new, legacy_columns, new_columns)
    ignored = set(rules.ignore)
    on_new = set(new_columns)
    on_legacy = set(legacy_columns)
    compared = [c for c in legacy_columns if c in on_new and c not in ignored]
    only_legacy = [c for c in legacy_columns if c not in on_new and c not in ignored]
    only_new = [c for c in new_columns if c not in on_legacy and c not in ignored]
    nulls = frozenset(rules.null_values) | {None}
    comparators = [Comparator(c, rules.rule(c), frozenset(rules.null_values)) for c in compared]
    key_positions = [compared.index(k) for k in rules.key]
    key_of = _key_function(key_positions, comparators)
    project_legacy = _projector([legacy_columns.index(c) for c in compared])
    project_new = _projector([new_columns.index(c) for c in compared])
    count = partitions_for(legacy, new)

    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small tuples and no cycles: the collector would only slow this down
    try:
        with tempfile.TemporaryDirectory(prefix="parity-", dir=workdir) as tmp:
            sides = {}
            for side, chunks, project in (("legacy", legacy_chunks, project_legacy), ("new", new_chunks, project_new)):
                stats = SideStats(compared, comparators, nulls)
                parts = _Partitions(tmp, count, side)
                try:
                    for chunk in chunks:
                        rows = list(map(project, chunk))
                        stats.add(rows)
                        keys = list(map(key_of, rows)) if count > 1 else []
                        parts.write(stats.rows - len(rows), rows, keys)
                finally:
                    parts.close()
                sides[side] = (stats, parts)
            found = _match(sides["legacy"][1], sides["new"][1], count, key_of, comparators, rules.key)
    finally:
        if gc_was_enabled:
            gc.enable()

    legacy_stats, new_stats = sides["legacy"][0], sides["new"][0]
    legacy_types, new_types = legacy_stats.types(), new_stats.types()
    type_changes = [
        {"column": c, "legacy": legacy_types[c], "new": new_types[c]}
        for c in compared
        if legacy_types[c] != new_types[c] and "empty" not in (legacy_types[c], new_types[c])
    ]
    legacy_totals, new_totals = legacy_stats.control_totals(), new_stats.control_totals()
    totals = {
        c: {"legacy": legacy_totals[c], "new": new_totals[c], "difference": round(new_totals[c] - legacy_totals[c], 9)}
        for c in compared
        if c in legacy_totals and c in new_totals
    }
    values = found["values"]
    differences = {
        "schema": {"only_in_legacy": only_legacy, "only_in_new": only_new, "type_changes": type_changes},
        "missing_keys": found["missing"],
        "extra_keys": found["extra"],
        "duplicate_keys": {"legacy": found["duplicates_legacy"], "new": found["duplicates_new"]},
        "values": {c: values[j] for j, c in enumerate(compared) if values[j]},
    }
    total = (
        len(only_legacy) + len(only_new) + len(type_changes) + found["missing"] + found["extra"]
        + found["duplicates_legacy"] + found["duplicates_new"] + sum(values)
    )
    differences["total"] = total
    return {
        "verdict": "green" if total == 0 else "red",
        "legacy": {
            **legacy.describe(), "rows": legacy_stats.rows, "columns": legacy_columns, "types": legacy_types,
            "control_totals": legacy_totals, "checksum": f"{legacy_stats.checksum:016x}",
        },
        "new": {
            **new.describe(), "rows": new_stats.rows, "columns": new_columns, "types": new_types,
            "control_totals": new_totals, "checksum": f"{new_stats.checksum:016x}",
        },
        "counts": {
            "legacy_rows": legacy_stats.rows,
            "new_rows": new_stats.rows,
            "compared_columns": compared,
            "matched_keys": found["matched"],
            "rows_identical": found["identical"],
            "rows_equal_within_rules": found["within_rules"],
            "rows_different": found["rows_different"],
            "missing_keys": found["missing"],
            "extra_keys": found["extra"],
            "duplicate_keys_legacy": found["duplicates_legacy"],
            "duplicate_keys_new": found["duplicates_new"],
            "checksums_equal": legacy_stats.checksum == new_stats.checksum,
            "control_totals": totals,
        },
        "differences": differences,
        "examples": {
            "schema": [
                *({"kind": "only_in_legacy", "column": c} for c in only_legacy[:EXAMPLES]),
                *({"kind": "only_in_new", "column": c} for c in only_new[:EXAMPLES]),
                *({"kind": "type_change", **change} for change in type_changes[:EXAMPLES]),
            ],
            "missing_keys": found["examples"]["missing"].first(),
            "extra_keys": found["examples"]["extra"].first(),
            "duplicate_keys": found["examples"]["duplicates"].first(),
            "values": {c: found["examples"]["values"][j].first() for j, c in enumerate(compared) if values[j]},
        },
    }


def _rows_of(parts: _Partitions, p: int, key_of: Callable) -> Iterator[tuple[Any, int, tuple]]:
    """(key, row number, record) of one partition, in file order."""
    for start, indexes, rows in parts.records(p):
        numbers = range(start + 1, start + 1 + len(rows)) if indexes is None else [start + 1 + i for i in indexes]
        yield from zip(map(key_of, rows), numbers, rows)


def _match(
    legacy_parts: _Partitions,
    new_parts: _Partitions,
    count: int,
    key_of: Callable,
    comparators: list[Comparator],
    key_columns: list[str],
) -> dict[str, Any]:
    width = len(comparators)
    columns = [c.column for c in comparators]
    values = [0] * width
    examples = {
        "missing": _Examples(),
        "extra": _Examples(),
        "duplicates": _Examples(),
        "values": [_Examples() for _ in range(width)],
    }
    totals = dict.fromkeys(
        ("matched", "identical", "within_rules", "rows_different", "missing", "extra", "duplicates_legacy", "duplicates_new"),
        0,
    )
    for p in range(count):
        index: dict[Any, tuple[tuple, int]] = {}
        dup_legacy: dict[Any, list[int]] = {}
        for key, number, row in _rows_of(legacy_parts, p, key_of):
            if key in index:
                dup_legacy.setdefault(key, [index[key][1]]).append(number)
            else:
                index[key] = (row, number)
        seen: dict[Any, int] = {}
        dup_new: dict[Any, list[int]] = {}
        # Differences found for a key are kept until the partition is done: a key that turns out
        # to be duplicated on the new side is reported as a duplicate, not compared.
        pending: dict[Any, tuple[int, int, list[tuple[int, str | None, str | None]]]] = {}
        identical = within = 0
        for key, number, row in _rows_of(new_parts, p, key_of):
            if key in seen:
                dup_new.setdefault(key, [seen[key]]).append(number)
                continue
            seen[key] = number
            entry = index.get(key)
            if entry is None or (dup_legacy and key in dup_legacy):
                continue
            legacy_row, legacy_number = entry
            if legacy_row == row:
                identical += 1
                continue
            diffs = [
                (j, a, b)
                for j, (a, b, same) in enumerate(zip(legacy_row, row, map(_equal, comparators, legacy_row, row)))
                if not same
            ]
            if diffs:
                pending[key] = (legacy_number, number, diffs)
            else:
                within += 1
        # A key duplicated on the new side was compared on its first record: take that back
        # (one more pass over the partition, only when there are such keys).
        recheck = {}
        for key, numbers in dup_new.items():
            if key in index and key not in dup_legacy:
                if pending.pop(key, None) is None:
                    recheck[key] = numbers[0]
        if recheck:
            for key, number, row in _rows_of(new_parts, p, key_of):
                if recheck.get(key) == number:
                    if index[key][0] == row:
                        identical -= 1
                    else:
                        within -= 1
        totals["identical"] += identical
        totals["within_rules"] += within
        totals["rows_different"] += len(pending)
        for key, (legacy_number, number, diffs) in pending.items():
            for j, a, b in diffs:
                values[j] += 1
                rule = comparators[j].rule
                examples["values"][j].offer(
                    legacy_number,
                    {"key": _key_value(key_columns, key), "column": columns[j], "legacy": a, "new": b,
                     "rule": rule.describe() if rule is not None else {}, "legacy_row": legacy_number, "new_row": number},
                )
        for key, (row, number) in index.items():
            if key not in seen:
                totals["missing"] += 1
                examples["missing"].offer(number, {"key": _key_value(key_columns, key), "legacy_row": number})
            else:
                totals["matched"] += 1
        for key, number in seen.items():
            if key not in index:
                totals["extra"] += 1
                examples["extra"].offer(number, {"key": _key_value(key_columns, key), "new_row": number})
        totals["duplicates_legacy"] += len(dup_legacy)
        totals["duplicates_new"] += len(dup_new)
        for side, dups in (("legacy", dup_legacy), ("new", dup_new)):
            for key, numbers in dups.items():
                examples["duplicates"].offer(
                    numbers[0], {"side": side, "key": _key_value(key_columns, key), "rows": numbers[:EXAMPLES]}
                )
    return {**totals, "values": values, "examples": examples}


def _equal(comparator: Comparator, a: str | None, b: str | None) -> bool:
    return a == b or comparator.equal(a, b)
