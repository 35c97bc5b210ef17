"""Migration of {{py_comment system_name}} to the Kailash Python SDK.

- ``{{package_name}}.workflows``: one Kailash workflow per migration pattern
- ``{{package_name}}.nodes``: custom nodes for logic no built-in node covers
- ``{{package_name}}.rules``: the business rules ported from the legacy system
- ``{{package_name}}.settings``: configuration from the environment / ``.env``

Importing the package does no IO and does not import the Kailash SDK.
"""

__version__ = "0.1.0"
