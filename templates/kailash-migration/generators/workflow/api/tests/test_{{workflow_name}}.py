"""Tests of the {{py_comment workflow_title}} workflow (src/{{package_name}}/workflows/{{workflow_name}}.py).

Unit tests of its wiring. Its runs, failure paths included, are covered by
tests/e2e/ and tests/integration/, which run every workflow module they find.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from {{package_name}}.settings import Settings
from {{package_name}}.workflows import {{workflow_name}}

{{#if (eq workflow_delivery "sftp")}}
STEPS = {"combine", "normalise", "apply_rules", "to_payload", "upload", "receipt", "record"}
{{else}}
STEPS = {"combine", "normalise", "apply_rules", "to_payload", "push", "receipt", "record"}
{{/if}}


def test_module_keeps_the_workflow_contract(check_workflow):
    assert {{workflow_name}}.SOURCES == {{py workflow_sources}}
    check_workflow({{workflow_name}}, STEPS)


# Starts a fresh interpreter that imports the SDK: longer than the unit tier's 1 s.
@pytest.mark.timeout(60)
def test_importing_the_module_does_no_io(imports_without_io):
    imports_without_io([{{workflow_name}}.__name__])


def test_its_cronjob_runs_this_module():
    deploy = Path(__file__).resolve().parents[1] / "deploy" / "kubernetes"
    cronjob = (deploy / "{{workflow_name}}-cronjob.yaml").read_text(encoding="utf-8")
    assert "{{package_name}}.workflows.{{workflow_name}}" in cronjob


{{#if (eq workflow_delivery "sftp")}}
def test_upload_targets_the_configured_sftp_server_within_its_bounds():
    settings = replace(
        Settings(),
        sftp_target_host="sftp.partner.test",
        sftp_target_known_hosts="/etc/partner_known_hosts",
        sftp_target_remote_dir="/in",
    )
    workflow = {{workflow_name}}.build_workflow(settings).build()
    upload = workflow.nodes["upload"].config
    assert upload["host"] == "sftp.partner.test" and upload["remote_dir"] == "/in"
    assert upload["known_hosts_path"] == "/etc/partner_known_hosts"
    assert "push" not in workflow.nodes  # nothing goes to the target API
    # The defaults bound a delivery well within the 30 s a failing run may take.
    assert upload["deadline"] < 30 and upload["timeout"] <= upload["deadline"]
{{else}}
def test_push_targets_the_configured_api(tmp_path):
    settings = replace(Settings(), target_api_base_url="https://gw.test", target_api_token="t0k")
    push = {{workflow_name}}.build_workflow(settings).build().nodes["push"].config
    assert push["base_url"] == "https://gw.test" and push["auth_token"] == "t0k"
    assert push["fail_on_error"] is False
{{/if}}


def test_receipt_keeps_the_payload_only_when_undelivered():
    payload = {{workflow_name}}.to_payload([{"record_id": "1"}])
    assert {{workflow_name}}.delivery_receipt(True, 200, 1, None, {}, payload)["payload"] is None
    assert {{workflow_name}}.delivery_receipt(False, 503, 4, "x", None, payload)["payload"] == payload
