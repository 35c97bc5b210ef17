"""QueueConsumerNode: reads a batch of messages from the legacy message queue.

Why custom: Kailash 2.63's ``KafkaConsumerNode`` is a placeholder that returns
simulated messages, and legacy estates run many brokers (RabbitMQ, IBM MQ,
ActiveMQ, SQS, Kafka). This node fixes the contract the workflows rely on and
leaves the broker client to you:

- ``queue_url`` starting with ``file:`` replays a JSON-lines capture of real
  messages (one JSON object per line). Local runs and tests use it, and it is
  how the parallel run feeds both systems the same input.
- any other URL calls :meth:`QueueConsumerNode.receive`, which you implement
  with the broker's client library. Acknowledge messages only after the
  workflow has loaded them (at-least-once delivery), and make the load
  idempotent, because a crash between load and ack redelivers the batch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kailash.nodes.base import Node, NodeParameter, register_node
from kailash.sdk_exceptions import NodeExecutionError


@register_node()
class QueueConsumerNode(Node):
    """Consumes up to ``max_messages`` messages. Outputs ``data`` (message bodies)."""

    def get_parameters(self) -> dict[str, NodeParameter]:
        return {
            "queue_url": NodeParameter(
                name="queue_url",
                type=str,
                required=True,
                description="Broker URL, or file:PATH to replay a JSON-lines capture",
            ),
            "queue_name": NodeParameter(
                name="queue_name",
                type=str,
                required=False,
                default="",
                description="Queue or topic to consume",
            ),
            "max_messages": NodeParameter(
                name="max_messages",
                type=int,
                required=False,
                default=1000,
                description="Upper bound of messages per run (one batch)",
            ),
        }

    def run(self, **kwargs: Any) -> dict[str, Any]:
        url: str = kwargs["queue_url"]
        limit: int = kwargs.get("max_messages") or 1000
        if url.startswith("file:"):
            messages = self.replay(Path(url.removeprefix("file:")), limit)
        else:
            messages = self.receive(url, kwargs.get("queue_name") or "", limit)
        self.logger.info("queue: %d message(s) consumed", len(messages))
        return {"data": messages}

    @staticmethod
    def replay(capture: Path, limit: int) -> list[dict[str, Any]]:
        """Messages from a JSON-lines capture file, in order."""
        messages: list[dict[str, Any]] = []
        with capture.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if len(messages) >= limit:
                    break
                if not line.strip():
                    continue
                try:
                    messages.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise NodeExecutionError(f"{capture}:{number}: not JSON: {exc}") from exc
        return messages

    def receive(self, url: str, queue_name: str, limit: int) -> list[dict[str, Any]]:
        """Read up to ``limit`` messages from the broker. Implement for your broker.

        Return the decoded message bodies as dicts. Keep the delivery tags (or
        offsets) so the workflow's ``main()`` can acknowledge after the load.
        """
        raise NodeExecutionError(
            f"QueueConsumerNode.receive is not implemented for {url.split(':', 1)[0]!r} "
            f"(queue {queue_name!r}): add the broker client in nodes/queue_source.py, "
            "or set QUEUE_URL=file:PATH to replay a capture"
        )
