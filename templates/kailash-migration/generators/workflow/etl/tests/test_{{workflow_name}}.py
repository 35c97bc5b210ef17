"""Tests of the {{py_comment workflow_title}} workflow (src/{{package_name}}/workflows/{{workflow_name}}.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("kailash")

from {{package_name}}.settings import Settings  # noqa: E402
from {{package_name}}.workflows import {{workflow_name}}  # noqa: E402

STEPS = {"combine", "normalise", "apply_rules", "validate", "route", "select_rows"}
SINKS = {"load", "quarantine"}


def test_module_keeps_the_workflow_contract(check_workflow):
    assert {{workflow_name}}.SOURCES == {{py workflow_sources}}
    check_workflow({{workflow_name}}, STEPS | SINKS)


def test_importing_the_module_does_no_io(imports_without_io):
    imports_without_io([{{workflow_name}}.__name__])


def test_builds_from_the_project_settings(tmp_path):
    settings = replace(Settings(), output_dir=str(tmp_path))
    workflow = {{workflow_name}}.build_workflow(settings).build()
    load, quarantine = workflow.nodes["load"].config, workflow.nodes["quarantine"].config
    assert Path(load["file_path"]) == tmp_path / {{workflow_name}}.LOAD_FILE
    assert Path(quarantine["file_path"]) == tmp_path / {{workflow_name}}.QUARANTINE_FILE
{{#unless (or (includes workflow_sources "database") (includes workflow_sources "rest_api") (includes workflow_sources "sftp") (and (includes workflow_sources "csv") (not (includes data_sources "csv"))) (and (includes workflow_sources "spreadsheet") (not (includes data_sources "spreadsheet"))) (and (includes workflow_sources "queue") (not (includes data_sources "queue"))))}}


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
    results = run_once(offline_settings)
    settings = offline_settings
    report = results["validate"]["result"]
    assert report["passed"], report["errors"]
    assert report["row_count"] > 0 and report["rejected_count"] == 0
    assert Path(settings.output_path({{workflow_name}}.LOAD_FILE)).is_file()
    assert "quarantine" not in results  # the other branch was skipped
{{#if (includes workflow_sources "csv")}}


def test_a_failing_batch_is_quarantined_not_loaded(offline_settings):
    settings = offline_settings
    source = Path(settings.csv_input_path)
    header, first, *_ = source.read_text(encoding="utf-8").splitlines()
    source.write_text(f"{header}\n{first}\n{first}\n", encoding="utf-8")  # DQ-002 duplicate key

    results = run_once(settings)
    assert results["validate"]["result"]["passed"] is False
    assert Path(settings.output_path({{workflow_name}}.QUARANTINE_FILE)).is_file()
    assert not Path(settings.output_path({{workflow_name}}.LOAD_FILE)).exists()
{{/if}}
{{/unless}}
