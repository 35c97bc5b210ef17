"""SFTPDropReaderNode: reads the delimited files that {{py_comment system_name}} drops on SFTP.

Kailash has no SFTP node, so this custom node wraps paramiko (a dependency of
this project, see pyproject.toml). It lists ``remote_dir``, reads every file
matching ``pattern`` as CSV and returns the records, each tagged with the file
it came from (``_file``), so reconciliation can work per file.

It never moves or deletes files: archive a drop only after the whole workflow
has loaded it (the ``files`` output lists what was read), or a failed load
loses data. Unknown host keys are refused, never trusted on first use.
"""

from __future__ import annotations

import csv
import io
import posixpath
from fnmatch import fnmatch
from typing import Any

from kailash.nodes.base import Node, NodeParameter, register_node
from kailash.sdk_exceptions import NodeExecutionError


@register_node()
class SFTPDropReaderNode(Node):
    """Reads matching files from an SFTP directory. Outputs ``data`` (records) and ``files``."""

    def get_parameters(self) -> dict[str, NodeParameter]:
        return {
            "host": NodeParameter(name="host", type=str, required=True, description="SFTP host"),
            "port": NodeParameter(
                name="port", type=int, required=False, default=22, description="SFTP port"
            ),
            "username": NodeParameter(
                name="username", type=str, required=True, description="Login user"
            ),
            "password": NodeParameter(
                name="password",
                type=str,
                required=False,
                description="Password, when no key is used",
            ),
            "key_path": NodeParameter(
                name="key_path",
                type=str,
                required=False,
                description="Private key file for key-based login (preferred)",
            ),
            "known_hosts_path": NodeParameter(
                name="known_hosts_path",
                type=str,
                required=False,
                description="known_hosts file holding the server's key (system file otherwise)",
            ),
            "remote_dir": NodeParameter(
                name="remote_dir",
                type=str,
                required=False,
                default="/",
                description="Directory of the drop",
            ),
            "pattern": NodeParameter(
                name="pattern",
                type=str,
                required=False,
                default="*.csv",
                description="Glob of the files to read",
            ),
            "delimiter": NodeParameter(
                name="delimiter",
                type=str,
                required=False,
                default=",",
                description="Field delimiter of the files",
            ),
            "encoding": NodeParameter(
                name="encoding",
                type=str,
                required=False,
                default="utf-8",
                description="Text encoding of the files (legacy drops are often cp1252)",
            ),
        }

    def run(self, **kwargs: Any) -> dict[str, Any]:
        try:
            import paramiko  # imported here so that importing the node needs no paramiko
        except ImportError as exc:
            raise NodeExecutionError(
                "SFTPDropReaderNode needs paramiko: pip install paramiko"
            ) from exc

        client = paramiko.SSHClient()
        client.load_system_host_keys()
        if kwargs.get("known_hosts_path"):
            client.load_host_keys(kwargs["known_hosts_path"])
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        remote_dir = kwargs.get("remote_dir") or "/"
        pattern = kwargs.get("pattern") or "*.csv"
        rows: list[dict[str, Any]] = []
        files: list[str] = []
        try:
            client.connect(
                hostname=kwargs["host"],
                port=kwargs.get("port") or 22,
                username=kwargs["username"],
                password=kwargs.get("password"),
                key_filename=kwargs.get("key_path"),
                # Bounded, so that a host that does not answer fails the run in seconds.
                timeout=10,
                banner_timeout=10,
                auth_timeout=10,
            )
            with client.open_sftp() as sftp:
                for name in sorted(sftp.listdir(remote_dir)):
                    if not fnmatch(name, pattern):
                        continue
                    with sftp.open(posixpath.join(remote_dir, name), "rb") as handle:
                        text = handle.read().decode(kwargs.get("encoding") or "utf-8")
                    delimiter = kwargs.get("delimiter") or ","
                    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
                    rows.extend({**row, "_file": name} for row in reader)
                    files.append(name)
        except (OSError, paramiko.SSHException) as exc:
            raise NodeExecutionError(
                f"SFTP read from {kwargs['host']}:{remote_dir} failed: {exc}"
            ) from exc
        finally:
            client.close()

        self.logger.info("sftp drop: %d file(s), %d record(s)", len(files), len(rows))
        return {"data": rows, "files": files}
