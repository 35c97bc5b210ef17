"""The API integration workflow delivering to a real SFTP server, run as the scheduler runs it.

The partner's server is paramiko's own server side on 127.0.0.1
(tests/sftp_partner.py), so the delivery speaks real SSH and SFTP, checks a
real host key and renames a real file. Each run ends with exit 0 and the
delivery log, or exit 1 and the dead letter holding the payload for replay,
within the 30 s a failing run may take with the default settings.
"""

from __future__ import annotations

import json
import socket

import pytest

from conftest import SAMPLE_RECORDS, closed_port, write_sample_csv

BOUND_SECONDS = 30
WORKFLOW = "api_integration"
# Each test starts a fresh interpreter that imports the SDK; the silent-server run
# waits out its timeouts by design. The run itself must end within BOUND_SECONDS.
pytestmark = pytest.mark.timeout(BOUND_SECONDS + 15)


def delivery(run_workflow, tmp_path, env, fast=True):
    csv = write_sample_csv(tmp_path / "extract.csv")
    settings = {"CSV_INPUT_PATH": str(csv), "SFTP_TARGET_FILE_NAME": "batch.csv", **env}
    if fast:
        settings = {"SFTP_TARGET_TIMEOUT": "2", **settings}
    return run_workflow(WORKFLOW, settings, ["csv"])


def dead_letter(tmp_path) -> dict:
    output = tmp_path / "output"
    assert not (output / "api_delivery_log.json").exists()
    return json.loads((output / "api_dead_letter.json").read_text(encoding="utf-8"))


def test_a_batch_arrives_whole_under_its_name_and_is_logged(run_workflow, sftp_partner, tmp_path):
    server, env = sftp_partner
    run = delivery(run_workflow, tmp_path, env)
    assert run.returncode == 0, run.log[-3000:]
    assert run.summary["outcome"] == "delivered"
    assert server.files() == ["batch.csv"]  # no part file left behind
    delivered = (server.root / "batch.csv").read_text(encoding="utf-8")
    assert [line.split(",")[0] for line in delivered.splitlines()[1:]] == [
        record["RECORD_ID"] for record in SAMPLE_RECORDS
    ]
    log = json.loads((tmp_path / "output" / "api_delivery_log.json").read_text(encoding="utf-8"))
    assert log["delivered"] is True and log["attempts"] == 1
    assert log["response"]["remote_path"] == "/batch.csv"
    assert log["payload"] is None  # the payload is kept only when undelivered
    assert not (tmp_path / "output" / "api_dead_letter.json").exists()


def test_a_file_already_there_is_not_overwritten_and_the_batch_is_dead_lettered(
    run_workflow, sftp_partner, tmp_path
):
    server, env = sftp_partner
    (server.root / "batch.csv").write_text("the partner's own file\n", encoding="utf-8")
    run = delivery(run_workflow, tmp_path, env)
    assert run.returncode == 1, run.log[-3000:]
    assert run.summary["outcome"] == "dead_lettered"
    assert (server.root / "batch.csv").read_text(encoding="utf-8") == "the partner's own file\n"
    assert server.files() == ["batch.csv"]
    letter = dead_letter(tmp_path)
    assert "already exists" in letter["error"] and letter["attempts"] == 1
    assert letter["payload"]["record_count"] == len(SAMPLE_RECORDS)


def test_a_refused_connection_is_retried_then_dead_lettered(run_workflow, tmp_path):
    env = {"SFTP_TARGET_HOST": "127.0.0.1", "SFTP_TARGET_PORT": str(closed_port())}
    run = delivery(run_workflow, tmp_path, env)
    assert run.returncode == 1, run.log[-3000:]
    assert run.summary["outcome"] == "dead_lettered"
    assert run.summary["seconds"] < BOUND_SECONDS
    letter = dead_letter(tmp_path)
    assert letter["attempts"] == 2  # SFTP_TARGET_ATTEMPTS' default
    assert f"connecting to 127.0.0.1:{env['SFTP_TARGET_PORT']} failed" in letter["error"]
    assert letter["payload"]["records"]


def test_a_refused_login_is_dead_lettered_without_trying_again(
    run_workflow, sftp_partner, tmp_path
):
    server, env = sftp_partner
    run = delivery(run_workflow, tmp_path, {**env, "SFTP_TARGET_PASSWORD": "wrong"})
    assert run.returncode == 1, run.log[-3000:]
    assert run.summary["outcome"] == "dead_lettered"
    letter = dead_letter(tmp_path)
    assert "login refused" in letter["error"] and letter["attempts"] == 1
    assert server.files() == []


def test_an_unknown_host_key_is_refused_never_trusted_on_first_use(
    run_workflow, sftp_partner, tmp_path
):
    server, env = sftp_partner
    (tmp_path / "empty_known_hosts").write_text("", encoding="utf-8")
    env = {**env, "SFTP_TARGET_KNOWN_HOSTS": str(tmp_path / "empty_known_hosts")}
    run = delivery(run_workflow, tmp_path, env)
    assert run.returncode == 1, run.log[-3000:]
    letter = dead_letter(tmp_path)
    assert "host key not trusted" in letter["error"] and letter["attempts"] == 1
    assert server.files() == []


def test_a_partner_that_accepts_and_never_answers_is_dead_lettered_within_the_bound(
    run_workflow, tmp_path
):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshakes; nothing ever answers
        env = {"SFTP_TARGET_HOST": "127.0.0.1", "SFTP_TARGET_PORT": str(silent.getsockname()[1])}
        run = delivery(run_workflow, tmp_path, env, fast=False)  # settings.py's defaults
    assert run.returncode == 1, run.log[-3000:]
    assert run.summary["outcome"] == "dead_lettered"
    assert run.summary["seconds"] < BOUND_SECONDS, run.summary
    assert run.seconds < BOUND_SECONDS + 15
    letter = dead_letter(tmp_path)
    assert letter["payload"]["records"]
    assert f"connecting to 127.0.0.1:{env['SFTP_TARGET_PORT']} failed" in letter["error"]
