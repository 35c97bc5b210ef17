"""{{py_comment workflow_title}}: a report generation workflow of the {{py_comment system_name}} migration.

From: TODO the static report this workflow replaces (template, query, audience).
To:   a workflow that aggregates the data, asks an LLM for the analysis and
      publishes the report automatically.

    extract_<source>... -> combine -> normalise -> apply_rules -> aggregate
        aggregate -> prompt -> analyse (LLMAgentNode) -> compose -> publish

The figures are computed in Python and printed as they are; the LLM only writes
the commentary, and the report says so. LLMAgentNode comes from kailash-kaizen
(``import kaizen.nodes.ai``); the provider is set by LLM_PROVIDER / LLM_MODEL.

Sources: {{join workflow_sources ", "}}.
One ``extract_<source>`` node per source (add_extract_nodes() below).
{{#unless (includes patterns "reporting")}}

Before the first run: the project was created without the report pattern, so
add ``kailash-kaizen`` to pyproject.toml, and LLM_PROVIDER, LLM_MODEL and
REPORT_DIR (with the provider's key or OLLAMA_BASE_URL) to .env.example.
{{/unless}}
{{#if (includes workflow_sources "rest_api")}}
{{#unless (or (includes data_sources "rest_api") (includes patterns "api"))}}

Before the first run: the project was created without REST nodes, so add
``kailash[http-client]`` and ``aiohttp`` to pyproject.toml (kailash.nodes.api
imports both).
{{/unless}}
{{/if}}
{{#if (includes workflow_sources "database")}}
{{#unless (includes data_sources "database")}}

Before the first run: the project was created without a database source, so
pyproject.toml lists no database driver. Add SQLAlchemy's driver for DATABASE_URL
(for example ``kailash[db-postgres]`` and ``psycopg[binary]``).
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

Run it: ``python -m {{package_name}}.workflows.{{workflow_name}}``; the report is
written to REPORT_DIR. Importing this module does no IO.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

{{#if (includes workflow_sources "rest_api")}}
import kailash.nodes.api  # noqa: F401  registers RESTClientNode (needs aiohttp, see pyproject.toml)
{{/if}}
import kailash.nodes.code  # noqa: F401  registers PythonCodeNode
import kailash.nodes.data  # noqa: F401  registers CSVReaderNode, SQLDatabaseNode, TextWriterNode
import kaizen.nodes.ai  # noqa: F401  registers LLMAgentNode (package kailash-kaizen)
from kailash.runtime.local import LocalRuntime
from kailash.sdk_exceptions import KailashException
from kailash.workflow.builder import WorkflowBuilder

from .. import nodes, rules  # noqa: F401  importing nodes registers the project's custom nodes
from ..observability import configure_logging, failed_nodes, log_run
from ..settings import SYSTEM_NAME, Settings, load_dotenv
from ..sources import {{#if (includes workflow_sources "rest_api")}}bearer, {{/if}}rows_of

WORKFLOW_NAME = {{py workflow_name}}
REPORT_TITLE = {{py workflow_title}}
# The data sources this workflow reads, in the order of the extract nodes.
SOURCES = {{py workflow_sources}}
REPORT_FILE = f"{WORKFLOW_NAME}.md"

SYSTEM_PROMPT = (
    "You are an operations analyst writing the commentary of a recurring business "
    "report. Use only the figures you are given, never invent or recompute numbers, "
    "point out anything unusual (concentrations, gaps, cancelled or pending items) "
    "and keep it under 250 words of plain Markdown without headings."
)

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
{{#unless (includes patterns "reporting")}}
{{#if llm_provider}}
    llm_provider: str = {{py llm_provider}}
{{else}}
    llm_provider: str = "ollama"
{{/if}}
{{#if (eq llm_provider "openai")}}
    llm_model: str = "gpt-4o-mini"
{{else if (eq llm_provider "anthropic")}}
    llm_model: str = "claude-haiku-4-5"
{{else}}
    llm_model: str = "llama3.2"
{{/if}}
    report_dir: str = "reports"
{{/unless}}


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


def aggregate(data: list) -> dict:
    """The figures of the report (runs as ``aggregate``): exact, computed, no LLM involved."""
    amounts: dict[str, float] = defaultdict(float)
    for row in data:
        if isinstance(row.get("amount"), (int, float)):
            amounts[str(row.get("currency") or "?")] += row["amount"]
    dates = sorted(str(row["txn_date"]) for row in data if row.get("txn_date"))
    return {
        "record_count": len(data),
        "period": {"from": dates[0], "to": dates[-1]} if dates else None,
        "amount_by_currency": {k: round(v, 2) for k, v in sorted(amounts.items())},
        "records_by_status": dict(Counter(str(row.get("status") or "unknown") for row in data)),
        "records_by_source": dict(Counter(str(row.get("_source") or "unknown") for row in data)),
    }


def analysis_messages(summary: dict) -> list:
    """The chat messages for the LLM (runs as ``prompt``)."""
    figures = json.dumps(summary, indent=2, sort_keys=True)
    return [
        {
            "role": "user",
            "content": (
                f"Figures of the report {REPORT_TITLE!r} for {SYSTEM_NAME}, as JSON:\n"
                f"{figures}\n\nWrite the commentary."
            ),
        }
    ]


def compose_report(summary: dict, response: dict | None = None) -> str:
    """The Markdown report (runs as ``compose``): figures first, then the labelled analysis."""
    period = summary.get("period") or {}
    lines = [
        f"# {SYSTEM_NAME}: {REPORT_TITLE}",
        "",
        f"Period: {period.get('from', 'n/a')} to {period.get('to', 'n/a')}  ",
        f"Records: {summary.get('record_count', 0):,}",
        "",
        "## Figures",
        "",
        "| Currency | Amount |",
        "|---|---:|",
    ]
    for currency, amount in (summary.get("amount_by_currency") or {}).items():
        lines.append(f"| {currency} | {amount:,.2f} |")
    lines += ["", "| Status | Records |", "|---|---:|"]
    for status, count in (summary.get("records_by_status") or {}).items():
        lines.append(f"| {status} | {count:,} |")
    analysis = str((response or {}).get("content") or "").strip()
    lines += ["", "## Analysis (AI-generated, check before acting on it)", "", analysis or "_none_"]
    return "\n".join(lines) + "\n"


def build_workflow(config: Settings | None = None) -> WorkflowBuilder:
    """The {{py_comment workflow_title}} workflow, wired but not run. ``config`` defaults to the environment."""
    settings = workflow_settings(config)
    wf = WorkflowBuilder()

    source_node, source_output = add_extract_nodes(wf, settings)
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
    wf.add_node("PythonCodeNode", "aggregate", {"function": aggregate})
    wf.add_node("PythonCodeNode", "prompt", {"function": analysis_messages})

    # Building LLMAgentNode makes no call; the provider is contacted at run
    # time (API keys and OLLAMA_BASE_URL are read from the environment).
    wf.add_node(
        "LLMAgentNode",
        "analyse",
        {
            "provider": settings.llm_provider,
            "model": settings.llm_model,
            "system_prompt": SYSTEM_PROMPT,
            "generation_config": {"temperature": 0.2, "max_tokens": 800},
        },
    )
    wf.add_node("PythonCodeNode", "compose", {"function": compose_report})
    wf.add_node(
        "TextWriterNode", "publish", {"file_path": str(Path(settings.report_dir) / REPORT_FILE)}
    )

    wf.add_connection(source_node, source_output, "normalise", "data")
    wf.add_connection("normalise", "data", "apply_rules", "data")
    wf.add_connection("apply_rules", "result", "aggregate", "data")
    wf.add_connection("aggregate", "result", "prompt", "summary")
    wf.add_connection("prompt", "result", "analyse", "messages")
    wf.add_connection("aggregate", "result", "compose", "summary")
    wf.add_connection("analyse", "response", "compose", "response")
    wf.add_connection("compose", "result", "publish", "text")
    return wf


def main() -> int:
    """Produce the report with settings from the environment; 0 when it was published."""
    load_dotenv()
    settings = workflow_settings()
    configure_logging(settings.log_level, settings.sdk_log_level)
    Path(settings.report_dir).mkdir(parents=True, exist_ok=True)
    workflow = build_workflow(settings).build()
    try:
        # Default runtime settings: an LLM call that fails (success=False)
        # stops the run, so no report goes out without its analysis.
        with LocalRuntime() as runtime:
            results, run_id = runtime.execute(workflow)
    except KailashException:
        logger.exception("%s: the run failed", WORKFLOW_NAME)
        log_run(logger, WORKFLOW_NAME, None, outcome="failed")
        return 1

    failures = failed_nodes(results)
    summary = results.get("aggregate", {}).get("result") or {}
    log_run(
        logger,
        WORKFLOW_NAME,
        run_id,
        outcome="failed" if failures else "published",
        failed_nodes=failures,
        record_count=summary.get("record_count"),
        report=(results.get("publish") or {}).get("file_path"),
        llm_usage=(results.get("analyse") or {}).get("usage"),
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
