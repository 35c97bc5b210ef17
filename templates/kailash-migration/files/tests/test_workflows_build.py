"""Every workflow module keeps the contract the project relies on.

Discovers the modules in src/{{package_name}}/workflows/, so a workflow added
later (by hand or with ``create-migration add workflow``) is checked too.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import {{package_name}}.workflows as workflows

MODULES = sorted(
    info.name for info in pkgutil.iter_modules(workflows.__path__) if not info.name.startswith("_")
)


def test_there_is_at_least_one_workflow():
    assert MODULES


@pytest.mark.parametrize("name", MODULES)
def test_workflow_module_contract(name):
    module = importlib.import_module(f"{workflows.__name__}.{name}")
    assert callable(module.build_workflow) and callable(module.main)
    workflow = module.build_workflow().build()
    assert workflow.nodes, f"{name} builds an empty workflow"
