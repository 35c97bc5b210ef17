"""How every workflow of the project runs: one run, one summary line, an honest exit code.

Each workflow module's ``main()`` is ``run_main(WORKFLOW_NAME, build_workflow,
summarize)``. A run ends in one of two ways, both within the time its steps
take (no step is run again by the runtime):

* every step ran: ``summarize(results)`` names the outcome, and the exit code
  is 0 only for the outcome the workflow exists for (loaded, delivered,
  published);
* a step failed (a source down, a refused request, a bad record a step could
  not handle, an invalid setting): the run stops there, and the exit code is 1.

A run is bounded: ``RUN_TIME_LIMIT_SECONDS`` (settings.py, default 3300) is
passed to the SDK's ``runtime.execute(time_limit=...)``, and a failed run
retires the outcome files of an earlier one (nodes/outcome_writer.py), so what
is left in the output folder is never mistaken for this run's result.

Either way exactly one JSON line with ``"event": "run finished"`` is logged,
naming the failed node when there is one (``failed_node``), so the scheduler's
log platform can alert on it.

Why plain ``LocalRuntime()`` and no SwitchNode in the graphs: in Kailash 2.63.0
(kailash/runtime/local.py, ``_execute_conditional_approach``), with
``conditional_execution="skip_branches"`` a node failing before a SwitchNode
makes the runtime fall back to ``_execute_async``, which enters the
conditional approach again, and again: the failing source is read hundreds of
times and the process does not end. In the default mode the inactive branch
of a SwitchNode is not skipped reliably (a writer with a file path runs with
no input and fails). So the workflows choose their branch inside one step
(OutcomeWriterNode, nodes/outcome_writer.py) and run in the default mode, where a failed node stops the run.

Importing this module does no IO.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

from . import shadow
from .nodes.outcome_writer import outcome_paths, retire
from .observability import configure_logging, failed_nodes, log_run
from .settings import Settings, load_dotenv

# How the SDK names the node in the errors it raises for a failed node.
FAILED_NODE = re.compile(r"Node '([^']+)' (?:failed|execution failed)")
MAX_ERROR_CHARS = 2000


def failed_node_of(error: BaseException) -> str | None:
    """The id of the node an SDK error is about, searched along the exception chain."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        match = FAILED_NODE.search(str(current))
        if match:
            return match.group(1)
        current = current.__cause__ or current.__context__
    return None


def short_error(error: BaseException) -> str:
    """The error as one bounded line for the summary."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text[:MAX_ERROR_CHARS]


def run_main(
    workflow_name: str,
    build: Callable[[Settings], WorkflowBuilder],
    summarize: Callable[[dict[str, Any]], dict[str, Any]],
    success: str,
) -> int:
    """Run one workflow with settings from the environment; 0 when its outcome is ``success``.

    ``summarize`` turns the results of a complete run into the summary's fields,
    ``outcome`` among them.
    """
    logger = logging.getLogger(f"{__package__}.workflows.{workflow_name}")
    started = time.monotonic()

    def finish(run_id: str | None, **fields: Any) -> None:
        log_run(
            logger, workflow_name, run_id, seconds=round(time.monotonic() - started, 3), **fields
        )

    try:
        load_dotenv()
        settings = shadow.apply(Settings.from_env())  # JOB_MODE=shadow: outputs apart (shadow.py)
    except (ValueError, OSError) as exc:
        logging.basicConfig(level="INFO")
        logger.error("%s: invalid settings: %s", workflow_name, exc)
        finish(None, outcome="failed", failed_node=None, error=short_error(exc))
        return 1
    configure_logging(settings.log_level, settings.sdk_log_level)
    workflow = None

    def retire_outcomes() -> None:
        for path in outcome_paths(workflow) if workflow is not None else ():
            retire(path)

    try:
        Path(settings.output_dir).mkdir(parents=True, exist_ok=True)
        Path(settings.report_dir).mkdir(parents=True, exist_ok=True)
        workflow = build(settings).build()
        with LocalRuntime() as runtime:
            results, run_id = runtime.execute(workflow, time_limit=settings.run_time_limit_seconds)
    except Exception as exc:  # noqa: BLE001  every failure ends the run the same way
        retire_outcomes()
        node = failed_node_of(exc)
        logger.error("%s: step %s failed: %s", workflow_name, node or "(none)", short_error(exc))
        logger.debug("traceback", exc_info=True)
        finish(None, outcome="failed", failed_node=node, error=short_error(exc))
        return 1

    # A failed last node (a writer, say) is recorded in the results, not raised.
    failures = failed_nodes(results)
    if failures:
        retire_outcomes()
        node, error = next(iter(failures.items()))
        finish(run_id, outcome="failed", failed_node=node, error=error[:MAX_ERROR_CHARS])
        return 1
    try:
        fields = summarize(results)
    except Exception as exc:  # noqa: BLE001
        finish(run_id, outcome="failed", failed_node=None, error=short_error(exc))
        return 1
    # A shadow run compares its output with the legacy one (shadow.py); the exit code stays the run's.
    finish(run_id, **shadow.after_run(fields, succeeded=fields.get("outcome") == success))
    return 0 if fields.get("outcome") == success else 1
