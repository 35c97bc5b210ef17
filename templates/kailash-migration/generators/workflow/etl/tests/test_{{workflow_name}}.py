"""Tests of the {{py_comment workflow_title}} workflow (src/{{package_name}}/workflows/{{workflow_name}}.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("kailash")

from {{package_name}}.settings import Settings  # noqa: E402
from {{package_name}}.workflows import {{workflow_name}}  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"

EXTRACT_NODES = {
{{#each workflow_sources}}
    "extract_{{this}}",
{{/each}}
}
STEPS = {"combine", "normalise", "apply_rules", "validate", "route", "select_rows"}
SINKS = {"load", "quarantine"}


def test_module_keeps_the_workflow_contract():
    assert {{workflow_name}}.WORKFLOW_NAME == {{py workflow_name}}
    assert {{workflow_name}}.SOURCES == {{py workflow_sources}}
    assert callable({{workflow_name}}.build_workflow) and callable({{workflow_name}}.main)


def test_build_workflow_wires_every_step():
    workflow = {{workflow_name}}.build_workflow().build()
    assert EXTRACT_NODES | STEPS | SINKS <= set(workflow.nodes)


def test_every_source_feeds_combine():
    workflow = {{workflow_name}}.build_workflow().build()
    edges = workflow.connections
    fed = {c.source_node: c.target_input for c in edges if c.target_node == "combine"}
    assert fed == {f"extract_{source}": source for source in {{workflow_name}}.SOURCES}


def test_builds_from_the_project_settings(tmp_path):
    settings = replace(Settings(), output_dir=str(tmp_path))
    workflow = {{workflow_name}}.build_workflow(settings).build()
    load, quarantine = workflow.nodes["load"].config, workflow.nodes["quarantine"].config
    assert load["file_path"] == str(tmp_path / {{workflow_name}}.LOAD_FILE)
    assert quarantine["file_path"] == str(tmp_path / {{workflow_name}}.QUARANTINE_FILE)


# The SDK modules the workflow imports, loaded before the audit hook is installed,
# so that only what the project's own modules do is observed.
SDK_MODULES = [
    "kailash.nodes.base",
    "kailash.nodes.code",
    "kailash.nodes.data",
    "kailash.nodes.logic",
    "kailash.runtime.local",
    "kailash.sdk_exceptions",
    "kailash.workflow.builder",
{{#if (or (includes workflow_sources "rest_api") (includes data_sources "rest_api"))}}
    "kailash.nodes.api",
{{/if}}
]

NO_IO_CHECK = textwrap.dedent(
    """
    import importlib, sys

    for name in SDK_MODULES:
        importlib.import_module(name)

    events = []

    def audit(event, args):
        if event == "open":
            path = str(args[0])
            if not path.endswith((".py", ".pyc", ".so", ".pyd")) and "__pycache__" not in path:
                events.append(f"open {path}")
        elif event in ("socket.connect", "subprocess.Popen", "os.system"):
            events.append(f"{event} {args!r}")

    sys.addaudithook(audit)
    importlib.import_module(MODULE)
    print("\\n".join(events))
    """
)


def test_importing_the_module_does_no_io(tmp_path):
    """The contract of tests/test_import_no_io.py, which lists only the template's modules."""
    (tmp_path / ".env").write_text("LOG_LEVEL=DEBUG\n", encoding="utf-8")
    module = {{workflow_name}}.__name__
    code = f"SDK_MODULES = {SDK_MODULES!r}\nMODULE = {module!r}\n{NO_IO_CHECK}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"IO during import:\n{done.stdout}"
{{#if (and (not (or (includes data_sources "database") (includes data_sources "rest_api") (includes data_sources "sftp"))) (not (or (includes workflow_sources "database") (includes workflow_sources "rest_api") (includes workflow_sources "sftp"))) (or (not (includes workflow_sources "csv")) (includes data_sources "csv")) (or (not (includes workflow_sources "spreadsheet")) (includes data_sources "spreadsheet")) (or (not (includes workflow_sources "queue")) (includes data_sources "queue")))}}


# Every source of this workflow has sample data in data/sample/ (the
# offline_settings fixture of conftest.py), so it runs end to end here.


def run_once(settings: Settings) -> dict:
    from kailash.runtime.local import LocalRuntime

    Path(settings.output_dir).mkdir(parents=True, exist_ok=True)
    workflow = {{workflow_name}}.build_workflow(settings).build()
    with LocalRuntime(conditional_execution="skip_branches") as runtime:
        results, _ = runtime.execute(workflow)
    return results


def test_sample_batch_is_validated_and_loaded(offline_settings):
    settings = {{workflow_name}}.workflow_settings(offline_settings)
    results = run_once(settings)
    report = results["validate"]["result"]
    assert report["passed"], report["errors"]
    assert report["row_count"] > 0 and report["rejected_count"] == 0
    assert Path(settings.output_path({{workflow_name}}.LOAD_FILE)).is_file()
    assert "quarantine" not in results  # the other branch was skipped
{{#if (includes workflow_sources "csv")}}


def test_a_failing_batch_is_quarantined_not_loaded(offline_settings):
    settings = {{workflow_name}}.workflow_settings(offline_settings)
    source = Path(settings.csv_input_path)
    header, first, *_ = source.read_text(encoding="utf-8").splitlines()
    source.write_text(f"{header}\n{first}\n{first}\n", encoding="utf-8")  # DQ-002 duplicate key

    results = run_once(settings)
    assert results["validate"]["result"]["passed"] is False
    assert Path(settings.output_path({{workflow_name}}.QUARANTINE_FILE)).is_file()
    assert not Path(settings.output_path({{workflow_name}}.LOAD_FILE)).exists()
{{/if}}
{{/if}}
