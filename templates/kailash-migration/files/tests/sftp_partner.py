"""A real SFTP server for the tests: a partner's inbound folder, served on 127.0.0.1.

Built on paramiko's own server side (``ServerInterface`` for the login,
``SFTPServerInterface`` for the files), so the delivery node talks real SSH
and SFTP to it over a local socket, with a real host key. The server serves
one local folder; paths cannot leave it. A rename never replaces an existing
file, as on an OpenSSH server.

``PartnerServer(root, password=...)`` starts it; ``known_hosts(path)`` writes
the known_hosts line a client needs to trust it; ``close()`` stops it.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import paramiko
from paramiko.sftp import SFTP_FAILURE, SFTP_OK, SFTP_PERMISSION_DENIED

# One host key for the session: generating a key per test would be slow.
HOST_KEY = paramiko.ECDSAKey.generate()


class _Login(paramiko.ServerInterface):
    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username, password

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_auth_password(self, username: str, password: str) -> int:
        if username == self.username and password == self.password:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class _Handle(paramiko.SFTPHandle):
    def stat(self):
        return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))


class _Folder(paramiko.SFTPServerInterface):
    """The SFTP operations the delivery uses, on one local folder."""

    def __init__(self, server, *args, root: Path, **kwargs) -> None:
        super().__init__(server, *args, **kwargs)
        self.root = Path(root).resolve()

    def _local(self, path: str) -> Path:
        local = (self.root / path.lstrip("/")).resolve()
        if local != self.root and self.root not in local.parents:
            raise PermissionError(path)
        return local

    def _errno(self, exc: OSError) -> int:
        if isinstance(exc, PermissionError):
            return SFTP_PERMISSION_DENIED
        return paramiko.SFTPServer.convert_errno(exc.errno)

    def stat(self, path):
        try:
            return paramiko.SFTPAttributes.from_stat(os.stat(self._local(path)))
        except OSError as exc:
            return self._errno(exc)

    lstat = stat

    def list_folder(self, path):
        try:
            folder = self._local(path)
            return [
                paramiko.SFTPAttributes.from_stat(os.stat(folder / name), name)
                for name in os.listdir(folder)
            ]
        except OSError as exc:
            return self._errno(exc)

    def open(self, path, flags, attr):
        try:
            fd = os.open(self._local(path), flags, 0o644)
        except OSError as exc:
            return self._errno(exc)
        if flags & (os.O_WRONLY | os.O_RDWR):
            mode = "ab" if flags & os.O_APPEND else ("r+b" if flags & os.O_RDWR else "wb")
        else:
            mode = "rb"
        handle = _Handle(flags)
        handle.readfile = handle.writefile = os.fdopen(fd, mode)
        return handle

    def remove(self, path):
        try:
            os.remove(self._local(path))
        except OSError as exc:
            return self._errno(exc)
        return SFTP_OK

    def rename(self, oldpath, newpath):
        try:
            old, new = self._local(oldpath), self._local(newpath)
            if new.exists():
                return SFTP_FAILURE
            os.rename(old, new)
        except OSError as exc:
            return self._errno(exc)
        return SFTP_OK


class PartnerServer:
    """An SFTP server on 127.0.0.1 serving ``root``; accepts ``username``/``password``."""

    def __init__(self, root: Path, username: str = "partner", password: str = "s3cret") -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.username, self.password = username, password
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self.port = self._sock.getsockname()[1]
        self._transports: list[paramiko.Transport] = []
        self._closed = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            transport = paramiko.Transport(conn)
            transport.add_server_key(HOST_KEY)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _Folder, root=self.root)
            self._transports.append(transport)
            try:
                transport.start_server(server=_Login(self.username, self.password))
            except (paramiko.SSHException, EOFError, OSError):
                transport.close()

    def known_hosts(self, path: Path) -> Path:
        """Write the known_hosts line for this server to ``path``; returns ``path``."""
        line = f"[127.0.0.1]:{self.port} {HOST_KEY.get_name()} {HOST_KEY.get_base64()}\n"
        Path(path).write_text(line, encoding="utf-8")
        return Path(path)

    def files(self) -> list[str]:
        """The names in the served folder, hidden ones (part files) included."""
        return sorted(os.listdir(self.root))

    def close(self) -> None:
        self._closed = True
        self._sock.close()
        for transport in self._transports:
            transport.close()
