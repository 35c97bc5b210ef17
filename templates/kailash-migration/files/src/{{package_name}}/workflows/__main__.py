"""Build every workflow of the project, run none: ``python -m {{package_name}}.workflows``.

CI runs it before the tests: a workflow that no longer builds (a node type not
registered, a connection to a missing node or output) fails here, named, in
seconds. Building opens no file, database or connection; the exit code is 1 when
any workflow fails to build.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

from ..settings import Settings


def main() -> int:
    """Build each workflow module with default settings; report each on stdout."""
    package = sys.modules[__package__]
    failed = 0
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"{__package__}.{info.name}")
            workflow = module.build_workflow(Settings()).build()
        except Exception as exc:  # noqa: BLE001  every failure is reported the same way
            failed += 1
            print(f"{info.name}: does not build: {type(exc).__name__}: {exc}")
            continue
        print(f"{info.name}: {len(workflow.nodes)} nodes, {len(workflow.connections)} connections")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
