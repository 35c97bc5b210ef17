"""Extract step shared by every workflow: one Kailash node per data source.

The legacy system's data sources are read here and nowhere else, so a change
to how a source is read (a new query, a different export path, pagination) is
made once, for every workflow.

Node ids are stable (``extract_<source>`` and ``combine``): tests, docs and
monitoring refer to them. Importing this module does no IO.
"""

from __future__ import annotations

from typing import Any

{{#if (includes data_sources "rest_api")}}
import kailash.nodes.api  # noqa: F401  registers RESTClientNode (needs aiohttp, see pyproject.toml)
{{/if}}
import kailash.nodes.code  # noqa: F401  registers PythonCodeNode
import kailash.nodes.data  # noqa: F401  registers CSVReaderNode, SQLDatabaseNode, writers
from kailash.workflow.builder import WorkflowBuilder

from . import nodes  # noqa: F401  registers the project's custom nodes
from .settings import Settings

# Keys under which APIs and queues commonly wrap a list of records.
ENVELOPE_KEYS = ("data", "items", "results", "records")


def rows_of(source: str, batch: Any) -> list[dict[str, Any]]:
    """The records in one source's output, each tagged with ``_source``.

    Accepts a list of records or a JSON envelope holding one; a source that
    produced nothing at all (``None``) is an error, never an empty batch,
    because a silently empty extract is how data goes missing in a migration.
    """
    if batch is None:
        raise ValueError(f"source {source!r} returned no data: see the extract_{source} node")
    if isinstance(batch, dict):
        wrapped = next((batch[k] for k in ENVELOPE_KEYS if isinstance(batch.get(k), list)), None)
        batch = wrapped if wrapped is not None else [batch]
    rows = []
    for item in batch:
        row = dict(item) if isinstance(item, dict) else {"value": item}
        row.setdefault("_source", source)
        rows.append(row)
    return rows


def combine_sources(
{{#each data_sources}}
    {{this}}: Any = None,
{{/each}}
) -> list[dict[str, Any]]:
    """All sources' records in one list (runs as the ``combine`` PythonCodeNode)."""
    batches = {
{{#each data_sources}}
        {{py this}}: {{this}},
{{/each}}
    }
    return [row for name, batch in batches.items() for row in rows_of(name, batch)]


def bearer(token: str | None) -> dict[str, str]:
    """RESTClientNode auth settings for a bearer token, or none when no token is set."""
    return {"auth_type": "bearer", "auth_token": token} if token else {}


def add_extract_nodes(wf: WorkflowBuilder, settings: Settings) -> tuple[str, str]:
    """Add one extract node per source and the ``combine`` node that joins them.

    Returns ``(node_id, output)``: where the next step connects its ``data`` input.
    """
{{#if (includes data_sources "csv")}}
    # CSVReaderNode reads the whole file into memory (the SDK suggests files up
    # to about 100 MB) and yields every value as text: typing happens later.
    wf.add_node("CSVReaderNode", "extract_csv", {"file_path": settings.csv_input_path})
{{/if}}
{{#if (includes data_sources "spreadsheet")}}
    # Spreadsheets are read from their CSV export: Kailash's file nodes refuse
    # .xlsx (it is not in the SDK's allowed file extensions). If exporting is not
    # possible, write a custom node with openpyxl like nodes/legacy_adapter.py.
    wf.add_node(
        "CSVReaderNode", "extract_spreadsheet", {"file_path": settings.spreadsheet_export_path}
    )
{{/if}}
{{#if (includes data_sources "database")}}
    # SQLDatabaseNode opens its connection pool lazily, at run time: building the
    # workflow never touches the database. Bind values with :name placeholders
    # and a dict in "parameters", never by formatting them into the query.
    wf.add_node(
        "SQLDatabaseNode",
        "extract_database",
        {
            "connection_string": settings.database_url,
            "query": settings.source_query,
            "result_format": "dict",
        },
    )
{{/if}}
{{#if (includes data_sources "rest_api")}}
    # RESTClientNode retries with backoff on its own; "paginate" follows next
    # links when the legacy API pages its results.
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
{{/if}}
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
{{/if}}
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
{{/if}}

    wf.add_node("PythonCodeNode", "combine", {"function": combine_sources})
{{#each data_sources}}
    wf.add_connection("extract_{{this}}", "data", "combine", {{py this}})
{{/each}}
    return "combine", "result"
