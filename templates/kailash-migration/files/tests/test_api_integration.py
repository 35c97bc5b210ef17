"""Tests of the API integration workflow (src/{{package_name}}/workflows/api_integration.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

pytest.importorskip("kailash")

from {{package_name}}.settings import Settings  # noqa: E402
from {{package_name}}.workflows import api_integration  # noqa: E402

EXTRACT_NODES = {
{{#each data_sources}}
    "extract_{{this}}",
{{/each}}
}
STEPS = {"combine", "normalise", "apply_rules", "to_payload", "push", "receipt", "route"}
SINKS = {"delivery_log", "dead_letter"}


def test_build_workflow_wires_every_step():
    workflow = api_integration.build_workflow().build()
    assert EXTRACT_NODES | STEPS | SINKS <= set(workflow.nodes)


def test_push_targets_the_configured_api():
    settings = replace(Settings(), target_api_base_url="https://gw.test", target_api_token="t0k")
    push = api_integration.build_workflow(settings).build().nodes["push"].config
    assert push["base_url"] == "https://gw.test"
    assert push["method"] == "POST"
    assert push["auth_type"] == "bearer" and push["auth_token"] == "t0k"


def test_receipt_keeps_the_payload_only_when_undelivered():
    payload = api_integration.to_payload([{"record_id": "1"}])
    assert api_integration.delivery_receipt(True, 200, {}, payload)["payload"] is None
    assert api_integration.delivery_receipt(False, 503, None, payload)["payload"] == payload
{{#unless (or (includes data_sources "database") (includes data_sources "rest_api") (includes data_sources "sftp"))}}


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


def run(settings: Settings) -> dict:
    from pathlib import Path

    from kailash.runtime.local import LocalRuntime

    Path(settings.output_dir).mkdir(parents=True, exist_ok=True)
    workflow = api_integration.build_workflow(settings).build()
    with LocalRuntime(
        conditional_execution="skip_branches", content_aware_success_detection=False
    ) as runtime:
        results, _ = runtime.execute(workflow)
    return results


def settings_for(server, offline_settings: Settings) -> Settings:
    host, port = server.server_address
    url = f"http://{host}:{port}"
    return replace(offline_settings, target_api_base_url=url, target_api_token="t")


def test_accepted_batch_is_logged(target_api, offline_settings):
    results = run(settings_for(target_api, offline_settings))
    assert results["receipt"]["result"]["delivered"] is True
    assert target_api.received[0]["record_count"] > 0
    assert "delivery_log" in results and "dead_letter" not in results


def test_refused_batch_goes_to_the_dead_letter_file(target_api, offline_settings):
    target_api.status = 503
    results = run(settings_for(target_api, offline_settings))
    receipt = results["receipt"]["result"]
    assert receipt["delivered"] is False and receipt["status_code"] == 503
    assert "dead_letter" in results and "delivery_log" not in results
{{/unless}}
