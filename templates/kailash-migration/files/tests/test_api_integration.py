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
{{#if (eq delivery_target "sftp")}}
STEPS = {"combine", "normalise", "apply_rules", "to_payload", "upload", "receipt", "record"}
{{else}}
STEPS = {"combine", "normalise", "apply_rules", "to_payload", "push", "receipt", "record"}
{{/if}}


def test_build_workflow_wires_every_step():
    workflow = api_integration.build_workflow().build()
    assert EXTRACT_NODES | STEPS <= set(workflow.nodes)


{{#if (eq delivery_target "sftp")}}
def test_upload_targets_the_configured_sftp_server_within_its_bounds():
    settings = replace(
        Settings(),
        sftp_target_host="sftp.partner.test",
        sftp_target_known_hosts="/etc/partner_known_hosts",
        sftp_target_remote_dir="/in",
    )
    upload = api_integration.build_workflow(settings).build().nodes["upload"].config
    assert upload["host"] == "sftp.partner.test" and upload["remote_dir"] == "/in"
    assert upload["known_hosts_path"] == "/etc/partner_known_hosts"
    # The defaults bound a delivery well within the 30 s a failing run may take.
    assert upload["deadline"] <= 20 and upload["timeout"] * 3 <= upload["deadline"]
    assert api_integration.DELIVERY_NODE == "upload"
{{else}}
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
{{/if}}


def test_receipt_keeps_the_payload_only_when_undelivered():
    payload = api_integration.to_payload([{"record_id": "1"}])
    assert api_integration.delivery_receipt(True, 200, 1, None, {}, payload)["payload"] is None
    refused = api_integration.delivery_receipt(False, 503, 4, "HTTP 503", None, payload)
    assert refused["payload"] == payload and refused["delivered"] is False
