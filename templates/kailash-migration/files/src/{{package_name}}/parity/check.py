"""One parity check: job, rules and both outputs in; verdict and report files out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import engine, report
from .inputs import Source, check_source
from .inventory import check_job_id, job_entry, load_inventory, output_source
from .rules import BadInput, Rules, apply_flags, rules_from_entry

DEFAULT_INVENTORY = "jobs.yaml"
DEFAULT_REPORTS_DIR = "reports/parity"


@dataclass
class Request:
    """What one check compares, as given on the command line (or by a shadow run)."""

    job: str
    legacy: str | None = None
    new: str | None = None
    day: str | None = None
    key: str | None = None
    tolerances: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    inventory: str | None = None  # None: jobs.yaml in the working directory, if there is one
    reports_dir: str = DEFAULT_REPORTS_DIR
    redact: bool = False
    # Per side overrides: format, encoding, delimiter, quotechar.
    legacy_options: dict[str, str] = field(default_factory=dict)
    new_options: dict[str, str] = field(default_factory=dict)
    workdir: str | None = None  # where the temporary partitions go (default: the system's temp dir)


@dataclass
class Outcome:
    verdict: str
    report: dict[str, Any]
    path: Path


def business_date(day: str | None) -> str:
    if day is None:
        return date.today().isoformat()
    try:
        parsed = date.fromisoformat(day)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.isoformat() != day:
        raise BadInput(f"--date: expected YYYY-MM-DD, got {day!r}")
    return day


def resolve(request: Request) -> tuple[Source, Source, Rules, str]:
    """The two sources and the rules of a request: jobs.yaml first, then the flags."""
    job = check_job_id(request.job)
    inventory_path = request.inventory
    if inventory_path is None and Path(DEFAULT_INVENTORY).is_file():
        inventory_path = DEFAULT_INVENTORY
    legacy, new, rules = Source(side="legacy"), Source(side="new"), Rules()
    if inventory_path is not None:
        entry = job_entry(load_inventory(inventory_path), job, inventory_path)
        where = f"{inventory_path}: jobs[{job}]"
        legacy = output_source(entry, "legacy", where)
        new = output_source(entry, "new", where)
        try:
            rules = rules_from_entry(entry.get("parity"), "parity")
        except BadInput as exc:
            raise BadInput(f"{where}.{exc}") from None
    for source, path, options in (
        (legacy, request.legacy, request.legacy_options),
        (new, request.new, request.new_options),
    ):
        if path is not None:
            source.path = path
            if source.format == "table":
                source.format = None  # a path given on the command line is a file
        for name, value in options.items():
            if value is not None:
                setattr(source, name, value)
    rules = apply_flags(rules, request.key, request.tolerances, request.ignore)
    return check_source(legacy), check_source(new), rules, job


def run(request: Request) -> Outcome:
    """Runs the check and writes its reports; raises BadInput (nothing written) on bad input."""
    day = business_date(request.day)
    legacy, new, rules, job = resolve(request)
    found = engine.compare(legacy, new, rules, request.workdir)
    built = report.build(job, day, found, rules.describe(), redact=request.redact)
    path = report.write(built, request.reports_dir)
    return Outcome(built["verdict"], built, path)
