"""A small, safe reader for the YAML that jobs.yaml is written in (standard library only).

The parity check runs beside the legacy system, where PyYAML may not be
installed, so it reads jobs.yaml itself. It understands what create-migration
writes and what people type by hand in such a file: block mappings and
sequences, flow ``[...]`` and ``{...}`` collections (also over several lines),
plain, single- and double-quoted scalars (also folded over several lines),
``|`` and ``>`` block scalars, and comments. Scalars follow YAML 1.2's core
schema, as the ``yaml`` package that writes the file does: ``null``/``~``,
``true``/``false``, integers and floats; anything else, dates included, is a
string (``yes``, ``no`` and ``on`` stay strings). Anchors, aliases, tags and
multiple documents are refused with the line they are on: nothing in this file
needs them, and refusing keeps the reader small and predictable.
"""

from __future__ import annotations

import re
from typing import Any


class YamlError(ValueError):
    """The file is not in the supported subset; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


_INT = re.compile(r"[-+]?[0-9]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_OCT = re.compile(r"0o[0-7]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_LEN = {"x": 2, "u": 4, "U": 8}


def load(text: str) -> Any:
    """The value of the one YAML document in ``text`` (``None`` when it is empty)."""
    return _Reader(text).document()


def resolve_plain(token: str) -> Any:
    """A plain scalar's value under YAML 1.2's core schema."""
    if token in ("", "~", "null", "Null", "NULL"):
        return None
    if token in ("true", "True", "TRUE"):
        return True
    if token in ("false", "False", "FALSE"):
        return False
    if _INT.fullmatch(token):
        return int(token)
    if _HEX.fullmatch(token):
        return int(token[2:], 16)
    if _OCT.fullmatch(token):
        return int(token[2:], 8)
    if _FLOAT.fullmatch(token):
        return float(token)
    lowered = token.lower()
    if lowered in (".inf", "+.inf"):
        return float("inf")
    if lowered == "-.inf":
        return float("-inf")
    if lowered == ".nan":
        return float("nan")
    return token


class _Line:
    __slots__ = ("number", "indent", "text")

    def __init__(self, number: int, indent: int, text: str) -> None:
        self.number = number
        self.indent = indent
        self.text = text


def _strip_comment(text: str) -> str:
    """``text`` without a trailing comment (a ``#`` after a space, outside quotes)."""
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                if quote == "'" and text[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                quote = ""
        elif ch in "'\"" and (i == 0 or text[i - 1] in " \t[{,:-"):
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
        i += 1
    return text.rstrip()


class _Reader:
    def __init__(self, text: str) -> None:
        self.raw = text.lstrip("\ufeff").splitlines()
        self.pos = 0

    # -- lines -----------------------------------------------------------------

    def _content(self, index: int) -> _Line | None:
        """Line ``index`` without its comment, or None when nothing is left of it."""
        raw = self.raw[index]
        if "\t" in raw[: len(raw) - len(raw.lstrip(" \t"))]:
            raise YamlError("a tab in the indentation (YAML indents with spaces)", index + 1)
        body = _strip_comment(raw)
        stripped = body.lstrip(" ")
        if not stripped:
            return None
        return _Line(index + 1, len(body) - len(stripped), stripped)

    def _peek(self) -> _Line | None:
        while self.pos < len(self.raw):
            line = self._content(self.pos)
            if line is not None:
                return line
            self.pos += 1
        return None

    # -- structure -------------------------------------------------------------

    def document(self) -> Any:
        first = self._peek()
        if first is None:
            return None
        if first.text == "---" or first.text.startswith("--- "):
            rest = first.text[3:].strip()
            if rest:
                raise YamlError("content on the '---' line is not supported", first.number)
            self.pos += 1
            first = self._peek()
            if first is None:
                return None
        value = self._node(first.indent)
        trailing = self._peek()
        if trailing is not None:
            if trailing.text in ("---", "..."):
                raise YamlError("only one YAML document is supported", trailing.number)
            raise YamlError(f"unexpected content {trailing.text[:40]!r}", trailing.number)
        return value

    def _node(self, indent: int) -> Any:
        line = self._peek()
        assert line is not None
        if line.text == "-" or line.text.startswith("- "):
            return self._sequence(line.indent)
        if self._split_key(line) is not None:
            return self._mapping(line.indent)
        return self._scalar_lines(line, indent - 1)

    def _sequence(self, indent: int) -> list[Any]:
        items: list[Any] = []
        while True:
            line = self._peek()
            if line is None or line.indent < indent:
                return items
            if line.indent > indent:
                raise YamlError("bad indentation in a list", line.number)
            if not (line.text == "-" or line.text.startswith("- ")):
                return items  # the next key of the mapping this list is a value of
            rest = line.text[1:].lstrip(" ")
            if not rest:
                self.pos += 1
                nxt = self._peek()
                items.append(self._node(nxt.indent) if nxt and nxt.indent > indent else None)
                continue
            # The item's content starts after "- ": treat it as a line of its own.
            inner = _Line(line.number, indent + len(line.text) - len(rest), rest)
            self.raw[self.pos] = (
                " " * inner.indent + self.raw[self.pos].lstrip(" ")[len(line.text) - len(rest) :]
            )
            items.append(self._node(inner.indent))

    def _split_key(self, line: _Line) -> tuple[str, str] | None:
        """``(key, rest)`` when the line is ``key: rest`` (``rest`` may be empty)."""
        text = line.text
        if text[0] in "[{":
            return None
        if text[0] in "'\"":
            end = self._quoted_end(text, line.number)
            if end is None:
                return None
            after = text[end:].lstrip(" ")
            if after == ":" or after.startswith(": "):
                key = self._quoted_value(text[:end], line.number)
                return key, after[1:].strip()
            return None
        match = re.match(r"([^#]*?)\s*:(?:\s+|$)", text)
        if not match or text.startswith(("- ", "? ")):
            return None
        key = match.group(1)
        if not key or key[0] in "&*!|>%@`":
            return None
        return key, text[match.end() :].strip()

    def _mapping(self, indent: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while True:
            line = self._peek()
            if line is None or line.indent < indent:
                return result
            if line.indent > indent:
                raise YamlError("bad indentation in a mapping", line.number)
            split = self._split_key(line)
            if split is None:
                raise YamlError(f"expected 'key: value', found {line.text[:40]!r}", line.number)
            key_text, rest = split
            key = key_text if line.text[0] in "'\"" else resolve_plain(key_text)
            if not isinstance(key, str):
                key = key_text
            if key in result:
                raise YamlError(f"duplicate key {key!r}", line.number)
            if rest:
                self._refuse(rest, line.number)
                self.pos += 1
                if rest[0] in "|>":
                    result[key] = self._block_scalar(rest, indent, line.number)
                else:
                    result[key] = self._inline_value(rest, indent, line.number)
                continue
            self.pos += 1
            nxt = self._peek()
            if (
                nxt is None
                or nxt.indent < indent
                or (nxt.indent == indent and not nxt.text.startswith("- ") and nxt.text != "-")
            ):
                result[key] = None
            else:
                result[key] = self._node(nxt.indent)

    # -- scalars and flow collections ------------------------------------------

    @staticmethod
    def _refuse(text: str, number: int) -> None:
        if text[0] in "&*":
            raise YamlError("anchors and aliases are not supported", number)
        if text[0] == "!":
            raise YamlError("tags are not supported", number)

    def _continuation(self, indent: int) -> list[str]:
        """Lines more indented than ``indent`` that continue a scalar or a flow collection."""
        parts: list[str] = []
        while self.pos < len(self.raw):
            raw = self.raw[self.pos]
            if not raw.strip():
                parts.append("")
                self.pos += 1
                continue
            line = self._content(self.pos)
            if line is None:
                self.pos += 1
                continue
            if line.indent <= indent:
                break
            parts.append(line.text)
            self.pos += 1
        while parts and parts[-1] == "":
            parts.pop()
        return parts

    def _inline_value(self, text: str, indent: int, number: int) -> Any:
        if text[0] in "[{":
            source = text
            while not self._flow_complete(source):
                if self.pos >= len(self.raw):
                    raise YamlError("unclosed flow collection", number)
                line = self._content(self.pos)
                self.pos += 1
                if line is not None:
                    source += " " + line.text
            value, end = self._flow(source, 0, number)
            if source[end:].strip():
                raise YamlError(
                    f"unexpected {source[end:].strip()[:20]!r} after a flow collection", number
                )
            return value
        if text[0] in "'\"":
            source = text
            while self._quoted_end(source, number) is None:
                if self.pos >= len(self.raw):
                    raise YamlError("unclosed quoted string", number)
                source += "\n" + self.raw[self.pos].strip()
                self.pos += 1
            end = self._quoted_end(source, number)
            if source[end:].strip():
                raise YamlError(
                    f"unexpected {source[end:].strip()[:20]!r} after a quoted string", number
                )
            return self._quoted_value(source, number)
        parts = [text, *self._continuation(indent)]
        return resolve_plain(_fold(parts)) if len(parts) > 1 else resolve_plain(text)

    def _scalar_lines(self, line: _Line, parent_indent: int) -> Any:
        self._refuse(line.text, line.number)
        self.pos += 1
        if line.text[0] in "|>":
            return self._block_scalar(line.text, parent_indent, line.number)
        return self._inline_value(line.text, parent_indent, line.number)

    def _block_scalar(self, header: str, indent: int, number: int) -> str:
        match = re.fullmatch(r"([|>])([-+]?)([1-9]?)([-+]?)", header)
        if not match:
            raise YamlError(f"unsupported block scalar header {header!r}", number)
        style, chomp = match.group(1), match.group(2) or match.group(4)
        lines: list[str] = []
        block_indent = int(match.group(3)) + max(indent, 0) if match.group(3) else None
        while self.pos < len(self.raw):
            raw = self.raw[self.pos]
            if not raw.strip():
                lines.append("")
                self.pos += 1
                continue
            current = len(raw) - len(raw.lstrip(" "))
            if block_indent is None:
                if current <= indent:
                    break
                block_indent = current
            if current < block_indent:
                break
            lines.append(raw[block_indent:])
            self.pos += 1
        trailing = 0
        while lines and lines[-1] == "":
            lines.pop()
            trailing += 1
        if style == "|":
            body = "\n".join(lines)
        else:
            body = ""
            for i, text in enumerate(lines):
                if (
                    i
                    and text
                    and lines[i - 1]
                    and not text.startswith(" ")
                    and not lines[i - 1].startswith(" ")
                ):
                    body += " "
                elif i:
                    body += "\n"
                body += text
        if not lines:
            return ""
        if chomp == "-":
            return body
        if chomp == "+":
            return body + "\n" * (trailing + 1)
        return body + "\n"

    @staticmethod
    def _flow_complete(text: str) -> bool:
        depth = 0
        quote = ""
        i = 0
        while i < len(text):
            ch = text[i]
            if quote:
                if ch == "\\" and quote == '"':
                    i += 1
                elif ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch in "[{":
                depth += 1
            elif ch in "]}":
                depth -= 1
                if depth == 0:
                    return True
            i += 1
        return False

    def _flow(self, text: str, i: int, number: int) -> tuple[Any, int]:
        """One flow value starting at ``text[i]``; returns it and the index after it."""
        while i < len(text) and text[i] == " ":
            i += 1
        if i >= len(text):
            raise YamlError("a value is missing in a flow collection", number)
        ch = text[i]
        if ch in "&*!":
            self._refuse(ch, number)
        if ch == "[":
            items: list[Any] = []
            i += 1
            while True:
                while i < len(text) and text[i] == " ":
                    i += 1
                if i < len(text) and text[i] == "]":
                    return items, i + 1
                value, i = self._flow(text, i, number)
                items.append(value)
                i = self._flow_separator(text, i, "]", number)
                if text[i - 1] == "]":
                    return items, i
        if ch == "{":
            mapping: dict[str, Any] = {}
            i += 1
            while True:
                while i < len(text) and text[i] == " ":
                    i += 1
                if i < len(text) and text[i] == "}":
                    return mapping, i + 1
                key, i = self._flow(text, i, number)
                while i < len(text) and text[i] == " ":
                    i += 1
                if i < len(text) and text[i] == ":":
                    value, i = self._flow(text, i + 1, number)
                else:
                    value = None
                key = key if isinstance(key, str) else _plain_text(key)
                if key in mapping:
                    raise YamlError(f"duplicate key {key!r}", number)
                mapping[key] = value
                i = self._flow_separator(text, i, "}", number)
                if text[i - 1] == "}":
                    return mapping, i
        if ch in "'\"":
            end = self._quoted_end(text[i:], number)
            if end is None:
                raise YamlError("unclosed quoted string", number)
            return self._quoted_value(text[i : i + end], number), i + end
        match = re.compile(r"(?:[^,\[\]{}:]|:(?=[^\s,\[\]{}]))+").match(text, i)
        token = match.group(0).strip() if match else ""
        return resolve_plain(token), (match.end() if match else i)

    @staticmethod
    def _flow_separator(text: str, i: int, close: str, number: int) -> int:
        while i < len(text) and text[i] == " ":
            i += 1
        if i < len(text) and text[i] == ",":
            return i + 1
        if i < len(text) and text[i] == close:
            return i + 1
        raise YamlError(f"expected ',' or '{close}' in a flow collection", number)

    @staticmethod
    def _quoted_end(text: str, number: int) -> int | None:
        """The index after the closing quote of the string ``text`` starts with."""
        quote = text[0]
        i = 1
        while i < len(text):
            ch = text[i]
            if quote == '"' and ch == "\\":
                i += 2
                continue
            if ch == quote:
                if quote == "'" and text[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                return i + 1
            i += 1
        return None

    @staticmethod
    def _quoted_value(text: str, number: int) -> str:
        quote, body = text[0], text[1:-1]
        if quote == "'":
            return _fold(body.split("\n")).replace("''", "'")
        out: list[str] = []
        lines = body.split("\n")
        joined = lines[0]
        for line in lines[1:]:
            if joined.endswith("\\") and not joined.endswith("\\\\"):
                joined = joined[:-1] + line
            elif line == "":
                joined += "\n"
            else:
                joined += ("" if joined.endswith("\n") else " ") + line
        i = 0
        while i < len(joined):
            ch = joined[i]
            if ch != "\\":
                out.append(ch)
                i += 1
                continue
            code = joined[i + 1 : i + 2]
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
                i += 2
            elif code in _HEX_LEN:
                digits = joined[i + 2 : i + 2 + _HEX_LEN[code]]
                if len(digits) != _HEX_LEN[code] or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                    raise YamlError(f"bad escape \\{code}{digits}", number)
                out.append(chr(int(digits, 16)))
                i += 2 + _HEX_LEN[code]
            else:
                raise YamlError(f"unknown escape \\{code}", number)
        return "".join(out)


def _fold(parts: list[str]) -> str:
    """Lines of a multi-line flow scalar, folded: one newline becomes a space, an empty line a newline."""
    out = ""
    for i, part in enumerate(parts):
        part = part.strip()
        if i == 0:
            out = part
        elif part == "":
            out += "\n"
        else:
            out += ("" if out.endswith("\n") else " ") + part
    return out


def _plain_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
