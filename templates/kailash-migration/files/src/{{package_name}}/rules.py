"""Business rules of {{py_comment system_name}}, ported one at a time from the legacy code.

This module belongs to the team: ``create-migration sync`` never changes it
after the first render. The rules below are EXAMPLES that fit the sample data
in data/sample/; replace them with the real ones from the business-rules
catalog (docs/assessment.md, section 6), one function or one commented step per
catalog ID, each with a test in tests/test_rules.py that compares the result
with what the legacy system produced for the same input.

Every function here is plain Python: no Kailash import, no IO. The workflows
run them as PythonCodeNode steps (``{"function": rules.apply_business_rules}``),
so they are easy to test and to review against the legacy source.

The workflows depend on these names: FIELD_MAP, DATE_FIELDS, REQUIRED_FIELDS,
KEY_FIELD, apply_business_rules, validate_batch. Keep them (or update the
workflows in the same change).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import Any

# Legacy column -> field name in the new system (LegacyAdapterNode applies it).
FIELD_MAP = {
    "RECORD_ID": "record_id",
    "CUSTOMER": "customer",
    "AMOUNT": "amount",
    "CURRENCY": "currency",
    "TXN_DATE": "txn_date",
    "STATUS": "status",
}
# Fields (new names) holding dates in a legacy format.
DATE_FIELDS = ["txn_date"]
# Fields without which a record is rejected by the adapter.
REQUIRED_FIELDS = ["record_id", "amount"]
# The field that identifies a record in both systems (dedup, reconciliation).
KEY_FIELD = "record_id"

# BR-002: the legacy system stores status as one letter.
STATUS_CODES = {"A": "active", "C": "closed", "P": "pending", "X": "cancelled"}
# BR-003: records without a currency were always in the house currency.
DEFAULT_CURRENCY = "EUR"


def to_amount(value: Any) -> float | None:
    """BR-001: amounts arrive as text with thousands separators; keep two decimals."""
    if value is None:
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None
    return float(amount.quantize(Decimal("0.01")))


def apply_business_rules(data: list) -> list:
    """The transformation rules, applied record by record (runs as ``apply_rules``)."""
    records = []
    for row in data:
        record = dict(row)
        record["amount"] = to_amount(record.get("amount"))
        status = record.get("status")
        record["status"] = STATUS_CODES.get(str(status).upper(), status) if status else None
        record["currency"] = str(record.get("currency") or DEFAULT_CURRENCY).upper()
        records.append(record)
    return records


def checksum(records: list) -> str:
    """Order-independent SHA-256 of the records, for reconciliation with the legacy output.

    Each record is serialised as canonical JSON (sorted keys); the sorted lines
    are hashed. Compute the same on the legacy side to prove both hold the same data.
    """
    digest = hashlib.sha256()
    for line in sorted(json.dumps(r, sort_keys=True, default=str) for r in records):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def validate_batch(
    data: list, rejected: list | None = None, max_reject_ratio: float = 0.01
) -> dict:
    """The data-quality gate before load (runs as ``validate``).

    DQ-001 the batch is not empty; DQ-002 no duplicate keys; DQ-003 rejected
    records stay under ``max_reject_ratio``; DQ-004 every amount is a number.
    Returns the verdict with the numbers reconciliation needs; the ``publish``
    step loads the batch when ``passed`` and quarantines it otherwise.
    """
    rejected = list(rejected or [])
    errors: list[str] = []
    if not data:
        errors.append("DQ-001 batch is empty")
    counts = Counter(r.get(KEY_FIELD) for r in data)
    duplicates = sorted(str(key) for key, n in counts.items() if n > 1)
    if duplicates:
        errors.append(f"DQ-002 duplicate {KEY_FIELD}: {', '.join(duplicates[:10])}")
    total = len(data) + len(rejected)
    reject_ratio = len(rejected) / total if total else 0.0
    if reject_ratio > max_reject_ratio:
        errors.append(
            f"DQ-003 {reject_ratio:.1%} of records rejected (limit {max_reject_ratio:.1%})"
        )
    bad_amounts = [
        str(r.get(KEY_FIELD)) for r in data if not isinstance(r.get("amount"), (int, float))
    ]
    if bad_amounts:
        errors.append(
            f"DQ-004 amount is not a number for {KEY_FIELD}: {', '.join(bad_amounts[:10])}"
        )
    amounts = [r["amount"] for r in data if isinstance(r.get("amount"), (int, float))]
    return {
        "passed": not errors,
        "errors": errors,
        "row_count": len(data),
        "rejected_count": len(rejected),
        "reject_ratio": reject_ratio,
        "amount_total": round(sum(amounts), 2),
        "checksum": checksum(data),
        "rows": data,
        "rejected": rejected,
    }
