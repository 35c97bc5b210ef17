"""Extract step shared by every workflow: one Kailash node per data source.

The legacy system's data sources are read here and nowhere else, so a change
to how a source is read (a new query, a different export path, pagination) is
made once, for every workflow. Any of the seven sources can be read, not only
the ones the project was created with (``DATA_SOURCES``): a workflow added
later passes its own list to :func:`add_extract_nodes`.
{{#unless (includes data_sources "database")}}

Before a workflow reads the database source: the project was created without
it, so pyproject.toml lists no database driver. Add SQLAlchemy's driver for
DATABASE_URL (for example ``kailash[db-postgres]`` and ``psycopg[binary]``).
{{/unless}}
{{#unless (or (includes data_sources "rest_api") (includes patterns "api"))}}

Before a workflow reads the rest_api source: the project was created without
HTTP steps, so add ``kailash[http-client]`` and ``aiohttp`` to pyproject.toml
(ResilientHTTPNode sends through kailash.nodes.api, which imports both).
{{/unless}}
{{#unless (includes data_sources "sftp")}}

The project has no SFTP reader node, so ``extract_sftp`` is a placeholder that
fails the run (see missing_source_node()).
{{/unless}}
{{#if (includes data_sources "other")}}

The project's other source{{#if data_source_other}} ({{py_comment data_source_other}}){{/if}} has no node yet:
``extract_other`` is a placeholder that fails the run until you write one
(see _extract_other()).
{{/if}}
{{#unless (includes data_sources "queue")}}

The project has no queue consumer node, so ``extract_queue`` is a placeholder
that fails the run (see missing_source_node()).
{{/unless}}

Node ids are stable (``extract_<source>`` and ``combine``): tests, docs and
monitoring refer to them. Importing this module does no IO.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import kailash.nodes.code  # noqa: F401  registers PythonCodeNode
import kailash.nodes.data  # noqa: F401  registers CSVReaderNode, SQLDatabaseNode, writers
from kailash.workflow.builder import WorkflowBuilder

from . import nodes  # noqa: F401  registers the project's custom nodes
from .database import bound_connections
from .settings import Settings

# Every source a workflow can read, and the ones this project was created with
# (what add_extract_nodes() reads when a workflow names none).
ALL_SOURCES = ("csv", "database", "rest_api", "sftp", "queue", "spreadsheet", "other")
DATA_SOURCES = {{py data_sources}}

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
    if isinstance(batch, (str, bytes)):
        # A source node that hands on text: never read it one character at a time.
        raise ValueError(
            f"source {source!r} returned text, not records: see the extract_{source} node"
        )
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
    sources: list,
    csv: Any = None,
    database: Any = None,
    rest_api: Any = None,
    sftp: Any = None,
    queue: Any = None,
    spreadsheet: Any = None,
    other: Any = None,
) -> list[dict[str, Any]]:
    """The records of every source in ``sources``, in one list (runs as ``combine``).

    ``sources`` comes from the node's config; each source's batch from its
    ``extract_<source>`` node.
    """
    batches = {
        "csv": csv,
        "database": database,
        "rest_api": rest_api,
        "sftp": sftp,
        "queue": queue,
        "spreadsheet": spreadsheet,
        "other": other,
    }
    return [row for name in sources for row in rows_of(name, batches[name])]


def missing_source_node(source: str) -> list:
    """Stands in for the extract of a source the project has no node for, and fails the run.

    Runs as ``extract_<source>`` for sftp or queue when the project was created
    without that source, and for the other source until its node is written,
    so a workflow reading it still builds. Write the node
    (``create-migration add node SftpDropReader`` or ``add node QueueConsumer``
    gives a stub), then add it in the source's function below.
    """
    raise NotImplementedError(
        f"extract_{source}: this project has no {source} source node yet; "
        "see missing_source_node() in sources.py"
    )


def http_step(settings: Settings) -> dict[str, Any]:
    """The retry and timeout settings of an HTTP step (ResilientHTTPNode, see retry.py)."""
    return {
        "timeout": settings.http_timeout,
        "attempts": settings.http_retry_attempts,
        "base_delay": settings.http_retry_base_delay,
        "max_delay": settings.http_retry_max_delay,
        "deadline": settings.http_retry_deadline,
    }


def add_python_step(wf: WorkflowBuilder, node_id: str, function: Callable, **inputs: Any) -> None:
    """Add a PythonCodeNode running ``function`` as ``node_id``; ``inputs`` are fixed inputs.

    Kailash 2.63 names a function's PythonCodeNode after its class, so each such
    step logged as "PythonCodeNode" and could not be told apart; giving the node
    its id (``_node_id``) makes it log as ``kailash.nodes.<node_id>``.
    """
    wf.add_node("PythonCodeNode", node_id, {"function": function, "_node_id": node_id, **inputs})


def _extract_csv(wf: WorkflowBuilder, settings: Settings) -> str:
    # CSVReaderNode reads the whole file into memory (the SDK suggests files up
    # to about 100 MB) and yields every value as text: typing happens later.
    wf.add_node("CSVReaderNode", "extract_csv", {"file_path": settings.csv_input_path})
    return "data"


def _extract_spreadsheet(wf: WorkflowBuilder, settings: Settings) -> str:
    # Spreadsheets are read from their CSV export: Kailash's file nodes refuse
    # .xlsx (it is not in the SDK's allowed file extensions). If exporting is not
    # possible, write a custom node with openpyxl like nodes/legacy_adapter.py.
    wf.add_node(
        "CSVReaderNode", "extract_spreadsheet", {"file_path": settings.spreadsheet_export_path}
    )
    return "data"


def _extract_database(wf: WorkflowBuilder, settings: Settings) -> str:
    # SQLDatabaseNode opens its connection pool lazily, at run time: building the
    # workflow never touches the database. Bind values with :name placeholders
    # and a dict in "parameters", never by formatting them into the query.
    # Opening the connection is bounded by DATABASE_CONNECT_TIMEOUT (database.py).
    bound_connections(settings.database_connect_timeout)
    wf.add_node(
        "SQLDatabaseNode",
        "extract_database",
        {
            "connection_string": settings.database_url,
            "query": settings.source_query,
            "result_format": "dict",
        },
    )
    return "data"


def _extract_rest_api(wf: WorkflowBuilder, settings: Settings) -> str:
    # ResilientHTTPNode (nodes/http_client.py) retries transient failures (no
    # response, 408, 429, 5xx) with the backoff of retry.py, then fails the run.
    # It reads one response: if the legacy API pages its results, loop over
    # the pages in a custom node or one query window per run.
    wf.add_node(
        "ResilientHTTPNode",
        "extract_rest_api",
        {
            "base_url": settings.source_api_base_url,
            "resource": settings.source_api_resource,
            "method": "GET",
            "auth_token": settings.source_api_token,
            **http_step(settings),
        },
    )
    return "data"


def _extract_sftp(wf: WorkflowBuilder, settings: Settings) -> str:
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
    return "data"
{{else}}
    # Placeholder: the project was created without the SFTP source (see above).
    add_python_step(wf, "extract_sftp", missing_source_node, source="sftp")
    return "result"
{{/if}}


def _extract_queue(wf: WorkflowBuilder, settings: Settings) -> str:
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
    return "data"
{{else}}
    # Placeholder: the project was created without the queue source (see above).
    add_python_step(wf, "extract_queue", missing_source_node, source="queue")
    return "result"
{{/if}}


def _extract_other(wf: WorkflowBuilder, settings: Settings) -> str:
    # Placeholder for the legacy source that fits none of the others (mainframe
    # files, a database without a SQLAlchemy dialect, ...): write a node for it
    # (``create-migration add node``), add it here and return its output name.
    add_python_step(wf, "extract_other", missing_source_node, source="other")
    return "result"


# source -> the function adding its ``extract_<source>`` node, which returns the
# node's output that carries the records.
EXTRACTORS: dict[str, Callable[[WorkflowBuilder, Settings], str]] = {
    "csv": _extract_csv,
    "database": _extract_database,
    "rest_api": _extract_rest_api,
    "sftp": _extract_sftp,
    "queue": _extract_queue,
    "spreadsheet": _extract_spreadsheet,
    "other": _extract_other,
}


def add_extract_nodes(
    wf: WorkflowBuilder, settings: Settings, sources: Sequence[str] | None = None
) -> tuple[str, str]:
    """Add one extract node per source and the ``combine`` node that joins them.

    ``sources`` defaults to the project's ``DATA_SOURCES``; any of ``ALL_SOURCES``
    may be named. Returns ``(node_id, output)``: where the next step connects
    its ``data`` input.
    """
    chosen = list(DATA_SOURCES if sources is None else sources)
    unknown = [source for source in chosen if source not in EXTRACTORS]
    if unknown or not chosen or len(set(chosen)) != len(chosen):
        raise ValueError(f"sources must be distinct names from {ALL_SOURCES}, got {chosen}")
    outputs = {source: EXTRACTORS[source](wf, settings) for source in chosen}
    add_python_step(wf, "combine", combine_sources, sources=chosen)
    for source, output in outputs.items():
        wf.add_connection(f"extract_{source}", output, "combine", source)
    return "combine", "result"
