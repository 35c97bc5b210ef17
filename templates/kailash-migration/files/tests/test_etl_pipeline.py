"""Tests of the ETL pipeline workflow (src/{{package_name}}/workflows/etl_pipeline.py)."""

from __future__ import annotations

from dataclasses import replace

from {{package_name}}.settings import Settings
from {{package_name}}.workflows import etl_pipeline

EXTRACT_NODES = {
{{#each data_sources}}
    "extract_{{this}}",
{{/each}}
}
STEPS = {"combine", "normalise", "apply_rules", "validate", "publish"}


def test_build_workflow_wires_every_step():
    workflow = etl_pipeline.build_workflow().build()
    assert EXTRACT_NODES | STEPS <= set(workflow.nodes)
    assert "SwitchNode" not in {type(node).__name__ for node in workflow._node_instances.values()}


def test_outputs_go_where_the_settings_say(tmp_path):
    settings = replace(Settings(), output_dir=str(tmp_path))
    publish = etl_pipeline.build_workflow(settings).build().nodes["publish"].config
    assert publish["true_path"] == str(tmp_path / etl_pipeline.LOAD_FILE)
    assert publish["false_path"] == str(tmp_path / etl_pipeline.QUARANTINE_FILE)
    assert publish["flag"] == "passed" and publish["true_field"] == "rows"


def test_the_summary_names_the_outcome_and_the_reconciliation_figures():
    results = {
        "validate": {
            "result": {
                "row_count": 2,
                "rejected_count": 0,
                "amount_total": 3.5,
                "checksum": "c",
                "errors": [],
            }
        },
        "publish": {"outcome": "loaded", "file_path": "out.csv", "written": 2},
    }
    summary = etl_pipeline.summarize(results)
    assert summary["outcome"] == "loaded" and summary["row_count"] == 2
