"""Tests of the ETL pipeline workflow (src/{{package_name}}/workflows/etl_pipeline.py)."""

from __future__ import annotations

from dataclasses import replace
{{#unless (or (includes data_sources "database") (includes data_sources "rest_api") (includes data_sources "sftp"))}}
from pathlib import Path
{{/unless}}

import pytest

pytest.importorskip("kailash")
{{#unless (or (includes data_sources "database") (includes data_sources "rest_api") (includes data_sources "sftp"))}}

from kailash.runtime.local import LocalRuntime  # noqa: E402
{{/unless}}

from {{package_name}}.settings import Settings  # noqa: E402
from {{package_name}}.workflows import etl_pipeline  # noqa: E402

EXTRACT_NODES = {
{{#each data_sources}}
    "extract_{{this}}",
{{/each}}
}
STEPS = {"combine", "normalise", "apply_rules", "validate", "route", "select_rows"}
SINKS = {"load", "quarantine"}


def test_build_workflow_wires_every_step():
    workflow = etl_pipeline.build_workflow().build()
    assert EXTRACT_NODES | STEPS | SINKS <= set(workflow.nodes)


def test_outputs_go_where_the_settings_say(tmp_path):
    settings = replace(Settings(), output_dir=str(tmp_path))
    workflow = etl_pipeline.build_workflow(settings).build()
    assert workflow.nodes["load"].config["file_path"] == str(tmp_path / etl_pipeline.LOAD_FILE)
{{#unless (or (includes data_sources "database") (includes data_sources "rest_api") (includes data_sources "sftp"))}}


def run(settings: Settings) -> dict:
    Path(settings.output_dir).mkdir(parents=True, exist_ok=True)
    workflow = etl_pipeline.build_workflow(settings).build()
    with LocalRuntime(conditional_execution="skip_branches") as runtime:
        results, _ = runtime.execute(workflow)
    return results


def test_sample_batch_is_validated_and_loaded(offline_settings):
    results = run(offline_settings)
    report = results["validate"]["result"]
    assert report["passed"], report["errors"]
    assert report["row_count"] > 0 and report["rejected_count"] == 0
    assert Path(offline_settings.output_path(etl_pipeline.LOAD_FILE)).is_file()
    assert "quarantine" not in results  # the other branch was skipped
{{#if (includes data_sources "csv")}}


def test_a_failing_batch_is_quarantined_not_loaded(offline_settings):
    source = Path(offline_settings.csv_input_path)
    header, first, *_ = source.read_text(encoding="utf-8").splitlines()
    source.write_text(f"{header}\n{first}\n{first}\n", encoding="utf-8")  # DQ-002 duplicate key

    results = run(offline_settings)
    assert results["validate"]["result"]["passed"] is False
    assert Path(offline_settings.output_path(etl_pipeline.QUARANTINE_FILE)).is_file()
    assert not Path(offline_settings.output_path(etl_pipeline.LOAD_FILE)).exists()
{{/if}}
{{/unless}}
