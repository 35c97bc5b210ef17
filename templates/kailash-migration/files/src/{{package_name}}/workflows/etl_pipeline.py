"""ETL pipeline migration for {{py_comment system_name}}.

From: cron jobs, shell scripts and manual steps that move data on a schedule.
To:   one Kailash workflow with validation, quarantine and a run summary.

    extract_<source>... -> combine -> normalise -> apply_rules -> validate -> route
        route.true_output  -> select_rows -> load        (batch passed the gate)
        route.false_output -> quarantine                  (batch held for review)

Nodes: CSVReaderNode / SQLDatabaseNode / RESTClientNode or custom source nodes
(see sources.py), LegacyAdapterNode (custom), PythonCodeNode steps running
rules.py, SwitchNode, CSVWriterNode and JSONWriterNode.

Run it: ``python -m {{package_name}}.workflows.etl_pipeline`` (settings from the
environment or ``.env``). Schedule that command where the cron job ran; the
exit code is 0 only when the batch was loaded. Importing this module does no IO.
"""

from __future__ import annotations

import logging
from pathlib import Path

import kailash.nodes.code  # noqa: F401  registers PythonCodeNode
import kailash.nodes.data  # noqa: F401  registers CSVWriterNode, JSONWriterNode
import kailash.nodes.logic  # noqa: F401  registers SwitchNode
from kailash.runtime.local import LocalRuntime
from kailash.sdk_exceptions import KailashException
from kailash.workflow.builder import WorkflowBuilder

from .. import nodes, rules  # noqa: F401  importing nodes registers LegacyAdapterNode
from ..observability import configure_logging, failed_nodes, log_run
from ..settings import Settings, load_dotenv
from ..sources import add_extract_nodes

WORKFLOW_NAME = "etl_pipeline"
LOAD_FILE = "etl_records.csv"
QUARANTINE_FILE = "etl_quarantine.json"

logger = logging.getLogger(__name__)


def select_rows(batch: dict) -> list:
    """The records of a batch that passed validation (runs as ``select_rows``)."""
    return batch["rows"]


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
    wf.add_node("PythonCodeNode", "apply_rules", {"function": rules.apply_business_rules})

    # Validate: the data-quality gate decides between load and quarantine.
    wf.add_node(
        "PythonCodeNode",
        "validate",
        {"function": rules.validate_batch, "max_reject_ratio": settings.max_reject_ratio},
    )
    wf.add_node(
        "SwitchNode", "route", {"condition_field": "passed", "operator": "==", "value": True}
    )

    # Load. CSVWriterNode keeps the stub runnable anywhere; when the target is a
    # database, replace it with SQLDatabaseNode running an idempotent upsert
    # keyed on rules.KEY_FIELD, so a rerun of the same batch changes nothing.
    wf.add_node("PythonCodeNode", "select_rows", {"function": select_rows})
    wf.add_node("CSVWriterNode", "load", {"file_path": settings.output_path(LOAD_FILE)})
    wf.add_node(
        "JSONWriterNode", "quarantine", {"file_path": settings.output_path(QUARANTINE_FILE)}
    )

    wf.add_connection(source_node, source_output, "normalise", "data")
    wf.add_connection("normalise", "data", "apply_rules", "data")
    wf.add_connection("apply_rules", "result", "validate", "data")
    wf.add_connection("normalise", "rejected", "validate", "rejected")
    wf.add_connection("validate", "result", "route", "input_data")
    # Connect whole SwitchNode ports: with conditional_execution="skip_branches"
    # the runtime matches branch ports exactly, so "true_output.rows" would
    # never be scheduled. select_rows picks the rows out instead.
    wf.add_connection("route", "true_output", "select_rows", "batch")
    wf.add_connection("select_rows", "result", "load", "data")
    wf.add_connection("route", "false_output", "quarantine", "data")
    return wf


def main() -> int:
    """Run one batch with settings from the environment; 0 when it was loaded."""
    load_dotenv()
    settings = Settings.from_env()
    configure_logging(settings.log_level, settings.sdk_log_level)
    Path(settings.output_dir).mkdir(parents=True, exist_ok=True)
    workflow = build_workflow(settings).build()
    try:
        # skip_branches: only the branch chosen by "route" runs, so a batch that
        # fails validation is quarantined and never reaches "load".
        with LocalRuntime(conditional_execution="skip_branches") as runtime:
            results, run_id = runtime.execute(workflow)
    except KailashException:
        logger.exception("%s: the run failed", WORKFLOW_NAME)
        log_run(logger, WORKFLOW_NAME, None, outcome="failed")
        return 1

    failures = failed_nodes(results)
    report = results.get("validate", {}).get("result") or {}
    if failures:
        outcome = "failed"
    elif report.get("passed"):
        outcome = "loaded"
    else:
        outcome = "quarantined"
    log_run(
        logger,
        WORKFLOW_NAME,
        run_id,
        outcome=outcome,
        failed_nodes=failures,
        row_count=report.get("row_count"),
        rejected_count=report.get("rejected_count"),
        amount_total=report.get("amount_total"),
        checksum=report.get("checksum"),
        errors=report.get("errors"),
    )
    return 0 if outcome == "loaded" else 1


if __name__ == "__main__":
    raise SystemExit(main())
