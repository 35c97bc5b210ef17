"""A workflow in shadow mode (its job in the ``parallel`` state), run as its CronJob runs it.

With ``JOB_MODE=shadow`` the run writes below the shadow folder, never where the live run
writes, and compares its output with the legacy one: the verdict is in its ``run finished``
line, the report under reports/parity/, and the exit code stays the run's own. Here the
output of a live run plays the legacy output (src/{{package_name}}/shadow.py).
"""

from __future__ import annotations

import csv
import json

import pytest

pytest.importorskip("kailash")

from conftest import workflow_modules, workflow_nodes, write_sample_csv  # noqa: E402

# The workflows that load a CSV file when their batch passes (the ETL pattern).
LOADING_WORKFLOWS = [
    name for name in workflow_modules() if {"validate", "publish"} <= workflow_nodes(name)
]

if LOADING_WORKFLOWS:
    # Three runs, each in a fresh interpreter importing the SDK: longer than the e2e
    # tier's 10 s on any machine; each run is held to its own bound in test_failure_paths.py.
    @pytest.mark.timeout(90)
    @pytest.mark.parametrize("name", LOADING_WORKFLOWS)
    def test_a_shadow_run_writes_apart_and_logs_its_parity_verdict(name, run_workflow, tmp_path):
        source = write_sample_csv(tmp_path / "extract.csv")
        live = run_workflow(name, {"CSV_INPUT_PATH": str(source)}, ["csv"])
        assert live.returncode == 0, live.log[-3000:]
        assert "parity" not in live.summary  # a live run compares nothing
        legacy = tmp_path / "legacy-output.csv"
        legacy.write_bytes((tmp_path / live.summary["output"]).read_bytes())
        job = name.replace("_", "-")
        (tmp_path / "jobs.yaml").write_text(
            f"jobs:\n  - id: {job}\n    parity:\n      key: [record_id]\n", encoding="utf-8"
        )
        env = {
            "CSV_INPUT_PATH": str(source),
            "JOB_MODE": "shadow",
            "JOB_ID": job,
            "PARITY_LEGACY_OUTPUT": str(legacy),
            "PARITY_DATE": "2026-12-07",
        }
        shadow = run_workflow(name, env, ["csv"])
        assert shadow.returncode == 0, shadow.log[-3000:]
        assert shadow.summary["parity"] == "green", shadow.summary
        written = tmp_path / shadow.summary["output"]
        assert written.is_relative_to(tmp_path / "data" / "shadow" / job)
        report = json.loads(
            (tmp_path / shadow.summary["parity_report"]).read_text(encoding="utf-8")
        )
        assert report["verdict"] == "green" and report["date"] == "2026-12-07"

        # The legacy output lost a record: the next shadow run is red, and still exits 0.
        with legacy.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        with legacy.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows[:-1])
        red = run_workflow(name, {**env, "PARITY_DATE": "2026-12-08"}, ["csv"])
        assert red.returncode == 0, red.log[-3000:]
        assert red.summary["parity"] == "red"
        assert red.summary["outcome"] == "loaded"

    @pytest.mark.timeout(45)  # one run in a fresh interpreter, as in test_failure_paths.py
    def test_shadow_mode_without_a_job_id_is_an_invalid_setting(run_workflow, tmp_path):
        source = write_sample_csv(tmp_path / "extract.csv")
        run = run_workflow(
            LOADING_WORKFLOWS[0], {"CSV_INPUT_PATH": str(source), "JOB_MODE": "shadow"}, ["csv"]
        )
        assert run.returncode == 1
        assert "JOB_ID" in run.summary["error"]
        assert not (tmp_path / "output").exists()  # nothing written where the live run writes
