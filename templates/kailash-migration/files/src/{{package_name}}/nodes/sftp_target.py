"""SFTPDeliveryNode: uploads a batch as one file to a partner's SFTP server.

Kailash has no SFTP node, so this custom node wraps paramiko (a dependency of
this project, see pyproject.toml). It is the ``upload`` step of the API
integration workflow when the project delivers to SFTP (SFTP_TARGET_* in
.env.example), and it answers like ResilientHTTPNode: ``ok``, ``status_code``
(always None), ``attempts``, ``error`` and ``data`` (where the file went), so
the same ``receipt`` and ``record`` steps write the delivery log or the dead
letter.

How a file is delivered:

* atomically on the partner's side: it is written as ``.<name>.part`` in the
  remote directory (a hidden name a partner's ``*.csv`` pickup does not match),
  then renamed to ``<name>``; a transfer that fails removes the part file, so
  the partner never sees half a file under the real name. An existing file of
  the same name is never overwritten: the delivery fails and is dead-lettered.
* bounded in time: connecting, the server's banner, authentication and every
  SFTP operation each wait at most ``timeout`` seconds, and a watchdog closes
  the connection when the whole delivery passes ``deadline`` seconds, so a
  server that accepts and never answers fails the step within the deadline.
* against a known host key only: keys come from the system's known_hosts and
  ``known_hosts_path``; an unknown host is refused, never trusted on first use.

A refused or lost connection is tried again (``attempts`` in all, within the
deadline); a refused login, an unknown host key, a missing key or known_hosts
file or a file that already exists is not, since trying again cannot change
the answer.

:func:`deliver` holds the logic and takes the connection as a function, so the
unit tests run it against a fake transport (tests/test_sftp_target.py).
"""

from __future__ import annotations

import posixpath
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kailash.nodes.base import Node, NodeParameter, register_node

from .outcome_writer import csv_text

PART_PREFIX = "."
PART_SUFFIX = ".part"
# Pause between attempts after a refused or lost connection, in seconds.
RETRY_DELAY = 0.5


class PermanentDeliveryError(Exception):
    """A refusal that another attempt cannot change (login, host key, existing file)."""


def remote_file_name(template: str, now: datetime | None = None) -> str:
    """The file name on the partner's side: ``template`` with ``{timestamp}`` filled in.

    The name must stay one plain file name: no directory part, no leading dot
    (the part-file prefix), nothing but letters, digits and ``._-`` .
    """
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    name = template.replace("{timestamp}", stamp)
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    if not name or name.startswith(".") or set(name) - allowed or len(name) > 200:
        raise ValueError(
            f"SFTP_TARGET_FILE_NAME: {template!r} does not give a plain file name "
            "(letters, digits and ._- only, not starting with a dot, {timestamp} allowed)"
        )
    return name


def file_content(payload: dict[str, Any], name: str) -> bytes:
    """What is uploaded: the records as CSV for a ``.csv`` name, else the payload as JSON."""
    import json

    if name.endswith(".csv"):
        return csv_text(list(payload.get("records") or [])).encode("utf-8")
    return (json.dumps(payload, indent=2, default=str) + "\n").encode("utf-8")


def upload(sftp: Any, remote_dir: str, name: str, content: bytes) -> str:
    """Write ``content`` as ``remote_dir/name`` through a part file and a rename; the final path."""
    import io

    final = posixpath.join(remote_dir, name)
    part = posixpath.join(remote_dir, f"{PART_PREFIX}{name}{PART_SUFFIX}")
    try:
        sftp.stat(final)
    except FileNotFoundError:
        pass
    else:
        raise PermanentDeliveryError(f"{final} already exists on the server; not overwritten")
    try:
        sftp.putfo(io.BytesIO(content), part, file_size=len(content), confirm=True)
        sftp.rename(part, final)
    except BaseException:
        try:
            sftp.remove(part)
        except Exception:  # noqa: BLE001  best effort: the connection may be gone
            pass
        raise
    return final


def deliver(
    open_sftp: Callable[[float], Any],
    payload: dict[str, Any],
    *,
    remote_dir: str,
    file_name: str,
    attempts: int = 2,
    deadline: float = 20.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Upload ``payload`` once, trying again after a lost connection; the step's outputs.

    ``open_sftp(seconds_left)`` returns a connected SFTP client (a context
    manager) or raises; ``PermanentDeliveryError`` ends the tries at once.
    Never raises for a delivery that failed: the outputs say so (``ok`` False).
    """
    started = clock()
    name = remote_file_name(file_name)
    content = file_content(payload, name)
    tried = 0
    error = "no attempt made"
    while tried < max(1, attempts):
        left = deadline - (clock() - started)
        if left <= 0:
            error = f"{error}; delivery deadline of {deadline:g} s reached"
            break
        tried += 1
        try:
            with open_sftp(left) as sftp:
                path = upload(sftp, remote_dir, name, content)
            return {
                "ok": True,
                "status_code": None,
                "attempts": tried,
                "error": None,
                "data": {"remote_path": path, "bytes": len(content)},
            }
        except PermanentDeliveryError as exc:
            error = str(exc)
            break
        except Exception as exc:  # noqa: BLE001  a lost connection: try again if time allows
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            if tried < attempts and deadline - (clock() - started) > RETRY_DELAY:
                sleep(RETRY_DELAY)
    return {
        "ok": False,
        "status_code": None,
        "attempts": tried,
        "error": f"SFTP delivery of {name} failed after {tried} attempt(s): {error}",
        "data": None,
    }


class _Session:
    """An SSH connection and its SFTP channel, closed together; a watchdog bounds its life."""

    def __init__(self, client: Any, sftp: Any, watchdog: threading.Timer) -> None:
        self.client, self.sftp, self.watchdog = client, sftp, watchdog

    def __enter__(self) -> Any:
        return self.sftp

    def __exit__(self, *exc: object) -> None:
        self.watchdog.cancel()
        self.client.close()


def paramiko_opener(config: dict[str, Any]) -> Callable[[float], Any]:
    """``open_sftp`` for :func:`deliver`: a real connection with paramiko, host key checked."""
    import paramiko

    timeout = float(config.get("timeout") or 5)

    def open_sftp(seconds_left: float) -> _Session:
        client = paramiko.SSHClient()
        client.load_system_host_keys()
        if config.get("known_hosts_path"):
            try:
                client.load_host_keys(config["known_hosts_path"])
            except OSError as exc:
                raise PermanentDeliveryError(
                    f"SFTP_TARGET_KNOWN_HOSTS: cannot read {config['known_hosts_path']}: {exc}"
                ) from exc
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        # The watchdog closes the connection when the delivery's time is up,
        # whatever step it is waiting in.
        watchdog = threading.Timer(max(seconds_left, 0.1), client.close)
        watchdog.daemon = True
        watchdog.start()
        started = time.monotonic()
        where = f"{config['host']}:{int(config.get('port') or 22)}"
        try:
            client.connect(
                hostname=config["host"],
                port=int(config.get("port") or 22),
                username=config["username"],
                password=config.get("password") or None,
                key_filename=config.get("key_path") or None,
                allow_agent=False,
                look_for_keys=not (config.get("password") or config.get("key_path")),
                timeout=timeout,
                banner_timeout=timeout,
                auth_timeout=timeout,
            )
            # Opening the SFTP channel is bounded by the watchdog; each operation on it
            # by the channel's own timeout.
            sftp = client.open_sftp()
            sftp.get_channel().settimeout(timeout)
        except Exception as exc:
            watchdog.cancel()
            client.close()
            if isinstance(exc, paramiko.AuthenticationException):
                raise PermanentDeliveryError(f"login refused: {exc}") from exc
            if isinstance(exc, FileNotFoundError):  # SFTP_TARGET_KEY_PATH names no file
                raise PermanentDeliveryError(f"SFTP_TARGET_KEY_PATH: {exc}") from exc
            if isinstance(exc, paramiko.BadHostKeyException) or "not found in known_hosts" in str(
                exc
            ):
                raise PermanentDeliveryError(f"host key not trusted: {exc}") from exc
            # Say where and after how long: paramiko's own words for a server that
            # never answers ("No existing session") do not.
            seconds = time.monotonic() - started
            reason = f"{type(exc).__name__}: {exc}"
            raise ConnectionError(
                f"connecting to {where} failed after {seconds:.1f} s: {reason}"
            ) from exc
        return _Session(client, sftp, watchdog)

    return open_sftp


@register_node()
class SFTPDeliveryNode(Node):
    """Uploads ``data`` (the payload) as one file to an SFTP directory; see the module docstring."""

    def get_parameters(self) -> dict[str, NodeParameter]:
        def param(name: str, kind: type, description: str, default: Any = None) -> NodeParameter:
            return NodeParameter(
                name=name, type=kind, required=False, default=default, description=description
            )

        return {
            "data": NodeParameter(
                name="data", type=dict, required=True, description="The payload to deliver"
            ),
            "host": NodeParameter(name="host", type=str, required=True, description="SFTP host"),
            "username": NodeParameter(
                name="username", type=str, required=True, description="Login user"
            ),
            "port": param("port", int, "SFTP port", 22),
            "password": param("password", str, "Password, when no key is used"),
            "key_path": param("key_path", str, "Private key file for key-based login (preferred)"),
            "known_hosts_path": param(
                "known_hosts_path", str, "known_hosts file holding the server's key"
            ),
            "remote_dir": param("remote_dir", str, "Directory the file is delivered to", "/"),
            "file_name": param(
                "file_name", str, "Remote file name; {timestamp} is filled in", "{timestamp}.csv"
            ),
            "timeout": param(
                "timeout", float, "Seconds each connect/login/SFTP step may wait", 5.0
            ),
            "attempts": param(
                "attempts", int, "Tries in all after a refused or lost connection", 2
            ),
            "deadline": param("deadline", float, "Seconds the whole delivery may take", 20.0),
        }

    def run(self, **kwargs: Any) -> dict[str, Any]:
        try:
            opener = paramiko_opener(kwargs)
        except ImportError as exc:
            return {
                "ok": False,
                "status_code": None,
                "attempts": 0,
                "error": f"SFTPDeliveryNode needs paramiko: pip install paramiko ({exc})",
                "data": None,
            }
        result = deliver(
            opener,
            kwargs["data"],
            remote_dir=kwargs.get("remote_dir") or "/",
            file_name=kwargs.get("file_name") or "{timestamp}.csv",
            attempts=int(kwargs.get("attempts") or 1),
            deadline=float(kwargs.get("deadline") or 20.0),
        )
        if result["ok"]:
            self.logger.info("sftp delivery: %s", result["data"]["remote_path"])
        else:
            self.logger.warning("sftp delivery failed: %s", result["error"])
        return result
