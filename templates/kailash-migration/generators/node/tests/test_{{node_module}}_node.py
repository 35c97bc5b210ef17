"""Tests of {{node_class}} (src/{{package_name}}/nodes/{{node_module}}.py)."""

from __future__ import annotations

from {{package_name}}.nodes.{{node_module}} import {{node_class}}


def test_importing_the_module_registers_the_node():
    from kailash.nodes.base import NodeRegistry

    assert NodeRegistry.get("{{node_class}}") is {{node_class}}


def test_declares_its_inputs():
    parameters = {{node_class}}().get_parameters()
    assert parameters["data"].required
    assert not parameters["options"].required


def test_processes_records_and_counts_them():
    # TODO replace with the legacy system's output for the same input, once
    # transform() holds the ported logic.
    result = {{node_class}}().execute(data=[{"id": "1"}, {"id": "2"}])
    assert result["data"] == [{"id": "1"}, {"id": "2"}]
    assert result["rejected"] == []
    assert result["stats"] == {"received": 2, "accepted": 2, "rejected": 0}


def test_rejects_with_a_reason_and_never_drops():
    result = {{node_class}}().execute(data=[{"id": "1"}, "not a record"])
    assert [r["index"] for r in result["rejected"]] == [1]
    assert result["rejected"][0]["reason"].startswith("expected a record")
    assert result["stats"] == {"received": 2, "accepted": 1, "rejected": 1}


def test_runs_in_a_workflow_by_type_name():
    from kailash.runtime.local import LocalRuntime
    from kailash.workflow.builder import WorkflowBuilder

    wf = WorkflowBuilder()
    wf.add_node("{{node_class}}", "step", {})
    with LocalRuntime() as runtime:
        results, _ = runtime.execute(wf.build(), parameters={"step": {"data": [{"id": "1"}]}})
    assert results["step"]["data"] == [{"id": "1"}]
