"""Shared test setup and helpers.

The tests come in three tiers, each a pytest marker (registered in
pyproject.toml) given by the folder a test lives in: ``unit`` (tests/*.py:
one function, node or module, no network), ``integration`` (tests/integration/:
real SDK runs against real local resources, SQLite, a local HTTP server) and
``e2e`` (tests/e2e/: every workflow run as the scheduler runs it, ``python -m``
in a fresh process, through its failure paths). ``pytest -m unit`` runs one tier.

``src/`` is put on ``sys.path`` so the tests run from a plain checkout too, not
only after ``pip install -e .`` (pyproject.toml sets the same for pytest).

The fixtures below serve every workflow's tests, including the ones
``create-migration add workflow`` writes: ``offline_settings`` (the sample
data), ``check_workflow`` (the module contract and the extract wiring) and
``imports_without_io`` (the no-IO-on-import contract).

Two guards run before any test:

* every dependency pyproject.toml names (``[project] dependencies`` and the
  ``dev`` extra) must be importable, and the Kailash SDK packages must be the
  pinned versions; otherwise the run stops at once with one message saying how
  to install them, rather than skipping tests and reading as green;
* each tier has a time limit per test, as in the Kailash SDK's own test suites:
  unit 1 s, integration 5 s, e2e 10 s. ``@pytest.mark.timeout(seconds)`` gives
  one test its own (with a comment why), and ``TEST_TIMEOUT_SCALE`` multiplies
  every limit on a slow machine (a shared CI runner: ``TEST_TIMEOUT_SCALE=3``).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from {{package_name}}.settings import Settings  # noqa: E402

SAMPLES = ROOT / "data" / "sample"
TIERS = {"integration": "integration", "e2e": "e2e"}
# Seconds per test, by tier (the Kailash SDK's tiers); see the module docstring.
TIER_TIMEOUTS = {"unit": 1.0, "integration": 5.0, "e2e": 10.0}

# Distribution name (lower case) -> the modules that prove it is installed. A name not
# listed is imported under its own name (dashes as underscores).
IMPORT_NAMES = {
    "kailash-kaizen": ["kaizen"],
    "psycopg": ["psycopg"],
    "pymysql": ["pymysql"],
    "ruff": [],  # a command, not a module
}
# Extras of the Kailash SDK -> the modules the project uses from them.
SDK_EXTRAS = {
    "http-client": ["requests", "aiohttp"],
    "db-postgres": ["sqlalchemy"],
    "db-mysql": ["sqlalchemy"],
    "db-sqlite": ["sqlalchemy"],
    "scheduler": ["apscheduler"],
}
# The SDK packages pinned exactly in pyproject.toml, by the module that reports the version.
PINNED_MODULES = {"kailash": "kailash", "kailash-kaizen": "kaizen"}
REQUIREMENT = re.compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(?:==\s*([^\s;,]+))?"
)


def missing_dependencies(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """What pyproject.toml asks for that this interpreter lacks, one line each."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    wanted = [
        *project.get("dependencies", []),
        *project.get("optional-dependencies", {}).get("dev", []),
    ]
    problems: list[str] = []
    for requirement in wanted:
        match = REQUIREMENT.match(requirement)
        if not match:
            continue
        name, extras, pinned = match.group(1).lower(), match.group(2) or "", match.group(3)
        modules = list(IMPORT_NAMES.get(name, [name.replace("-", "_")]))
        for extra in filter(None, (e.strip() for e in extras.split(","))):
            modules += SDK_EXTRAS.get(extra, [])
        for module in dict.fromkeys(modules):
            try:
                imported = importlib.import_module(module)
            except ImportError as exc:
                problems.append(f"{requirement}: cannot import {module} ({exc})")
                continue
            if pinned and name in PINNED_MODULES and module == PINNED_MODULES[name]:
                version = getattr(imported, "__version__", None)
                if version != pinned:
                    problems.append(f"{requirement}: {module} {version} is installed")
    return problems


def stdlib_only_run(args: list[str]) -> bool:
    """Whether every test path asked for is a module marked ``stdlib_only`` (the parity check's):
    those run with the standard library and pytest alone, beside a legacy system or before the
    project is installed."""
    files = [Path(arg.split("::", 1)[0]) for arg in args]
    return bool(files) and all(
        f.suffix == ".py" and f.is_file() and "pytest.mark.stdlib_only" in f.read_text("utf-8")
        for f in files
    )


def pytest_sessionstart(session):
    """Stops the run when a dependency of the project is missing (see the docstring)."""
    if stdlib_only_run(session.config.args):
        return
    problems = missing_dependencies()
    if problems:
        listed = "\n  ".join(problems)
        pytest.exit(
            f"the project's dependencies are not installed in {sys.executable}:\n  {listed}\n"
            'Install them with: python -m pip install -e ".[dev]"',
            returncode=4,
        )


def pytest_collection_modifyitems(config, items):
    """Marks each test with its tier, from the folder it lives in."""
    for item in items:
        item.add_marker(getattr(pytest.mark, tier_of(item)))


def tier_of(item) -> str:
    parts = item.path.relative_to(ROOT / "tests").parts
    return TIERS.get(parts[0], "unit") if len(parts) > 1 else "unit"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Fails a test that runs longer than its tier allows (SIGALRM; POSIX main thread only)."""
    marker = item.get_closest_marker("timeout")
    limit = float(marker.args[0]) if marker else TIER_TIMEOUTS[tier_of(item)]
    limit *= float(os.environ.get("TEST_TIMEOUT_SCALE") or 1)
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum, frame):
        pytest.fail(f"{item.nodeid} ran longer than its {limit:g} s limit", pytrace=False)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# Records in the legacy layout rules.FIELD_MAP expects (a copy of the CSV sample),
# for the tests that need a source whatever sources the project was made with.
SAMPLE_RECORDS = [
    {
        "RECORD_ID": "R-1001",
        "CUSTOMER": "ACME LTD",
        "AMOUNT": "1,250.00",
        "CURRENCY": "EUR",
        "TXN_DATE": "03/01/2025",
        "STATUS": "A",
    },
    {
        "RECORD_ID": "R-1002",
        "CUSTOMER": "Globex Corporation",
        "AMOUNT": "980.5",
        "CURRENCY": "eur",
        "TXN_DATE": "04/01/2025",
        "STATUS": "C",
    },
    {
        "RECORD_ID": "R-1003",
        "CUSTOMER": "Initech",
        "AMOUNT": "12,000.00",
        "CURRENCY": "",
        "TXN_DATE": "06/01/2025",
        "STATUS": "P",
    },
]


def write_sample_csv(path: Path, records: list[dict] = SAMPLE_RECORDS) -> Path:
    """``records`` as a CSV file in the legacy layout."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


@dataclass
class Reply:
    """One scripted answer of a :class:`FakeServer`."""

    status: int = 200
    body: object = None
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    # Send ``body`` as it is, as text/html (a proxy's error page), instead of as JSON.
    raw: bool = False


class FakeServer:
    """A local HTTP server on 127.0.0.1 answering from a script; records every request.

    ``replies`` is used in order; the last one repeats. ``replies`` may also be a
    function of the request path returning a :class:`Reply`.
    """

    def __init__(self, replies) -> None:
        self.replies = replies
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with server._lock:
                    server.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": raw.decode("utf-8", "replace"),
                        }
                    )
                    n = len(server.requests)
                reply = server._reply(n, self.path)
                if reply.delay:
                    time.sleep(reply.delay)
                text = str(reply.body) if reply.raw else json.dumps(reply.body)
                data = text.encode("utf-8")
                kind = "text/html" if reply.raw else "application/json"
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _reply(self, n: int, path: str) -> Reply:
        if callable(self.replies):
            return self.replies(path)
        return self.replies[min(n, len(self.replies)) - 1]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def fake_server():
    """Starts :class:`FakeServer` instances: ``fake_server([Reply(503)])``; all stopped after the test."""
    started: list[FakeServer] = []

    def start(replies) -> FakeServer:
        server = FakeServer(replies)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


@pytest.fixture
def silent_server():
    """A local TCP port that accepts connections and never answers; yields its URL."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)  # the kernel completes the handshakes; nothing ever reads
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


{{#if (eq delivery_target "sftp")}}
@pytest.fixture
def sftp_partner(tmp_path: Path):
    """A real SFTP server on 127.0.0.1 (tests/sftp_partner.py) serving ``tmp_path/partner``.

    Yields the server and the settings that deliver to it (host key trusted
    through a known_hosts file, fast retries); stopped after the test.
    """
    from sftp_partner import PartnerServer

    server = PartnerServer(tmp_path / "partner")
    env = {
        "SFTP_TARGET_HOST": "127.0.0.1",
        "SFTP_TARGET_PORT": str(server.port),
        "SFTP_TARGET_USERNAME": server.username,
        "SFTP_TARGET_PASSWORD": server.password,
        "SFTP_TARGET_KNOWN_HOSTS": str(server.known_hosts(tmp_path / "known_hosts")),
        "SFTP_TARGET_REMOTE_DIR": "/",
    }
    yield server, env
    server.close()


{{/if}}
@pytest.fixture
{{#if (eq delivery_target "sftp")}}
def target_env(fake_server, sftp_partner) -> dict[str, str]:
{{else}}
def target_env(fake_server) -> dict[str, str]:
{{/if}}
    """Settings under which a workflow's delivery succeeds: a target API that accepts{{#if (eq delivery_target "sftp")}},
    and the partner's SFTP server the API integration workflow delivers to{{/if}}."""
    target = fake_server([Reply(200, {"accepted": True})])
{{#if (eq delivery_target "sftp")}}
    return {"TARGET_API_BASE_URL": target.url, **sftp_partner[1]}
{{else}}
    return {"TARGET_API_BASE_URL": target.url}
{{/if}}


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Runs one workflow's main() the way a scheduler does, in a fresh interpreter.
# argv: module, sources (comma-separated, empty: the workflow's own). The source
# list is narrowed so that each test sets up exactly the source it is about.
# TEST_LLM_LOOPBACK=1 lets kaizen reach a fake provider on localhost: kaizen
# 2.46 refuses loopback at connect time (kaizen/llm/http_client.py,
# SafeDnsResolver), and documents the resolver as overridable for tests only.
DRIVER = textwrap.dedent(
    """
    import importlib, os, sys

    if os.environ.get("TEST_LLM_LOOPBACK") == "1":
        from kaizen.llm import http_client

        guarded = http_client.SafeDnsResolver.check_host

        def check_host(self, host):
            if host not in ("localhost", "127.0.0.1"):
                guarded(self, host)

        http_client.SafeDnsResolver.check_host = check_host

    from {{package_name}} import sources

    module = importlib.import_module(sys.argv[1])
    if sys.argv[2]:
        chosen = sys.argv[2].split(",")
        sources.DATA_SOURCES = chosen
        if hasattr(module, "SOURCES"):
            module.SOURCES = chosen
    raise SystemExit(module.main())
    """
)


@dataclass
class Run:
    """What one workflow run did: exit code, wall time, log and its ``run finished`` summary."""

    returncode: int
    seconds: float
    log: str
    summaries: list[dict]

    @property
    def summary(self) -> dict:
        assert len(self.summaries) == 1, (
            f"expected one run-finished line, got {self.summaries}\n{self.log[-3000:]}"
        )
        return self.summaries[0]

    def executions(self, node_id: str) -> int:
        """How often the runtime ran ``node_id`` (from the node's own log lines)."""
        return len(
            re.findall(
                rf"kailash\.nodes\.{re.escape(node_id)}: Executing node {re.escape(node_id)}$",
                self.log,
                re.M,
            )
        )


@pytest.fixture
def run_workflow(tmp_path: Path) -> Callable[..., Run]:
    """Runs ``python -m``-style one workflow's main(): ``run_workflow(name, env, sources)``.

    The run starts in a temp dir (no .env there) with fast retry settings (unless
    ``fast_retries=False``: the production defaults), and outputs below it; ``env``
    adds or overrides variables.
    """

    def run(
        name: str,
        env: dict[str, str] | None = None,
        sources: Iterable[str] = (),
        fast_retries: bool = True,
    ) -> Run:
        base = {
            key: value
            for key, value in os.environ.items()
            if not re.match(
                r"^(HTTP_|LLM_|OLLAMA_|OPENAI_|ANTHROPIC_|CSV_|DATABASE_|SOURCE_|TARGET_|SFTP_|QUEUE_|SPREADSHEET_)",
                key,
            )
        }
        base.update(
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
            OUTPUT_DIR=str(tmp_path / "output"),
            REPORT_DIR=str(tmp_path / "reports"),
            LOG_LEVEL="INFO",
            SDK_LOG_LEVEL="WARNING",
        )
        if fast_retries:  # else the defaults of settings.py, as in production
            base.update(
                HTTP_RETRY_ATTEMPTS="4",
                HTTP_RETRY_BASE_DELAY="0.05",
                HTTP_RETRY_MAX_DELAY="2",
                HTTP_TIMEOUT="5",
            )
        base.update(env or {})
        module = f"{{package_name}}.workflows.{name}"
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", DRIVER, module, ",".join(sources)],
            cwd=tmp_path,
            env=base,
            capture_output=True,
            text=True,
            timeout=120,  # a hang guard only; the tests assert a much shorter bound
        )
        seconds = time.monotonic() - started
        summaries = []
        for line in done.stderr.splitlines():
            start = line.find('{"')
            if start >= 0 and '"event": "run finished"' in line:
                summaries.append(json.loads(line[start:]))
        return Run(done.returncode, seconds, done.stdout + done.stderr, summaries)

    return run


def workflow_modules() -> list[str]:
    """The workflow modules of the project (src/{{package_name}}/workflows/), by name."""
    import pkgutil

    import {{package_name}}.workflows as workflows

    return sorted(
        info.name
        for info in pkgutil.iter_modules(workflows.__path__)
        if not info.name.startswith("_")
    )


def workflow_nodes(name: str) -> set[str]:
    """The node ids of a workflow, built with default settings."""
    import importlib

    module = importlib.import_module(f"{{package_name}}.workflows.{name}")
    return set(module.build_workflow(Settings()).build().nodes)


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
