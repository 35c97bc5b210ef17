"""{{py_comment workflow_title}}: an API integration workflow of the {{py_comment system_name}} migration.

From: TODO the point-to-point integration this workflow replaces (its client,
      its retry and error handling, who consumes its output).
To:   the standard pattern: records are sent to the target API (the gateway)
      with authentication, retries with backoff, and a dead-letter fallback.

    extract_<source>... -> combine -> normalise -> apply_rules -> to_payload -> push
        push -> receipt -> route
            route.true_output  -> delivery_log   (accepted by the target)
            route.false_output -> dead_letter    (kept for replay)

Sources: {{join workflow_sources ", "}}, read by sources.add_extract_nodes() (one
``extract_<source>`` node each, then ``combine``).
{{#each workflow_sources}}
{{#unless (includes ../data_sources this)}}
The project was created without the {{py_comment this}} source: before the first run,
read the notes on it at the top of sources.py.
{{/unless}}
{{/each}}

The steps after ``combine`` follow the project's API pattern: LegacyAdapterNode,
rules.py run by PythonCodeNode steps, RESTClientNode (push), SwitchNode,
JSONWriterNode. RESTClientNode has no rate limiting of its own: see
docs/migration-patterns.md.
{{#unless (or (includes data_sources "rest_api") (includes patterns "api"))}}

Before the first run: the project was created without REST nodes, so add
``kailash[http-client]`` and ``aiohttp`` to pyproject.toml (kailash.nodes.api
imports both).
{{/unless}}

Run it: ``python -m {{package_name}}.workflows.{{workflow_name}}``; the exit code
is 0 only when the target accepted the batch. Importing this module does no IO.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import kailash.nodes.api  # noqa: F401  registers RESTClientNode (needs aiohttp, see pyproject.toml)
import kailash.nodes.code  # noqa: F401  registers PythonCodeNode
import kailash.nodes.data  # noqa: F401  registers CSVReaderNode, SQLDatabaseNode, JSONWriterNode
import kailash.nodes.logic  # noqa: F401  registers SwitchNode
from kailash.runtime.local import LocalRuntime
from kailash.sdk_exceptions import KailashException
from kailash.workflow.builder import WorkflowBuilder

from .. import nodes, rules  # noqa: F401  importing nodes registers the project's custom nodes
from ..observability import configure_logging, failed_nodes, log_run
from ..settings import SYSTEM_NAME, Settings, load_dotenv
from ..sources import add_extract_nodes, bearer

WORKFLOW_NAME = {{py workflow_name}}
# The data sources this workflow reads, in the order of the extract nodes.
SOURCES = {{py workflow_sources}}
DELIVERY_LOG_FILE = f"{WORKFLOW_NAME}_delivery_log.json"
DEAD_LETTER_FILE = f"{WORKFLOW_NAME}_dead_letter.json"

logger = logging.getLogger(__name__)


def to_payload(data: list) -> dict:
    """The request body for the target API (runs as ``to_payload``).

    A JSON object, not a bare list: RESTClientNode sends dict bodies as JSON
    and anything else as a raw body. Agree this envelope with the API owner.
    """
    return {
        "source_system": SYSTEM_NAME,
        "workflow": WORKFLOW_NAME,
        "record_count": len(data),
        "records": data,
    }


def delivery_receipt(
    success: bool = False,
    status_code: int | None = None,
    response: Any = None,
    payload: dict | None = None,
) -> dict:
    """What happened to the batch (runs as ``receipt``); keeps the payload only when undelivered."""
    return {
        "delivered": bool(success),
        "status_code": status_code,
        "record_count": (payload or {}).get("record_count"),
        "response": response,
        "payload": None if success else payload,
    }


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
    wf.add_node("PythonCodeNode", "to_payload", {"function": to_payload})

    # Retry with backoff is built into RESTClientNode. A failed request does
    # not raise: the node returns success=False, which "receipt" and "route"
    # turn into the dead-letter branch (see main() for the runtime settings).
    wf.add_node(
        "RESTClientNode",
        "push",
        {
            "base_url": settings.target_api_base_url,
            "resource": settings.target_api_resource,
            "method": "POST",
            "timeout": 30,
            "retry_count": 3,
            "retry_backoff": 1.0,
            **bearer(settings.target_api_token),
        },
    )
    wf.add_node("PythonCodeNode", "receipt", {"function": delivery_receipt})
    wf.add_node(
        "SwitchNode", "route", {"condition_field": "delivered", "operator": "==", "value": True}
    )
    wf.add_node(
        "JSONWriterNode", "delivery_log", {"file_path": settings.output_path(DELIVERY_LOG_FILE)}
    )
    wf.add_node(
        "JSONWriterNode", "dead_letter", {"file_path": settings.output_path(DEAD_LETTER_FILE)}
    )

    wf.add_connection(source_node, source_output, "normalise", "data")
    wf.add_connection("normalise", "data", "apply_rules", "data")
    wf.add_connection("apply_rules", "result", "to_payload", "data")
    wf.add_connection("to_payload", "result", "push", "data")
    wf.add_connection("push", "success", "receipt", "success")
    wf.add_connection("push", "status_code", "receipt", "status_code")
    wf.add_connection("push", "data", "receipt", "response")
    wf.add_connection("to_payload", "result", "receipt", "payload")
    wf.add_connection("receipt", "result", "route", "input_data")
    wf.add_connection("route", "true_output", "delivery_log", "data")
    wf.add_connection("route", "false_output", "dead_letter", "data")
    return wf


def main() -> int:
    """Deliver one batch with settings from the environment; 0 when the target accepted it."""
    load_dotenv()
    settings = Settings.from_env()
    configure_logging(settings.log_level, settings.sdk_log_level)
    Path(settings.output_dir).mkdir(parents=True, exist_ok=True)
    workflow = build_workflow(settings).build()
    try:
        # content_aware_success_detection=False: by default the runtime stops
        # the run at the first node that returns success=False, so the
        # dead-letter branch would never run. The extract side stays safe:
        # "combine" raises when a source returned no data.
        # skip_branches: only the branch chosen by "route" runs.
        with LocalRuntime(
            conditional_execution="skip_branches", content_aware_success_detection=False
        ) as runtime:
            results, run_id = runtime.execute(workflow)
    except KailashException:
        logger.exception("%s: the run failed", WORKFLOW_NAME)
        log_run(logger, WORKFLOW_NAME, None, outcome="failed")
        return 1

    failures = failed_nodes(results)
    receipt = results.get("receipt", {}).get("result") or {}
    if failures:
        outcome = "failed"
    elif receipt.get("delivered"):
        outcome = "delivered"
    else:
        outcome = "dead_lettered"
    log_run(
        logger,
        WORKFLOW_NAME,
        run_id,
        outcome=outcome,
        failed_nodes=failures,
        record_count=receipt.get("record_count"),
        status_code=receipt.get("status_code"),
    )
    return 0 if outcome == "delivered" else 1


if __name__ == "__main__":
    raise SystemExit(main())
