"""What reading one side learns besides its records: row count, column types, control totals
of the numeric columns and the content checksum."""

from __future__ import annotations

import math
import re
from operator import itemgetter
from typing import Any

from .partitions import checksum
from .rules import Comparator, number_parser

TYPE_SAMPLE = 1000
_ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_MASK = (1 << 64) - 1


class SideStats:
    """What reading one side learns besides its records: count, types, totals, checksum."""

    def __init__(self, columns: list[str], comparators: list[Comparator], nulls: frozenset) -> None:
        self.columns = columns
        self.rows = 0
        self.nulls = nulls
        self.seen_value = [False] * len(columns)
        # None: not decided yet; "integer" or "decimal" while every value so far is one; "text".
        self.kind: list[str | None] = [None] * len(columns)
        self.totals: list[float] = [0] * len(columns)
        self.samples: list[list[str]] = [[] for _ in columns]
        self.parsers = [
            number_parser(c.rule) if c.rule is not None and c.rule.number_format else None
            for c in comparators
        ]
        self.date_parsers = [c.parse_date for c in comparators]
        self.checksum = 0

    def add(self, rows: list, values: list) -> None:
        self.rows += len(rows)
        self.checksum = (self.checksum + checksum(values)) & _MASK
        nulls = self.nulls
        for j in range(len(self.columns)):
            kind = self.kind[j]
            if kind == "text" and len(self.samples[j]) >= TYPE_SAMPLE:
                continue
            column = list(map(itemgetter(j), rows))
            if kind != "text":
                # Numbers first, nulls only when that fails: most numeric columns have none.
                added = self._add_numbers(j, column, kind)
                if added is not None:
                    self.kind[j] = added
                    self.seen_value[j] = self.seen_value[j] or bool(column)
                    continue
            present = [v for v in column if v not in nulls]
            if not present:
                continue
            self.seen_value[j] = True
            if kind != "text":
                kind = self.kind[j] = self._add_numbers(j, present, kind) or "text"
            if kind == "text":
                sample = self.samples[j]
                sample.extend(present[: TYPE_SAMPLE - len(sample)])

    def _add_numbers(self, j: int, values: list, kind: str | None) -> str | None:
        """Adds a chunk of a column to its total; the column's kind after it, None if not numbers."""
        parse = self.parsers[j]
        try:
            if parse is not None:
                numbers = list(map(parse, values))
                if None in numbers:
                    return None
                self.totals[j] += math.fsum(map(float, numbers))
                return "decimal"
            if kind != "decimal":
                try:  # whole numbers: an exact integer sum, and cheaper than floats
                    self.totals[j] += sum(map(int, values))
                    return "integer"
                except ValueError:
                    pass
            self.totals[j] += math.fsum(map(float, values))
            return "decimal"
        except (ValueError, OverflowError, TypeError):
            return None

    def types(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for j, name in enumerate(self.columns):
            if not self.seen_value[j]:
                out[name] = "empty"
            elif self.kind[j] in ("integer", "decimal", "number"):
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

    STATE = ("rows", "seen_value", "kind", "totals", "samples", "checksum")

    def state(self) -> dict[str, Any]:
        """What a worker process sends back (the parsers stay behind: they are functions)."""
        return {name: getattr(self, name) for name in self.STATE}

    def control_totals(self) -> dict[str, float]:
        return {
            name: round(self.totals[j], 9)
            for j, name in enumerate(self.columns)
            if self.kind[j] in ("integer", "decimal", "number")
            and self.seen_value[j]
            and math.isfinite(self.totals[j])
        }
