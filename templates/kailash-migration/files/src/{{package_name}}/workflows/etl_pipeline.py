"""ETL pipeline migration for {{py_comment system_name}}.

From: cron jobs, shell scripts and manual steps that move data on a schedule.
To:   one Kailash workflow with validation, quarantine and a run summary.

    extract_<source>... -> combine -> normalise -> apply_rules -> validate -> publish
        publish writes the load file when the batch passed the gate,
        the quarantine file when it did not (exactly one of the two)

Nodes: one extract node per source of this project (sources.py:{{#each data_sources}} {{#if (eq this "csv")}}CSVReaderNode{{else if (eq this "spreadsheet")}}CSVReaderNode{{else if (eq this "database")}}SQLDatabaseNode{{else if (eq this "rest_api")}}ResilientHTTPNode{{else if (eq this "sftp")}}SFTPDropReaderNode{{else if (eq this "queue")}}QueueConsumerNode{{else}}a node still to write{{/if}} for {{this}}{{#unless @last}},{{/unless}}{{/each}}),
LegacyAdapterNode (custom), PythonCodeNode steps running rules.py,
OutcomeWriterNode (custom; why not SwitchNode: see runner.py).

Run it: ``python -m {{package_name}}.workflows.etl_pipeline`` (settings from the
environment or ``.env``). Schedule that command where the cron job ran (see
deploy/kubernetes/); the exit code is 0 only when the batch was loaded, and a
failing step ends the run at once with exit code 1. Importing this module does no IO.
"""

from __future__ import annotations

from typing import Any

import kailash.nodes.code  # noqa: F401  registers PythonCodeNode
from kailash.workflow.builder import WorkflowBuilder

from .. import nodes, rules  # noqa: F401  importing nodes registers the custom nodes
from ..runner import run_main
from ..settings import Settings
from ..sources import add_extract_nodes, add_python_step

WORKFLOW_NAME = "etl_pipeline"
LOAD_FILE = "etl_records.csv"
QUARANTINE_FILE = "etl_quarantine.json"


def build_workflow(config: Settings | None = None) -> WorkflowBuilder:
    """The ETL workflow, wired but not run. ``config`` defaults to the environment."""
    settings = config if config is not None else Settings.from_env()
    wf = WorkflowBuilder()

    # Extract: one node per legacy data source, joined by the "combine" node.
    source_node, source_output = add_extract_nodes(wf, settings)

    # Transform: legacy format -> clean records, then the ported business rules.
    wf.add_node(
        "LegacyAdapterNode",
        "normalise",
        {
            "field_map": rules.FIELD_MAP,
            "date_fields": rules.DATE_FIELDS,
            "required_fields": rules.REQUIRED_FIELDS,
        },
    )
    add_python_step(wf, "apply_rules", rules.apply_business_rules)

    # Validate: the data-quality gate decides between load and quarantine.
    add_python_step(
        wf, "validate", rules.validate_batch, max_reject_ratio=settings.max_reject_ratio
    )

    # Load or quarantine. The load file keeps the stub runnable anywhere; when the
    # target is a database, add a SQLDatabaseNode after "publish" running an
    # idempotent upsert keyed on rules.KEY_FIELD, so a rerun changes nothing.
    wf.add_node(
        "OutcomeWriterNode",
        "publish",
        {
            "flag": "passed",
            "true_path": settings.output_path(LOAD_FILE),
            "true_field": "rows",
            "true_outcome": "loaded",
            "false_path": settings.output_path(QUARANTINE_FILE),
            "false_outcome": "quarantined",
        },
    )

    wf.add_connection(source_node, source_output, "normalise", "data")
    wf.add_connection("normalise", "data", "apply_rules", "data")
    wf.add_connection("apply_rules", "result", "validate", "data")
    wf.add_connection("normalise", "rejected", "validate", "rejected")
    wf.add_connection("validate", "result", "publish", "data")
    return wf


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    """The run summary's fields: the outcome and the numbers reconciliation needs."""
    report = results["validate"]["result"]
    return {
        "outcome": results["publish"]["outcome"],
        "output": results["publish"]["file_path"],
        "row_count": report["row_count"],
        "rejected_count": report["rejected_count"],
        "amount_total": report["amount_total"],
        "checksum": report["checksum"],
        "errors": report["errors"],
    }


def main() -> int:
    """Run one batch with settings from the environment; 0 when it was loaded."""
    return run_main(WORKFLOW_NAME, build_workflow, summarize, success="loaded")


if __name__ == "__main__":
    raise SystemExit(main())
