"""{{py_comment workflow_title}}: an ETL workflow of the {{py_comment system_name}} migration.

From: TODO the legacy job this workflow replaces (script, cron entry, manual step).
To:   one Kailash workflow with validation, quarantine and a run summary.

    extract_<source>... -> combine -> normalise -> apply_rules -> validate -> route
        route.true_output  -> select_rows -> load        (batch passed the gate)
        route.false_output -> quarantine                  (batch held for review)

Sources: {{join workflow_sources ", "}}, read by sources.add_extract_nodes() (one
``extract_<source>`` node each, then ``combine``).
{{#each workflow_sources}}
{{#unless (includes ../data_sources this)}}
The project was created without the {{py_comment this}} source: before the first run,
read the notes on it at the top of sources.py.
{{/unless}}
{{/each}}

The steps after ``combine`` follow the project's ETL pattern: LegacyAdapterNode,
rules.py run by PythonCodeNode steps, SwitchNode, CSVWriterNode and JSONWriterNode.

Run it: ``python -m {{package_name}}.workflows.{{workflow_name}}`` (settings from the
environment or ``.env``); the exit code is 0 only when the batch was loaded.
Importing this module does no IO.
"""

from __future__ import annotations

import logging
from pathlib import Path

import kailash.nodes.code  # noqa: F401  registers PythonCodeNode
import kailash.nodes.data  # noqa: F401  registers CSVReaderNode, SQLDatabaseNode, writers
import kailash.nodes.logic  # noqa: F401  registers SwitchNode
from kailash.runtime.local import LocalRuntime
from kailash.sdk_exceptions import KailashException
from kailash.workflow.builder import WorkflowBuilder

from .. import nodes, rules  # noqa: F401  importing nodes registers the project's custom nodes
from ..observability import configure_logging, failed_nodes, log_run
from ..settings import Settings, load_dotenv
from ..sources import add_extract_nodes

WORKFLOW_NAME = {{py workflow_name}}
# The data sources this workflow reads, in the order of the extract nodes.
SOURCES = {{py workflow_sources}}
LOAD_FILE = f"{WORKFLOW_NAME}_records.csv"
QUARANTINE_FILE = f"{WORKFLOW_NAME}_quarantine.json"

logger = logging.getLogger(__name__)


def select_rows(batch: dict) -> list:
    """The records of a batch that passed validation (runs as ``select_rows``)."""
    return batch["rows"]


def build_workflow(config: Settings | None = None) -> WorkflowBuilder:
    """The {{py_comment workflow_title}} workflow, wired but not run. ``config`` defaults to the environment."""
    settings = config if config is not None else Settings.from_env()
    wf = WorkflowBuilder()

    source_node, source_output = add_extract_nodes(wf, settings, SOURCES)

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

    # Load. CSVWriterNode keeps the stub runnable anywhere; for a database target
    # use SQLDatabaseNode with an idempotent upsert keyed on rules.KEY_FIELD.
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
    # Whole SwitchNode ports only: with conditional_execution="skip_branches" the
    # runtime matches branch ports exactly ("true_output.rows" would never run).
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
        # skip_branches: only the branch chosen by "route" runs.
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
