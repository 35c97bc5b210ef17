"""{{py_comment workflow_title}}: a report generation workflow of the {{py_comment system_name}} migration.

From: TODO the static report this workflow replaces (template, query, audience).
To:   a workflow that aggregates the data, asks an LLM for the analysis and
      publishes the report automatically.

    extract_<source>... -> combine -> normalise -> apply_rules -> aggregate
        aggregate -> prompt -> analyse (LLMAgentNode) -> compose -> publish

The figures are computed in Python and printed as they are; the LLM only writes
the commentary, and the report says so. LLMAgentNode comes from kailash-kaizen
(``import kaizen.nodes.ai``); the provider is set by LLM_PROVIDER / LLM_MODEL.

Sources: {{join workflow_sources ", "}}, read by sources.add_extract_nodes() (one
``extract_<source>`` node each, then ``combine``).
{{#each workflow_sources}}
{{#unless (includes ../data_sources this)}}
The project was created without the {{py_comment this}} source: before the first run,
read the notes on it at the top of sources.py.
{{/unless}}
{{/each}}
{{#unless (includes patterns "reporting")}}

Before the first run: the project was created without the report pattern, so
add ``kailash-kaizen`` to pyproject.toml, and LLM_PROVIDER, LLM_MODEL and
REPORT_DIR (with the provider's key or OLLAMA_BASE_URL) to .env.example.
{{/unless}}

Run it: ``python -m {{package_name}}.workflows.{{workflow_name}}``; the report is
written to REPORT_DIR. Importing this module does no IO.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from pathlib import Path

import kailash.nodes.code  # noqa: F401  registers PythonCodeNode
import kailash.nodes.data  # noqa: F401  registers CSVReaderNode, SQLDatabaseNode, TextWriterNode
import kaizen.nodes.ai  # noqa: F401  registers LLMAgentNode (package kailash-kaizen)
from kailash.runtime.local import LocalRuntime
from kailash.sdk_exceptions import KailashException
from kailash.workflow.builder import WorkflowBuilder

from .. import nodes, rules  # noqa: F401  importing nodes registers the project's custom nodes
from ..observability import configure_logging, failed_nodes, log_run
from ..settings import SYSTEM_NAME, Settings, load_dotenv
from ..sources import add_extract_nodes

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
    settings = config if config is not None else Settings.from_env()
    wf = WorkflowBuilder()

    source_node, source_output = add_extract_nodes(wf, settings, SOURCES)
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
    settings = Settings.from_env()
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
