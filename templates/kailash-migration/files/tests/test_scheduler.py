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


def scheduled_jobs(text: str = JOBS_YAML) -> dict:
    """The jobs as the started SDK schedulers hold them: by job id, (scheduler, APScheduler job).

    The schedulers are made and started in an event loop, as the service does, and shut
    down before any fire: time is then moved along each job's own trigger.
    """

    async def start() -> dict:
        schedulers = scheduler.build_schedulers(scheduler.read_jobs(text))
        found = {}
        for owner in schedulers.values():
            owner.start()
            names = {info.schedule_id: info.workflow_name for info in owner.list_schedules()}
            # The APScheduler jobs behind the SDK's schedules (its scheduler attribute).
            found.update({names[job.id]: (owner, job) for job in owner._scheduler.get_jobs()})
        for owner in schedulers.values():
            owner.shutdown(wait=False)
        return found

    return asyncio.run(start())


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
    for name, (_, job) in scheduled_jobs().items():
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
    limits = {name: job.kwargs for name, (_, job) in scheduled_jobs().items()}
    assert "1500" in repr(limits["billing-extract"])  # 1200 + 300 s


def test_a_fire_runs_the_jobs_workflow_in_shadow_mode_through_the_sdk(monkeypatch):
    runs = []
    monkeypatch.setattr(
        scheduler, "launcher", lambda cmd, env, timeout: runs.append((cmd, env, timeout)) or 0
    )
    owner, job = scheduled_jobs()["billing-extract"]
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
    ("cron", "names"),
    [
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0", "sun"),
        ("7", "sun"),
        ("*/2", "sun,tue,thu,sat"),
        ("1,3-4", "mon,wed,thu"),
        ("MON-FRI", "mon,tue,wed,thu,fri"),
        ("*", "*"),
    ],
)
def test_cron_day_numbers_keep_their_meaning_in_the_sdk_scheduler(cron, names):
    # APScheduler 3 counts days of week from Monday; cron from Sunday.
    assert scheduler.day_of_week_names(cron) == names


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
        ('{id: x, state: switched, legacy: {schedule: "0 2 * * 5-1"}, workflow: w}', "backwards"),
    ],
)
def test_an_entry_that_cannot_be_scheduled_stops_the_service_naming_it(entry, field):
    with pytest.raises(ValueError, match=field):
        scheduler.read_jobs(f"jobs:\n  - {entry}\n")
