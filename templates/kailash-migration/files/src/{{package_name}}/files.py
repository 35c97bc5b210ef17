"""Atomic file writes with the permissions a new file should have (standard library only).

Used by the outcome writer (nodes/outcome_writer.py) and the parity reports (parity/report.py):
a temp file beside the target, then a rename, so a crash never leaves half a file for the next
job to pick up; the file gets the mode the process's umask gives a new file (0644 under the
usual 022), not the temp file's 0600, so the job or person that reads it next can. Importing
this module does no IO.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def file_mode() -> int:
    """The mode a new file gets under the process's umask (0o644 under 022)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temp file and a rename, with the umask's permissions."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
