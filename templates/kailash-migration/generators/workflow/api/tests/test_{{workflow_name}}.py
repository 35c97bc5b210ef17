"""Tests of the {{py_comment workflow_title}} workflow (src/{{package_name}}/workflows/{{workflow_name}}.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("kailash")

from {{package_name}}.settings import Settings  # noqa: E402
from {{package_name}}.workflows import {{workflow_name}}  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"

EXTRACT_NODES = {
{{#each workflow_sources}}
    "extract_{{this}}",
{{/each}}
}
STEPS = {"combine", "normalise", "apply_rules", "to_payload", "push", "receipt", "route"}
SINKS = {"delivery_log", "dead_letter"}


def test_module_keeps_the_workflow_contract():
    assert {{workflow_name}}.WORKFLOW_NAME == {{py workflow_name}}
    assert {{workflow_name}}.SOURCES == {{py workflow_sources}}
    assert callable({{workflow_name}}.build_workflow) and callable({{workflow_name}}.main)


def test_build_workflow_wires_every_step():
    workflow = {{workflow_name}}.build_workflow().build()
    assert EXTRACT_NODES | STEPS | SINKS <= set(workflow.nodes)


def test_every_source_feeds_combine():
    workflow = {{workflow_name}}.build_workflow().build()
    edges = workflow.connections
    fed = {c.source_node: c.target_input for c in edges if c.target_node == "combine"}
    assert fed == {f"extract_{source}": source for source in {{workflow_name}}.SOURCES}


def test_push_targets_the_configured_api():
    settings = replace(
        {{workflow_name}}.workflow_settings(Settings()),
        target_api_base_url="https://gw.test",
        target_api_token="t0k",
    )
    push = {{workflow_name}}.build_workflow(settings).build().nodes["push"].config
    assert push["base_url"] == "https://gw.test"
    assert push["method"] == "POST"
    assert push["auth_type"] == "bearer" and push["auth_token"] == "t0k"


def test_receipt_keeps_the_payload_only_when_undelivered():
    payload = {{workflow_name}}.to_payload([{"record_id": "1"}])
    assert payload["record_count"] == 1
    assert {{workflow_name}}.delivery_receipt(True, 200, {}, payload)["payload"] is None
    assert {{workflow_name}}.delivery_receipt(False, 503, None, payload)["payload"] == payload


# The SDK modules the workflow imports, loaded before the audit hook is installed,
# so that only what the project's own modules do is observed.
SDK_MODULES = [
    "kailash.nodes.base",
    "kailash.nodes.code",
    "kailash.nodes.data",
    "kailash.nodes.logic",
    "kailash.runtime.local",
    "kailash.sdk_exceptions",
    "kailash.workflow.builder",
    "kailash.nodes.api",
]

NO_IO_CHECK = textwrap.dedent(
    """
    import importlib, sys

    for name in SDK_MODULES:
        importlib.import_module(name)

    events = []

    def audit(event, args):
        if event == "open":
            path = str(args[0])
            if not path.endswith((".py", ".pyc", ".so", ".pyd")) and "__pycache__" not in path:
                events.append(f"open {path}")
        elif event in ("socket.connect", "subprocess.Popen", "os.system"):
            events.append(f"{event} {args!r}")

    sys.addaudithook(audit)
    importlib.import_module(MODULE)
    print("\\n".join(events))
    """
)


def test_importing_the_module_does_no_io(tmp_path):
    """The contract of tests/test_import_no_io.py, which lists only the template's modules."""
    (tmp_path / ".env").write_text("LOG_LEVEL=DEBUG\n", encoding="utf-8")
    module = {{workflow_name}}.__name__
    code = f"SDK_MODULES = {SDK_MODULES!r}\nMODULE = {module!r}\n{NO_IO_CHECK}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"IO during import:\n{done.stdout}"
{{#if (and (not (or (includes data_sources "database") (includes data_sources "rest_api") (includes data_sources "sftp"))) (not (or (includes workflow_sources "database") (includes workflow_sources "rest_api") (includes workflow_sources "sftp"))) (or (not (includes workflow_sources "csv")) (includes data_sources "csv")) (or (not (includes workflow_sources "spreadsheet")) (includes data_sources "spreadsheet")) (or (not (includes workflow_sources "queue")) (includes data_sources "queue")))}}


# Every source of this workflow has sample data in data/sample/ (the
# offline_settings fixture of conftest.py), so it runs end to end here,
# against a local stand-in for the target API.


@pytest.fixture
def target_api():
    """A local stand-in for the target API on 127.0.0.1; set ``.status`` to choose its answer."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            server.received.append(body)
            self.send_response(server.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"accepted": body["record_count"]}).encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.status, server.received = 200, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def run_once(settings: Settings) -> dict:
    from kailash.runtime.local import LocalRuntime

    Path(settings.output_dir).mkdir(parents=True, exist_ok=True)
    workflow = {{workflow_name}}.build_workflow(settings).build()
    with LocalRuntime(
        conditional_execution="skip_branches", content_aware_success_detection=False
    ) as runtime:
        results, _ = runtime.execute(workflow)
    return results


def settings_for(server, offline_settings: Settings) -> Settings:
    host, port = server.server_address
    return replace(
        {{workflow_name}}.workflow_settings(offline_settings),
        target_api_base_url=f"http://{host}:{port}",
        target_api_token="t",
    )


def test_accepted_batch_is_logged(target_api, offline_settings):
    results = run_once(settings_for(target_api, offline_settings))
    assert results["receipt"]["result"]["delivered"] is True
    assert target_api.received[0]["record_count"] > 0
    assert target_api.received[0]["workflow"] == {{workflow_name}}.WORKFLOW_NAME
    assert "delivery_log" in results and "dead_letter" not in results


def test_refused_batch_goes_to_the_dead_letter_file(target_api, offline_settings):
    target_api.status = 503
    settings = settings_for(target_api, offline_settings)
    results = run_once(settings)
    receipt = results["receipt"]["result"]
    assert receipt["delivered"] is False and receipt["status_code"] == 503
    assert "dead_letter" in results and "delivery_log" not in results
    assert Path(settings.output_path({{workflow_name}}.DEAD_LETTER_FILE)).is_file()
{{/if}}
