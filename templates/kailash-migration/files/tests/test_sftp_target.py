"""Unit tests of the SFTP delivery (src/{{package_name}}/nodes/sftp_target.py), on a fake transport.

The fake keeps files in a dict and can fail the way a real server does (a lost
connection mid-transfer, a refused login); tests/e2e/test_sftp_delivery.py
runs the same node against a real SFTP server.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from {{package_name}}.nodes import sftp_target
from {{package_name}}.nodes.sftp_target import PermanentDeliveryError, deliver, remote_file_name

PAYLOAD = {"source_system": "legacy", "record_count": 2, "records": [{"id": "1"}, {"id": "2"}]}


class FakeSFTP:
    """An SFTP client over a dict of path -> bytes; ``fail_put`` loses the connection mid-upload."""

    def __init__(self, files: dict[str, bytes], fail_put: bool = False) -> None:
        self.files, self.fail_put = files, fail_put
        self.calls: list[str] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def stat(self, path):
        self.calls.append(f"stat {path}")
        if path not in self.files:
            raise FileNotFoundError(path)
        return len(self.files[path])

    def putfo(self, handle, path, file_size=0, confirm=True):
        self.calls.append(f"put {path}")
        data = handle.read()
        self.files[path] = data[: len(data) // 2]
        if self.fail_put:
            raise EOFError("connection lost")
        self.files[path] = data

    def rename(self, old, new):
        self.calls.append(f"rename {old} {new}")
        if new in self.files:
            raise OSError("Failure")
        self.files[new] = self.files.pop(old)

    def remove(self, path):
        self.calls.append(f"remove {path}")
        self.files.pop(path)


class Opener:
    """``open_sftp`` for deliver(): hands out FakeSFTP sessions or raises, in order."""

    def __init__(self, *outcomes) -> None:
        self.outcomes = list(outcomes)
        self.files: dict[str, bytes] = {}
        self.opened: list[float] = []

    def __call__(self, seconds_left: float):
        self.opened.append(seconds_left)
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return FakeSFTP(self.files, fail_put=outcome == "lose")


def run(opener, **options):
    defaults = {"remote_dir": "/in", "file_name": "batch.csv", "sleep": lambda s: None}
    return deliver(opener, PAYLOAD, **{**defaults, **options})


def test_a_file_is_written_under_a_part_name_then_renamed():
    opener = Opener("ok")
    result = run(opener)
    assert result["ok"] is True and result["attempts"] == 1 and result["error"] is None
    assert list(opener.files) == ["/in/batch.csv"]
    rows = list(csv.DictReader(io.StringIO(opener.files["/in/batch.csv"].decode())))
    assert rows == PAYLOAD["records"]
    assert result["data"] == {
        "remote_path": "/in/batch.csv",
        "bytes": len(opener.files["/in/batch.csv"]),
    }


def test_the_partner_never_sees_the_final_name_before_the_file_is_whole():
    session = FakeSFTP({})
    sftp_target.upload(session, "/in", "batch.csv", b"a,b\n1,2\n")
    assert session.calls == [
        "stat /in/batch.csv",
        "put /in/.batch.csv.part",
        "rename /in/.batch.csv.part /in/batch.csv",
    ]


def test_a_lost_connection_removes_the_part_file_and_is_tried_again():
    opener = Opener("lose", "ok")
    result = run(opener, attempts=2)
    assert result["ok"] is True and result["attempts"] == 2
    assert list(opener.files) == ["/in/batch.csv"]


def test_a_connection_that_stays_down_is_dead_lettered_after_the_attempts():
    opener = Opener(ConnectionRefusedError(111, "Connection refused"))
    result = run(opener, attempts=3)
    assert result["ok"] is False and result["attempts"] == 3 and result["data"] is None
    assert "batch.csv failed after 3 attempt(s)" in result["error"]
    assert "Connection refused" in result["error"]
    assert opener.files == {}


@pytest.mark.parametrize(
    "refusal",
    [
        PermanentDeliveryError("login refused: bad password"),
        PermanentDeliveryError("host key not trusted"),
    ],
)
def test_a_refusal_another_attempt_cannot_change_is_not_retried(refusal):
    opener = Opener(refusal)
    result = run(opener, attempts=5)
    assert result["ok"] is False and result["attempts"] == 1
    assert str(refusal) in result["error"]


def test_an_existing_file_is_never_overwritten():
    opener = Opener("ok")
    opener.files["/in/batch.csv"] = b"the partner's own"
    result = run(opener, attempts=3)
    assert result["ok"] is False and result["attempts"] == 1
    assert "already exists" in result["error"]
    assert opener.files == {"/in/batch.csv": b"the partner's own"}


def test_no_attempt_starts_after_the_deadline():
    now = [0.0]

    def clock():
        return now[0]

    def slow_refusal(seconds_left):
        now[0] += 8.0  # each attempt waits out its timeouts
        raise TimeoutError("timed out")

    result = deliver(
        slow_refusal,
        PAYLOAD,
        remote_dir="/in",
        file_name="batch.csv",
        attempts=5,
        deadline=15.0,
        sleep=lambda s: None,
        clock=clock,
    )
    assert result["ok"] is False and result["attempts"] == 2
    assert "deadline of 15 s" in result["error"]


def test_each_attempt_is_given_only_the_time_left():
    opener = Opener(ConnectionResetError("reset"))
    run(opener, attempts=2, deadline=15.0)
    assert all(0 < seconds <= 15.0 for seconds in opener.opened)


def test_a_json_name_gets_the_whole_payload():
    opener = Opener("ok")
    run(opener, file_name="batch.json")
    assert json.loads(opener.files["/in/batch.json"]) == PAYLOAD


def test_the_file_name_fills_in_the_timestamp():
    when = datetime(2026, 12, 7, 2, 30, 5, tzinfo=UTC)
    assert remote_file_name("records-{timestamp}.csv", when) == "records-20261207T023005Z.csv"


@pytest.mark.parametrize("name", ["../etc/passwd", "sub/dir.csv", ".hidden.csv", "", "a b.csv"])
def test_a_file_name_that_is_not_one_plain_name_is_refused(name):
    with pytest.raises(ValueError, match="SFTP_TARGET_FILE_NAME"):
        remote_file_name(name)


def test_the_node_declares_its_connection_and_bounds():
    parameters = sftp_target.SFTPDeliveryNode().get_parameters()
    assert {"host", "username", "known_hosts_path", "timeout", "deadline", "attempts"} <= set(
        parameters
    )
    assert parameters["host"].required and not parameters["password"].required


def test_a_known_hosts_file_that_cannot_be_read_is_a_refusal_before_any_connection(tmp_path):
    opener = sftp_target.paramiko_opener(
        {"host": "127.0.0.1", "username": "u", "known_hosts_path": str(tmp_path / "missing")}
    )
    with pytest.raises(PermanentDeliveryError, match="SFTP_TARGET_KNOWN_HOSTS"):
        opener(5.0)
