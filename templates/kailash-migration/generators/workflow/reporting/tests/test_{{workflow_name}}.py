"""Tests of the {{py_comment workflow_title}} workflow (src/{{package_name}}/workflows/{{workflow_name}}.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("kailash")
pytest.importorskip("kaizen", reason="LLMAgentNode comes from kailash-kaizen")

from {{package_name}}.settings import Settings  # noqa: E402
from {{package_name}}.workflows import {{workflow_name}}  # noqa: E402

STEPS = {"combine", "normalise", "apply_rules", "aggregate", "prompt", "analyse", "compose"}


def test_module_keeps_the_workflow_contract(check_workflow):
    assert {{workflow_name}}.SOURCES == {{py workflow_sources}}
    check_workflow({{workflow_name}}, STEPS | {"publish"})


def test_importing_the_module_does_no_io(imports_without_io):
    imports_without_io([{{workflow_name}}.__name__])


def test_llm_step_uses_the_configured_provider(tmp_path):
    settings = replace(
        Settings(),
        llm_provider="openai",
        llm_model="gpt-4o-mini",
        report_dir=str(tmp_path),
    )
    workflow = {{workflow_name}}.build_workflow(settings).build()
    analyse = workflow.nodes["analyse"].config
    assert analyse["provider"] == "openai" and analyse["model"] == "gpt-4o-mini"
    publish = workflow.nodes["publish"].config
    assert Path(publish["file_path"]) == tmp_path / {{workflow_name}}.REPORT_FILE


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
{{#unless (or (includes workflow_sources "database") (includes workflow_sources "rest_api") (includes workflow_sources "sftp") (and (includes workflow_sources "csv") (not (includes data_sources "csv"))) (and (includes workflow_sources "spreadsheet") (not (includes data_sources "spreadsheet"))) (and (includes workflow_sources "queue") (not (includes data_sources "queue"))))}}


def test_sample_report_with_the_mock_provider(offline_settings, tmp_path):
    """Every source has sample data (conftest.py), so the report is produced end to end."""
    from kailash.runtime.local import LocalRuntime

    settings = replace(
        offline_settings,
        llm_provider="mock",
        report_dir=str(tmp_path / "reports"),
    )
    Path(settings.report_dir).mkdir(parents=True, exist_ok=True)
    with LocalRuntime() as runtime:
        results, _ = runtime.execute({{workflow_name}}.build_workflow(settings).build())
    report = Path(results["publish"]["file_path"]).read_text(encoding="utf-8")
    assert "## Figures" in report and "## Analysis" in report
{{/unless}}
