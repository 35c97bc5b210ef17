"""Custom Kailash nodes of this migration.

Importing this package registers every node below with Kailash's NodeRegistry,
so workflows can add them by type name (``wf.add_node("LegacyAdapterNode", ...)``).
Add a new node module here when the migration needs logic no built-in node has
(see "Custom node requirements" in docs/kailash-mapping.md).
"""

from .http_client import ResilientHTTPNode
from .legacy_adapter import LegacyAdapterNode
from .outcome_writer import OutcomeWriterNode
{{#if (includes data_sources "queue")}}
from .queue_source import QueueConsumerNode
{{/if}}
{{#if (includes data_sources "sftp")}}
from .sftp_source import SFTPDropReaderNode
{{/if}}
{{#if (eq delivery_target "sftp")}}
from .sftp_target import SFTPDeliveryNode
{{/if}}

__all__ = [
    "LegacyAdapterNode",
    "OutcomeWriterNode",
    "ResilientHTTPNode",
{{#if (includes data_sources "queue")}}
    "QueueConsumerNode",
{{/if}}
{{#if (includes data_sources "sftp")}}
    "SFTPDropReaderNode",
{{/if}}
{{#if (eq delivery_target "sftp")}}
    "SFTPDeliveryNode",
{{/if}}
]
