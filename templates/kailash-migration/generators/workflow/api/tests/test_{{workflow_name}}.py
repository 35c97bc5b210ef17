"""Tests of the {{py_comment workflow_title}} workflow (src/{{package_name}}/workflows/{{workflow_name}}.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("kailash")

from {{package_name}}.settings import Settings  # noqa: E402
from {{package_name}}.workflows import {{workflow_name}}  # noqa: E402

STEPS = {"combine", "normalise", "apply_rules", "to_payload", "push", "receipt", "route"}
SINKS = {"delivery_log", "dead_letter"}


def test_module_keeps_the_workflow_contract(check_workflow):
    assert {{workflow_name}}.SOURCES == {{py workflow_sources}}
    check_workflow({{workflow_name}}, STEPS | SINKS)


def test_importing_the_module_does_no_io(imports_without_io):
    imports_without_io([{{workflow_name}}.__name__])


def test_push_targets_the_configured_api():
    settings = replace(
        Settings(),
        target_api_base_url="https://gw.test",
        target_api_token="t0k",
    )
    push = {{workflow_name}}.build_workflow(settings).build().nodes["push"].config
    assert push["base_url"] == "https://gw.test"
    assert push["method"] == "POST"
    assert push["auth_type"] == "bearer" and push["auth_token"] == "t0k"


def test_outputs_go_where_the_settings_say(tmp_path):
    settings = replace(Settings(), output_dir=str(tmp_path))
    nodes = {{workflow_name}}.build_workflow(settings).build().nodes
    delivery_log = Path(nodes["delivery_log"].config["file_path"])
    dead_letter = Path(nodes["dead_letter"].config["file_path"])
    assert delivery_log == tmp_path / {{workflow_name}}.DELIVERY_LOG_FILE
    assert dead_letter == tmp_path / {{workflow_name}}.DEAD_LETTER_FILE


def test_receipt_keeps_the_payload_only_when_undelivered():
    payload = {{workflow_name}}.to_payload([{"record_id": "1"}])
    assert payload["record_count"] == 1
    assert {{workflow_name}}.delivery_receipt(True, 200, {}, payload)["payload"] is None
    assert {{workflow_name}}.delivery_receipt(False, 503, None, payload)["payload"] == payload
{{#unless (or (includes workflow_sources "database") (includes workflow_sources "rest_api") (includes workflow_sources "sftp") (and (includes workflow_sources "csv") (not (includes data_sources "csv"))) (and (includes workflow_sources "spreadsheet") (not (includes data_sources "spreadsheet"))) (and (includes workflow_sources "queue") (not (includes data_sources "queue"))))}}


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
        offline_settings,
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
{{/unless}}
