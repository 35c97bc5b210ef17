"""{{py_comment workflow_title}}: an ETL workflow of the {{py_comment system_name}} migration.

From: TODO the legacy job this workflow replaces (script, cron entry, manual step).
To:   one Kailash workflow with validation, quarantine and a run summary.

    extract_<source>... -> combine -> normalise -> apply_rules -> validate -> route
        route.true_output  -> select_rows -> load        (batch passed the gate)
        route.false_output -> quarantine                  (batch held for review)

Sources: {{join workflow_sources ", "}}.
One ``extract_<source>`` node per source (add_extract_nodes() below); the steps
after ``combine`` follow the project's ETL pattern: LegacyAdapterNode, rules.py
run by PythonCodeNode steps, SwitchNode, CSVWriterNode and JSONWriterNode.
{{#if (includes workflow_sources "database")}}
{{#unless (includes data_sources "database")}}

Before the first run: the project was created without a database source, so
pyproject.toml lists no database driver. Add SQLAlchemy's driver for DATABASE_URL
(for example ``kailash[db-postgres]`` and ``psycopg[binary]``).
{{/unless}}
{{/if}}
{{#if (includes workflow_sources "rest_api")}}
{{#unless (or (includes data_sources "rest_api") (includes patterns "api"))}}

Before the first run: the project was created without REST nodes, so add
``kailash[http-client]`` and ``aiohttp`` to pyproject.toml (kailash.nodes.api
imports both).
{{/unless}}
{{/if}}
{{#if (includes workflow_sources "sftp")}}
{{#unless (includes data_sources "sftp")}}

Before the first run: the project has no SFTP reader node, so ``extract_sftp``
is a placeholder that fails the run (see missing_sftp_reader()).
{{/unless}}
{{/if}}
{{#if (includes workflow_sources "queue")}}
{{#unless (includes data_sources "queue")}}

Before the first run: the project has no queue consumer node, so
``extract_queue`` is a placeholder that fails the run (see missing_queue_consumer()).
{{/unless}}
{{/if}}

Run it: ``python -m {{package_name}}.workflows.{{workflow_name}}`` (settings from the
environment or ``.env``); the exit code is 0 only when the batch was loaded.
Importing this module does no IO.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

{{#if (includes workflow_sources "rest_api")}}
import kailash.nodes.api  # noqa: F401  registers RESTClientNode (needs aiohttp, see pyproject.toml)
{{/if}}
import kailash.nodes.code  # noqa: F401  registers PythonCodeNode
import kailash.nodes.data  # noqa: F401  registers CSVReaderNode, SQLDatabaseNode, writers
import kailash.nodes.logic  # noqa: F401  registers SwitchNode
from kailash.runtime.local import LocalRuntime
from kailash.sdk_exceptions import KailashException
from kailash.workflow.builder import WorkflowBuilder

from .. import nodes, rules  # noqa: F401  importing nodes registers the project's custom nodes
from ..observability import configure_logging, failed_nodes, log_run
from ..settings import Settings, load_dotenv
from ..sources import {{#if (includes workflow_sources "rest_api")}}bearer, {{/if}}rows_of

WORKFLOW_NAME = {{py workflow_name}}
# The data sources this workflow reads, in the order of the extract nodes.
SOURCES = {{py workflow_sources}}
LOAD_FILE = f"{WORKFLOW_NAME}_records.csv"
QUARANTINE_FILE = f"{WORKFLOW_NAME}_quarantine.json"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class {{pascal workflow_name}}Settings(Settings):
    """The project's settings plus those only this workflow reads."""

    # Read like every field of Settings: from the environment variable of the
    # upper-cased name. Settings of the sources and patterns the project was created
    # without are declared here, as settings.py lacks them; move them to settings.py and
    # .env.example once another workflow needs them. Add this workflow's own below.
{{#if (includes workflow_sources "csv")}}
{{#unless (includes data_sources "csv")}}
    csv_input_path: str = "data/input/legacy_extract.csv"
{{/unless}}
{{/if}}
{{#if (includes workflow_sources "spreadsheet")}}
{{#unless (includes data_sources "spreadsheet")}}
    spreadsheet_export_path: str = "data/input/spreadsheet_export.csv"
{{/unless}}
{{/if}}
{{#if (includes workflow_sources "database")}}
{{#unless (includes data_sources "database")}}
    # SQLAlchemy URL; the driver named after "+" must be installed (see above).
    database_url: str = "postgresql+psycopg://migration_ro:change-me@localhost:5432/legacy"
    source_query: str = "SELECT * FROM legacy_records"
{{/unless}}
{{/if}}
{{#if (includes workflow_sources "rest_api")}}
{{#unless (includes data_sources "rest_api")}}
    source_api_base_url: str = "https://legacy.example.internal/api"
    source_api_resource: str = "records"
    source_api_token: str | None = None
{{/unless}}
{{/if}}


def workflow_settings(config: Settings | None = None) -> {{pascal workflow_name}}Settings:
    """``config`` as this workflow's settings; ``None`` reads the environment.

    A plain :class:`Settings` keeps its values, and this workflow's own fields
    take their defaults.
    """
    if config is None:
        return {{pascal workflow_name}}Settings.from_env()
    if isinstance(config, {{pascal workflow_name}}Settings):
        return config
    values = {field.name: getattr(config, field.name) for field in fields(Settings)}
    return {{pascal workflow_name}}Settings(**values)


def combine_sources(
{{#each workflow_sources}}
    {{this}}: Any = None,
{{/each}}
) -> list[dict[str, Any]]:
    """All sources' records in one list (runs as the ``combine`` PythonCodeNode)."""
    batches = {
{{#each workflow_sources}}
        {{py this}}: {{this}},
{{/each}}
    }
    return [row for name, batch in batches.items() for row in rows_of(name, batch)]
{{#if (includes workflow_sources "sftp")}}
{{#unless (includes data_sources "sftp")}}


def missing_sftp_reader() -> list:
    """Stands in for the SFTP extract (runs as ``extract_sftp``) and fails the run.

    The project was created without the SFTP source, so it has no SFTP reader
    node. Write one (``create-migration add node SftpDropReader`` gives a stub),
    then add it in add_extract_nodes() in place of this step.
    """
    raise NotImplementedError(
        "extract_sftp: this project has no SFTP reader node yet; "
        f"see missing_sftp_reader() in the {WORKFLOW_NAME} workflow"
    )
{{/unless}}
{{/if}}
{{#if (includes workflow_sources "queue")}}
{{#unless (includes data_sources "queue")}}


def missing_queue_consumer() -> list:
    """Stands in for the queue extract (runs as ``extract_queue``) and fails the run.

    The project was created without the queue source, so it has no queue
    consumer node. Write one (``create-migration add node QueueConsumer`` gives
    a stub), then add it in add_extract_nodes() in place of this step.
    """
    raise NotImplementedError(
        "extract_queue: this project has no queue consumer node yet; "
        f"see missing_queue_consumer() in the {WORKFLOW_NAME} workflow"
    )
{{/unless}}
{{/if}}


def add_extract_nodes(wf: WorkflowBuilder, settings: {{pascal workflow_name}}Settings) -> tuple[str, str]:
    """Add one extract node per source of this workflow and the ``combine`` node joining them.

    The same nodes and node ids as ``sources.add_extract_nodes()``, which reads
    every source of the project; this one reads only ``SOURCES``. Returns
    ``(node_id, output)``: where the next step connects its ``data`` input.
    """
    wf.add_node("PythonCodeNode", "combine", {"function": combine_sources})
{{#if (includes workflow_sources "csv")}}

    # CSVReaderNode yields every value as text: typing happens in the rules.
    wf.add_node("CSVReaderNode", "extract_csv", {"file_path": settings.csv_input_path})
    wf.add_connection("extract_csv", "data", "combine", "csv")
{{/if}}
{{#if (includes workflow_sources "database")}}

    # SQLDatabaseNode connects at run time, never while the workflow is built.
    wf.add_node(
        "SQLDatabaseNode",
        "extract_database",
        {
            "connection_string": settings.database_url,
            "query": settings.source_query,
            "result_format": "dict",
        },
    )
    wf.add_connection("extract_database", "data", "combine", "database")
{{/if}}
{{#if (includes workflow_sources "rest_api")}}

    wf.add_node(
        "RESTClientNode",
        "extract_rest_api",
        {
            "base_url": settings.source_api_base_url,
            "resource": settings.source_api_resource,
            "method": "GET",
            "timeout": 30,
            "retry_count": 3,
            "retry_backoff": 1.0,
            **bearer(settings.source_api_token),
        },
    )
    wf.add_connection("extract_rest_api", "data", "combine", "rest_api")
{{/if}}
{{#if (includes workflow_sources "sftp")}}

{{#if (includes data_sources "sftp")}}
    wf.add_node(
        "SFTPDropReaderNode",
        "extract_sftp",
        {
            "host": settings.sftp_host,
            "port": settings.sftp_port,
            "username": settings.sftp_username,
            "password": settings.sftp_password,
            "key_path": settings.sftp_key_path,
            "known_hosts_path": settings.sftp_known_hosts,
            "remote_dir": settings.sftp_remote_dir,
            "pattern": settings.sftp_file_pattern,
        },
    )
    wf.add_connection("extract_sftp", "data", "combine", "sftp")
{{else}}
    wf.add_node("PythonCodeNode", "extract_sftp", {"function": missing_sftp_reader})
    wf.add_connection("extract_sftp", "result", "combine", "sftp")
{{/if}}
{{/if}}
{{#if (includes workflow_sources "queue")}}

{{#if (includes data_sources "queue")}}
    wf.add_node(
        "QueueConsumerNode",
        "extract_queue",
        {
            "queue_url": settings.queue_url,
            "queue_name": settings.queue_name,
            "max_messages": settings.queue_max_messages,
        },
    )
    wf.add_connection("extract_queue", "data", "combine", "queue")
{{else}}
    wf.add_node("PythonCodeNode", "extract_queue", {"function": missing_queue_consumer})
    wf.add_connection("extract_queue", "result", "combine", "queue")
{{/if}}
{{/if}}
{{#if (includes workflow_sources "spreadsheet")}}

    # Read from the CSV export: Kailash's file nodes refuse .xlsx.
    wf.add_node(
        "CSVReaderNode", "extract_spreadsheet", {"file_path": settings.spreadsheet_export_path}
    )
    wf.add_connection("extract_spreadsheet", "data", "combine", "spreadsheet")
{{/if}}
    return "combine", "result"


def select_rows(batch: dict) -> list:
    """The records of a batch that passed validation (runs as ``select_rows``)."""
    return batch["rows"]


def build_workflow(config: Settings | None = None) -> WorkflowBuilder:
    """The {{py_comment workflow_title}} workflow, wired but not run. ``config`` defaults to the environment."""
    settings = workflow_settings(config)
    wf = WorkflowBuilder()

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
    settings = workflow_settings()
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
