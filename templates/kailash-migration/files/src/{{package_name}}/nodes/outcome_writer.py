"""OutcomeWriterNode: writes a batch to one of two files, chosen by a flag in the batch.

The last step of the ETL and API workflows: a batch that passed goes to the
load file (or the delivery log), one that did not to the quarantine (or the
dead-letter file), and exactly one of the two is written. It replaces a
SwitchNode and two writer nodes, which Kailash 2.63 cannot run safely (see
runner.py for the two runtime behaviours behind this).

Files are written atomically (a temp file beside the target, then a rename),
so a crash never leaves half a load file for the next job to pick up. ``.csv``
targets get the records as CSV rows (header from the first record's fields,
plus any later ones); anything else gets JSON. Custom nodes receive their
inputs unchanged (PythonCodeNode would sanitise strings), so what is written
is what the previous step produced.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from kailash.nodes.base import Node, NodeParameter, register_node


def atomic_write(path: str, text: str) -> None:
    """Write ``text`` to ``path`` via a temp file and a rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_text(records: list[dict[str, Any]]) -> str:
    """Records as CSV, every field of every record a column (first seen, first)."""
    columns: list[str] = []
    for record in records:
        columns += [key for key in record if key not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


@register_node()
class OutcomeWriterNode(Node):
    """Writes ``data`` to ``true_path`` when ``data[flag]`` is true, else to ``false_path``."""

    def get_parameters(self) -> dict[str, NodeParameter]:
        def text(name: str, description: str, required: bool = True) -> NodeParameter:
            return NodeParameter(
                name=name, type=str, required=required, default=None, description=description
            )

        return {
            "data": NodeParameter(
                name="data", type=dict, required=True, description="The batch or receipt"
            ),
            "flag": text("flag", "Field of data that selects the target"),
            "true_path": text("true_path", "Written when the flag is true"),
            "false_path": text("false_path", "Written when the flag is false"),
            "true_field": text("true_field", "Write only this field of data when true", False),
            "true_outcome": text("true_outcome", "Outcome name when true"),
            "false_outcome": text("false_outcome", "Outcome name when false"),
        }

    def run(self, **kwargs: Any) -> dict[str, Any]:
        data = kwargs["data"]
        passed = bool(data.get(kwargs["flag"]))
        path = kwargs["true_path"] if passed else kwargs["false_path"]
        field = kwargs.get("true_field") if passed else None
        content = data[field] if field else data
        if path.endswith(".csv"):
            if not isinstance(content, list):
                raise ValueError(f"{path}: CSV needs a list of records, got {type(content).__name__}")
            atomic_write(path, csv_text(content))
            written = len(content)
        else:
            atomic_write(path, json.dumps(content, indent=2, default=str) + "\n")
            written = len(content) if isinstance(content, list) else 1
        outcome = kwargs["true_outcome"] if passed else kwargs["false_outcome"]
        return {"outcome": outcome, "file_path": path, "written": written}
