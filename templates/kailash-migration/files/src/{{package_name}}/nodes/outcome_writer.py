"""OutcomeWriterNode: writes a batch to one of two files, chosen by a flag in the batch.

The last step of the ETL and API workflows: a batch that passed goes to the
load file (or the delivery log), one that did not to the quarantine (or the
dead-letter file), and exactly one of the two is written. It replaces a
SwitchNode and two writer nodes, which Kailash 2.63 cannot run safely (see
runner.py for the two runtime behaviours behind this).

Files are written atomically (a temp file beside the target, then a rename),
so a crash never leaves half a load file for the next job to pick up, and with
the permissions the process's umask gives a new file (0644 under the usual
022), not the temp file's 0600, so the job that picks the file up can read it.

A run leaves exactly one current outcome. Before the chosen file is written,
the other one, left by an earlier run, is renamed to ``<name>.previous``
(:func:`retire`); a load file is never left beside a newer quarantine file for
a downstream job to reload. A run that fails before this step retires both
(runner.py, through :func:`outcome_paths`), so after a failed run neither file
is there and the failure is the outcome. ``.previous`` keeps the last retired
file for a person to look at; nothing reads it. ``.csv``
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
from pathlib import Path
from typing import Any

from kailash.nodes.base import Node, NodeParameter, register_node

from ..files import atomic_write

PREVIOUS_SUFFIX = ".previous"


def retire(path: str) -> bool:
    """Move an earlier run's outcome file aside to ``<path>.previous``; whether there was one."""
    target = Path(path)
    if not target.is_file():
        return False
    os.replace(target, target.with_name(target.name + PREVIOUS_SUFFIX))
    return True


def outcome_paths(workflow: Any) -> list[str]:
    """Both files of every OutcomeWriterNode of a built workflow (runner.py retires them)."""
    paths: list[str] = []
    for node in workflow.nodes.values():
        config = getattr(node, "config", None) or {}
        if node.node_type == "OutcomeWriterNode":
            paths += [str(config[key]) for key in ("true_path", "false_path") if config.get(key)]
    return paths


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
        retire(kwargs["false_path"] if passed else kwargs["true_path"])
        if path.endswith(".csv"):
            if not isinstance(content, list):
                raise ValueError(
                    f"{path}: CSV needs a list of records, got {type(content).__name__}"
                )
            atomic_write(path, csv_text(content))
            written = len(content)
        else:
            atomic_write(path, json.dumps(content, indent=2, default=str) + "\n")
            written = len(content) if isinstance(content, list) else 1
        outcome = kwargs["true_outcome"] if passed else kwargs["false_outcome"]
        return {"outcome": outcome, "file_path": path, "written": written}
