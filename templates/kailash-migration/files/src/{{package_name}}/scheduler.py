"""The one-host deployment: the jobs of jobs.yaml run by the Kailash SDK's WorkflowScheduler.

``python -m {{package_name}}.scheduler`` is the long-running service
(deploy/one-host/{{project_name}}-scheduler.service runs it under systemd). It
reads the job inventory, ``jobs.yaml`` at the project root (``JOBS_FILE``), and
schedules every job whose state means it runs:

* ``parallel``: in shadow mode (``JOB_MODE=shadow``: outputs apart, the legacy
  job stays authoritative);
* ``switched`` and ``legacy_off``: for real (``JOB_MODE=live``);
* any other state (``inventoried``, ``ported``, ``decommissioned``): not at all,
  as its Kubernetes CronJob is suspended or kept for the record.

The same inventory drives the CronJobs of deploy/kubernetes/, so a project moves
from one host to a cluster without re-deciding what runs when.

Each job is scheduled with the SDK's ``WorkflowScheduler.schedule_cron`` on the
legacy job's five-field schedule (its day of week written as names: see
:func:`day_of_week_names`), in its time zone (``legacy.time_zone``, else
``SCHEDULER_TIME_ZONE``, default UTC; one scheduler per zone, as the SDK's is
per zone). A fire runs the job's workflow in a fresh process,
``python -m {{package_name}}.workflows.<workflow>``, exactly as a CronJob does,
so each run has its own settings, logs its one ``run finished`` line and is
bounded twice: the workflow's own ``RUN_TIME_LIMIT_SECONDS`` (the job's
``time_limit_seconds``, default 3300) and, 300 s later, the scheduler's
``time_limit`` and the process timeout. A failed run is not retried (as the
CronJobs' ``backoffLimit: 0``): its HTTP steps already retried, and a failed
batch waits for a person. APScheduler runs one instance of a job at a time, so a
slow run makes the next fire wait, never overlap (the CronJobs' ``Forbid``).
The SDK's scheduler also offers pause and resume per schedule
(``WorkflowScheduler.pause(schedule_id)``, its ``admin_api``).

Importing this module does no IO.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kailash.nodes.base import Node, NodeParameter, register_node
from kailash.sdk_exceptions import NodeExecutionError
from kailash.workflow.builder import WorkflowBuilder

from .observability import configure_logging
from .settings import Settings, load_dotenv

logger = logging.getLogger(__name__)

# State in jobs.yaml -> JOB_MODE of its runs; jobs in other states are not scheduled.
RUNNING_STATES = {"parallel": "shadow", "switched": "live", "legacy_off": "live"}
DEFAULT_TIME_LIMIT = 3300
# Between the workflow's own time limit and the hard stop, as the CronJobs'
# activeDeadlineSeconds (time limit + 300): the runtime stops a run between steps first.
GRACE_SECONDS = 300
JOB_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
MODULE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
CRON_FIELD = re.compile(r"^[A-Za-z0-9*/,-]+$")
# Cron's day-of-week numbers: 0 and 7 are Sunday.
DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def day_of_week_names(field: str) -> str:
    """A cron day-of-week field as day names: ``1-5`` -> ``mon,tue,wed,thu,fri``.

    The SDK's scheduler reads a crontab through APScheduler 3, whose day-of-week
    numbers start at Monday (0 = Monday), not at Sunday as in cron: given as
    they are, a legacy ``1-5`` (Monday to Friday) would run Tuesday to Saturday.
    Names mean the same to both, so every numeric field is rewritten as names.
    """
    if field == "*":
        return field
    days: set[int] = set()
    for part in field.lower().split(","):
        spec, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if spec == "*":
            first, last = 0, 6
        else:
            low, _, high = spec.partition("-")
            first = day_number(low)
            last = day_number(high) if high else (6 if step_text else first)
            if last < first:
                raise ValueError(f"day-of-week range {spec!r} runs backwards")
        if step < 1:
            raise ValueError(f"day-of-week step must be at least 1, got {step}")
        days.update(day % 7 for day in range(first, last + 1, step))
    return ",".join(DAY_NAMES[day] for day in sorted(days))


def day_number(text: str) -> int:
    """A cron day of week (0-7 or a name) as 0-7."""
    if text.isdigit() and int(text) <= 7:
        return int(text)
    if text[:3] in DAY_NAMES and len(text) == 3:
        return DAY_NAMES.index(text[:3])
    raise ValueError(f"{text!r} is not a day of the week")


@dataclass(frozen=True)
class ScheduledJob:
    """One job of jobs.yaml that runs on this host."""

    id: str
    workflow: str
    schedule: str
    time_zone: str
    mode: str
    time_limit: int


def read_jobs(text: str, default_zone: str = "UTC") -> list[ScheduledJob]:
    """The jobs of a jobs.yaml text that run, in file order.

    Raises ValueError naming the job and the field for an entry that cannot be
    scheduled safely (a bad id, module name, schedule, zone or time limit): a
    typo must stop the service at start, not skip a job silently.
    """
    import yaml  # a dependency of the Kailash SDK

    document = yaml.safe_load(text) or {}
    if not isinstance(document, Mapping) or not isinstance(document.get("jobs", []), list):
        raise ValueError("jobs.yaml: expected a mapping with a list under 'jobs'")
    jobs: list[ScheduledJob] = []
    for index, entry in enumerate(document.get("jobs") or []):
        if not isinstance(entry, Mapping):
            raise ValueError(f"jobs.yaml: jobs[{index}] is not a mapping")
        job_id = str(entry.get("id", ""))
        where = f"jobs.yaml: job {job_id or index!r}"
        if not JOB_ID.match(job_id):
            raise ValueError(f"{where}: id must match {JOB_ID.pattern}")
        mode = RUNNING_STATES.get(str(entry.get("state", "")))
        if mode is None:
            continue
        legacy = entry.get("legacy") or {}
        schedule = legacy.get("schedule") if isinstance(legacy, Mapping) else None
        if not schedule:
            logger.warning("%s: no schedule (a manual job); not scheduled", where)
            continue
        fields = str(schedule).split()
        if len(fields) != 5 or not all(CRON_FIELD.match(field) for field in fields):
            raise ValueError(f"{where}: legacy.schedule must be five cron fields, got {schedule!r}")
        try:
            fields[4] = day_of_week_names(fields[4])
        except ValueError as exc:
            raise ValueError(f"{where}: legacy.schedule: {exc}") from None
        zone = (legacy.get("time_zone") if isinstance(legacy, Mapping) else None) or default_zone
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{where}: legacy.time_zone {zone!r} is not an IANA zone") from None
        workflow = str(entry.get("workflow") or "")
        if not MODULE.match(workflow):
            raise ValueError(f"{where}: workflow must be a module name, got {workflow!r}")
        limit = entry.get("time_limit_seconds", DEFAULT_TIME_LIMIT)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
            raise ValueError(f"{where}: time_limit_seconds must be a positive whole number")
        jobs.append(ScheduledJob(job_id, workflow, " ".join(fields), str(zone), mode, limit))
    return jobs


def job_command(job: ScheduledJob) -> list[str]:
    """The command one run of ``job`` executes: its workflow's main(), in a fresh interpreter."""
    return [sys.executable, "-m", f"{__package__}.workflows.{job.workflow}"]


def job_environment(job: ScheduledJob, base: Mapping[str, str]) -> dict[str, str]:
    """The environment of one run: this service's, plus the job's id, mode and time limit."""
    return {
        **base,
        "JOB_ID": job.id,
        "JOB_MODE": job.mode,
        "RUN_TIME_LIMIT_SECONDS": str(job.time_limit),
    }


def run_process(command: list[str], env: dict[str, str], timeout: float) -> int:
    """Run one job's process to its end (or its timeout); returns its exit code."""
    try:
        return subprocess.run(command, env=env, timeout=timeout, check=False).returncode
    except subprocess.TimeoutExpired:
        return -1


# How JobProcessNode starts a run; a test replaces it to observe the fires.
launcher: Callable[[list[str], dict[str, str], float], int] = run_process


@register_node()
class JobProcessNode(Node):
    """Runs one job of jobs.yaml as a process; fails when the run does not exit 0."""

    def get_parameters(self) -> dict[str, NodeParameter]:
        def param(name: str, type_: Any, description: str) -> NodeParameter:
            return NodeParameter(name=name, type=type_, required=True, description=description)

        return {
            "job_id": param("job_id", str, "Job id in jobs.yaml"),
            "workflow": param("workflow", str, "Workflow module name"),
            "mode": param("mode", str, "JOB_MODE: shadow or live"),
            "time_limit": param("time_limit", int, "The workflow's own time limit, seconds"),
        }

    def run(self, **kwargs: Any) -> dict[str, Any]:
        job = ScheduledJob(
            kwargs["job_id"], kwargs["workflow"], "", "", kwargs["mode"], int(kwargs["time_limit"])
        )
        code = launcher(
            job_command(job), job_environment(job, os.environ), job.time_limit + GRACE_SECONDS
        )
        if code != 0:
            raise NodeExecutionError(f"job {job.id}: its run ended with exit code {code}")
        return {"returncode": code}


def job_workflow(job: ScheduledJob) -> WorkflowBuilder:
    """The one-step workflow the scheduler fires for ``job``."""
    wf = WorkflowBuilder()
    wf.add_node(
        "JobProcessNode",
        "run_job",
        {
            "job_id": job.id,
            "workflow": job.workflow,
            "mode": job.mode,
            "time_limit": job.time_limit,
        },
    )
    return wf


def build_schedulers(
    jobs: Iterable[ScheduledJob], factory: Callable[..., Any] | None = None
) -> dict[str, Any]:
    """One SDK WorkflowScheduler per time zone, every job scheduled on it; by zone.

    In-memory job stores: jobs.yaml is the source of truth, read at each start.
    """
    if factory is None:
        from kailash.runtime.scheduler import WorkflowScheduler

        factory = WorkflowScheduler
    schedulers: dict[str, Any] = {}
    for job in jobs:
        if job.time_zone not in schedulers:
            schedulers[job.time_zone] = factory(job_store_path=None, timezone=job.time_zone)
        schedulers[job.time_zone].schedule_cron(
            job_workflow(job),
            job.schedule,
            name=job.id,
            time_limit=float(job.time_limit + GRACE_SECONDS),
        )
    return schedulers


async def serve(jobs: list[ScheduledJob]) -> None:
    """Run the jobs' schedulers until SIGTERM or SIGINT; a running job is waited for.

    The schedulers are made here, in the running event loop, which the SDK's
    (APScheduler's AsyncIOScheduler) takes at construction.
    """
    schedulers = build_schedulers(jobs)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    for scheduler in schedulers.values():
        scheduler.start()
    await stop.wait()
    for scheduler in schedulers.values():
        scheduler.shutdown(wait=True)


def main() -> int:
    """Schedule the jobs of jobs.yaml and run until stopped; 1 when the inventory is unusable."""
    load_dotenv()
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        logging.basicConfig(level="INFO")
        logger.error("invalid settings: %s", exc)
        return 1
    configure_logging(settings.log_level, settings.sdk_log_level)
    path = Path(os.environ.get("JOBS_FILE") or "jobs.yaml")
    try:
        jobs = read_jobs(
            path.read_text(encoding="utf-8"), os.environ.get("SCHEDULER_TIME_ZONE") or "UTC"
        )
    except (OSError, ValueError) as exc:
        logger.error("cannot schedule the jobs of %s: %s", path, exc)
        return 1
    for job in jobs:
        logger.info("job %s: %s (%s), %s mode", job.id, job.schedule, job.time_zone, job.mode)
    if not jobs:
        logger.warning("%s: no job is parallel, switched or legacy_off; nothing to run", path)
    asyncio.run(serve(jobs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
