"""Tests of the API integration workflow (src/{{package_name}}/workflows/api_integration.py)."""

from __future__ import annotations

from dataclasses import replace

from {{package_name}}.settings import Settings
from {{package_name}}.workflows import api_integration

EXTRACT_NODES = {
{{#each data_sources}}
    "extract_{{this}}",
{{/each}}
}
STEPS = {"combine", "normalise", "apply_rules", "to_payload", "push", "receipt", "record"}


def test_build_workflow_wires_every_step():
    workflow = api_integration.build_workflow().build()
    assert EXTRACT_NODES | STEPS <= set(workflow.nodes)


def test_push_targets_the_configured_api_with_the_retry_settings():
    settings = replace(
        Settings(),
        target_api_base_url="https://gw.test",
        target_api_token="t0k",
        http_retry_attempts=6,
    )
    push = api_integration.build_workflow(settings).build().nodes["push"].config
    assert push["base_url"] == "https://gw.test"
    assert push["method"] == "POST" and push["auth_token"] == "t0k"
    assert push["attempts"] == 6 and push["fail_on_error"] is False


def test_receipt_keeps_the_payload_only_when_undelivered():
    payload = api_integration.to_payload([{"record_id": "1"}])
    assert api_integration.delivery_receipt(True, 200, 1, None, {}, payload)["payload"] is None
    refused = api_integration.delivery_receipt(False, 503, 4, "HTTP 503", None, payload)
    assert refused["payload"] == payload and refused["delivered"] is False
