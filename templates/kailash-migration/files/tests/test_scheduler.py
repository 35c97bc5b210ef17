"""The one-host deployment (src/{{package_name}}/scheduler.py) schedules the jobs of jobs.yaml.

The jobs are scheduled on the Kailash SDK's own WorkflowScheduler; a simulated
clock is then moved through a week along each schedule's trigger (no sleeping),
and one fire is run through the scheduler's own fire path with the process
launcher replaced, to see the command and environment a run gets.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from {{package_name}} import scheduler

JOBS_YAML = """\
version: 1
jobs:
  - id: billing-extract
    state: parallel
    legacy: {kind: cron, schedule: "0 2 * * 1-5", time_zone: Europe/Berlin}
    workflow: billing_extract
    time_limit_seconds: 1200
  - id: partner-feed
    state: switched
    legacy: {kind: cron, schedule: "*/30 * * * *", time_zone: null}
    workflow: partner_feed
  - id: old-report
    state: legacy_off
    legacy: {kind: systemd_timer, schedule: "15 6 1 * *", time_zone: UTC}
    workflow: old_report
  - id: not-yet
    state: ported
    legacy: {kind: cron, schedule: "0 1 * * *"}
    workflow: not_yet
  - id: gone
    state: decommissioned
    legacy: {kind: cron, schedule: "0 3 * * *"}
    workflow: gone
  - id: by-hand
    state: switched
    legacy: {kind: manual, schedule: null}
    workflow: by_hand
"""


def schedule(text: str = JOBS_YAML) -> dict:
    """The SDK schedulers for ``text``, made in an event loop as the service makes them."""

    async def build() -> dict:
        return scheduler.build_schedulers(scheduler.read_jobs(text))

    return asyncio.run(build())


def scheduled_jobs(schedulers: dict) -> dict:
    # The APScheduler jobs behind the SDK's schedules, by schedule name (the job id).
    names = {
        info.schedule_id: info.workflow_name
        for s in schedulers.values()
        for info in s.list_schedules()
    }
    return {names[job.id]: (s, job) for s in schedulers.values() for job in s._scheduler.get_jobs()}


def test_only_running_states_are_scheduled_each_in_its_mode():
    jobs = {job.id: job for job in scheduler.read_jobs(JOBS_YAML)}
    assert set(jobs) == {"billing-extract", "partner-feed", "old-report"}
    assert jobs["billing-extract"].mode == "shadow"
    assert jobs["partner-feed"].mode == jobs["old-report"].mode == "live"
    assert jobs["billing-extract"].time_limit == 1200
    assert jobs["partner-feed"].time_limit == scheduler.DEFAULT_TIME_LIMIT
    assert jobs["partner-feed"].time_zone == "UTC"


def test_a_week_of_simulated_time_fires_each_job_on_its_legacy_schedule():
    fired: dict[str, list[datetime]] = {}
    start = datetime(2027, 1, 4, tzinfo=ZoneInfo("UTC"))  # a Monday
    for name, (_, job) in scheduled_jobs(schedule()).items():
        now, previous = start, None
        while True:
            when = job.trigger.get_next_fire_time(previous, now)
            if when is None or when >= start + timedelta(days=7):
                break
            fired.setdefault(name, []).append(when)
            previous, now = when, when + timedelta(microseconds=1)
    berlin = [t.astimezone(ZoneInfo("Europe/Berlin")) for t in fired["billing-extract"]]
    assert [(t.weekday(), t.hour, t.minute) for t in berlin] == [(d, 2, 0) for d in range(5)]
    assert len(fired["partner-feed"]) == 7 * 48
    assert "old-report" not in fired  # the 1st of the month is not in this week


def test_each_fire_is_bounded_by_the_jobs_time_limit_and_the_grace():
    limits = {name: job.kwargs for name, (_, job) in scheduled_jobs(schedule()).items()}
    assert "1500" in repr(limits["billing-extract"])  # 1200 + 300 s


def test_a_fire_runs_the_jobs_workflow_in_shadow_mode_through_the_sdk(monkeypatch):
    runs = []
    monkeypatch.setattr(
        scheduler, "launcher", lambda cmd, env, timeout: runs.append((cmd, env, timeout)) or 0
    )
    owner, job = scheduled_jobs(schedule())["billing-extract"]
    asyncio.run(owner._execute_workflow(*job.args, **job.kwargs))
    ((command, env, timeout),) = runs
    assert command[1:] == ["-m", "{{package_name}}.workflows.billing_extract"]
    assert (env["JOB_ID"], env["JOB_MODE"], env["RUN_TIME_LIMIT_SECONDS"]) == (
        "billing-extract",
        "shadow",
        "1200",
    )
    assert timeout == 1200 + scheduler.GRACE_SECONDS


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ('{id: x, state: switched, legacy: {schedule: "0 25"}, workflow: w}', "legacy.schedule"),
        (
            '{id: x, state: switched, legacy: {schedule: "0 2 * * *", time_zone: Mars/Base}, workflow: w}',
            "time_zone",
        ),
        (
            '{id: x, state: switched, legacy: {schedule: "0 2 * * *"}, workflow: "../evil"}',
            "workflow",
        ),
        ('{id: "X Y", state: switched, legacy: {schedule: "0 2 * * *"}, workflow: w}', "id"),
    ],
)
def test_an_entry_that_cannot_be_scheduled_stops_the_service_naming_it(entry, field):
    with pytest.raises(ValueError, match=field):
        scheduler.read_jobs(f"jobs:\n  - {entry}\n")
