"""Tests of database.py: opening a connection is bounded, whatever the driver.

The hook is driven here with stand-in dialects (a driver that never answers,
one that fails, one that answers late); tests/e2e/test_failure_paths.py runs
the real driver of the project's database against a server that never answers.
"""

from __future__ import annotations

import threading

import pytest

from {{package_name}} import database


class Dialect:
    """A dialect whose driver connects as ``connect`` says."""

    def __init__(self, connect, name: str = "somedb"):
        self.name = name
        self._connect = connect

    def connect(self, *cargs, **cparams):
        return self._connect(*cargs, **cparams)


class Connection:
    def __init__(self) -> None:
        self.closed = threading.Event()

    def close(self) -> None:
        self.closed.set()


@pytest.fixture
def limit(monkeypatch):
    monkeypatch.setattr(database, "_limit", {"seconds": 0.2})


def test_a_driver_that_never_answers_is_given_up_after_the_limit(limit):
    never = threading.Event()
    dialect = Dialect(lambda *a, **k: never.wait())
    with pytest.raises(TimeoutError, match=r"somedb database accepted no login within 0\.2 s"):
        database.connect_within_limit(dialect, None, (), {})
    never.set()


def test_the_drivers_own_error_is_raised_as_it_is(limit):
    def refuse(*cargs, **cparams):
        raise ConnectionRefusedError("refused")

    with pytest.raises(ConnectionRefusedError, match="refused"):
        database.connect_within_limit(Dialect(refuse), None, (), {})


def test_a_connection_in_time_is_returned_with_the_drivers_arguments(limit):
    made = Connection()
    seen = []

    def connect(*cargs, **cparams):
        seen.append((cargs, cparams))
        return made

    got = database.connect_within_limit(Dialect(connect), None, ("dsn",), {"user": "ro"})
    assert got is made and not made.closed.is_set()
    assert seen == [(("dsn",), {"user": "ro"})]


def test_a_connection_that_arrives_after_the_limit_is_closed(limit):
    late, release = Connection(), threading.Event()

    def connect(*cargs, **cparams):
        release.wait()
        return late

    with pytest.raises(TimeoutError):
        database.connect_within_limit(Dialect(connect), None, (), {})
    release.set()
    assert late.closed.wait(0.5)


def test_sqlite_and_an_unset_limit_connect_as_usual(limit, monkeypatch):
    # None: SQLAlchemy opens the connection itself, on its own thread.
    assert database.connect_within_limit(Dialect(Connection, "sqlite"), None, (), {}) is None
    monkeypatch.setattr(database, "_limit", {})
    assert database.connect_within_limit(Dialect(Connection), None, (), {}) is None


def test_the_limit_must_be_above_zero():
    with pytest.raises(ValueError, match="DATABASE_CONNECT_TIMEOUT"):
        database.bound_connections(0)


def test_sqlalchemy_calls_the_hook_for_every_engine(monkeypatch):
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    monkeypatch.setattr(database, "_limit", {})
    database.bound_connections(15)
    database.bound_connections(15)  # once only, however often workflows are built
    assert event.contains(Engine, "do_connect", database.connect_within_limit)
    assert database._limit == {"seconds": 15.0}
