"""The LLM step against a local fake server speaking the configured provider's HTTP API.

kaizen 2.46 refuses loopback addresses at connect time (kaizen/llm/http_client.py,
SafeDnsResolver) and offers no setting to allow one. The run below lifts that
guard for localhost only, through the resolver kaizen documents as overridable
for tests (conftest.py, DRIVER); everything else is the workflow as it runs in
production: provider, model, request body, response parsing, report.
"""

from __future__ import annotations

import json

import pytest

from {{package_name}}.settings import Settings

from conftest import Reply, workflow_modules, workflow_nodes, write_sample_csv

ANALYSIS = "Three records; one is still pending."
LLM_WORKFLOWS = [name for name in workflow_modules() if "analyse" in workflow_nodes(name)]


def provider_reply(path: str) -> Reply:
    """A successful answer in the wire format of the provider the path belongs to."""
    if path.endswith("/api/chat"):  # Ollama
        return Reply(
            200,
            {
                "model": "m",
                "message": {"role": "assistant", "content": ANALYSIS},
                "done": True,
                "prompt_eval_count": 10,
                "eval_count": 8,
            },
        )
    if path.endswith("/chat/completions"):  # OpenAI
        return Reply(
            200,
            {
                "id": "c-1",
                "object": "chat.completion",
                "model": "m",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": ANALYSIS},
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 8, "total_tokens": 18},
            },
        )
    if path.endswith("/v1/messages"):  # Anthropic
        return Reply(
            200,
            {
                "id": "m-1",
                "type": "message",
                "role": "assistant",
                "model": "m",
                "content": [{"type": "text", "text": ANALYSIS}],
                "stop_reason": "end_turn",
                "usage": {"input_tokens": 10, "output_tokens": 8},
            },
        )
    return Reply(404, {"error": f"unexpected path {path}"})


if LLM_WORKFLOWS:
    # Runs the workflow in a fresh interpreter (conftest.run_workflow): its own limit.
    @pytest.mark.timeout(45)
    @pytest.mark.parametrize("name", LLM_WORKFLOWS)
    def test_the_report_carries_the_providers_analysis(name, run_workflow, fake_server, tmp_path):
        provider = fake_server(provider_reply)
        csv = write_sample_csv(tmp_path / "extract.csv")
        env = {
            "CSV_INPUT_PATH": str(csv),
            "LLM_BASE_URL": f"http://localhost:{provider.port}",
            "OPENAI_API_KEY": "sk-test",
            "ANTHROPIC_API_KEY": "sk-test",
            "TEST_LLM_LOOPBACK": "1",
        }
        run = run_workflow(name, env, ["csv"])
        assert run.returncode == 0, run.log[-3000:]
        assert run.summary["outcome"] == "published"
        assert len(provider.requests) == 1
        body = json.loads(provider.requests[0]["body"])
        assert body["model"] == Settings().llm_model
        assert "R-1001" not in body["messages"][-1]["content"]  # figures only, no raw records
        # kaizen's setup chatter (some forty INFO lines a run) is held to SDK_LOG_LEVEL.
        assert not [line for line in run.log.splitlines() if " INFO kaizen" in line]
        assert run.executions("analyse") == 1 and run.executions("compose") == 1
        report = (tmp_path / "reports").glob("*.md")
        assert ANALYSIS in next(report).read_text(encoding="utf-8")
