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
pytest.importorskip("kaizen", reason="LLMAgentNode comes from kailash-kaizen")

from {{package_name}}.settings import Settings  # noqa: E402
from {{package_name}}.workflows import {{workflow_name}}  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"

EXTRACT_NODES = {
{{#each workflow_sources}}
    "extract_{{this}}",
{{/each}}
}
STEPS = {"combine", "normalise", "apply_rules", "aggregate", "prompt", "analyse", "compose"}


def test_module_keeps_the_workflow_contract():
    assert {{workflow_name}}.WORKFLOW_NAME == {{py workflow_name}}
    assert {{workflow_name}}.SOURCES == {{py workflow_sources}}
    assert callable({{workflow_name}}.build_workflow) and callable({{workflow_name}}.main)


def test_build_workflow_wires_every_step():
    workflow = {{workflow_name}}.build_workflow().build()
    assert EXTRACT_NODES | STEPS | {"publish"} <= set(workflow.nodes)


def test_every_source_feeds_combine():
    workflow = {{workflow_name}}.build_workflow().build()
    edges = workflow.connections
    fed = {c.source_node: c.target_input for c in edges if c.target_node == "combine"}
    assert fed == {f"extract_{source}": source for source in {{workflow_name}}.SOURCES}


def test_llm_step_uses_the_configured_provider(tmp_path):
    settings = replace(
        {{workflow_name}}.workflow_settings(Settings()),
        llm_provider="openai",
        llm_model="gpt-4o-mini",
        report_dir=str(tmp_path),
    )
    workflow = {{workflow_name}}.build_workflow(settings).build()
    analyse = workflow.nodes["analyse"].config
    assert analyse["provider"] == "openai" and analyse["model"] == "gpt-4o-mini"
    publish = workflow.nodes["publish"].config
    assert publish["file_path"] == str(tmp_path / {{workflow_name}}.REPORT_FILE)


def test_report_prints_figures_and_labels_the_analysis():
    summary = {{workflow_name}}.aggregate(
        [
            {"amount": 10.0, "currency": "EUR", "status": "active", "txn_date": "2024-01-02"},
            {"amount": 5.5, "currency": "EUR", "status": "closed", "txn_date": "2024-01-01"},
        ]
    )
    assert summary["amount_by_currency"] == {"EUR": 15.5}
    assert summary["period"] == {"from": "2024-01-01", "to": "2024-01-02"}
    report = {{workflow_name}}.compose_report(summary, {"content": "Two records."})
    assert {{workflow_name}}.REPORT_TITLE in report.splitlines()[0]
    assert "| EUR | 15.50 |" in report
    assert "AI-generated" in report and "Two records." in report


# The SDK modules the workflow imports, loaded before the audit hook is installed,
# so that only what the project's own modules do is observed.
SDK_MODULES = [
    "kailash.nodes.base",
    "kailash.nodes.code",
    "kailash.nodes.data",
    "kailash.runtime.local",
    "kailash.sdk_exceptions",
    "kailash.workflow.builder",
{{#if (or (includes workflow_sources "rest_api") (includes data_sources "rest_api"))}}
    "kailash.nodes.api",
{{/if}}
    "kaizen.nodes.ai",
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


def test_sample_report_with_the_mock_provider(offline_settings, tmp_path):
    """Every source has sample data (conftest.py), so the report is produced end to end."""
    from kailash.runtime.local import LocalRuntime

    settings = replace(
        {{workflow_name}}.workflow_settings(offline_settings),
        llm_provider="mock",
        report_dir=str(tmp_path / "reports"),
    )
    Path(settings.report_dir).mkdir(parents=True, exist_ok=True)
    with LocalRuntime() as runtime:
        results, _ = runtime.execute({{workflow_name}}.build_workflow(settings).build())
    report = Path(results["publish"]["file_path"]).read_text(encoding="utf-8")
    assert "## Figures" in report and "## Analysis" in report
{{/if}}
