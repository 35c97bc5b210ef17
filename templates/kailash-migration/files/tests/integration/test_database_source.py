"""The database source end to end, against a real SQLite database (sqlite3 ships with Python).

SQLDatabaseNode opens the URL in DATABASE_URL through SQLAlchemy; SQLite
stands in here for the production database{{#if database_kind}} ({{py_comment database_kind}}){{/if}}: the query,
the extract node, the result format and the steps after it are the same.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

from {{package_name}} import rules
from {{package_name}}.settings import Settings
from {{package_name}}.sources import add_extract_nodes

from conftest import SAMPLE_RECORDS, workflow_modules


@pytest.fixture
def legacy_db(tmp_path):
    """A SQLite file holding the sample records in a ``legacy_records`` table."""
    path = tmp_path / "legacy.db"
    columns = list(SAMPLE_RECORDS[0])
    with sqlite3.connect(path) as db:
        db.execute(f"CREATE TABLE legacy_records ({', '.join(f'{c} TEXT' for c in columns)})")
        db.executemany(
            f"INSERT INTO legacy_records VALUES ({', '.join('?' for _ in columns)})",
            [tuple(r[c] for c in columns) for r in SAMPLE_RECORDS],
        )
    return path


def test_the_extract_reads_every_row_and_the_adapter_accepts_them(legacy_db, tmp_path):
    settings = replace(Settings(), database_url=f"sqlite:///{legacy_db}", output_dir=str(tmp_path))
    wf = WorkflowBuilder()
    node, output = add_extract_nodes(wf, settings, ["database"])
    wf.add_node(
        "LegacyAdapterNode",
        "normalise",
        {
            "field_map": rules.FIELD_MAP,
            "date_fields": rules.DATE_FIELDS,
            "required_fields": rules.REQUIRED_FIELDS,
        },
    )
    wf.add_connection(node, output, "normalise", "data")
    with LocalRuntime() as runtime:
        results, _ = runtime.execute(wf.build())
    rows = results["combine"]["result"]
    assert [r["RECORD_ID"] for r in rows] == [r["RECORD_ID"] for r in SAMPLE_RECORDS]
    assert all(r["_source"] == "database" for r in rows)
    assert results["normalise"]["stats"] == {"received": 3, "accepted": 3, "rejected": 0}


# Runs the workflow in a fresh interpreter (conftest.run_workflow): its own limit.
@pytest.mark.timeout(45)
@pytest.mark.parametrize("name", workflow_modules())
def test_every_workflow_runs_on_the_database_source(name, legacy_db, run_workflow, target_env):
    env = {**target_env, "DATABASE_URL": f"sqlite:///{legacy_db}", "LLM_PROVIDER": "mock"}
    run = run_workflow(name, env, ["database"])
    assert run.returncode == 0, run.log[-3000:]
    assert run.summary["outcome"] in {"loaded", "delivered", "published"}
    assert run.executions("extract_database") == 1
    # The SDK's own "Unknown parameter(s) for SQLDatabaseNode" warning is not the project's.
    assert "Unknown parameter(s) for SQLDatabaseNode" not in run.log


@pytest.mark.timeout(45)
def test_a_missing_table_fails_the_run(tmp_path, run_workflow):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    run = run_workflow(workflow_modules()[0], {"DATABASE_URL": f"sqlite:///{empty}"}, ["database"])
    assert run.returncode == 1
    assert run.summary["failed_node"] == "extract_database"
    assert "legacy_records" in run.summary["error"]
{{#if (eq database_kind "sqlite")}}


@pytest.mark.timeout(45)
def test_a_default_run_without_the_database_file_creates_no_empty_one(tmp_path, run_workflow):
    run = run_workflow(workflow_modules()[0], {}, ["database"])  # DATABASE_URL's default
    assert run.returncode == 1
    assert run.summary["failed_node"] == "extract_database"
    assert not (tmp_path / "data" / "legacy.db").exists()
{{/if}}
