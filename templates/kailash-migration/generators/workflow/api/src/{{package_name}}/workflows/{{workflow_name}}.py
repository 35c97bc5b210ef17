"""{{py_comment workflow_title}}: an API integration workflow of the {{py_comment system_name}} migration.

{{#if legacy_from}}
From: {{py_comment legacy_from}}
{{else}}
From: TODO the point-to-point integration this workflow replaces (its client,
      its retry and error handling, who consumes its output).
{{/if}}
{{#if (eq workflow_delivery "sftp")}}
To:   the standard pattern: records are delivered as one file to the partner's
      SFTP server (SFTP_TARGET_*), atomically and within a deadline, with a
      dead-letter fallback.

    extract_<source>... -> combine -> normalise -> apply_rules -> to_payload -> upload
        upload -> receipt -> record
            record writes the delivery log when the file arrived under its name,
            the dead-letter file (with the payload, for replay) when it did not
{{else}}
To:   the standard pattern: records are sent to the target API (the gateway)
      with authentication, retries with backoff, and a dead-letter fallback.

    extract_<source>... -> combine -> normalise -> apply_rules -> to_payload -> push
        push -> receipt -> record
            record writes the delivery log when the target accepted the batch,
            the dead-letter file (with the payload, for replay) when it did not
{{/if}}

Sources: {{join workflow_sources ", "}}, read by sources.add_extract_nodes() (one
``extract_<source>`` node each, then ``combine``).
{{#each workflow_sources}}
{{#unless (includes ../data_sources this)}}
The project was created without the {{py_comment this}} source: before the first run,
read the notes on it at the top of sources.py.
{{/unless}}
{{/each}}

{{#if (eq workflow_delivery "sftp")}}
The steps after ``combine`` follow the project's API pattern: LegacyAdapterNode,
rules.py run by PythonCodeNode steps, SFTPDeliveryNode (upload; a part file
renamed when complete, known host keys only, bounded by SFTP_TARGET_TIMEOUT and
SFTP_TARGET_DEADLINE, see nodes/sftp_target.py), OutcomeWriterNode. One file per
batch; its name is SFTP_TARGET_FILE_NAME.
{{else}}
The steps after ``combine`` follow the project's API pattern: LegacyAdapterNode,
rules.py run by PythonCodeNode steps, ResilientHTTPNode (push; the retry policy
of retry.py), OutcomeWriterNode. Rate limiting: see docs/migration-patterns.md.
{{/if}}
{{#unless (or (includes data_sources "rest_api") (includes patterns "api") (eq workflow_delivery "sftp"))}}

Before the first run: the project was created without HTTP steps, so add
``kailash[http-client]`` and ``aiohttp`` to pyproject.toml (ResilientHTTPNode
sends through kailash.nodes.api, which imports both).
{{/unless}}

Run it: ``python -m {{package_name}}.workflows.{{workflow_name}}`` (schedule:
deploy/kubernetes/{{workflow_name}}-cronjob.yaml); the exit code is 0 only when
the target accepted the batch. Importing this module does no IO.
"""

from __future__ import annotations

from typing import Any

import kailash.nodes.code  # noqa: F401  registers PythonCodeNode
from kailash.workflow.builder import WorkflowBuilder

from .. import nodes, rules  # noqa: F401  importing nodes registers the custom nodes
from ..runner import run_main
from ..settings import SYSTEM_NAME, Settings
{{#if (eq workflow_delivery "sftp")}}
from ..sources import add_extract_nodes, add_python_step
{{else}}
from ..sources import add_extract_nodes, add_python_step, http_step
{{/if}}

WORKFLOW_NAME = {{py workflow_name}}
# The data sources this workflow reads, in the order of the extract nodes.
SOURCES = {{py workflow_sources}}
DELIVERY_LOG_FILE = f"{WORKFLOW_NAME}_delivery_log.json"
DEAD_LETTER_FILE = f"{WORKFLOW_NAME}_dead_letter.json"
{{#if (eq workflow_delivery "sftp")}}
# The step that delivers the batch: an upload to the partner's SFTP server.
DELIVERY_NODE = "upload"
{{else}}
# The step that delivers the batch: a POST to the target API.
DELIVERY_NODE = "push"
{{/if}}


def to_payload(data: list) -> dict:
    """The request body for the target API (runs as ``to_payload``).

    A JSON object, not a bare list, so the envelope can grow (a batch id, a
    schema version) without breaking the receiver. Agree it with the API owner.
    """
    return {"source_system": SYSTEM_NAME, "record_count": len(data), "records": data}


def delivery_receipt(
    ok: bool = False,
    status_code: int | None = None,
    attempts: int | None = None,
    error: str | None = None,
    response: Any = None,
    payload: dict | None = None,
    rejected: list | None = None,
) -> dict:
    """What happened to the batch (runs as ``receipt``); keeps the payload only when undelivered.

    The records the adapter rejected are never sent; they are kept here, with
    their reasons, so the delivery log or dead-letter file holds them too.
    """
    return {
        "delivered": bool(ok),
        "status_code": status_code,
        "attempts": attempts,
        "error": error,
        "record_count": (payload or {}).get("record_count"),
        "response": response,
        "payload": None if ok else payload,
        "rejected": list(rejected or []),
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
    add_python_step(wf, "apply_rules", rules.apply_business_rules)
    add_python_step(wf, "to_payload", to_payload)

{{#if (eq workflow_delivery "sftp")}}
    # A file the partner's server does not take is not lost: the node reports
    # it (ok False), and "record" writes it to the dead-letter file (exit code 1).
    wf.add_node(
        "SFTPDeliveryNode",
        DELIVERY_NODE,
        {
            "host": settings.sftp_target_host,
            "port": settings.sftp_target_port,
            "username": settings.sftp_target_username,
            "password": settings.sftp_target_password,
            "key_path": settings.sftp_target_key_path,
            "known_hosts_path": settings.sftp_target_known_hosts,
            "remote_dir": settings.sftp_target_remote_dir,
            "file_name": settings.sftp_target_file_name,
            "timeout": settings.sftp_target_timeout,
            "attempts": settings.sftp_target_attempts,
            "deadline": settings.sftp_target_deadline,
        },
    )
{{else}}
    # fail_on_error=False: a batch the target still refuses after the retries is
    # not lost, "record" writes it to the dead-letter file (and the exit code is 1).
    wf.add_node(
        "ResilientHTTPNode",
        DELIVERY_NODE,
        {
            "base_url": settings.target_api_base_url,
            "resource": settings.target_api_resource,
            "method": "POST",
            "auth_token": settings.target_api_token,
            "fail_on_error": False,
            # Whatever the gateway answers a delivery with (an empty 202 too) is kept.
            "expect_json": False,
            **http_step(settings),
        },
    )
{{/if}}
    add_python_step(wf, "receipt", delivery_receipt)
    wf.add_node(
        "OutcomeWriterNode",
        "record",
        {
            "flag": "delivered",
            "true_path": settings.output_path(DELIVERY_LOG_FILE),
            "true_outcome": "delivered",
            "false_path": settings.output_path(DEAD_LETTER_FILE),
            "false_outcome": "dead_lettered",
        },
    )

    wf.add_connection(source_node, source_output, "normalise", "data")
    wf.add_connection("normalise", "data", "apply_rules", "data")
    wf.add_connection("apply_rules", "result", "to_payload", "data")
    wf.add_connection("to_payload", "result", DELIVERY_NODE, "data")
    for output in ("ok", "status_code", "attempts", "error"):
        wf.add_connection(DELIVERY_NODE, output, "receipt", output)
    wf.add_connection(DELIVERY_NODE, "data", "receipt", "response")
    wf.add_connection("to_payload", "result", "receipt", "payload")
    wf.add_connection("normalise", "rejected", "receipt", "rejected")
    wf.add_connection("receipt", "result", "record", "data")
    return wf


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    """The run summary's fields."""
    receipt = results["receipt"]["result"]
    return {
        "outcome": results["record"]["outcome"],
        "output": results["record"]["file_path"],
        "record_count": receipt["record_count"],
        "rejected_count": len(receipt["rejected"]),
        "status_code": receipt["status_code"],
        "attempts": receipt["attempts"],
        "error": receipt["error"],
    }


def main() -> int:
    """Deliver one batch with settings from the environment; 0 when the target accepted it."""
    return run_main(WORKFLOW_NAME, build_workflow, summarize, success="delivered")


if __name__ == "__main__":
    raise SystemExit(main())
