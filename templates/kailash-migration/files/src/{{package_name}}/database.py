"""How long opening a database connection may take, whatever the driver.

A database that accepts the TCP connection and then never answers (a hung
listener, a half-open firewall, a server stuck in recovery) holds a run for
ever with most drivers' defaults: PyMySQL's ``connect_timeout`` bounds the TCP
connect only, not the handshake that follows; python-oracledb's thin mode has
no setting for the handshake at all (its ``tcp_connect_timeout`` is the TCP
connect too); an ODBC driver's login timeout is the driver's own. So every
connection SQLAlchemy opens in the process (SQLDatabaseNode's included) is
opened on a helper thread and given up after ``DATABASE_CONNECT_TIMEOUT``
seconds: the extract step fails, naming the setting, well within the run's
30 s budget. A query on an open connection is not bounded here: a long extract
is legitimate (the run's own limit is ``RUN_TIME_LIMIT_SECONDS``).

SQLite opens a local file, and its connections may not change threads: it is
connected as usual. A connection that arrives after the limit is closed.

Importing this module does no IO and does not import SQLAlchemy.
"""

from __future__ import annotations

import threading
from typing import Any

# The limit in force (seconds); bound_connections() sets it for the whole process.
_limit: dict[str, float] = {}
# Dialects connected as usual: local files, and connections bound to their thread.
LOCAL_DIALECTS = ("sqlite",)


def bound_connections(seconds: float) -> None:
    """Give every connection SQLAlchemy opens in this process at most ``seconds`` to open."""
    if not seconds > 0:
        raise ValueError(f"DATABASE_CONNECT_TIMEOUT: expected a number above 0, got {seconds!r}")
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    _limit["seconds"] = float(seconds)
    if not event.contains(Engine, "do_connect", connect_within_limit):
        event.listen(Engine, "do_connect", connect_within_limit)


def connect_within_limit(dialect: Any, record: Any, cargs: tuple, cparams: dict) -> Any:
    """SQLAlchemy's ``do_connect`` hook: the driver's connect, given up after the limit."""
    seconds = _limit.get("seconds")
    if seconds is None or dialect.name in LOCAL_DIALECTS:
        return None  # SQLAlchemy connects as usual
    lock = threading.Lock()
    outcome: dict[str, Any] = {}

    def connect() -> None:
        try:
            connection = dialect.connect(*cargs, **cparams)
        except BaseException as exc:  # handed to the caller, raised there
            with lock:
                outcome["error"] = exc
            return
        with lock:
            late = "gave_up" in outcome
            if not late:
                outcome["connection"] = connection
        if late:
            try:
                connection.close()
            except Exception:
                pass

    worker = threading.Thread(target=connect, name="database-connect", daemon=True)
    worker.start()
    worker.join(seconds)
    with lock:
        if not outcome:
            outcome["gave_up"] = True
    if "error" in outcome:
        raise outcome["error"]
    if "connection" in outcome:
        return outcome["connection"]
    raise TimeoutError(
        f"the {dialect.name} database accepted no login within {seconds:g} s "
        "(DATABASE_CONNECT_TIMEOUT): is the server up and answering?"
    )
