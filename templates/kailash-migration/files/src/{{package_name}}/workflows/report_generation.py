"""Report generation migration for {{py_comment system_name}}.

From: static report templates filled by hand or by a scheduled query.
To:   a workflow that aggregates the data, asks an LLM for the analysis and
      publishes the report automatically.

    extract_<source>... -> combine -> normalise -> apply_rules -> aggregate
        aggregate -> prompt -> analyse (LLMAgentNode) -> compose -> publish

The figures are computed in Python and printed as they are; the LLM only writes
the commentary, and the report says so. LLMAgentNode comes from kailash-kaizen
(``import kaizen.nodes.ai``); the provider is set by LLM_PROVIDER / LLM_MODEL.
With LLM_PROVIDER=none there is no prompt or analyse step: the report carries
the figures only, and no LLM is contacted.

Run it: ``python -m {{package_name}}.workflows.report_generation``; the report is
written to REPORT_DIR. Importing this module does no IO.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import kailash.nodes.code  # noqa: F401  registers PythonCodeNode
import kailash.nodes.data  # noqa: F401  registers TextWriterNode
import kaizen.nodes.ai  # noqa: F401  registers LLMAgentNode (package kailash-kaizen)
from kailash.workflow.builder import WorkflowBuilder

from .. import nodes, rules  # noqa: F401  importing nodes registers LegacyAdapterNode
from ..runner import run_main
from ..settings import SYSTEM_NAME, Settings
from ..sources import add_extract_nodes, add_python_step

WORKFLOW_NAME = "report_generation"
REPORT_FILE = "latest-report.md"

SYSTEM_PROMPT = (
    "You are an operations analyst writing the commentary of a recurring business "
    "report. Use only the figures you are given, never invent or recompute numbers, "
    "point out anything unusual (concentrations, gaps, cancelled or pending items) "
    "and keep it under 250 words of plain Markdown without headings."
)


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
            "content": f"Figures for {SYSTEM_NAME}, as JSON:\n{figures}\n\nWrite the commentary.",
        }
    ]


def compose_report(summary: dict, response: dict | None = None) -> str:
    """The Markdown report (runs as ``compose``): figures first, then the labelled analysis."""
    period = summary.get("period") or {}
    lines = [
        f"# {SYSTEM_NAME}: report",
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
    if response is None:
        # LLM_PROVIDER=none: figures only, and the report says why there is no commentary.
        lines += ["", "No analysis: no LLM provider is configured (LLM_PROVIDER=none)."]
        return "\n".join(lines) + "\n"
    analysis = str(response.get("content") or "").strip()
    lines += ["", "## Analysis (AI-generated, check before acting on it)", "", analysis or "_none_"]
    return "\n".join(lines) + "\n"


def build_workflow(config: Settings | None = None) -> WorkflowBuilder:
    """The report workflow, wired but not run. ``config`` defaults to the environment."""
    settings = config if config is not None else Settings.from_env()
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
    add_python_step(wf, "apply_rules", rules.apply_business_rules)
    add_python_step(wf, "aggregate", aggregate)
    with_llm = settings.llm_provider != "none"
    if with_llm:
        add_python_step(wf, "prompt", analysis_messages)

        # Building LLMAgentNode makes no call; the provider is contacted at run
        # time. API keys come from the environment (OPENAI_API_KEY, ...); LLM_BASE_URL,
        # when set, replaces the provider's endpoint (see .env.example for the
        # addresses kaizen accepts).
        llm = {
            "provider": settings.llm_provider,
            "model": settings.llm_model,
            "system_prompt": SYSTEM_PROMPT,
            "generation_config": {"temperature": 0.2, "max_tokens": 800},
        }
        if settings.llm_base_url:
            llm["base_url"] = settings.llm_base_url
        wf.add_node("LLMAgentNode", "analyse", llm)
    add_python_step(wf, "compose", compose_report)
    # Distribution starts with a file in REPORT_DIR; to mail or post it, add an
    # HTTPRequestNode after "publish" (see docs/migration-patterns.md).
    wf.add_node(
        "TextWriterNode", "publish", {"file_path": str(Path(settings.report_dir) / REPORT_FILE)}
    )

    wf.add_connection(source_node, source_output, "normalise", "data")
    wf.add_connection("normalise", "data", "apply_rules", "data")
    wf.add_connection("apply_rules", "result", "aggregate", "data")
    wf.add_connection("aggregate", "result", "compose", "summary")
    if with_llm:
        wf.add_connection("aggregate", "result", "prompt", "summary")
        wf.add_connection("prompt", "result", "analyse", "messages")
        wf.add_connection("analyse", "response", "compose", "response")
    wf.add_connection("compose", "result", "publish", "text")
    return wf


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    """The run summary's fields."""
    summary = results["aggregate"]["result"]
    return {
        "outcome": "published",
        "output": results["publish"].get("file_path"),
        "record_count": summary.get("record_count"),
        "llm_usage": ((results.get("analyse") or {}).get("response") or {}).get("usage"),
    }


def main() -> int:
    """Produce the report with settings from the environment; 0 when it was published.

    An LLM call that fails (the provider refuses, is down, or kaizen's endpoint
    guard rejects its address) fails the "analyse" step: the run stops there
    and no report goes out without its analysis.
    """
    return run_main(WORKFLOW_NAME, build_workflow, summarize, success="published")


if __name__ == "__main__":
    raise SystemExit(main())
