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
import os
import tempfile
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any

from .inputs import Source, read
from .partitions import Match, Partitions, match, stored
from .rules import BadInput, Comparator, Rules
from .stats import SideStats

PARTITION_BYTES = 4 * 1024 * 1024
# Both sides' partition files are open at once while reading: stay well under 1024 descriptors.
MAX_PARTITIONS = 200
# From this many partitions on (inputs of 8 MB and more), both sides are read at once.
PARALLEL_FROM = 3
EXAMPLES = 5


def partitions_for(*sources: Source) -> int:
    sizes = [os.path.getsize(s.path) for s in sources if s.format != "table"]
    biggest = max(sizes, default=64 * PARTITION_BYTES)
    return max(1, min(MAX_PARTITIONS, biggest // PARTITION_BYTES + 1))


def _projector(indexes: list[int]) -> Callable[[Any], tuple]:
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    return itemgetter(*indexes)


def _key_function(
    key_positions: list[int], comparators: list[Comparator]
) -> Callable[[tuple], Any]:
    plain = [
        c.rule is None
        or not (c.rule.trim or c.rule.case_insensitive or c.rule.numeric or c.rule.date_formats)
        for c in (comparators[p] for p in key_positions)
    ]
    if all(plain):
        return _projector(key_positions) if len(key_positions) > 1 else itemgetter(key_positions[0])
    forms = [comparators[p].key_form for p in key_positions]
    if len(key_positions) == 1:
        only, form = key_positions[0], forms[0]
        return lambda row: form(row[only])
    return lambda row: tuple(form(row[p]) for form, p in zip(forms, key_positions, strict=True))


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
    return dict(zip(key_columns, values, strict=True))


def compare(
    legacy: Source, new: Source, rules: Rules, workdir: str | None = None
) -> dict[str, Any]:
    """Compares the two outputs under ``rules``; returns the report's sections (see report.py)."""
    legacy_columns, legacy_chunks = read(legacy)
    try:
        new_columns, new_chunks = read(new)
    except BaseException:
        legacy_chunks.close()
        raise
    try:
        return _compare(
            legacy, new, rules, legacy_columns, legacy_chunks, new_columns, new_chunks, workdir
        )
    finally:
        legacy_chunks.close()
        new_chunks.close()


def _check_columns(
    rules: Rules, legacy: Source, new: Source, legacy_columns: list[str], new_columns: list[str]
) -> None:
    on_legacy, on_new = set(legacy_columns), set(new_columns)
    if not rules.key:
        raise BadInput(
            "parity.key: no key column (set parity.key in jobs.yaml or give --key COL[,COL])"
        )
    for column in rules.key:
        for side, columns, source in (("legacy", on_legacy, legacy), ("new", on_new, new)):
            if column not in columns:
                raise BadInput(
                    f"{source.label()}: key column {column!r} is not in the {side} output's columns"
                )
        if column in rules.ignore:
            raise BadInput(f"parity.ignore: {column!r} is a key column and cannot be ignored")
        rule = rules.rule(column)
        if rule is not None and (rule.abs is not None or rule.rel is not None):
            raise BadInput(
                f"parity.columns.{column}: a key column cannot have a tolerance (abs/rel)"
            )
    for column in rules.ignore:
        if column not in on_legacy and column not in on_new:
            raise BadInput(f"parity.ignore: column {column!r} is in neither output")
    for column in rules.columns:
        if column not in on_legacy and column not in on_new:
            raise BadInput(f"parity.columns.{column}: column {column!r} is in neither output")


def _read_side(
    chunks: Iterator,
    project,
    identity: bool,
    key_of,
    stats: SideStats,
    parts: Partitions,
    width: int,
) -> None:
    try:
        for chunk in chunks:
            rows = chunk if identity else list(map(project, chunk))
            values = stored(rows, width)
            first = stats.rows + 1
            stats.add(rows, values)
            parts.write(first, list(map(key_of, rows)), values)
    finally:
        parts.close()


def _fork_context():
    """A fork-based multiprocessing context, where there is one and parallel reading is on.

    The new side is read by a forked child while this process reads the legacy side: the
    child inherits the open file, the rules and, what matters most, the interpreter's hash
    seed, so both sides put a key in the same partition.
    """
    if os.environ.get("PARITY_PARALLEL", "1") == "0":
        return None
    import multiprocessing  # noqa: PLC0415  only big inputs need it

    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


def _child(connection, read_args) -> None:
    try:
        _read_side(*read_args)
        connection.send(("ok", read_args[4].state()))
    except BadInput as exc:
        connection.send(("bad", str(exc)))
    except BaseException as exc:  # noqa: BLE001  reported to the parent, which raises it
        connection.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def _read_both(legacy_args: tuple, new_args: tuple, parallel: bool) -> None:
    context = _fork_context() if parallel else None
    if context is None:
        _read_side(*legacy_args)
        _read_side(*new_args)
        return
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, new_args), daemon=True)
    child.start()
    send.close()
    try:
        _read_side(*legacy_args)
        status, payload = receive.recv()
    except EOFError:
        status, payload = (
            "error",
            f"the process reading the new output ended with code {child.exitcode}",
        )
    finally:
        child.join()
        receive.close()
    if status == "bad":
        raise BadInput(payload)
    if status == "error":
        raise RuntimeError(f"reading the new output failed: {payload}")
    new_args[4].__dict__.update(payload)


class _Findings:
    """Everything matching finds, over all partitions, with the first examples of each kind."""

    def __init__(self, comparators: list[Comparator], key_columns: list[str]) -> None:
        self.comparators = comparators
        self.key_columns = key_columns
        self.counts = dict.fromkeys(
            (
                "matched",
                "identical",
                "within_rules",
                "rows_different",
                "missing",
                "extra",
                "duplicates_legacy",
                "duplicates_new",
            ),
            0,
        )
        self.values = [0] * len(comparators)
        self.examples = {"missing": _Examples(), "extra": _Examples(), "duplicates": _Examples()}
        self.value_examples = [_Examples() for _ in comparators]

    def add(self, found: Match) -> None:
        counts, key_value = self.counts, self.key_columns
        counts["matched"] += found.matched
        counts["identical"] += found.identical
        counts["missing"] += len(found.missing)
        counts["extra"] += len(found.extra)
        for number, key in found.missing[:EXAMPLES]:
            self.examples["missing"].offer(
                number, {"key": _key_value(key_value, key), "legacy_row": number}
            )
        for number, key in found.extra[:EXAMPLES]:
            self.examples["extra"].offer(
                number, {"key": _key_value(key_value, key), "new_row": number}
            )
        for side, key, numbers in found.duplicates:
            counts[f"duplicates_{side}"] += 1
            self.examples["duplicates"].offer(
                numbers[0],
                {"side": side, "key": _key_value(key_value, key), "rows": numbers[:EXAMPLES]},
            )
        for key, legacy_row, new_row, legacy_cells, new_cells in found.differing:
            differing = [
                j
                for j, (comparator, a, b) in enumerate(
                    zip(self.comparators, legacy_cells, new_cells, strict=True)
                )
                if a != b and not comparator.equal(a, b)
            ]
            if not differing:
                counts["within_rules"] += 1
                continue
            counts["rows_different"] += 1
            for j in differing:
                self.values[j] += 1
                rule = self.comparators[j].rule
                self.value_examples[j].offer(
                    legacy_row,
                    {
                        "key": _key_value(key_value, key),
                        "column": self.comparators[j].column,
                        "legacy": legacy_cells[j],
                        "new": new_cells[j],
                        "rule": rule.describe() if rule is not None else {},
                        "legacy_row": legacy_row,
                        "new_row": new_row,
                    },
                )


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
    on_new, on_legacy = set(new_columns), set(legacy_columns)
    compared = [c for c in legacy_columns if c in on_new and c not in ignored]
    only_legacy = [c for c in legacy_columns if c not in on_new and c not in ignored]
    only_new = [c for c in new_columns if c not in on_legacy and c not in ignored]
    nulls = frozenset(rules.null_values) | {None}
    comparators = [Comparator(c, rules.rule(c), frozenset(rules.null_values)) for c in compared]
    key_of = _key_function([compared.index(k) for k in rules.key], comparators)
    count = partitions_for(legacy, new)
    findings = _Findings(comparators, rules.key)

    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects and no cycles: the collector would only slow this down
    try:
        with tempfile.TemporaryDirectory(prefix="parity-", dir=workdir) as tmp:
            stats, parts, reads = {}, {}, {}
            for side, chunks, columns in (
                ("legacy", legacy_chunks, legacy_columns),
                ("new", new_chunks, new_columns),
            ):
                positions = [columns.index(c) for c in compared]
                stats[side] = SideStats(compared, comparators, nulls)
                parts[side] = Partitions(tmp, count, side)
                identity = positions == list(range(len(columns)))
                reads[side] = (
                    chunks,
                    _projector(positions),
                    identity,
                    key_of,
                    stats[side],
                    parts[side],
                    len(compared),
                )
            _read_both(reads["legacy"], reads["new"], parallel=count >= PARALLEL_FROM)
            for p in range(count):
                findings.add(match(parts["legacy"].load(p), parts["new"].load(p)))
    finally:
        if gc_was_enabled:
            gc.enable()
    return _sections(
        legacy,
        new,
        stats["legacy"],
        stats["new"],
        findings,
        compared,
        legacy_columns,
        new_columns,
        only_legacy,
        only_new,
    )


def _sections(
    legacy,
    new,
    legacy_stats,
    new_stats,
    findings,
    compared,
    legacy_columns,
    new_columns,
    only_legacy,
    only_new,
):
    legacy_types, new_types = legacy_stats.types(), new_stats.types()
    type_changes = [
        {"column": c, "legacy": legacy_types[c], "new": new_types[c]}
        for c in compared
        if legacy_types[c] != new_types[c] and "empty" not in (legacy_types[c], new_types[c])
    ]
    legacy_totals, new_totals = legacy_stats.control_totals(), new_stats.control_totals()
    totals = {
        c: {
            "legacy": legacy_totals[c],
            "new": new_totals[c],
            "difference": round(new_totals[c] - legacy_totals[c], 9),
        }
        for c in compared
        if c in legacy_totals and c in new_totals
    }
    counts, values = findings.counts, findings.values
    differences = {
        "schema": {
            "only_in_legacy": only_legacy,
            "only_in_new": only_new,
            "type_changes": type_changes,
        },
        "missing_keys": counts["missing"],
        "extra_keys": counts["extra"],
        "duplicate_keys": {"legacy": counts["duplicates_legacy"], "new": counts["duplicates_new"]},
        "values": {c: values[j] for j, c in enumerate(compared) if values[j]},
    }
    total = (
        len(only_legacy)
        + len(only_new)
        + len(type_changes)
        + counts["missing"]
        + counts["extra"]
        + counts["duplicates_legacy"]
        + counts["duplicates_new"]
        + sum(values)
    )
    differences["total"] = total

    def side(
        source: Source, stats: SideStats, columns: list[str], types: dict, side_totals: dict
    ) -> dict:
        return {
            **source.describe(),
            "rows": stats.rows,
            "columns": columns,
            "types": types,
            "control_totals": side_totals,
            "checksum": f"{stats.checksum:016x}",
        }

    return {
        "verdict": "green" if total == 0 else "red",
        "legacy": side(legacy, legacy_stats, legacy_columns, legacy_types, legacy_totals),
        "new": side(new, new_stats, new_columns, new_types, new_totals),
        "counts": {
            "legacy_rows": legacy_stats.rows,
            "new_rows": new_stats.rows,
            "compared_columns": compared,
            "matched_keys": counts["matched"],
            "rows_identical": counts["identical"],
            "rows_equal_within_rules": counts["within_rules"],
            "rows_different": counts["rows_different"],
            "missing_keys": counts["missing"],
            "extra_keys": counts["extra"],
            "duplicate_keys_legacy": counts["duplicates_legacy"],
            "duplicate_keys_new": counts["duplicates_new"],
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
            "missing_keys": findings.examples["missing"].first(),
            "extra_keys": findings.examples["extra"].first(),
            "duplicate_keys": findings.examples["duplicates"].first(),
            "values": {
                c: findings.value_examples[j].first() for j, c in enumerate(compared) if values[j]
            },
        },
    }
