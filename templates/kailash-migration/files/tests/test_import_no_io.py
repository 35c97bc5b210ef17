"""Importing the project's modules must do no IO.

Workflows are imported by schedulers, tests and tooling that only want to
inspect them; an import that reads ``.env``, opens a file or a connection
would make all of those slow, flaky or dangerous. The check runs in a fresh
interpreter with an audit hook (PEP 578), started in a directory holding a
``.env`` file, after the SDK itself has been imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("kailash")

SRC = Path(__file__).resolve().parents[1] / "src"

PROJECT_MODULES = [
    "{{package_name}}",
    "{{package_name}}.settings",
    "{{package_name}}.rules",
    "{{package_name}}.observability",
    "{{package_name}}.nodes",
    "{{package_name}}.sources",
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

# The SDK modules the project imports: loaded before the hook is installed, so
# only what the project's own modules do is observed.
SDK_MODULES = [
    "kailash.nodes.base",
    "kailash.nodes.code",
    "kailash.nodes.data",
    "kailash.nodes.logic",
    "kailash.runtime.local",
    "kailash.sdk_exceptions",
    "kailash.workflow.builder",
{{#if (or (includes patterns "api") (includes data_sources "rest_api"))}}
    "kailash.nodes.api",
{{/if}}
{{#if (includes patterns "reporting")}}
    "kaizen.nodes.ai",
{{/if}}
]

CHECK = textwrap.dedent(
    """
    import importlib, sys

    for name in SDK_MODULES:
        importlib.import_module(name)

    SOURCE_SUFFIXES = (".py", ".pyc", ".so", ".pyd")
    events = []

    def audit(event, args):
        if event == "open":
            path = str(args[0])
            if not path.endswith(SOURCE_SUFFIXES) and "__pycache__" not in path:
                events.append(f"open {path}")
        elif event in ("socket.connect", "subprocess.Popen", "os.system"):
            events.append(f"{event} {args!r}")

    sys.addaudithook(audit)
    for name in PROJECT_MODULES:
        importlib.import_module(name)
    print("\\n".join(events))
    """
)


def test_importing_the_project_does_no_io(tmp_path):
    (tmp_path / ".env").write_text("LOG_LEVEL=DEBUG\n", encoding="utf-8")
    code = f"SDK_MODULES = {SDK_MODULES!r}\nPROJECT_MODULES = {PROJECT_MODULES!r}\n{CHECK}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"IO during import:\n{done.stdout}"
