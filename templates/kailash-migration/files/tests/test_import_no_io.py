"""Importing the project's modules must do no IO.

Workflows are imported by schedulers, tests and tooling that only want to
inspect them; an import that reads ``.env``, opens a file or a connection
would make all of those slow, flaky or dangerous. The check (the
``imports_without_io`` fixture of conftest.py) runs in a fresh interpreter with
an audit hook (PEP 578), started in a directory holding a ``.env`` file, after
the SDK itself has been imported.
"""

from __future__ import annotations

import pytest

PROJECT_MODULES = [
    "{{package_name}}",
    "{{package_name}}.settings",
    "{{package_name}}.rules",
    "{{package_name}}.observability",
    "{{package_name}}.nodes",
    "{{package_name}}.sources",
    "{{package_name}}.retry",
    "{{package_name}}.runner",
    "{{package_name}}.shadow",
    "{{package_name}}.parity",
    "{{package_name}}.parity.__main__",
    "{{package_name}}.parity.check",
    "{{package_name}}.parity.engine",
{{#if (includes patterns "etl")}}
    "{{package_name}}.workflows.etl_pipeline",
{{/if}}
{{#if (includes patterns "api")}}
    "{{package_name}}.workflows.api_integration",
{{/if}}
{{#if (includes patterns "reporting")}}
    "{{package_name}}.workflows.report_generation",
{{/if}}
]


# Starts a fresh interpreter that imports the SDK: longer than the unit tier's 1 s.
@pytest.mark.timeout(60)
def test_importing_the_project_does_no_io(imports_without_io):
    imports_without_io(PROJECT_MODULES)
