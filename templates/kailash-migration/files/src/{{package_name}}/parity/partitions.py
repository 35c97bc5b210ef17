"""Records on disk, grouped by the hash of their key, and the matching of two sides.

A record is kept as one ``bytes`` value, its compared cells joined by a separator
(``SEPARATOR``) and encoded as UTF-8: one object to write, read and compare instead of
one per cell. A record that cannot be joined unambiguously (a cell holding the separator,
a null from JSON or SQL) is kept as its tuple of cells instead. Two records are identical
when their stored values are equal; only records that differ are split back into cells.
"""

from __future__ import annotations

import marshal
import zlib
from bisect import bisect_left
from collections import Counter
from itertools import compress
from operator import eq, methodcaller, not_
from pathlib import Path
from typing import Any

SEPARATOR = "\x1f"
_MASK = (1 << 64) - 1


def stored(rows: list, width: int) -> list:
    """The stored form of each record of ``rows`` (see the module's doc)."""
    try:
        texts = list(map(SEPARATOR.join, rows))
    except TypeError:  # a None cell somewhere in the chunk
        return [_one(row) for row in rows]
    if sum(map(methodcaller("count", SEPARATOR), texts)) == len(texts) * (width - 1):
        return list(map(str.encode, texts))
    return [_one(row) for row in rows]


def _one(row) -> bytes | tuple:
    if any(cell is None or SEPARATOR in cell for cell in row):
        return tuple(row)
    return SEPARATOR.join(row).encode()


def cells(value: bytes | tuple) -> tuple:
    return value if isinstance(value, tuple) else tuple(value.decode().split(SEPARATOR))


def checksum(values: list) -> int:
    """Sum of the CRC-32 of every record: the same whatever the order of the records."""
    if all(map(bytes.__instancecheck__, values)):
        return sum(map(zlib.crc32, values)) & _MASK
    return (
        sum(zlib.crc32(v if isinstance(v, bytes) else marshal.dumps(v, 2)) for v in values) & _MASK
    )


class Partitions:
    """``count`` temporary files of one side; a record goes to the file its key hashes to."""

    def __init__(self, directory: str, count: int, side: str) -> None:
        self.count = count
        self.paths = [Path(directory, f"{side}-{i}.part") for i in range(count)]
        self.files = [open(p, "wb") for p in self.paths]  # noqa: SIM115  closed by close()

    @staticmethod
    def _dump(value: Any, file: Any) -> None:
        # Length-prefixed blobs: marshal.load() on a file reads in tiny pieces, loads() does not.
        data = marshal.dumps(value)
        file.write(len(data).to_bytes(8, "little"))
        file.write(data)

    def write(self, first_number: int, keys: list, values: list) -> None:
        """Adds records numbered from ``first_number`` (1-based, in file order)."""
        if self.count == 1:
            self._dump(
                (keys, values, list(range(first_number, first_number + len(keys)))), self.files[0]
            )
            return
        # Group by partition without a Python loop per record: sort the positions by partition.
        parts = list(map(self.count.__rmod__, map(hash, keys)))
        order = sorted(range(len(keys)), key=parts.__getitem__)
        ordered_parts = list(map(parts.__getitem__, order))
        start = 0
        while start < len(order):
            p = ordered_parts[start]
            end = bisect_left(ordered_parts, p + 1, start)
            chosen = order[start:end]
            self._dump(
                (
                    list(map(keys.__getitem__, chosen)),
                    list(map(values.__getitem__, chosen)),
                    list(map(first_number.__add__, chosen)),
                ),
                self.files[p],
            )
            start = end

    def close(self) -> None:
        for f in self.files:
            f.close()

    def load(self, p: int) -> tuple[list, list, list[int]]:
        """Keys, stored records and row numbers of partition ``p``, in file order."""
        keys: list = []
        values: list = []
        numbers: list[int] = []
        with open(self.paths[p], "rb") as f:
            while True:
                size = f.read(8)
                if not size:
                    break
                k, v, n = marshal.loads(f.read(int.from_bytes(size, "little")))
                keys += k
                values += v
                numbers += n
        return keys, values, numbers


def _duplicates(keys: list, numbers: list[int]) -> dict[Any, list[int]]:
    counts = Counter(keys)
    repeated = {k for k, c in counts.items() if c > 1}
    found: dict[Any, list[int]] = {}
    for key, number in zip(keys, numbers, strict=True):
        if key in repeated:
            found.setdefault(key, []).append(number)
    return found


class Match:
    """The result of matching one partition of both sides."""

    def __init__(self) -> None:
        self.matched = 0
        self.identical = 0
        self.missing: list[tuple[int, Any]] = []  # (legacy row, key)
        self.extra: list[tuple[int, Any]] = []  # (new row, key)
        self.duplicates: list[tuple[str, Any, list[int]]] = []  # (side, key, rows)
        # (key, legacy row, new row, legacy cells, new cells) of records whose text differs.
        self.differing: list[tuple[Any, int, int, tuple, tuple]] = []


def match(legacy: tuple[list, list, list[int]], new: tuple[list, list, list[int]]) -> Match:
    """Matches one partition: keys missing, extra and duplicated, and records that differ."""
    lkeys, lvalues, lnumbers = legacy
    nkeys, nvalues, nnumbers = new
    out = Match()
    # First occurrence wins: build from the end so earlier records overwrite later ones.
    index = dict(zip(reversed(lkeys), range(len(lkeys) - 1, -1, -1), strict=True))
    dup_legacy = _duplicates(lkeys, lnumbers) if len(index) != len(lkeys) else {}
    new_set = set(nkeys)
    dup_new = _duplicates(nkeys, nnumbers) if len(new_set) != len(nkeys) else {}
    for side, dups in (("legacy", dup_legacy), ("new", dup_new)):
        out.duplicates += [(side, key, numbers) for key, numbers in dups.items()]
    missing = index.keys() - new_set
    out.missing = sorted((lnumbers[index[k]], k) for k in missing)
    out.matched = len(index) - len(missing)
    positions = list(map(index.get, nkeys))
    if None in positions or dup_legacy or dup_new:
        excluded = dup_legacy.keys() | dup_new.keys()
        seen_extra: set = set()
        keep = []
        for i, (key, position) in enumerate(zip(nkeys, positions, strict=True)):
            if position is None:
                if key not in seen_extra:
                    seen_extra.add(key)
                    out.extra.append((nnumbers[i], key))
                keep.append(False)
            else:
                keep.append(key not in excluded)
        chosen = list(compress(range(len(nkeys)), keep))
        picked_new = list(map(nvalues.__getitem__, chosen))
        picked_positions = list(map(positions.__getitem__, chosen))
    else:
        chosen = range(len(nkeys))
        picked_new, picked_positions = nvalues, positions
    picked_legacy = list(map(lvalues.__getitem__, picked_positions))
    same = list(map(eq, picked_legacy, picked_new))
    out.identical = sum(same)
    for i in compress(range(len(same)), map(not_, same)):
        n = chosen[i]
        position = picked_positions[i]
        out.differing.append(
            (
                nkeys[n],
                lnumbers[position],
                nnumbers[n],
                cells(picked_legacy[i]),
                cells(picked_new[i]),
            )
        )
    return out
