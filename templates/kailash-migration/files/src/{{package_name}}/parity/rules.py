"""The comparison rules of one job: which columns form the key, which are ignored, and how
the values of each column are compared (tolerance, trimming, case, date and number formats,
null equivalents).

Rules come from the job's ``parity:`` entry in jobs.yaml, and flags override them for one run.
Every rule is checked before anything is read; a bad one raises :class:`BadInput` naming it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

DEFAULT_NULLS = ("",)
COLUMN_RULE_KEYS = ("abs", "rel", "trim", "case", "date_formats", "number_format")


class BadInput(ValueError):
    """Input the check cannot use: names the file, column or rule, and what is wrong."""


@dataclass(frozen=True)
class ColumnRule:
    """How one column's values are compared."""

    abs: Decimal | None = None
    rel: Decimal | None = None
    trim: bool = False
    case_insensitive: bool = False
    date_formats: tuple[str, ...] = ()
    number_format: tuple[str, str] | None = None  # (decimal mark, thousands separator)

    @property
    def numeric(self) -> bool:
        return self.abs is not None or self.rel is not None or self.number_format is not None

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.abs is not None:
            out["abs"] = str(self.abs)
        if self.rel is not None:
            out["rel"] = str(self.rel)
        if self.trim:
            out["trim"] = True
        if self.case_insensitive:
            out["case"] = "insensitive"
        if self.date_formats:
            out["date_formats"] = list(self.date_formats)
        if self.number_format:
            out["number_format"] = {
                "decimal": self.number_format[0],
                "thousands": self.number_format[1],
            }
        return out


@dataclass
class Rules:
    """All the rules of one comparison."""

    key: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    null_values: tuple[str, ...] = DEFAULT_NULLS
    columns: dict[str, ColumnRule] = field(default_factory=dict)
    criterion_days: int | None = None

    def rule(self, column: str) -> ColumnRule | None:
        return self.columns.get(column)

    def describe(self) -> dict[str, Any]:
        return {
            "key": list(self.key),
            "ignore": list(self.ignore),
            "null_values": list(self.null_values),
            "columns": {name: rule.describe() for name, rule in sorted(self.columns.items())},
            "criterion_days": self.criterion_days,
        }


# -- building rules from data ---------------------------------------------------------------


def _name_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise BadInput(f"{where}: expected a list of column names, got {value!r}")
    return list(value)


def _tolerance(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadInput(f"{where}: expected a number, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise BadInput(f"{where}: expected a number, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise BadInput(f"{where}: expected a number of 0 or more, got {value!r}")
    return number


def column_rule(data: Any, where: str) -> ColumnRule:
    """One column's rule from its mapping (``{abs: 0.01}``, ``{trim: true, case: insensitive}``...)."""
    if data is None:
        return ColumnRule()
    if not isinstance(data, dict):
        raise BadInput(f"{where}: expected a mapping of rules, got {data!r}")
    unknown = sorted(set(data) - set(COLUMN_RULE_KEYS))
    if unknown:
        raise BadInput(f"{where}.{unknown[0]}: unknown rule (known: {', '.join(COLUMN_RULE_KEYS)})")
    values: dict[str, Any] = {}
    if data.get("abs") is not None:
        values["abs"] = _tolerance(data["abs"], f"{where}.abs")
    if data.get("rel") is not None:
        values["rel"] = _tolerance(data["rel"], f"{where}.rel")
    if "trim" in data:
        if not isinstance(data["trim"], bool):
            raise BadInput(f"{where}.trim: expected true or false, got {data['trim']!r}")
        values["trim"] = data["trim"]
    if "case" in data:
        if data["case"] not in ("sensitive", "insensitive"):
            raise BadInput(f"{where}.case: expected sensitive or insensitive, got {data['case']!r}")
        values["case_insensitive"] = data["case"] == "insensitive"
    if "date_formats" in data:
        formats = data["date_formats"]
        if isinstance(formats, str):
            formats = [formats]
        if (
            not isinstance(formats, list)
            or not formats
            or not all(isinstance(f, str) and "%" in f for f in formats)
        ):
            raise BadInput(
                f'{where}.date_formats: expected a list of strftime formats such as "%d.%m.%Y", got {formats!r}'
            )
        for fmt in formats:
            try:
                datetime.strptime(datetime(2001, 2, 3, 4, 5, 6).strftime(fmt), fmt)
            except ValueError as exc:
                raise BadInput(
                    f"{where}.date_formats: {fmt!r} is not a usable format ({exc})"
                ) from None
        values["date_formats"] = tuple(formats)
    if "number_format" in data:
        spec = data["number_format"]
        if not isinstance(spec, dict) or set(spec) - {"decimal", "thousands"}:
            raise BadInput(
                f"{where}.number_format: expected a mapping such as "
                + '{decimal: ",", thousands: "."}'
                + f", got {spec!r}"
            )
        decimal_mark = spec.get("decimal", ".")
        thousands = spec.get("thousands", "")
        if thousands is None:
            thousands = ""
        if not isinstance(decimal_mark, str) or len(decimal_mark) != 1 or decimal_mark.isdigit():
            raise BadInput(
                f'{where}.number_format.decimal: expected one character such as ",", got {decimal_mark!r}'
            )
        if (
            not isinstance(thousands, str)
            or len(thousands) > 1
            or thousands.isdigit()
            or thousands == decimal_mark
        ):
            raise BadInput(
                f'{where}.number_format.thousands: expected one character other than the decimal mark, or "", got {thousands!r}'
            )
        values["number_format"] = (decimal_mark, thousands)
    rule = ColumnRule(**values)
    if rule.date_formats and rule.numeric:
        raise BadInput(f"{where}: date_formats cannot be combined with abs, rel or number_format")
    return rule


def rules_from_entry(parity: Any, where: str = "parity") -> Rules:
    """Rules from a job's ``parity:`` mapping in jobs.yaml (all parts optional)."""
    if parity is None:
        return Rules()
    if not isinstance(parity, dict):
        raise BadInput(f"{where}: expected a mapping, got {parity!r}")
    known = ("key", "ignore", "null_values", "columns", "criterion_days")
    unknown = sorted(set(parity) - set(known))
    if unknown:
        raise BadInput(f"{where}.{unknown[0]}: unknown setting (known: {', '.join(known)})")
    rules = Rules()
    if parity.get("key") is not None:
        rules.key = _name_list(parity["key"], f"{where}.key")
    if parity.get("ignore") is not None:
        rules.ignore = _name_list(parity["ignore"], f"{where}.ignore")
    if parity.get("null_values") is not None:
        nulls = parity["null_values"]
        if not isinstance(nulls, list) or not all(isinstance(v, str) for v in nulls):
            raise BadInput(f"{where}.null_values: expected a list of strings, got {nulls!r}")
        rules.null_values = tuple(nulls)
    columns = parity.get("columns")
    if columns is not None:
        if not isinstance(columns, dict):
            raise BadInput(
                f"{where}.columns: expected a mapping of column name to rules, got {columns!r}"
            )
        rules.columns = {
            str(name): column_rule(rule, f"{where}.columns.{name}")
            for name, rule in columns.items()
        }
    days = parity.get("criterion_days")
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise BadInput(
                f"{where}.criterion_days: expected a whole number of days, 1 or more, got {days!r}"
            )
        rules.criterion_days = days
    return rules


def apply_flags(rules: Rules, key: str | None, tolerances: list[str], ignore: list[str]) -> Rules:
    """``--key``, ``--tolerance COL=0.01`` (or ``COL=1%``) and ``--ignore`` over the job's rules."""
    if key is not None:
        rules.key = [part.strip() for part in key.split(",")]
        if not all(rules.key):
            raise BadInput(f"--key: expected COL or COL,COL, got {key!r}")
    for spec in tolerances:
        column, sep, amount = spec.partition("=")
        column, amount = column.strip(), amount.strip()
        if not sep or not column or not amount:
            raise BadInput(f"--tolerance: expected COL=0.01 or COL=0.1%, got {spec!r}")
        current = rules.columns.get(column, ColumnRule())
        if amount.endswith("%"):
            rel = _tolerance(amount[:-1], f"--tolerance {column}") / 100
            rules.columns[column] = ColumnRule(**{**current.__dict__, "rel": rel})
        else:
            rules.columns[column] = ColumnRule(
                **{**current.__dict__, "abs": _tolerance(amount, f"--tolerance {column}")}
            )
    for spec in ignore:
        for column in spec.split(","):
            if column.strip() and column.strip() not in rules.ignore:
                rules.ignore.append(column.strip())
    return rules


# -- comparing values ---------------------------------------------------------------------


def number_parser(rule: ColumnRule | None):
    """A function turning a cell into a finite Decimal, or None when it is not a number.

    With a declared number format a value written in it ("1.234,56") is read with it; a
    value it cannot read is read as a plain number ("1234.56"). One ambiguity follows: with
    "." as thousands separator, "1.234" is read as 1234.
    """
    pattern = None
    decimal_mark = thousands = ""
    if rule is not None and rule.number_format is not None:
        decimal_mark, thousands = rule.number_format
        d, t = re.escape(decimal_mark), re.escape(thousands)
        plain = r"[-+]?\d+(?:" + d + r"\d*)?|[-+]?" + d + r"\d+"
        if thousands:
            grouped = r"[-+]?\d{1,3}(?:" + t + r"\d{3})+(?:" + d + r"\d*)?"
            pattern = re.compile("(?:" + grouped + ")|(?:" + plain + ")")
        else:
            pattern = re.compile(plain)

    def parse(value: str | None) -> Decimal | None:
        if value is None:
            return None
        text = value.strip()
        if pattern is not None and pattern.fullmatch(text):
            text = text.replace(thousands, "") if thousands else text
            text = text.replace(decimal_mark, ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None

    return parse


def date_parser(formats: tuple[str, ...]):
    """A function turning a cell into a datetime with the first format that reads it, or None."""

    def parse(value: str | None) -> datetime | None:
        if value is None:
            return None
        text = value.strip()
        for fmt in formats:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        return None

    return parse


class Comparator:
    """Decides whether two cells of one column are equal under its rule.

    ``equal(a, b)`` is only asked about cells whose text differs: identical text is equal
    under every rule, and the caller skips those without calling anything.
    """

    def __init__(self, column: str, rule: ColumnRule | None, nulls: frozenset[str]) -> None:
        self.column = column
        self.rule = rule
        self.nulls = nulls
        self.parse_number = number_parser(rule) if rule is not None and rule.numeric else None
        self.parse_date = (
            date_parser(rule.date_formats) if rule is not None and rule.date_formats else None
        )

    def is_null(self, value: str | None) -> bool:
        return (
            value is None
            or value in self.nulls
            or (self.rule is not None and self.rule.trim and value.strip() in self.nulls)
        )

    def text(self, value: str) -> str:
        if self.rule is not None and self.rule.trim:
            value = value.strip()
        if self.rule is not None and self.rule.case_insensitive:
            value = value.casefold()
        return value

    def equal(self, a: str | None, b: str | None) -> bool:
        null_a, null_b = self.is_null(a), self.is_null(b)
        if null_a or null_b:
            return null_a and null_b
        rule = self.rule
        if self.parse_number is not None:
            x, y = self.parse_number(a), self.parse_number(b)
            if x is not None and y is not None:
                difference = abs(x - y)
                if difference == 0:
                    return True
                if rule.abs is not None and difference <= rule.abs:
                    return True
                if rule.rel is not None and difference <= rule.rel * max(abs(x), abs(y)):
                    return True
                return False
        if self.parse_date is not None:
            x, y = self.parse_date(a), self.parse_date(b)
            if x is not None and y is not None:
                return x == y
        return self.text(a) == self.text(b)

    def key_form(self, value: str | None) -> str | None:
        """The form of a key cell that is matched across sides (its rule applied)."""
        if self.is_null(value):
            return None
        if self.parse_number is not None:
            number = self.parse_number(value)
            if number is not None:
                return format(number.normalize(), "f")
        if self.parse_date is not None:
            moment = self.parse_date(value)
            if moment is not None:
                return moment.isoformat()
        return self.text(value)


def finite(number: float) -> float | None:
    return number if math.isfinite(number) else None
