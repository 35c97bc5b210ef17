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

STEPS = {"combine", "normalise", "apply_rules", "validate", "publish"}


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


def test_builds_from_the_project_settings(tmp_path):
    settings = replace(Settings(), output_dir=str(tmp_path))
    publish = {{workflow_name}}.build_workflow(settings).build().nodes["publish"].config
    assert Path(publish["true_path"]) == tmp_path / {{workflow_name}}.LOAD_FILE
    assert Path(publish["false_path"]) == tmp_path / {{workflow_name}}.QUARANTINE_FILE
