"""ResilientHTTPNode: one HTTP call with the project's retry policy (retry.py).

Every API step of the workflows runs this node: the rest_api source and the
API integration's push. It sends each attempt through the SDK's
HTTPRequestNode (auth headers, credential-masked logging) with the SDK's own
retries off, and decides about retrying itself, because in Kailash 2.63
(kailash/nodes/api/http.py and rest.py) HTTPRequestNode and RESTClientNode
retry only when no response came back: a 503 or a 429 ends the call at once,
and RESTClientNode drops the response headers of a failed call, so a
``Retry-After`` could not be honoured through it.

A successful answer must be JSON (``expect_json``, the default, for sources):
an API that answers 200 with an HTML error page fails the step, saying the
source returned text, instead of handing a string to the next step (which
would read it one character at a time).

With ``fail_on_error`` (the default, for sources) a call that still fails
after the retries raises, so the run stops at this node and says why. With
``fail_on_error=False`` (the push, whose failure has a dead-letter path) it
returns ``ok=False`` and the details instead. The output has no ``success``
key on purpose: the runtime would stop the run at a node returning
``success=False`` before the dead-letter step could keep the batch.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from kailash.nodes.base import Node, NodeParameter, register_node
from kailash.sdk_exceptions import NodeExecutionError

from ..retry import RetryPolicy, attempt_timeout, call_with_retries

logger = logging.getLogger(__name__)


def join_url(base_url: str, resource: str) -> str:
    """``base_url`` and ``resource`` joined by exactly one slash."""
    if not resource:
        return base_url
    return base_url.rstrip("/") + "/" + resource.lstrip("/")


def safe_url(url: str) -> str:
    """The URL without user info or query string, for messages and logs."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"


@register_node()
class ResilientHTTPNode(Node):
    """An HTTP request retried on transient failures; outputs ``data``, ``status_code``, ``ok``, ``attempts``."""

    def get_parameters(self) -> dict[str, NodeParameter]:
        def param(name: str, type_: Any, default: Any, description: str) -> NodeParameter:
            return NodeParameter(
                name=name, type=type_, required=False, default=default, description=description
            )

        return {
            "base_url": NodeParameter(
                name="base_url", type=str, required=True, description="Scheme, host and base path"
            ),
            "resource": param("resource", str, "", "Path below base_url"),
            "method": param("method", str, "GET", "HTTP method"),
            "data": param("data", Any, None, "JSON body (a dict or list), sent when not None"),
            "headers": param("headers", dict, {}, "Extra request headers"),
            "auth_token": param(
                "auth_token", str, None, "Bearer token; no Authorization when unset"
            ),
            "timeout": param("timeout", int, 5, "Whole seconds per attempt (at least 1)"),
            "attempts": param("attempts", int, 3, "Attempts in all (1 = no retry)"),
            "base_delay": param(
                "base_delay", float, 0.5, "Backoff before the 2nd attempt, seconds"
            ),
            "max_delay": param("max_delay", float, 5.0, "Longest wait between attempts, seconds"),
            "deadline": param(
                "deadline", float, 10.0, "Seconds for the whole step, retries included"
            ),
            "expect_json": param("expect_json", bool, True, "Fail when a 2xx answer is not JSON"),
            "fail_on_error": param(
                "fail_on_error", bool, True, "Raise when the call fails for good"
            ),
        }

    def run(self, **kwargs: Any) -> dict[str, Any]:
        # Imported here: kailash.nodes.api needs requests and aiohttp (pyproject.toml).
        from kailash.nodes.api.http import HTTPRequestNode

        url = join_url(kwargs["base_url"], kwargs.get("resource") or "")
        method = str(kwargs.get("method") or "GET").upper()
        body = kwargs.get("data")
        policy = RetryPolicy(
            attempts=int(kwargs.get("attempts") or 1),
            base_delay=float(kwargs.get("base_delay") or 0.0),
            max_delay=float(kwargs.get("max_delay") or 0.0),
            deadline=float(kwargs.get("deadline") or 0.0) or None,
        )
        timeout = max(1, int(kwargs.get("timeout") or 5))
        started = time.monotonic()
        request: dict[str, Any] = {
            "url": url,
            "method": method,
            "headers": {"Accept": "application/json", **(kwargs.get("headers") or {})},
            "retry_count": 0,
            "response_format": "auto",
        }
        if body is not None:
            request["json_data"] = body
        if kwargs.get("auth_token"):
            request.update(auth_type="bearer", auth_token=kwargs["auth_token"])
        client = HTTPRequestNode()

        def send() -> dict[str, Any]:
            # Whole seconds: HTTPRequestNode takes an int and 0 is refused by requests.
            limit = attempt_timeout(timeout, policy, time.monotonic() - started)
            result = client.execute(**request, timeout=limit)
            response = result.get("response") or {}
            return {
                "success": bool(result.get("success")),
                "status_code": result.get("status_code"),
                "headers": response.get("headers") or {},
                "content": response.get("content"),
                "error": result.get("error"),
            }

        def on_retry(attempt: int, outcome: dict[str, Any], wait: float) -> None:
            logger.warning(
                "%s %s: attempt %d/%d got %s; retrying in %.2fs",
                method,
                safe_url(url),
                attempt,
                policy.attempts,
                outcome.get("status_code") or outcome.get("error") or "no response",
                wait,
            )

        outcome, attempts = call_with_retries(send, policy, on_retry=on_retry)
        ok = bool(outcome.get("success"))
        content = outcome.get("content")
        error = None
        if ok and kwargs.get("expect_json", True) and not isinstance(content, (dict, list)):
            ok = False
            shown = " ".join(str(content or "").split())[:80]
            error = (
                f"{method} {safe_url(url)}: the source returned text (not JSON) "
                f"with HTTP {outcome.get('status_code')}: {shown!r}"
            )
            if kwargs.get("fail_on_error", True):
                raise NodeExecutionError(error)
        elif not ok:
            reason = (
                f"HTTP {outcome['status_code']}"
                if outcome.get("status_code")
                else str(outcome.get("error") or "no response")
            )
            error = f"{method} {safe_url(url)} failed after {attempts} attempt(s): {reason}"
            if outcome.get("gave_up"):
                error += f" ({outcome['gave_up']})"
            if kwargs.get("fail_on_error", True):
                raise NodeExecutionError(error)
        return {
            "data": content,
            "status_code": outcome.get("status_code"),
            "ok": ok,
            "attempts": attempts,
            "error": error,
        }
