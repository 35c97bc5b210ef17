"""Tests of the report generation workflow (src/{{package_name}}/workflows/report_generation.py)."""

from __future__ import annotations

from dataclasses import replace

from {{package_name}}.settings import Settings
from {{package_name}}.workflows import report_generation

EXTRACT_NODES = {
{{#each data_sources}}
    "extract_{{this}}",
{{/each}}
}
STEPS = {"combine", "normalise", "apply_rules", "aggregate", "prompt", "analyse", "compose"}
WITH_LLM = replace(Settings(), llm_provider="openai", llm_model="gpt-4o-mini")


def test_build_workflow_wires_every_step():
    workflow = report_generation.build_workflow(WITH_LLM).build()
    assert EXTRACT_NODES | STEPS | {"publish"} <= set(workflow.nodes)


def test_without_an_llm_provider_the_report_has_figures_only():
    settings = replace(Settings(), llm_provider="none")
    workflow = report_generation.build_workflow(settings).build()
    assert not {"prompt", "analyse"} & set(workflow.nodes)
    assert {"aggregate", "compose", "publish"} <= set(workflow.nodes)
    report = report_generation.compose_report(report_generation.aggregate([]), None)
    assert "AI-generated" not in report and "LLM_PROVIDER=none" in report


def test_llm_step_uses_the_configured_provider():
    settings = replace(Settings(), llm_provider="openai", llm_model="gpt-4o-mini")
    analyse = report_generation.build_workflow(settings).build().nodes["analyse"].config
    assert analyse["provider"] == "openai" and analyse["model"] == "gpt-4o-mini"


def test_report_prints_figures_and_labels_the_analysis():
    summary = report_generation.aggregate(
        [
            {"amount": 10.0, "currency": "EUR", "status": "active", "txn_date": "2024-01-02"},
            {"amount": 5.5, "currency": "EUR", "status": "closed", "txn_date": "2024-01-01"},
        ]
    )
    assert summary["amount_by_currency"] == {"EUR": 15.5}
    assert summary["period"] == {"from": "2024-01-01", "to": "2024-01-02"}
    report = report_generation.compose_report(summary, {"content": "Two records."})
    assert "| EUR | 15.50 |" in report
    assert "AI-generated" in report and "Two records." in report


def test_llm_base_url_is_passed_only_when_set():
    plain = report_generation.build_workflow(WITH_LLM).build().nodes["analyse"].config
    assert "base_url" not in plain
    settings = replace(WITH_LLM, llm_base_url="https://llm-gateway.example.com")
    routed = report_generation.build_workflow(settings).build().nodes["analyse"].config
    assert routed["base_url"] == "https://llm-gateway.example.com"
