"""Kailash workflows of this migration: one module per migration pattern.

Every module follows the same contract, which the tests rely on:

- importing it does no IO (no file, network or database access);
- ``build_workflow(config=None)`` returns the wired ``WorkflowBuilder``
  (``config`` is a :class:`~{{package_name}}.settings.Settings`, default: the environment);
- ``main()`` runs it once with settings from the environment or ``.env`` and
  returns the process exit code.

Run one with ``python -m {{package_name}}.workflows.<module>``. The registry of
workflows, with their tests, is the "Workflows" table in docs/kailash-mapping.md.
"""
