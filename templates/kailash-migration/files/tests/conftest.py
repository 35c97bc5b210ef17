"""Shared test setup.

``src/`` is put on ``sys.path`` so the tests run from a plain checkout too, not
only after ``pip install -e .`` (pyproject.toml sets the same for pytest).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))
{{#unless (or (includes data_sources "database") (includes data_sources "rest_api") (includes data_sources "sftp"))}}

import shutil  # noqa: E402
from dataclasses import replace  # noqa: E402

import pytest  # noqa: E402

from {{package_name}}.settings import Settings  # noqa: E402

SAMPLES = ROOT / "data" / "sample"


@pytest.fixture
def offline_settings(tmp_path: Path) -> Settings:
    """Settings that read the sample data (copied to a temp dir) and write below it.

    Every source of this project can run offline, so the workflows run end to
    end in the tests. Kailash's file nodes accept paths below the temp dir.
    """
    for sample in SAMPLES.iterdir():
        shutil.copy(sample, tmp_path / sample.name)
    return replace(
        Settings(),
        output_dir=str(tmp_path / "output"),
{{#if (includes data_sources "csv")}}
        csv_input_path=str(tmp_path / "legacy_extract.csv"),
{{/if}}
{{#if (includes data_sources "spreadsheet")}}
        spreadsheet_export_path=str(tmp_path / "spreadsheet_export.csv"),
{{/if}}
{{#if (includes data_sources "queue")}}
        queue_url=f"file:{tmp_path / 'queue_capture.jsonl'}",
{{/if}}
{{#if (includes patterns "reporting")}}
        report_dir=str(tmp_path / "reports"),
{{/if}}
    )
{{/unless}}
