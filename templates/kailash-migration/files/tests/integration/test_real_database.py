"""The database source against a real {{label "database_kind" database_kind}}: the one the project reads in production.

Started by ``docker compose up -d --wait`` (compose.yaml) or by CI's service
container; ``TEST_DATABASE_URL`` points elsewhere (a SQLAlchemy URL). Where no
database answers, every test here is skipped with the reason and the command
that starts one: the rest of the suite needs none.
"""

from __future__ import annotations

import os
import socket

import pytest
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

from {{package_name}}.settings import Settings
from {{package_name}}.sources import add_extract_nodes

from conftest import SAMPLE_RECORDS, workflow_modules

{{#if (eq database_kind "postgresql")}}
COMPOSE_URL = "postgresql+psycopg://migration:migration@127.0.0.1:5432/legacy"
{{else}}
COMPOSE_URL = "mysql+pymysql://migration:migration@127.0.0.1:3306/legacy"
{{/if}}
URL = os.environ.get("TEST_DATABASE_URL") or COMPOSE_URL
TABLE = "legacy_records"


def reachable(url: str) -> str | None:
    """Why the database at ``url`` cannot be used, or None when it answers."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    host, port = parsed.host or "127.0.0.1", parsed.port or {{#if (eq database_kind "postgresql")}}5432{{else}}3306{{/if}}
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError as exc:
        return (
            f"no {{label "database_kind" database_kind}} reachable at {host}:{port} ({exc}); start one with "
            "`docker compose up -d --wait`, or set TEST_DATABASE_URL"
        )
    return None


pytestmark = pytest.mark.skipif(bool(reachable(URL)), reason=str(reachable(URL)))


@pytest.fixture
def legacy_table():
    """The sample records in a fresh ``legacy_records`` table; dropped afterwards."""
    from sqlalchemy import create_engine, text

    engine = create_engine(URL)
    columns = list(SAMPLE_RECORDS[0])
    # Quoted: the legacy layout's upper-case names (rules.FIELD_MAP) survive PostgreSQL,
    # which folds unquoted names to lower case.
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as db:
        db.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
        definitions = ", ".join(f"{quote(c)} VARCHAR(100)" for c in columns)
        db.execute(text(f"CREATE TABLE {TABLE} ({definitions})"))
        insert = f"INSERT INTO {TABLE} VALUES ({', '.join(f':{c}' for c in columns)})"
        db.execute(text(insert), SAMPLE_RECORDS)
    yield URL
    with engine.begin() as db:
        db.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
    engine.dispose()


def test_the_extract_reads_every_row_from_the_real_database(legacy_table, tmp_path):
    settings = Settings(database_url=legacy_table, output_dir=str(tmp_path))
    wf = WorkflowBuilder()
    node, output = add_extract_nodes(wf, settings, ["database"])
    with LocalRuntime() as runtime:
        results, _ = runtime.execute(wf.build(), time_limit=30)
    rows = results[node][output]
    assert sorted(r["RECORD_ID"] for r in rows) == [r["RECORD_ID"] for r in SAMPLE_RECORDS]
    assert all(r["_source"] == "database" for r in rows)


# Runs the workflow in a fresh interpreter (conftest.run_workflow): its own limit.
@pytest.mark.timeout(45)
@pytest.mark.parametrize("name", workflow_modules())
def test_every_workflow_runs_on_the_real_database(name, legacy_table, run_workflow, target_env):
    env = {**target_env, "DATABASE_URL": legacy_table, "LLM_PROVIDER": "mock"}
    run = run_workflow(name, env, ["database"])
    assert run.returncode == 0, run.log[-3000:]
    assert run.summary["outcome"] in {"loaded", "delivered", "published"}
    assert run.executions("extract_database") == 1
