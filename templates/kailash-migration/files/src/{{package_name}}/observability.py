"""Logging and run summaries shared by the workflows' ``main()`` functions.

Monitoring starts with one machine-readable line per run: every workflow logs
``run finished`` with the run id, the outcome and the numbers reconciliation
needs, so the log platform can alert on a failed or quarantined run without
parsing free text. Importing this module does no IO.
"""

from __future__ import annotations

import json
import logging
from typing import Any

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class SdkLogFilter(logging.Filter):
    """Keeps the Kailash SDK's and kaizen's own log records at ``sdk_level`` and above.

    The SDK logs how it wires and schedules every node at INFO (over a hundred
    lines per run) and resets its runtime logger to INFO itself, so logger
    levels alone cannot quiet it; this filter sits on the output handlers.
    Node loggers (``kailash.nodes.<node id>``) are not SDK chatter: they report
    the data, and keep the project's level. kailash-kaizen (the LLM step) logs
    its setup at INFO too, some forty lines per LLM run: ``kaizen.*`` records are
    held to the same level.

    It also drops two known-noisy warnings of Kailash 2.63, which say nothing
    about this project's wiring: every PythonCodeNode built from a function logs
    "Unknown parameter(s) for PythonCodeNode: ['class_type', 'code', ...]", and
    SQLDatabaseNode "Unknown parameter(s) for SQLDatabaseNode: ['connect_args',
    'echo', ...]" twice per run, because each node echoes its own constructor
    arguments as inputs.
    """

    NOISE = (
        "[NODE] Unknown parameter(s) for PythonCodeNode",
        "[NODE] Unknown parameter(s) for SQLDatabaseNode",
    )
    SDK_LOGGERS = ("kailash.", "kaizen.")

    def __init__(self, sdk_level: str = "WARNING") -> None:
        super().__init__()
        self.sdk_level = logging.getLevelName(sdk_level.upper())

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "kailash.nodes.base" and record.getMessage().startswith(self.NOISE):
            return False
        if record.name.startswith(self.SDK_LOGGERS) and not record.name.startswith(
            "kailash.nodes."
        ):
            return record.levelno >= self.sdk_level
        return True


def configure_logging(level: str = "INFO", sdk_level: str = "WARNING") -> None:
    """Log to stderr with timestamps: the project and its nodes at ``level``, the SDK at ``sdk_level``."""
    logging.basicConfig(level=level.upper(), format=LOG_FORMAT)
    sdk_filter = SdkLogFilter(sdk_level)
    for handler in logging.getLogger().handlers:
        handler.addFilter(sdk_filter)


def failed_nodes(results: dict[str, Any]) -> dict[str, str]:
    """Nodes the runtime recorded as failed, with their error.

    LocalRuntime raises when a node that others depend on fails, but a failed
    last node (a writer, say) is only recorded in the results: always check.
    """
    return {
        node_id: str(output.get("error", "failed"))
        for node_id, output in results.items()
        if isinstance(output, dict) and output.get("failed")
    }


def log_run(logger: logging.Logger, workflow: str, run_id: str | None, **fields: Any) -> None:
    """Log the one-line JSON summary of a run that monitoring keys on."""
    summary = {"event": "run finished", "workflow": workflow, "run_id": run_id, **fields}
    logger.info(json.dumps(summary, default=str, sort_keys=True))
