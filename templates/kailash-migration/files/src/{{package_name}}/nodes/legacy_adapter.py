"""LegacyAdapterNode: records in the legacy format in, clean records out.

Legacy extracts of {{py_comment system_name}} carry the quirks every old system has:
cryptic or upper-case column names, values padded to a fixed width, several
spellings of "no value", dates in local formats. This node removes them in one
place, before any business rule runs, and never drops a record silently: what
cannot be normalised goes to the ``rejected`` output with the reason.

A custom node rather than a PythonCodeNode step: it is configured per source
with plain data (field map, formats), reused by every workflow, and it gets its
inputs exactly as the previous node produced them, whereas PythonCodeNode
sanitises string inputs (see "Kailash behaviours that affect data fidelity" in
docs/data-migration.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kailash.nodes.base import Node, NodeParameter, register_node

# Spellings of "no value" found in legacy exports. Compared after trimming.
DEFAULT_NULL_MARKERS = ["", "NULL", "null", "None", "N/A", "n/a", "NA", "-", "?"]

# Tried in order; the first that parses wins. List only the formats the legacy
# system really writes, and never both day-first and month-first ones:
# 03/04/2024 would silently become the wrong date for half of the records.
DEFAULT_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%Y%m%d", "%d-%b-%Y", "%d.%m.%Y"]


@register_node()
class LegacyAdapterNode(Node):
    """Normalises legacy records: field names, padding, null markers, dates, required fields.

    Inputs: ``data`` (list of dicts). Outputs: ``data`` (clean records),
    ``rejected`` (``{"index", "record", "reason"}`` for each refused record) and
    ``stats`` (received / accepted / rejected counts, for reconciliation).
    """

    def get_parameters(self) -> dict[str, NodeParameter]:
        return {
            "data": NodeParameter(
                name="data",
                type=list,
                required=True,
                description="Records from the extract step (a list of dicts)",
            ),
            "field_map": NodeParameter(
                name="field_map",
                type=dict,
                required=False,
                default={},
                description="Legacy field name -> new field name; unmapped fields keep their name",
            ),
            "null_markers": NodeParameter(
                name="null_markers",
                type=list,
                required=False,
                default=DEFAULT_NULL_MARKERS,
                description="Values (after trimming) that mean 'no value' and become None",
            ),
            "date_fields": NodeParameter(
                name="date_fields",
                type=list,
                required=False,
                default=[],
                description="Fields (new names) parsed as dates and written as ISO 8601",
            ),
            "date_formats": NodeParameter(
                name="date_formats",
                type=list,
                required=False,
                default=DEFAULT_DATE_FORMATS,
                description="strptime formats tried in order for date_fields",
            ),
            "required_fields": NodeParameter(
                name="required_fields",
                type=list,
                required=False,
                default=[],
                description="Fields (new names) that must have a value, or the record is rejected",
            ),
        }

    def run(self, **kwargs: Any) -> dict[str, Any]:
        records = kwargs["data"]
        field_map = kwargs.get("field_map") or {}
        null_markers = set(kwargs.get("null_markers") or DEFAULT_NULL_MARKERS)
        date_fields = kwargs.get("date_fields") or []
        date_formats = kwargs.get("date_formats") or DEFAULT_DATE_FORMATS
        required_fields = kwargs.get("required_fields") or []

        clean: list[dict[str, Any]] = []
        rejected: list[dict[str, Any]] = []
        for index, record in enumerate(records):
            try:
                row = self.normalise(record, field_map, null_markers, date_fields, date_formats)
                missing = [name for name in required_fields if row.get(name) is None]
                if missing:
                    raise ValueError("missing required field(s): " + ", ".join(missing))
            except ValueError as exc:
                rejected.append({"index": index, "record": record, "reason": str(exc)})
                continue
            clean.append(row)

        stats = {"received": len(records), "accepted": len(clean), "rejected": len(rejected)}
        self.logger.info("legacy adapter: %s", stats)
        return {"data": clean, "rejected": rejected, "stats": stats}

    @staticmethod
    def normalise(
        record: Any,
        field_map: dict[str, str],
        null_markers: set[str],
        date_fields: list[str],
        date_formats: list[str],
    ) -> dict[str, Any]:
        """One record, normalised; raises ValueError when it cannot be."""
        if not isinstance(record, dict):
            raise ValueError(f"expected a record with named fields, got {type(record).__name__}")
        row: dict[str, Any] = {}
        for name, value in record.items():
            if isinstance(value, str):
                value = value.strip()
                if value in null_markers:
                    value = None
            row[field_map.get(name, name)] = value
        for name in date_fields:
            if row.get(name) is not None:
                row[name] = parse_date(str(row[name]), date_formats)
        return row


def parse_date(text: str, formats: list[str]) -> str:
    """``text`` as an ISO 8601 date, trying ``formats`` in order."""
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"unrecognised date {text!r} (tried {', '.join(formats)})")
