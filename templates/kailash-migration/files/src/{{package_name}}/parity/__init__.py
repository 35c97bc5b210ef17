"""Parity: prove that a job's new output is what its legacy output was.

``python -m <package>.parity <job> --legacy PATH --new PATH [--date YYYY-MM-DD]`` compares
two outputs of one job (CSV, JSON lines, a JSON array, or a database query) under the job's
rules in jobs.yaml, and writes ``reports/parity/<job>/<date>.json`` (and ``.md``,
``latest.json``). See docs/parity.md. Standard library only: it runs beside the legacy system
and in CI without the Kailash SDK, and ``PYTHONPATH=src python -m ...`` works before the
project is installed. Importing it does no IO.
"""
