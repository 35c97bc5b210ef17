"""Tests of the custom nodes in src/{{package_name}}/nodes/."""

from __future__ import annotations

{{#if (includes data_sources "queue")}}
import pytest

{{/if}}
from {{package_name}}.nodes import (
    LegacyAdapterNode,
{{#if (includes data_sources "queue")}}
    QueueConsumerNode,
{{/if}}
{{#if (includes data_sources "sftp")}}
    SFTPDropReaderNode,
{{/if}}
)


def test_legacy_adapter_normalises_records():
    result = LegacyAdapterNode().execute(
        data=[{"ID": "  7 ", "BOOKED": "31/12/2024", "NOTE": "N/A"}],
        field_map={"ID": "id", "BOOKED": "booked_on"},
        date_fields=["booked_on"],
        required_fields=["id"],
    )
    assert result["data"] == [{"id": "7", "booked_on": "2024-12-31", "NOTE": None}]
    assert result["rejected"] == []


def test_legacy_adapter_rejects_with_a_reason_and_never_drops():
    records = [{"ID": ""}, {"ID": "8", "BOOKED": "2024-13-45"}, "not a record"]
    result = LegacyAdapterNode().execute(
        data=records,
        field_map={"ID": "id", "BOOKED": "booked_on"},
        date_fields=["booked_on"],
        required_fields=["id"],
    )
    reasons = [r["reason"] for r in result["rejected"]]
    assert reasons[0] == "missing required field(s): id"
    assert reasons[1].startswith("unrecognised date")
    assert reasons[2].startswith("expected a record")
    assert result["stats"] == {"received": 3, "accepted": 0, "rejected": 3}
{{#if (includes data_sources "queue")}}


def test_queue_consumer_replays_a_capture(tmp_path):
    capture = tmp_path / "capture.jsonl"
    capture.write_text('{"RECORD_ID": "Q-1"}\n\n{"RECORD_ID": "Q-2"}\n{"RECORD_ID": "Q-3"}\n')
    result = QueueConsumerNode().execute(queue_url=f"file:{capture}", max_messages=2)
    assert result["data"] == [{"RECORD_ID": "Q-1"}, {"RECORD_ID": "Q-2"}]


def test_queue_consumer_needs_a_broker_client_for_real_urls():
    with pytest.raises(Exception, match="not implemented"):
        QueueConsumerNode().execute(queue_url="amqp://broker.internal/", queue_name="legacy")
{{/if}}
{{#if (includes data_sources "sftp")}}


def test_sftp_reader_declares_its_connection_parameters():
    parameters = SFTPDropReaderNode().get_parameters()
    assert parameters["host"].required and parameters["username"].required
    assert parameters["pattern"].default == "*.csv"
{{/if}}
