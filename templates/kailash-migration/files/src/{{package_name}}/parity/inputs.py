"""Reading one side of a comparison: CSV, JSON lines, a JSON array, or a database query.

Every reader yields the same thing: the column names, then the records in chunks (lists of
tuples of cells, a cell a ``str`` or ``None``), so that nothing holds a whole file in memory
(a JSON array is the exception: it is parsed whole, so prefer JSON lines for big outputs).
Problems with the input raise :class:`~.rules.BadInput` naming the file and, where it
helps, the record and the setting that fixes it.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from .rules import BadInput

FORMATS = ("csv", "jsonl", "json", "table")
# Records a chunk: small enough that a chunk's cells are still in the processor's cache when
# they are joined, indexed and summed after the csv module made them.
CHUNK_ROWS = 1_000
# A legacy field can be long (a free-text column, an embedded document): the csv module's
# default limit of 128 KiB would make such a file unreadable.
FIELD_SIZE_LIMIT = 2**31 - 1
_SELECT = re.compile(
    r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*(select|with)\b", re.IGNORECASE | re.DOTALL
)


@dataclass
class Source:
    """Where one side's output is and how it is written."""

    side: str  # "legacy" or "new": named in messages
    path: str | None = None
    format: str | None = None
    encoding: str = "utf-8"
    delimiter: str = ","
    quotechar: str = '"'
    query: str | None = None
    flag: str = ""  # how the user names this side's settings, for messages

    def label(self) -> str:
        return self.path if self.format != "table" else f"{self.side} query"

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": self.format}
        if self.format == "table":
            out["query"] = self.query
        else:
            out["path"] = self.path
        if self.format == "csv":
            out.update(encoding=self.encoding, delimiter=self.delimiter, quotechar=self.quotechar)
        elif self.format in ("jsonl", "json"):
            out["encoding"] = self.encoding
        return out


def format_of(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    return "csv"


def check_source(source: Source) -> Source:
    """Fills the format from the file name and checks every setting; raises BadInput."""
    side = source.side
    if source.format is None:
        if source.path is None:
            raise BadInput(
                f"{side} output: no path (give --{side} PATH or outputs.{side}.path in jobs.yaml)"
            )
        source.format = format_of(source.path)
    if source.format not in FORMATS:
        raise BadInput(
            f"outputs.{side}.format: expected one of {', '.join(FORMATS)}, got {source.format!r}"
        )
    if source.format == "table":
        if not source.query or not isinstance(source.query, str):
            raise BadInput(f"outputs.{side}.query: format table needs a query (SELECT ...)")
        if not _SELECT.match(source.query):
            raise BadInput(
                f"outputs.{side}.query: only a SELECT (or WITH ... SELECT) query is run, got {source.query[:60]!r}"
            )
        return source
    if not source.path:
        raise BadInput(
            f"{side} output: no path (give --{side} PATH or outputs.{side}.path in jobs.yaml)"
        )
    try:
        codec = codecs.lookup(source.encoding)
    except (LookupError, TypeError):
        raise BadInput(
            f"outputs.{side}.encoding: unknown encoding {source.encoding!r} (for example utf-8, latin-1, cp1252)"
        ) from None
    # utf-8-sig reads files with and without a byte order mark alike.
    source.encoding = "utf-8-sig" if codec.name in ("utf-8", "utf-8-sig") else codec.name
    for name in ("delimiter", "quotechar"):
        value = getattr(source, name)
        if not isinstance(value, str) or len(value) != 1 or value in "\r\n":
            raise BadInput(f"outputs.{side}.{name}: expected one character, got {value!r}")
    if source.delimiter == source.quotechar:
        raise BadInput(
            f"outputs.{side}.quotechar: must differ from the delimiter {source.delimiter!r}"
        )
    file = Path(source.path)
    if not file.exists():
        raise BadInput(f"{source.path}: no such file ({side} output)")
    if not file.is_file():
        raise BadInput(f"{source.path}: not a file ({side} output)")
    if not os.access(file, os.R_OK):
        raise BadInput(f"{source.path}: not readable ({side} output)")
    return source


def read(source: Source) -> tuple[list[str], Iterator[list[tuple[str | None, ...]]]]:
    """The column names and an iterator over chunks of records (see the module's doc)."""
    if source.format == "csv":
        return _read_csv(source)
    if source.format == "table":
        return _read_table(source)
    return _read_json(source)


def _check_header(columns: list[str], where: str) -> list[str]:
    if not columns:
        raise BadInput(f"{where}: no header row (the first row must name the columns)")
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise BadInput(f"{where}: column {name!r} appears twice in the header")
        seen.add(name)
    return columns


def _decode_error(source: Source, done: int, exc: UnicodeDecodeError) -> BadInput:
    hint = f"outputs.{source.side}.encoding in jobs.yaml or --{source.side}-encoding"
    return BadInput(
        f"{source.path}: not {source.encoding.replace('-sig', '')} text after record {done} "
        f"({exc.reason}, byte 0x{exc.object[exc.start]:02x}): declare its encoding ({hint})"
    )


def _read_csv(source: Source) -> tuple[list[str], Iterator[list[tuple[str | None, ...]]]]:
    csv.field_size_limit(min(sys.maxsize, FIELD_SIZE_LIMIT))
    handle = open(source.path, encoding=source.encoding, newline="")  # noqa: SIM115  closed by chunks()
    reader = csv.reader(handle, delimiter=source.delimiter, quotechar=source.quotechar, strict=True)
    try:
        header = next((row for row in reader if row), [])
    except UnicodeDecodeError as exc:
        handle.close()
        raise _decode_error(source, 0, exc) from None
    except csv.Error as exc:
        handle.close()
        raise BadInput(
            f"{source.path}: line {reader.line_num}: not readable as CSV ({exc})"
        ) from None
    try:
        columns = _check_header(header, source.path)
    except BadInput:
        handle.close()
        raise
    width = len(columns)

    def chunks() -> Iterator[list[tuple[str | None, ...]]]:
        done = 0
        try:
            while True:
                try:
                    chunk = list(itertools.islice(reader, CHUNK_ROWS))
                except UnicodeDecodeError as exc:
                    raise _decode_error(source, done, exc) from None
                except csv.Error as exc:
                    raise BadInput(
                        f"{source.path}: line {reader.line_num}: not readable as CSV ({exc})"
                    ) from None
                if not chunk:
                    return
                lengths = set(map(len, chunk))
                if lengths != {width}:
                    if 0 in lengths:  # blank lines
                        chunk = [row for row in chunk if row]
                    for number, row in enumerate(chunk, done + 1):
                        if len(row) != width:
                            raise BadInput(
                                f"{source.path}: record {number} has {len(row)} fields, the header has {width} "
                                f"(is the delimiter {source.delimiter!r} right? outputs.{source.side}.delimiter)"
                            )
                done += len(chunk)
                yield chunk
        finally:
            handle.close()

    return columns, chunks()


def cell(value: Any) -> str | None:
    """A JSON or database value as the text it is compared by."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _json_records(source: Source) -> Iterator[tuple[int, Any]]:
    try:
        if source.format == "json":
            with open(source.path, encoding=source.encoding) as handle:
                try:
                    data = json.load(handle)
                except json.JSONDecodeError as exc:
                    raise BadInput(
                        f"{source.path}: not valid JSON (line {exc.lineno}: {exc.msg})"
                    ) from None
            if not isinstance(data, list):
                raise BadInput(
                    f"{source.path}: expected a JSON array of objects, got a {type(data).__name__}"
                )
            yield from enumerate(data, 1)
            return
        with open(source.path, encoding=source.encoding) as handle:
            number = 0
            for line_number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                number += 1
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise BadInput(
                        f"{source.path}: line {line_number}: not valid JSON ({exc.msg})"
                    ) from None
    except UnicodeDecodeError as exc:
        raise _decode_error(source, 0, exc) from None


def _read_json(source: Source) -> tuple[list[str], Iterator[list[tuple[str | None, ...]]]]:
    # First pass: the columns are every key any record has, in order of first appearance.
    columns: dict[str, None] = {}
    for number, record in _json_records(source):
        if not isinstance(record, dict):
            raise BadInput(
                f"{source.path}: record {number} is a {type(record).__name__}, expected an object"
            )
        for key in record:
            columns.setdefault(key, None)
    names = _check_header(list(columns), source.path)

    def chunks() -> Iterator[list[tuple[str | None, ...]]]:
        chunk: list[tuple[str | None, ...]] = []
        for _, record in _json_records(source):
            chunk.append(tuple(cell(record.get(name)) for name in names))
            if len(chunk) >= CHUNK_ROWS:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    return names, chunks()


def database_url() -> str:
    """DATABASE_URL as the project's settings read it (the environment, then .env)."""
    # The project's own settings (standard library only), imported when a table is read.
    from ..settings import Settings, load_dotenv

    load_dotenv()
    return Settings.from_env().database_url


def _read_table(source: Source) -> tuple[list[str], Iterator[list[tuple[str | None, ...]]]]:
    url = database_url()
    try:
        import sqlalchemy  # noqa: PLC0415  only this format needs a database driver
    except ImportError:
        sqlalchemy = None
    if sqlalchemy is None:
        if not url.startswith("sqlite:///"):
            raise BadInput(
                f"outputs.{source.side}: format table needs SQLAlchemy and the database's driver "
                "(pip install -e . in the project), which are not installed here"
            )
        import sqlite3  # noqa: PLC0415

        connection = sqlite3.connect(f"file:{url[len('sqlite:///') :]}?mode=ro", uri=True)
        try:
            cursor = connection.execute(source.query)
        except sqlite3.Error as exc:
            connection.close()
            raise BadInput(
                f"outputs.{source.side}.query: the database refused it ({exc})"
            ) from None
        columns = [d[0] for d in cursor.description or ()]
        fetch, close = cursor.fetchmany, connection.close
    else:
        engine = sqlalchemy.create_engine(url)
        connection = engine.connect().execution_options(stream_results=True)
        try:
            result = connection.execute(sqlalchemy.text(source.query))
        except sqlalchemy.exc.SQLAlchemyError as exc:
            connection.close()
            raise BadInput(
                f"outputs.{source.side}.query: the database refused it ({exc.__class__.__name__}: {exc})"
            ) from None
        columns = list(result.keys())

        def fetch(size: int) -> list[Any]:
            return result.fetchmany(size)

        def close() -> None:
            connection.close()
            engine.dispose()

    try:
        columns = _check_header([str(c) for c in columns], f"outputs.{source.side}.query")
    except BadInput:
        close()
        raise

    def chunks() -> Iterator[list[tuple[str | None, ...]]]:
        try:
            while True:
                rows = fetch(CHUNK_ROWS)
                if not rows:
                    return
                yield [tuple(cell(value) for value in row) for row in rows]
        finally:
            close()

    return columns, chunks()
