"""The comparison itself, in bounded memory whatever the size of the outputs.

Two ways, with the same findings (tests/test_parity.py holds them to one report):

* **In memory**, while the legacy side fits in ``MEMORY_BUDGET`` (``PARITY_MEMORY_MB``): the
  legacy records (their compared cells joined into one string) are indexed by key; the new
  ones are read in chunks and looked up, and records whose text is identical cost one
  comparison (they are equal under every rule). Reading the legacy side counts its rows,
  infers each column's type, sums the numeric columns (control totals) and adds up a digest
  of every record (the content checksum: a sum, so order does not matter). The new side's
  figures are derived from these: its records are the legacy ones less those no new record
  repeats exactly, plus the new records that repeat none; only those are parsed (and every
  column the legacy side holds text in). A duplicate key, or a legacy side over the budget,
  ends this way and the check starts over the other way. On two cores, from
  ``PARALLEL_IN_MEMORY_FROM`` bytes of legacy output on, a forked child reads the legacy side
  (and sends its figures and records over a pipe, chunk by chunk) while this process reads the
  new side and indexes it by key; then the legacy records are looked up in that index. The
  new side's figures are derived as above, so that the report is the same. (A second worker
  forked to share the index and look up half of the keys was tried: it saved a tenth of the
  matching and cost a copy of every record it touched.)
* **Partitioned on disk**: each record of both sides is cut down to the compared columns and
  written to one of P temporary partition files chosen by the hash of its key, so that equal
  keys of both sides land in the same partition; then, partition by partition, the legacy
  records are indexed by key and the new ones looked up: keys missing, extra or duplicated,
  and per key every column compared under its rule. Memory holds one chunk of records while
  reading, then one partition: P is chosen from the file sizes so that a partition stays
  around ``PARTITION_BYTES`` of input. Big inputs are read by two processes at once.
"""

from __future__ import annotations

import gc
import marshal
import os
import tempfile
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterator
from itertools import compress
from operator import eq, itemgetter, not_
from typing import Any

from . import stats as side_stats
from .inputs import Source, read
from .partitions import SEPARATOR, Match, Partitions, cells, match, stored, texts
from .rules import BadInput, Comparator, Rules
from .stats import SideStats

PARTITION_BYTES = 4 * 1024 * 1024
# Records are written to the partition files this many at a time (read in smaller chunks).
WRITE_ROWS = 10_000
# Both sides' partition files are open at once while reading: stay well under 1024 descriptors.
MAX_PARTITIONS = 200
# From this many partitions on (inputs of 8 MB and more), both sides are read at once.
PARALLEL_FROM = 3
EXAMPLES = 5
# The legacy side is held in memory up to this many bytes (PARITY_MEMORY_MB overrides it),
# counted as its records' text plus ROW_BYTES a record (key, index entry, objects).
MEMORY_BUDGET = 320 * 1024 * 1024
ROW_BYTES = 240
# Records that differ are judged under the rules in batches of this many.
DIFFERING_BATCH = 10_000
# In memory, from a legacy file of this size on (and with two cores or more), the legacy side is
# read by a forked child while this process reads the new side (PARITY_PARALLEL=0 turns it off).
PARALLEL_IN_MEMORY_FROM = 8 * 1024 * 1024
# Joins the keys or records of one chunk into one string for the way from the child (only where
# no key or record holds it; else they travel as a list).
_RECORD_SEPARATOR = "\x1e"


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
    key_positions: list[int], comparators: list[Comparator], at: list[int] | None = None
) -> Callable[[tuple], Any]:
    """The key of a record of compared cells (``key_positions`` among them), or of a record as
    read where ``at`` says where those cells are in it."""
    plain = [
        c.rule is None
        or not (c.rule.trim or c.rule.case_insensitive or c.rule.numeric or c.rule.date_formats)
        for c in (comparators[p] for p in key_positions)
    ]
    forms = [comparators[p].key_form for p in key_positions]
    key_positions = key_positions if at is None else at
    if all(plain):
        return _projector(key_positions) if len(key_positions) > 1 else itemgetter(key_positions[0])
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
        plan = _Plan(rules, legacy, new, legacy_columns, new_columns)
        budget = memory_budget()
        gc_was_enabled = gc.isenabled()
        gc.disable()  # millions of small objects and no cycles: the collector would only slow this down
        try:
            if _may_fit(legacy, budget):
                context = _in_memory_fork(legacy, new, budget)
                if context is not None:
                    found = _in_memory_forked(plan, context, legacy_chunks, new_chunks, budget)
                    if found is _SERIAL:  # the new side outgrew the budget: the legacy side alone
                        legacy_chunks.close()
                        new_chunks.close()
                        legacy_chunks, new_chunks = plan.read_again()
                        found = _in_memory(plan, legacy_chunks, new_chunks, budget)
                else:
                    found = _in_memory(plan, legacy_chunks, new_chunks, budget)
                if found is not None:
                    return plan.sections(*found)
                # Over the budget, or a duplicate key: start again, partitioned on disk.
                legacy_chunks.close()
                new_chunks.close()
                legacy_chunks, new_chunks = plan.read_again()
            return plan.sections(*_partitioned(plan, legacy_chunks, new_chunks, workdir))
        finally:
            if gc_was_enabled:
                gc.enable()
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
        first, keys, values = 1, [], []  # gathered to WRITE_ROWS records a write
        for chunk in chunks:
            rows = chunk if identity else list(map(project, chunk))
            chunk_values = stored(rows, width)
            stats.add(rows, chunk_values)
            keys += map(key_of, rows)
            values += chunk_values
            if len(values) >= WRITE_ROWS:
                parts.write(first, keys, values)
                first, keys, values = stats.rows + 1, [], []
        if values:
            parts.write(first, keys, values)
    finally:
        parts.close()


def _fork_context():
    """A fork-based multiprocessing context, where there is one and parallel reading is on.

    The new side is read by a forked child while this process reads the legacy side: the
    child inherits the open file, the rules and, what matters most, the interpreter's hash
    seed, so both sides put a key in the same partition. None in a process that runs other
    threads (a shadow run inside a job, say): a forked child could inherit a lock one holds.
    """
    if os.environ.get("PARITY_PARALLEL", "1") == "0" or threading.active_count() > 1:
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
        counts["missing"] += (
            len(found.missing) if found.missing_count is None else found.missing_count
        )
        counts["extra"] += len(found.extra) if found.extra_count is None else found.extra_count
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


class _Plan:
    """What both ways of comparing share: the compared columns, their rules and projections."""

    def __init__(
        self,
        rules: Rules,
        legacy: Source,
        new: Source,
        legacy_columns: list[str],
        new_columns: list[str],
    ) -> None:
        _check_columns(rules, legacy, new, legacy_columns, new_columns)
        self.legacy, self.new = legacy, new
        self.legacy_columns, self.new_columns = legacy_columns, new_columns
        ignored = set(rules.ignore)
        on_new, on_legacy = set(new_columns), set(legacy_columns)
        self.compared = compared = [c for c in legacy_columns if c in on_new and c not in ignored]
        self.only_legacy = [c for c in legacy_columns if c not in on_new and c not in ignored]
        self.only_new = [c for c in new_columns if c not in on_legacy and c not in ignored]
        self.nulls = frozenset(rules.null_values) | {None}
        self.comparators = [
            Comparator(c, rules.rule(c), frozenset(rules.null_values)) for c in compared
        ]
        self.key_positions = [compared.index(k) for k in rules.key]
        self.key_of = _key_function(self.key_positions, self.comparators)
        self.key_columns = rules.key
        self.width = len(compared)

    def side(self, columns: list[str]) -> tuple[Callable[[Any], tuple], bool]:
        """The projection of one side's records onto the compared columns; True if it is the identity."""
        positions = [columns.index(c) for c in self.compared]
        return _projector(positions), positions == list(range(len(columns)))

    def key_as_read(self, columns: list[str]) -> Callable[[Any], Any]:
        """key_of() for the records of a side as read (before the projection side() gives)."""
        at = [columns.index(self.compared[p]) for p in self.key_positions]
        return _key_function(self.key_positions, self.comparators, at)

    def stats(self) -> SideStats:
        return SideStats(self.compared, self.comparators, self.nulls)

    def findings(self) -> _Findings:
        return _Findings(self.comparators, self.key_columns)

    def read_again(self) -> tuple[Iterator, Iterator]:
        legacy_columns, legacy_chunks = read(self.legacy)
        try:
            new_columns, new_chunks = read(self.new)
        except BaseException:
            legacy_chunks.close()
            raise
        if (legacy_columns, new_columns) != (self.legacy_columns, self.new_columns):
            legacy_chunks.close()
            new_chunks.close()
            raise BadInput(
                f"{self.legacy.label()}, {self.new.label()}: the columns changed while the check was reading"
            )
        return legacy_chunks, new_chunks

    def sections(
        self, legacy_stats: SideStats, new_stats: SideStats, findings: _Findings
    ) -> dict[str, Any]:
        return _sections(
            self.legacy,
            self.new,
            legacy_stats,
            new_stats,
            findings,
            self.compared,
            self.legacy_columns,
            self.new_columns,
            self.only_legacy,
            self.only_new,
        )


def memory_budget() -> int:
    """Bytes the legacy side may take in memory (``PARITY_MEMORY_MB``); beyond it, partitions on disk."""
    value = os.environ.get("PARITY_MEMORY_MB", "").strip()
    if not value:
        return MEMORY_BUDGET
    try:
        megabytes = float(value)
    except ValueError:
        raise BadInput(f"PARITY_MEMORY_MB: expected a number of megabytes, got {value!r}") from None
    if not megabytes >= 0 or megabytes == float("inf"):
        raise BadInput(
            f"PARITY_MEMORY_MB: expected a number of megabytes, 0 or more, got {value!r}"
        )
    return int(megabytes * 1024 * 1024)


def _may_fit(legacy: Source, budget: int) -> bool:
    """Whether to try in memory first: a file whose text alone is over the budget goes to disk at once."""
    if legacy.format == "table":
        return False  # a query is not run twice: straight to partitions
    return os.path.getsize(legacy.path) <= budget


def _in_memory(plan: _Plan, legacy_chunks: Iterator, new_chunks: Iterator, budget: int):
    """Both sides matched with the legacy records held in memory: the way for outputs under the budget.

    The legacy records are indexed by key; the new ones are read in chunks and looked up, and
    only the records whose text differs are kept (split into cells) for the rules. Returns
    None, having kept nothing, where this way does not apply: the legacy side (or what differs)
    outgrows the budget, or a key appears twice on either side (the partitioned way reports
    duplicates with all their rows).
    """
    width, key_of = plan.width, plan.key_of
    legacy_stats, new_stats, findings = plan.stats(), plan.stats(), plan.findings()
    project, identity = plan.side(plan.legacy_columns)
    index: dict = {}
    values: list = []
    used = 0
    for chunk in legacy_chunks:
        rows = chunk if identity else list(map(project, chunk))
        stored_values = texts(rows, width)
        legacy_stats.add(rows, stored_values)
        start = len(values)
        index.update(zip(map(key_of, rows), range(start, start + len(rows)), strict=True))
        values += stored_values
        if len(index) != len(values):
            return None  # a duplicate key
        used += ROW_BYTES * len(rows) + sum(map(len, stored_values))
        if used > budget:
            return None
    # What the new side reads: the text columns of the legacy side as they are; the others only
    # in the records that repeat no legacy record exactly (derive() does the rest).
    direct = [j for j, kind in enumerate(legacy_stats.kind) if kind == "text"]
    derived = [j for j, kind in enumerate(legacy_stats.kind) if kind != "text"]
    rest = plan.stats()
    # Per legacy record: 0 no new record has its key, 1 one repeats it exactly, 2 one differs.
    hits = bytearray(len(values))
    found = Match()
    extra_keys: set = set()
    project, identity = plan.side(plan.new_columns)
    number = 0  # new records read so far
    for chunk in new_chunks:
        rows = chunk if identity else list(map(project, chunk))
        stored_values = texts(rows, width)
        new_stats.rows += len(rows)
        if direct:
            new_stats.add_columns(rows, direct)
        keys = list(map(key_of, rows))
        positions = list(map(index.get, keys))
        if None in positions:
            unknown = [i for i, p in enumerate(positions) if p is None]
            for i in unknown:
                if keys[i] in extra_keys:
                    return None  # a duplicate key
                extra_keys.add(keys[i])
                if len(found.extra) < EXAMPLES:
                    found.extra.append((number + i + 1, keys[i]))
            matched = [i for i, p in enumerate(positions) if p is not None]
            positions = list(map(positions.__getitem__, matched))
            compared_values = list(map(stored_values.__getitem__, matched))
        else:
            unknown, matched, compared_values = [], range(len(rows)), stored_values
        picked = list(map(values.__getitem__, positions))
        same = list(map(eq, picked, compared_values))
        for p, s in zip(positions, same, strict=True):
            if hits[p]:
                return None  # a duplicate key
            hits[p] = 2 - s
        found.identical += sum(same)
        differ = list(compress(range(len(same)), map(not_, same)))
        for i in differ:
            n = matched[i]
            found.differing.append(
                (
                    keys[n],
                    positions[i] + 1,
                    number + n + 1,
                    cells(picked[i]),
                    cells(compared_values[i]),
                )
            )
        others = sorted([*unknown, *map(matched.__getitem__, differ)])
        if others:
            _read_rest(new_stats, rest, rows, stored_values, others, direct, derived)
        used += ROW_BYTES * len(unknown)  # the extra keys kept
        if used > budget:
            return None
        number += len(rows)
        if len(found.differing) >= DIFFERING_BATCH:  # judged under the rules now, and let go
            batch = Match()
            batch.differing, found.differing = found.differing, []
            findings.add(batch)
    missing = hits.count(0)
    found.missing_count, found.extra_count = missing, len(extra_keys)
    found.matched = len(values) - missing
    if missing:
        first = []
        p = hits.find(0)
        while p != -1 and len(first) < EXAMPLES:
            first.append(p)
            p = hits.find(0, p + 1)
        wanted = set(first)
        keys_of = {p: key for key, p in index.items() if p in wanted}
        found.missing = [(p + 1, keys_of[p]) for p in first]
    findings.add(found)
    removed = [values[p] for mark in (0, 2) for p in _positions(hits, mark)]
    new_stats.derive(legacy_stats, rest, removed, derived)
    return legacy_stats, new_stats, findings


def _positions(marks: bytearray, mark: int) -> Iterator[int]:
    p = marks.find(mark)
    while p != -1:
        yield p
        p = marks.find(mark, p + 1)


def _read_rest(
    new_stats: SideStats,
    rest: SideStats,
    rows: list,
    stored_values: list,
    others: list[int],
    direct: list[int],
    derived: list[int],
) -> None:
    """Adds the new records ``others`` (indexes into ``rows``: those that repeat no legacy record
    exactly) to ``rest``. A derived column in which they hold text is read as it is from then on."""
    rest.count(list(map(rows.__getitem__, others)), list(map(stored_values.__getitem__, others)))
    rest.add_columns(list(map(rows.__getitem__, others)), derived)
    for j in [j for j in derived if rest.kind[j] == "text"]:
        derived.remove(j)
        direct.append(j)
        new_stats.restart_column(j)
        new_stats.add_columns(rows, [j])


_TWO = 2
_SERIAL = object()  # what _in_memory_forked() returns when the one-process way should be taken


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def _in_memory_fork(legacy: Source, new: Source, budget: int):
    """The fork context for reading the two sides at once in memory, or None to read one by one.

    Both sides are files of which neither is over the budget and the legacy one is big enough
    to be worth a second process, there are two cores or more, and the platform has fork.
    """
    if new.format == "table" or os.path.getsize(legacy.path) < PARALLEL_IN_MEMORY_FROM:
        return None
    if os.path.getsize(new.path) > budget or _cores() < 2:
        return None
    return _fork_context()


def _projected_texts(chunk: list, project: Callable, width: int) -> list:
    """texts() of the chunk's records projected by ``project``, the projections not kept."""
    try:
        joined = list(map(SEPARATOR.join, map(project, chunk)))
    except TypeError:  # a None cell somewhere in the chunk
        return texts(list(map(project, chunk)), width)
    if SEPARATOR.join(joined).count(SEPARATOR) == len(joined) * width - 1:
        return joined
    return texts(list(map(project, chunk)), width)


def _pack(items: list) -> str | list:
    """A chunk's keys or records for the pipe: one joined string where that is unambiguous."""
    if all(map(str.__instancecheck__, items)):
        joined = _RECORD_SEPARATOR.join(items)
        if joined.count(_RECORD_SEPARATOR) == len(items) - 1:
            return joined
    return items


def _unpack(packed: str | list) -> list:
    return packed.split(_RECORD_SEPARATOR) if isinstance(packed, str) else packed


def _legacy_child(connection, plan: _Plan, chunks: Iterator, budget: int) -> None:
    """In the forked child: reads the legacy side (its types, totals and checksum as one
    process would), then sends them, and its keys and records chunk by chunk, to the parent."""
    try:
        stats = plan.stats()
        project, identity = plan.side(plan.legacy_columns)
        key_of, width = plan.key_of, plan.width
        packed: list[bytes] = []
        used = 0
        for chunk in chunks:
            rows = chunk if identity else list(map(project, chunk))
            values = texts(rows, width)
            first = stats.rows + 1
            stats.add(rows, values)
            used += ROW_BYTES * len(rows) + sum(map(len, values))
            if used > budget:
                connection.send_bytes(marshal.dumps(("over",)))
                return
            keys = _pack(list(map(key_of, rows)))
            packed.append(marshal.dumps((first, keys, _pack(values))))
        connection.send_bytes(marshal.dumps(("stats", stats.state(), len(packed))))
        for i in range(len(packed)):
            data, packed[i] = packed[i], b""
            connection.send_bytes(data)
    except BadInput as exc:
        connection.send_bytes(marshal.dumps(("bad", str(exc))))
    except BaseException as exc:  # noqa: BLE001  reported to the parent, which raises it
        connection.send_bytes(marshal.dumps(("error", f"{type(exc).__name__}: {exc}")))
    finally:
        connection.close()


def _in_memory_forked(plan: _Plan, context, legacy_chunks: Iterator, new_chunks: Iterator, budget):
    """The in-memory way on two cores: a forked child reads the legacy side while this process
    reads the new side and indexes it by key; then the legacy records, sent over by the child
    in chunks, are looked up in that index. Same findings, types, totals and checksums as
    _in_memory() (each side's are those of its own records); None or _SERIAL where it does not
    apply (see _in_memory(); _SERIAL: the new side outgrew the budget, the legacy side may not).
    """
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_legacy_child, args=(send, plan, legacy_chunks, budget), daemon=True
    )
    child.start()
    send.close()
    complete = False
    try:
        found = _match_forked(plan, receive, child, new_chunks, budget)
        complete = found is not None and found is not _SERIAL
        return found
    finally:
        if not complete and child.is_alive():
            child.kill()  # left early: what it would still send is not needed
        receive.close()
        child.join()


def _receive(receive, child) -> tuple:
    """The child's next message; raises what the child ran into."""
    try:
        message = marshal.loads(receive.recv_bytes())
    except EOFError:
        child.join()
        message = (
            "error",
            f"the process reading the legacy output ended with code {child.exitcode}",
        )
    if message[0] == "bad":
        raise BadInput(message[1])
    if message[0] == "error":
        raise RuntimeError(f"reading the legacy output failed: {message[1]}")
    return message


def _match_forked(plan: _Plan, receive, child, new_chunks: Iterator, budget: int):
    width, key_of = plan.width, plan.key_of
    new_stats, findings = plan.stats(), plan.findings()
    project, identity = plan.side(plan.new_columns)
    index: dict = {}
    values: list = []
    keys_in_order: list = []
    used = 0
    message = None  # the child's first message (how its reading went), once it came
    # Where each chunk of the new side starts (types are learnt chunk by chunk), and the columns
    # whose types and totals are read as the chunks come: while they hold text or nothing yet
    # (cheap: a text column stops at its sample). The others are derived from the legacy side's.
    starts: list[int] = []
    followed = list(range(width))
    key_as_read = plan.key_as_read(plan.new_columns)
    kind, samples, sample = new_stats.kind, new_stats.samples, side_stats.TYPE_SAMPLE
    chunks = iter(new_chunks)
    while True:
        try:
            chunk = next(chunks, None)
        except BadInput:
            if message is None:  # the legacy side's error first, as reading it first would
                _receive(receive, child)
            raise
        if chunk is None:
            break
        new_stats.rows += len(chunk)
        followed = [j for j in followed if kind[j] in (None, "text")]
        # Columns whose types are still learnt (a text column stops at its sample).
        learning = [j for j in followed if kind[j] is None or len(samples[j]) < sample]
        if identity or learning:
            rows = chunk if identity else list(map(project, chunk))
            stored_values = texts(rows, width)
            new_stats.add_columns(rows, learning)
            keys = list(map(key_of, rows))
        else:  # no projected records kept: the records' text and keys straight from the chunk
            stored_values = _projected_texts(chunk, project, width)
            keys = list(map(key_as_read, chunk))
        start = len(values)
        starts.append(start)
        index.update(zip(keys, range(start, start + len(chunk)), strict=True))
        values += stored_values
        keys_in_order += keys
        if len(index) != len(values):
            return None  # a duplicate key
        used += ROW_BYTES * len(chunk) + sum(map(len, stored_values))
        if used > budget:
            return _SERIAL
        if message is None and receive.poll():
            message = _receive(receive, child)
            if message[0] == "over":
                return None  # the legacy side is over the budget
    if message is None:
        message = _receive(receive, child)
    if message[0] == "over":
        return None
    _, state, count = message
    legacy_stats = plan.stats()
    legacy_stats.__dict__.update(state)
    blobs = [receive.recv_bytes() for _ in range(count)]
    hits = bytearray(len(values))
    part = _match_legacy(blobs, index, values, hits, findings, budget - used)
    if part is None:
        return None  # a duplicate key, or over the budget
    identical, number, missing_keys, first_missing, removed, part_used = part
    if used + part_used > budget:
        return None
    found = Match()
    found.missing = first_missing.first()
    found.identical = identical
    found.missing_count = len(missing_keys)
    found.matched = number - len(missing_keys)
    found.extra_count = hits.count(0)
    for p in _positions(hits, 0):
        if len(found.extra) == EXAMPLES:
            break
        found.extra.append((p + 1, keys_in_order[p]))
    findings.add(found)
    _derive_new(legacy_stats, new_stats, plan.stats(), values, starts, hits, removed, followed)
    return legacy_stats, new_stats, findings


def _match_legacy(
    blobs: list, index: dict, values: list, hits: bytearray, findings: _Findings, budget: int
):
    """Looks the legacy chunks ``blobs`` (as the child sent them) up in the new side's index:
    marks ``hits`` (1 the new record is repeated exactly, 2 it differs), judges the records
    that differ into ``findings``. Returns (identical, legacy records, missing keys, the first
    missing ones as _Examples of (row, key), the legacy records no new record repeats exactly,
    bytes kept), or None for a duplicate key or a budget overrun."""
    missing_keys: set = set()
    first_missing = _Examples()
    removed: list = []
    found = Match()
    identical = rows = used = 0
    for b, blob in enumerate(blobs):
        blobs[b] = b""  # let go as soon as read
        first, packed_keys, packed_values = marshal.loads(blob)
        del blob
        keys, legacy_values = _unpack(packed_keys), _unpack(packed_values)
        number = first - 1
        rows += len(keys)
        positions = list(map(index.get, keys))
        if None in positions:
            unknown = [i for i, p in enumerate(positions) if p is None]
            for i in unknown:
                if keys[i] in missing_keys:
                    return None  # a duplicate key
                missing_keys.add(keys[i])
                first_missing.offer(number + i + 1, (number + i + 1, keys[i]))
            gone = list(map(legacy_values.__getitem__, unknown))
            removed += gone
            used += ROW_BYTES * len(unknown) + sum(map(len, gone))  # the missing records kept
            if used > budget:
                return None
            matched = [i for i, p in enumerate(positions) if p is not None]
            positions = list(map(positions.__getitem__, matched))
            legacy_values = list(map(legacy_values.__getitem__, matched))
        else:
            matched = range(len(keys))
        # Two legacy records that find one new record: a duplicate key.
        if any(map(hits.__getitem__, positions)) or len(set(positions)) != len(positions):
            return None
        picked = list(map(values.__getitem__, positions))
        same = list(map(eq, legacy_values, picked))
        list(map(hits.__setitem__, positions, map(_TWO.__sub__, same)))  # 1 repeated, 2 not
        identical += sum(same)
        for i in compress(range(len(same)), map(not_, same)):
            n = matched[i]
            removed.append(legacy_values[i])
            found.differing.append(
                (
                    keys[n],
                    number + n + 1,
                    positions[i] + 1,
                    cells(legacy_values[i]),
                    cells(picked[i]),
                )
            )
        if len(found.differing) >= DIFFERING_BATCH:  # judged under the rules now, and let go
            findings.add(found)
            found.differing = []
    findings.add(found)
    return identical, rows, missing_keys, first_missing, removed, used


def _derive_new(
    legacy: SideStats,
    new: SideStats,
    rest: SideStats,
    values: list,
    starts: list[int],
    hits: bytearray,
    removed: list,
    followed: list[int],
) -> None:
    """The new side's types, totals and checksum as _in_memory() has them: derived from the
    legacy side's where the legacy side holds numbers, else read from the new records (from
    what reading followed, or again from ``values``, chunk by chunk as they were read).

    ``hits`` marks each new record: 0 no legacy record has its key, 1 one repeats it exactly,
    2 one differs; ``removed`` holds the legacy records no new record repeats exactly.
    """
    derived = [j for j, kind in enumerate(legacy.kind) if kind != "text"]
    again = [j for j, kind in enumerate(legacy.kind) if kind == "text" and j not in followed]
    others = sorted([*_positions(hits, 0), *_positions(hits, 2)])
    ends = [*starts[1:], len(values)]
    for start, end in zip(starts, ends, strict=True):  # the records that repeat none, by chunk
        low, high = bisect_left(others, start), bisect_left(others, end)
        if low == high:
            continue
        chosen = [values[p] for p in others[low:high]]
        rows = list(map(cells, chosen))
        rest.count(rows, chosen)
        rest.add_columns(rows, derived)
        for j in [j for j in derived if rest.kind[j] == "text"]:  # read as it is, then
            derived.remove(j)
            if j not in followed:
                again.append(j)
    for j in derived:
        new.restart_column(j)
    new.derive(legacy, rest, removed, derived)
    if again:
        for j in again:
            new.restart_column(j)
        for start, end in zip(starts, ends, strict=True):
            new.add_columns(list(map(cells, values[start:end])), again)


def _partitioned(plan: _Plan, legacy_chunks: Iterator, new_chunks: Iterator, workdir: str | None):
    """Both sides hash-partitioned to temporary files, then matched partition by partition."""
    count = partitions_for(plan.legacy, plan.new)
    findings = plan.findings()
    with tempfile.TemporaryDirectory(prefix="parity-", dir=workdir) as tmp:
        stats, parts, reads = {}, {}, {}
        for side, chunks, columns in (
            ("legacy", legacy_chunks, plan.legacy_columns),
            ("new", new_chunks, plan.new_columns),
        ):
            stats[side] = plan.stats()
            parts[side] = Partitions(tmp, count, side)
            project, identity = plan.side(columns)
            reads[side] = (
                chunks,
                project,
                identity,
                plan.key_of,
                stats[side],
                parts[side],
                plan.width,
            )
        _read_both(reads["legacy"], reads["new"], parallel=count >= PARALLEL_FROM)
        for p in range(count):
            findings.add(match(parts["legacy"].load(p), parts["new"].load(p)))
    return stats["legacy"], stats["new"], findings


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
