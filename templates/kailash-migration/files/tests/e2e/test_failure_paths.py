"""Every workflow, run as the scheduler runs it, through its failure paths.

Each test starts one workflow's main() in a fresh interpreter (conftest.py,
``run_workflow``) with exactly one source set up, and asserts what an
unattended job relies on: the exit code, that the run ends well within the
bound below, exactly one ``run finished`` line naming the failed node, and how
often the source was called: once, or as often as the retry policy in
src/{{package_name}}/retry.py says (HTTP_RETRY_ATTEMPTS, 4 here).

Workflows are discovered in src/{{package_name}}/workflows/, so the ones
``create-migration add workflow`` writes are covered too.
"""

from __future__ import annotations

import os
import stat

import pytest

from conftest import (
    SAMPLE_RECORDS,
    Reply,
    closed_port,
    workflow_modules,
    workflow_nodes,
    write_sample_csv,
)

# Generous: a failed run takes a few seconds, most of it starting Python and
# importing the SDK; a hang (the SDK re-running a failing source) takes forever.
BOUND_SECONDS = 30
# The run's own clock (its "seconds", from main() to its summary line) is held to the bound
# everywhere; the wall clock, interpreter start and SDK import included, may be stretched on
# a slow machine with TEST_TIMEOUT_SCALE, as the tiers' time limits are (conftest.py).
WALL_BOUND_SECONDS = BOUND_SECONDS * float(os.environ.get("TEST_TIMEOUT_SCALE") or 1)
ATTEMPTS = 4
WORKFLOWS = workflow_modules()
LLM_WORKFLOWS = [name for name in WORKFLOWS if "analyse" in workflow_nodes(name)]
GATED_WORKFLOWS = [name for name in WORKFLOWS if "validate" in workflow_nodes(name)]
PUSH_WORKFLOWS = [name for name in WORKFLOWS if "push" in workflow_nodes(name)]
# Each test starts a fresh interpreter that imports the SDK, longer than the e2e tier's
# 10 s allows on a busy machine; the run itself must end within BOUND_SECONDS.
pytestmark = pytest.mark.timeout(BOUND_SECONDS + 15)


def assert_bounded(run) -> None:
    assert run.summary["seconds"] < BOUND_SECONDS, run.summary
    assert run.seconds < WALL_BOUND_SECONDS


def assert_failed_fast(run, node_id: str) -> None:
    assert run.returncode == 1, run.log[-3000:]
    assert_bounded(run)
    assert run.summary["outcome"] == "failed"
    assert run.summary["failed_node"] == node_id, run.summary


@pytest.fixture
def happy_env(target_env) -> dict[str, str]:
    """Settings under which every step after the extract succeeds."""
    return {**target_env, "LLM_PROVIDER": "mock", "MAX_REJECT_RATIO": "0.5"}


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_missing_file_fails_the_run_at_once(name, run_workflow, tmp_path):
    run = run_workflow(name, {"CSV_INPUT_PATH": str(tmp_path / "missing.csv")}, ["csv"])
    assert_failed_fast(run, "extract_csv")
    assert run.executions("extract_csv") == 1


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_refused_connection_is_retried_then_fails_the_run(name, run_workflow):
    url = f"http://127.0.0.1:{closed_port()}"
    run = run_workflow(name, {"SOURCE_API_BASE_URL": url}, ["rest_api"])
    assert_failed_fast(run, "extract_rest_api")
    assert f"failed after {ATTEMPTS} attempt(s)" in run.summary["error"]
    assert run.executions("extract_rest_api") == 1


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_5xx_is_retried_with_backoff_then_fails_the_run(name, run_workflow, fake_server):
    source = fake_server([Reply(503, {"error": "maintenance"})])
    run = run_workflow(name, {"SOURCE_API_BASE_URL": source.url}, ["rest_api"])
    assert_failed_fast(run, "extract_rest_api")
    assert len(source.requests) == ATTEMPTS
    assert "HTTP 503" in run.summary["error"]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_timeout_is_retried_then_fails_the_run(name, run_workflow, fake_server):
    source = fake_server([Reply(200, {"data": []}, delay=3)])
    run = run_workflow(name, {"SOURCE_API_BASE_URL": source.url, "HTTP_TIMEOUT": "1"}, ["rest_api"])
    assert_failed_fast(run, "extract_rest_api")
    assert len(source.requests) == ATTEMPTS


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_silent_source_fails_the_run_within_the_bound_with_default_settings(
    name, run_workflow, silent_server
):
    run = run_workflow(
        name, {"SOURCE_API_BASE_URL": silent_server}, ["rest_api"], fast_retries=False
    )
    assert_failed_fast(run, "extract_rest_api")
    assert "retry budget" in run.summary["error"] or "attempt(s)" in run.summary["error"]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_source_answering_html_fails_at_the_extract_saying_it_returned_text(
    name, run_workflow, fake_server
):
    source = fake_server(lambda path: Reply(200, "<html>oops</html>", raw=True))
    run = run_workflow(name, {"SOURCE_API_BASE_URL": source.url}, ["rest_api"])
    assert_failed_fast(run, "extract_rest_api")
    assert "returned text (not JSON)" in run.summary["error"]
    assert len(source.requests) == 1  # an answer, not a transient failure: no retry


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_setting_that_is_not_a_number_fails_the_run_naming_the_variable(name, run_workflow):
    run = run_workflow(name, {"HTTP_TIMEOUT": "abc"}, ["csv"])
    assert run.returncode == 1
    assert run.summary["outcome"] == "failed"
    assert "HTTP_TIMEOUT" in run.summary["error"] and "'abc'" in run.summary["error"]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_run_past_its_time_limit_is_stopped_by_the_sdk_before_the_next_step(
    name, run_workflow, fake_server, happy_env, tmp_path
):
    source = fake_server([Reply(200, {"data": SAMPLE_RECORDS}, delay=3)])
    env = {
        **happy_env,
        "SOURCE_API_BASE_URL": source.url,
        "RUN_TIME_LIMIT_SECONDS": "1",  # runtime.execute(time_limit=1)
    }
    run = run_workflow(name, env, ["rest_api"])
    assert run.returncode == 1, run.log[-3000:]
    assert run.summary["outcome"] == "failed"
    assert "time limit" in run.summary["error"]
    assert run.executions("normalise") == 0  # nothing ran after the limit
    assert not [p for p in (tmp_path / "output").glob("*") if not p.name.endswith(".previous")]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_429_waits_for_retry_after_and_the_run_goes_on(
    name, run_workflow, fake_server, happy_env
):
    source = fake_server(
        [Reply(429, {}, {"Retry-After": "1"}), Reply(200, {"data": SAMPLE_RECORDS})]
    )
    env = {**happy_env, "SOURCE_API_BASE_URL": source.url}
    run = run_workflow(name, env, ["rest_api"])
    assert run.returncode == 0, run.log[-3000:]
    assert len(source.requests) == 2
    assert run.summary["outcome"] in {"loaded", "delivered", "published"}


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_database_that_cannot_be_opened_fails_the_run_at_once(name, run_workflow, tmp_path):
    url = f"sqlite:///{tmp_path / 'no-such-dir' / 'legacy.db'}"
    run = run_workflow(name, {"DATABASE_URL": url}, ["database"])
    assert_failed_fast(run, "extract_database")
    assert run.executions("extract_database") == 1


{{#if (or (eq database_kind "postgresql") (eq database_kind "mysql") (eq database_kind "oracle") (eq database_kind "sqlserver"))}}
@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_silent_database_fails_the_run_within_the_bound_with_the_default_settings(
    name, run_workflow, silent_server
):
    import re

{{#if (eq database_kind "sqlserver")}}
    import pyodbc

{{/if}}
    from {{package_name}}.settings import Settings

{{#if (eq database_kind "sqlserver")}}
    if "ODBC Driver 18 for SQL Server" not in pyodbc.drivers():
        pytest.skip("Microsoft's ODBC Driver 18 for SQL Server is not installed here")
{{/if}}
    # The default URL and connect timeout, pointed at a server that accepts the
    # connection and never answers (no handshake, no login).
    host = silent_server.split("//", 1)[1]
    url = re.sub(r"@localhost:\d+", f"@{host}", Settings().database_url)
    assert host in url
    run = run_workflow(name, {"DATABASE_URL": url}, ["database"])
    assert_failed_fast(run, "extract_database")
    assert "timeout" in run.summary["error"].lower(), run.summary


{{/if}}
{{#if (includes data_sources "sftp")}}
@pytest.mark.parametrize("name", WORKFLOWS)
def test_an_sftp_host_that_refuses_fails_the_run_at_once(name, run_workflow):
    env = {"SFTP_HOST": "127.0.0.1", "SFTP_PORT": str(closed_port())}
    run = run_workflow(name, env, ["sftp"])
    assert_failed_fast(run, "extract_sftp")
    assert run.executions("extract_sftp") == 1


{{/if}}
{{#if (includes data_sources "queue")}}
@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_missing_queue_capture_fails_the_run_at_once(name, run_workflow, tmp_path):
    run = run_workflow(name, {"QUEUE_URL": f"file:{tmp_path / 'missing.jsonl'}"}, ["queue"])
    assert_failed_fast(run, "extract_queue")
    assert run.executions("extract_queue") == 1


{{/if}}
{{#if (includes data_sources "other")}}
@pytest.mark.parametrize("name", WORKFLOWS)
def test_the_other_source_fails_the_run_at_its_step_until_its_node_is_written(name, run_workflow):
    run = run_workflow(name, {}, ["other"])
    assert_failed_fast(run, "extract_other")
    assert run.executions("extract_other") == 1
    # The placeholder logs under its own step id, as every PythonCodeNode step does.
    assert "kailash.nodes.PythonCodeNode" not in run.log
    assert "no other source node yet" in run.log


{{/if}}
@pytest.mark.parametrize("name", WORKFLOWS)
def test_the_sample_batch_runs_to_its_outcome(name, run_workflow, happy_env, tmp_path):
    csv = write_sample_csv(tmp_path / "extract.csv")
    old_umask = os.umask(0o022)
    try:
        env = {**happy_env, "CSV_INPUT_PATH": str(csv)}
        run = run_workflow(name, env, ["csv"])
    finally:
        os.umask(old_umask)
    assert run.returncode == 0, run.log[-3000:]
    assert run.summary["outcome"] in {"loaded", "delivered", "published"}
    assert run.executions("extract_csv") == 1
    # Every step logs under its own node id, PythonCodeNode steps included.
    assert run.executions("combine") == 1 and run.executions("apply_rules") == 1
    assert "kailash.nodes.PythonCodeNode" not in run.log
    # Outputs are readable by the job that picks them up: the umask's mode, not 0600.
    for output in [p for p in tmp_path.glob("*/*") if p.parent.name in {"output", "reports"}]:
        assert stat.S_IMODE(output.stat().st_mode) == 0o644, output


if GATED_WORKFLOWS:

    @pytest.mark.parametrize("name", GATED_WORKFLOWS)
    def test_a_poison_record_quarantines_the_batch(name, run_workflow, tmp_path):
        poison = {**SAMPLE_RECORDS[0], "RECORD_ID": "R-9999", "TXN_DATE": "31/31/2025"}
        csv = write_sample_csv(tmp_path / "extract.csv", [*SAMPLE_RECORDS, poison])
        run = run_workflow(name, {"CSV_INPUT_PATH": str(csv), "MAX_REJECT_RATIO": "0"}, ["csv"])
        assert run.returncode == 1, run.log[-3000:]
        assert_bounded(run)
        assert run.summary["outcome"] == "quarantined"
        assert run.summary["rejected_count"] == 1
        assert run.executions("extract_csv") == 1
        assert not list((tmp_path / "output").glob("*.csv"))  # nothing was loaded

    @pytest.mark.parametrize("name", GATED_WORKFLOWS)
    def test_a_run_leaves_exactly_one_current_outcome(name, run_workflow, tmp_path):
        output = tmp_path / "output"
        good = write_sample_csv(tmp_path / "good.csv")
        poison = {**SAMPLE_RECORDS[0], "RECORD_ID": "R-9999", "TXN_DATE": "31/31/2025"}
        bad = write_sample_csv(tmp_path / "bad.csv", [*SAMPLE_RECORDS, poison])
        env = {"MAX_REJECT_RATIO": "0"}

        assert run_workflow(name, {**env, "CSV_INPUT_PATH": str(good)}, ["csv"]).returncode == 0
        loaded = {p.name for p in output.iterdir()}
        quarantined = run_workflow(name, {**env, "CSV_INPUT_PATH": str(bad)}, ["csv"])
        assert quarantined.summary["outcome"] == "quarantined"
        current = {p.name for p in output.iterdir() if not p.name.endswith(".previous")}
        assert len(current) == 1 and not current & loaded  # yesterday's load file is gone
        assert {f"{file}.previous" for file in loaded} <= {p.name for p in output.iterdir()}

        failed = run_workflow(name, {"CSV_INPUT_PATH": str(tmp_path / "missing.csv")}, ["csv"])
        assert failed.summary["outcome"] == "failed"
        assert [p for p in output.iterdir() if not p.name.endswith(".previous")] == []


if PUSH_WORKFLOWS:

    @pytest.mark.parametrize("name", PUSH_WORKFLOWS)
    def test_a_target_that_stays_down_gets_the_batch_dead_lettered(
        name, run_workflow, fake_server, tmp_path
    ):
        target = fake_server([Reply(502, {"error": "bad gateway"})])
        csv = write_sample_csv(tmp_path / "extract.csv")
        env = {"CSV_INPUT_PATH": str(csv), "TARGET_API_BASE_URL": target.url}
        run = run_workflow(name, env, ["csv"])
        assert run.returncode == 1, run.log[-3000:]
        assert_bounded(run)
        assert run.summary["outcome"] == "dead_lettered"
        assert run.summary["attempts"] == ATTEMPTS and len(target.requests) == ATTEMPTS
        assert list((tmp_path / "output").glob("*dead_letter*.json"))


if LLM_WORKFLOWS:

    @pytest.mark.parametrize("name", LLM_WORKFLOWS)
    def test_an_llm_provider_that_refuses_fails_the_run(name, run_workflow, fake_server, tmp_path):
        provider = fake_server([Reply(401, {"error": {"message": "invalid api key"}})])
        csv = write_sample_csv(tmp_path / "extract.csv")
        env = {
            "CSV_INPUT_PATH": str(csv),
            "LLM_BASE_URL": f"http://localhost:{provider.port}",
            "OPENAI_API_KEY": "sk-test",
            "ANTHROPIC_API_KEY": "sk-test",
            "TEST_LLM_LOOPBACK": "1",
        }
        run = run_workflow(name, env, ["csv"])
        assert_failed_fast(run, "analyse")
        assert len(provider.requests) == 1
        assert not list((tmp_path / "reports").glob("*.md"))  # no report without its analysis

    @pytest.mark.parametrize("name", LLM_WORKFLOWS)
    def test_kaizen_refuses_a_loopback_llm_endpoint_before_connecting(
        name, run_workflow, fake_server, tmp_path
    ):
        provider = fake_server([Reply(200, {})])
        csv = write_sample_csv(tmp_path / "extract.csv")
        env = {
            "CSV_INPUT_PATH": str(csv),
            "LLM_BASE_URL": f"http://localhost:{provider.port}",
            "OLLAMA_BASE_URL": f"http://localhost:{provider.port}",
            "OPENAI_API_KEY": "sk-test",
            "ANTHROPIC_API_KEY": "sk-test",
        }
        run = run_workflow(name, env, ["csv"])
        assert_failed_fast(run, "analyse")
        assert "InvalidEndpoint" in run.summary["error"]
        assert provider.requests == []
