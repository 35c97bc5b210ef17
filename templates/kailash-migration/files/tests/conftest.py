"""Shared test setup and helpers.

``src/`` is put on ``sys.path`` so the tests run from a plain checkout too, not
only after ``pip install -e .`` (pyproject.toml sets the same for pytest).

The fixtures below serve every workflow's tests, including the ones
``create-migration add workflow`` writes: ``offline_settings`` (the sample
data), ``check_workflow`` (the module contract and the extract wiring) and
``imports_without_io`` (the no-IO-on-import contract).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from {{package_name}}.settings import Settings  # noqa: E402

SAMPLES = ROOT / "data" / "sample"


@pytest.fixture
def offline_settings(tmp_path: Path) -> Settings:
    """Settings that read the sample data (copied to a temp dir) and write below it.

    The sources with sample data in data/sample/ run offline, so a workflow
    reading only those runs end to end in the tests. Kailash's file nodes
    accept paths below the temp dir.
    """
    for sample in SAMPLES.iterdir() if SAMPLES.is_dir() else ():
        shutil.copy(sample, tmp_path / sample.name)
    return replace(
        Settings(),
        output_dir=str(tmp_path / "output"),
{{#if (includes data_sources "csv")}}
        csv_input_path=str(tmp_path / "legacy_extract.csv"),
{{/if}}
{{#if (includes data_sources "spreadsheet")}}
        spreadsheet_export_path=str(tmp_path / "spreadsheet_export.csv"),
{{/if}}
{{#if (includes data_sources "queue")}}
        queue_url=f"file:{tmp_path / 'queue_capture.jsonl'}",
{{/if}}
        report_dir=str(tmp_path / "reports"),
    )


@pytest.fixture
def check_workflow() -> Callable[[ModuleType, Iterable[str]], None]:
    """Checks a workflow module's contract: ``check(module, node_ids)``.

    The module has ``WORKFLOW_NAME``, ``build_workflow`` and ``main``; the built
    workflow has ``node_ids`` and one ``extract_<source>`` node per source in
    ``module.SOURCES`` (default: the project's sources), each feeding ``combine``
    under the source's name.
    """
    from {{package_name}}.sources import DATA_SOURCES

    def check(module: ModuleType, node_ids: Iterable[str]) -> None:
        assert module.WORKFLOW_NAME == module.__name__.rpartition(".")[2]
        assert callable(module.build_workflow) and callable(module.main)
        sources = getattr(module, "SOURCES", DATA_SOURCES)
        workflow = module.build_workflow().build()
        extract_nodes = {f"extract_{source}" for source in sources}
        assert extract_nodes | set(node_ids) <= set(workflow.nodes)
        edges = workflow.connections
        fed = {c.source_node: c.target_input for c in edges if c.target_node == "combine"}
        assert fed == {f"extract_{source}": source for source in sources}

    return check


# The SDK modules the project may import, loaded before the audit hook is
# installed so that only what the project's own modules do is observed. The
# optional ones (REST nodes, kailash-kaizen) are skipped when not installed.
SDK_MODULES = [
    "kailash.nodes.base",
    "kailash.nodes.code",
    "kailash.nodes.data",
    "kailash.nodes.logic",
    "kailash.runtime.local",
    "kailash.sdk_exceptions",
    "kailash.workflow.builder",
    "kailash.nodes.api",
    "kaizen.nodes.ai",
]

NO_IO_CHECK = textwrap.dedent(
    """
    import importlib, sys

    for name in SDK_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            pass

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


@pytest.fixture
def imports_without_io(tmp_path: Path) -> Callable[[Iterable[str]], None]:
    """Checks that importing modules does no IO: ``check(module_names)``.

    Runs in a fresh interpreter with an audit hook (PEP 578), started in a
    directory holding a ``.env`` file, after the SDK itself has been imported.
    """

    def check(modules: Iterable[str]) -> None:
        (tmp_path / ".env").write_text("LOG_LEVEL=DEBUG\n", encoding="utf-8")
        code = f"SDK_MODULES = {SDK_MODULES!r}\nPROJECT_MODULES = {list(modules)!r}\n{NO_IO_CHECK}"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
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

    return check
