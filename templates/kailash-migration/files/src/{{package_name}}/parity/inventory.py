"""The job's entry in jobs.yaml: where its outputs are and its parity rules.

jobs.yaml is written by ``create-migration`` (and by people): see docs/parity.md for the
parts this module reads. It is read with :mod:`.yamlite`, so no YAML library is needed; a
``.json`` file with the same structure is read as JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .inputs import Source
from .rules import BadInput
from .yamlite import YamlError, load

JOB_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
OUTPUT_KEYS = ("path", "format", "encoding", "delimiter", "quotechar", "query")


def check_job_id(job: str) -> str:
    if not isinstance(job, str) or not JOB_ID.match(job):
        raise BadInput(
            f"job {job!r}: expected a job id such as billing-extract (a-z, 0-9 and -, up to 63 characters)"
        )
    return job


def load_inventory(path: str | Path) -> Any:
    """The parsed inventory file; BadInput names the file (and line) when it cannot be read."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"{file}: no such file (--inventory)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{file}: cannot be read ({exc})") from None
    try:
        data = json.loads(text) if file.suffix.lower() == ".json" else load(text)
    except (YamlError, json.JSONDecodeError) as exc:
        raise BadInput(f"{file}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("jobs", []), list):
        raise BadInput(f"{file}: expected a mapping with a 'jobs' list")
    return data


def job_entry(inventory: Any, job: str, path: str | Path) -> dict[str, Any]:
    """The entry of ``job``; BadInput lists the known ids when it is not there."""
    jobs = inventory.get("jobs") or []
    for index, entry in enumerate(jobs):
        if not isinstance(entry, dict):
            raise BadInput(f"{path}: jobs[{index}]: expected a mapping")
        if entry.get("id") == job:
            return entry
    known = ", ".join(str(e.get("id")) for e in jobs if isinstance(e, dict)) or "none"
    raise BadInput(f"{path}: no job {job!r} in jobs (known: {known})")


def output_source(entry: dict[str, Any], side: str, where: str) -> Source:
    """The job's ``outputs.<side>`` as a Source (empty when it is not configured)."""
    outputs = entry.get("outputs") or {}
    if not isinstance(outputs, dict):
        raise BadInput(f"{where}.outputs: expected a mapping with legacy and new")
    spec = outputs.get(side) or {}
    if not isinstance(spec, dict):
        raise BadInput(
            f"{where}.outputs.{side}: expected a mapping such as " + "{path: out.csv, format: csv}"
        )
    unknown = sorted(set(spec) - set(OUTPUT_KEYS))
    if unknown:
        raise BadInput(
            f"{where}.outputs.{side}.{unknown[0]}: unknown setting (known: {', '.join(OUTPUT_KEYS)})"
        )
    for name in OUTPUT_KEYS:
        if spec.get(name) is not None and not isinstance(spec[name], str):
            raise BadInput(f"{where}.outputs.{side}.{name}: expected a string, got {spec[name]!r}")
    source = Source(side=side)
    for name in OUTPUT_KEYS:
        if spec.get(name) is not None:
            setattr(source, name, spec[name])
    return source
