"""The retry policy of every HTTP step of the {{py_comment system_name}} workflows.

Written once, here, and used by ResilientHTTPNode (nodes/http_client.py), which
every API step runs: the rest_api source, the API integration's push and the
workflows ``create-migration add workflow`` writes.

What is retried: a request that got no response (connection refused, reset,
DNS failure, timeout) and the statuses that mean "try again later" (408, 429,
500, 502, 503, 504). Nothing else: a 400, 401, 403, 404 or 422 fails at once,
because repeating it cannot succeed. Between attempts the step waits a bounded
exponential backoff with jitter (``base_delay * 2**(n-1)``, capped at
``max_delay``, then a random share between half and all of it, so that many
jobs failing together do not retry in step). A ``Retry-After`` header (seconds
or an HTTP date) on a 429 or 503 replaces the computed wait; when it asks for
longer than ``max_delay`` the step gives up instead of blocking the run.

The whole step has a budget, ``deadline`` seconds, retries and waits included:
no wait starts that would end past it, and the caller shortens each attempt's
timeout to what is left (:func:`attempt_timeout`). With the defaults (3
attempts, 5 s per attempt, 0.5 s base, 5 s cap, 10 s budget) a source that
accepts connections and never answers fails its step after about 10 s, so the
run ends within 30 s; one that is down costs 3 requests and 1.5 s of backoff.
This module is plain Python: no Kailash import, no IO on import.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

# Statuses worth another attempt: the request may succeed later unchanged.
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long an HTTP step retries (settings: HTTP_RETRY_*)."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 5.0
    # Seconds for the whole step, every attempt and wait included; None: no budget.
    deadline: float | None = 10.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, got {self.attempts}")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("base_delay and max_delay must not be negative")
        if self.deadline is not None and self.deadline <= 0:
            raise ValueError(f"deadline must be positive, got {self.deadline}")


def attempt_timeout(timeout: float, policy: RetryPolicy, elapsed: float) -> int:
    """One attempt's timeout in whole seconds: ``timeout``, cut to the budget left (at least 1)."""
    left = timeout if policy.deadline is None else min(timeout, policy.deadline - elapsed)
    return max(1, int(left))


def is_transient(status_code: int | None) -> bool:
    """Whether an outcome is worth retrying; ``None`` means no response at all."""
    return status_code is None or status_code in TRANSIENT_STATUSES


def retry_after_seconds(
    headers: Mapping[str, Any] | None, now: float | None = None
) -> float | None:
    """The wait a ``Retry-After`` header asks for, in seconds, or None when absent or unreadable."""
    if not headers:
        return None
    value = next((str(v) for k, v in headers.items() if str(k).lower() == "retry-after"), None)
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def backoff_delay(
    attempt: int, policy: RetryPolicy, rand: Callable[[], float] = random.random
) -> float:
    """The wait after failed attempt number ``attempt`` (1-based): capped exponential, jittered."""
    ceiling = min(policy.max_delay, policy.base_delay * (2 ** (attempt - 1)))
    return ceiling * (0.5 + 0.5 * rand())


def call_with_retries(
    send: Callable[[], dict[str, Any]],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    rand: Callable[[], float] = random.random,
    on_retry: Callable[[int, dict[str, Any], float], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[dict[str, Any], int]:
    """Call ``send`` until it succeeds, fails for good, or the attempts or the budget run out.

    ``send`` returns an outcome dict with ``success`` (bool), ``status_code``
    (int or None) and optionally ``headers``. Returns the last outcome and the
    number of attempts made.
    """
    started = clock()
    attempt = 0
    while True:
        attempt += 1
        outcome = send()
        status = outcome.get("status_code")
        if outcome.get("success") or not is_transient(status) or attempt >= policy.attempts:
            return outcome, attempt
        wait = backoff_delay(attempt, policy, rand)
        if status in (429, 503):
            asked = retry_after_seconds(outcome.get("headers"))
            if asked is not None:
                if asked > policy.max_delay:
                    outcome = {**outcome, "gave_up": f"Retry-After {asked:.0f}s exceeds max_delay"}
                    return outcome, attempt
                wait = asked
        if policy.deadline is not None and clock() - started + wait >= policy.deadline:
            outcome = {**outcome, "gave_up": f"retry budget of {policy.deadline:g}s spent"}
            return outcome, attempt
        if on_retry is not None:
            on_retry(attempt, outcome, wait)
        sleep(wait)
