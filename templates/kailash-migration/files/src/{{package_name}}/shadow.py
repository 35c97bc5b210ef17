"""Shadow runs: the new job runs beside the legacy one, writes apart, and proves parity.

While a job is in the ``parallel`` state its CronJob runs the workflow with
``JOB_MODE=shadow`` and ``JOB_ID=<job id>``. Then:

* every output goes under ``SHADOW_OUTPUT_DIR`` (default ``data/shadow/<JOB_ID>/``),
  reports under its ``reports/``: the legacy output stays the authoritative one;
* nothing is delivered to the live target: the API target becomes
  ``SHADOW_TARGET_API_BASE_URL`` and the SFTP target ``SHADOW_SFTP_TARGET_HOST`` (a staging
  endpoint), else a host that cannot resolve, so such a delivery fails and is dead-lettered
  in the shadow folder instead of reaching the partner twice;
* after a run that produced its output, when the legacy output is configured
  (``PARITY_LEGACY_OUTPUT``, or the job's ``outputs.legacy`` in jobs.yaml), the parity
  check compares the two and its verdict is added to the ``run finished`` line:
  ``"parity": "green" | "red" | "error"``, with ``parity_report`` (the report file) or
  ``parity_error`` (why there is no verdict). The run's exit code is the run's, not
  the verdict's.

``JOB_MODE=live`` (or unset, as on a laptop) changes nothing. The new output compared is
``PARITY_NEW_OUTPUT``, else the job's ``outputs.new.path`` moved below the shadow folder,
else the ``output`` the run reported. Reports go to ``PARITY_REPORTS_DIR`` (default
``reports/parity``: mount it on a volume in a cluster), dated ``PARITY_DATE`` (default
today). Importing this module does no IO.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

MODES = ("live", "shadow")
# Where a shadow run delivers: never the live target. Each delivery setting takes its SHADOW_
# variable (a staging gateway, a test SFTP server), else a host that cannot resolve (RFC 2606
# reserves .invalid), so a batch the legacy job delivers is never sent twice.
NO_TARGET = "shadow-mode-has-no-target.invalid"
SHADOW_TARGETS = {
    "target_api_base_url": ("SHADOW_TARGET_API_BASE_URL", f"https://{NO_TARGET}"),
    "sftp_target_host": ("SHADOW_SFTP_TARGET_HOST", NO_TARGET),
}
JOB_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
LIVE_OUTPUT_DIR = "data/output"
MAX_ERROR_CHARS = 500

SettingsT = TypeVar("SettingsT")


def mode(env: Mapping[str, str] | None = None) -> str:
    """``live`` or ``shadow``, from JOB_MODE; ValueError for anything else."""
    env = os.environ if env is None else env
    value = env.get("JOB_MODE", "").strip().lower() or "live"
    if value not in MODES:
        raise ValueError(f"JOB_MODE: expected live or shadow, got {env.get('JOB_MODE')!r}")
    return value


def job_id(env: Mapping[str, str]) -> str:
    value = env.get("JOB_ID", "").strip()
    if not JOB_ID.match(value):
        raise ValueError(
            f"JOB_ID: JOB_MODE=shadow needs the job's id from jobs.yaml (such as billing-extract), got {value!r}"
        )
    return value


def shadow_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    configured = env.get("SHADOW_OUTPUT_DIR", "").strip()
    return Path(configured) if configured else Path("data/shadow") / job_id(env)


def apply(settings: SettingsT, env: Mapping[str, str] | None = None) -> SettingsT:
    """The settings a run uses: in shadow mode every output moved below the shadow folder,
    and every delivery target replaced by its shadow one (see SHADOW_TARGETS)."""
    env = os.environ if env is None else env
    if mode(env) == "live":
        return settings
    job_id(env)
    folder = shadow_dir(env)
    targets = {
        field: env.get(variable, "").strip() or fallback
        for field, (variable, fallback) in SHADOW_TARGETS.items()
        if hasattr(settings, field)
    }
    return replace(settings, output_dir=str(folder), report_dir=str(folder / "reports"), **targets)


def _new_output(
    inventory_new: str | None, fields: Mapping[str, Any], env: Mapping[str, str]
) -> str | None:
    explicit = env.get("PARITY_NEW_OUTPUT", "").strip()
    if explicit:
        return explicit
    if inventory_new:
        path = Path(inventory_new)
        live = Path(env.get("OUTPUT_DIR", "").strip() or LIVE_OUTPUT_DIR)
        if not path.is_absolute():
            try:
                return str(shadow_dir(env) / path.relative_to(live))
            except ValueError:
                pass
        return inventory_new
    output = fields.get("output")
    return str(output) if output else None


def after_run(
    fields: dict[str, Any], succeeded: bool, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """``fields`` of the run summary, with the parity verdict of a shadow run added."""
    env = os.environ if env is None else env
    if mode(env) != "shadow":
        return fields
    from .parity.check import DEFAULT_INVENTORY, Request, run  # noqa: PLC0415  only shadow runs need it
    from .parity.inventory import job_entry, load_inventory
    from .parity.rules import BadInput

    job = job_id(env)
    legacy = env.get("PARITY_LEGACY_OUTPUT", "").strip() or None
    inventory = env.get("PARITY_INVENTORY", "").strip() or None
    if inventory is None and Path(DEFAULT_INVENTORY).is_file():
        inventory = DEFAULT_INVENTORY
    try:
        entry = job_entry(load_inventory(inventory), job, inventory) if inventory else {}
        outputs = entry.get("outputs") or {}
        legacy_configured = (
            isinstance(outputs, dict)
            and isinstance(outputs.get("legacy"), dict)
            and bool(outputs["legacy"].get("path") or outputs["legacy"].get("query"))
        )
        if legacy is None and not legacy_configured:
            return fields  # nothing to compare with: the run is a plain shadow run
        if not succeeded:
            return {
                **fields,
                "parity": "error",
                "parity_error": "the run did not produce its output",
            }
        new_spec = outputs.get("new") if isinstance(outputs, dict) else None
        new_spec = new_spec if isinstance(new_spec, dict) else {}
        if new_spec.get("format") == "table" and not env.get("PARITY_NEW_OUTPUT", "").strip():
            new = None  # the job's own query reads the new table
        else:
            new = _new_output(new_spec.get("path"), fields, env)
            if new is None:
                raise BadInput(
                    "no new output to compare (set PARITY_NEW_OUTPUT or outputs.new.path in jobs.yaml)"
                )
        outcome = run(
            Request(
                job=job,
                legacy=legacy,
                new=new,
                day=env.get("PARITY_DATE", "").strip() or None,
                inventory=inventory,
                reports_dir=env.get("PARITY_REPORTS_DIR", "").strip() or "reports/parity",
            )
        )
    except BadInput as exc:
        return {**fields, "parity": "error", "parity_error": str(exc)[:MAX_ERROR_CHARS]}
    except Exception as exc:  # noqa: BLE001  a failed check must not fail the run it follows
        return {
            **fields,
            "parity": "error",
            "parity_error": f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS],
        }
    return {**fields, "parity": outcome.verdict, "parity_report": str(outcome.path)}
