"""{{node_class}}: the {{py_comment node_title}} step of the {{py_comment system_name}} migration.

TODO say which legacy logic this node replaces (program, script or procedure,
with its rules catalog IDs from docs/assessment.md) and why no built-in node
fits, then record it under "Custom node requirements" in docs/kailash-mapping.md.

The stub below keeps the contract of the project's other nodes: records in
(``data``), records out (``data``), nothing dropped silently (``rejected``, with
the reason) and counts for reconciliation (``stats``). Port the legacy logic
into :meth:`{{node_class}}.transform`, one record at a time.

Importing this module registers the node with Kailash's NodeRegistry. The
package ``{{package_name}}.nodes`` does not import it, so a workflow that uses
it imports the module before adding the node by its type name::

    from ..nodes import {{node_module}}  # noqa: F401  registers {{node_class}}

    wf.add_node("{{node_class}}", "{{node_module}}", {})
    wf.add_connection("normalise", "data", "{{node_module}}", "data")

Importing this module does no IO.
"""

from __future__ import annotations

from typing import Any

from kailash.nodes.base import Node, NodeParameter, register_node


@register_node()
class {{node_class}}(Node):
    """{{py_comment node_title}}: TODO one line on what the node does.

    Inputs: ``data`` (list of dicts). Outputs: ``data`` (the records it
    produced), ``rejected`` (``{"index", "record", "reason"}`` for each refused
    record) and ``stats`` (received / accepted / rejected counts).
    """

    def get_parameters(self) -> dict[str, NodeParameter]:
        return {
            "data": NodeParameter(
                name="data",
                type=list,
                required=True,
                description="Records from the previous step (a list of dicts)",
            ),
            # TODO the node's configuration: one NodeParameter per setting,
            # passed in wf.add_node(..., {"name": value}) or by a connection.
            "options": NodeParameter(
                name="options",
                type=dict,
                required=False,
                default={},
                description="Settings of the step, given to transform() with each record",
            ),
        }

    def run(self, **kwargs: Any) -> dict[str, Any]:
        records = kwargs["data"]
        options = kwargs.get("options") or {}

        accepted: list[dict[str, Any]] = []
        rejected: list[dict[str, Any]] = []
        for index, record in enumerate(records):
            try:
                accepted.append(self.transform(record, options))
            except ValueError as exc:
                rejected.append({"index": index, "record": record, "reason": str(exc)})

        stats = {"received": len(records), "accepted": len(accepted), "rejected": len(rejected)}
        self.logger.info("{{node_module}}: %s", stats)
        return {"data": accepted, "rejected": rejected, "stats": stats}

    @staticmethod
    def transform(record: Any, options: dict[str, Any]) -> dict[str, Any]:
        """One record, processed; raises ValueError (with the reason) to reject it.

        TODO port the legacy logic here. The stub returns a copy of the record.
        """
        if not isinstance(record, dict):
            raise ValueError(f"expected a record with named fields, got {type(record).__name__}")
        return dict(record)
