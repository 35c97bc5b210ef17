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

STEPS = {"combine", "normalise", "apply_rules", "to_payload", "push", "receipt", "record"}


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


def test_push_targets_the_configured_api(tmp_path):
    settings = replace(Settings(), target_api_base_url="https://gw.test", target_api_token="t0k")
    push = {{workflow_name}}.build_workflow(settings).build().nodes["push"].config
    assert push["base_url"] == "https://gw.test" and push["auth_token"] == "t0k"
    assert push["fail_on_error"] is False


def test_receipt_keeps_the_payload_only_when_undelivered():
    payload = {{workflow_name}}.to_payload([{"record_id": "1"}])
    assert {{workflow_name}}.delivery_receipt(True, 200, 1, None, {}, payload)["payload"] is None
    assert {{workflow_name}}.delivery_receipt(False, 503, 4, "x", None, payload)["payload"] == payload
