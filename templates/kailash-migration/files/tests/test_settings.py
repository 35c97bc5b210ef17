"""Tests of settings.py: the .env loader and reading settings from the environment."""

from __future__ import annotations

from {{package_name}}.settings import (
    DAILY_VOLUME,
    Settings,
    default_batch_size,
    load_dotenv,
    volume_profile,
)


def test_load_dotenv_keeps_real_environment(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    lines = [
        "# comment",
        "LOG_LEVEL=DEBUG",
        "export OUTPUT_DIR='out dir'",
        'MAX_REJECT_RATIO="0.05"',
        "not a setting",
    ]
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.delenv("OUTPUT_DIR", raising=False)
    monkeypatch.delenv("MAX_REJECT_RATIO", raising=False)

    assert load_dotenv(env_file) is True
    settings = Settings.from_env()
    assert settings.log_level == "WARNING"  # the real environment wins
    assert settings.output_dir == "out dir"
    assert settings.max_reject_ratio == 0.05


def test_missing_dotenv_is_not_an_error(tmp_path):
    assert load_dotenv(tmp_path / "absent.env") is False


def test_from_env_converts_types_and_ignores_empty_values():
    settings = Settings.from_env({"MAX_REJECT_RATIO": "0.2", "LOG_LEVEL": ""})
    assert settings.max_reject_ratio == 0.2
    assert settings.log_level == Settings().log_level


def test_describe_masks_credentials():
    env = {"LOG_LEVEL": "DEBUG"}
{{#if (includes data_sources "database")}}
    env["DATABASE_URL"] = "postgresql://user:secret@db.internal:5432/legacy"
{{/if}}
{{#if (includes data_sources "rest_api")}}
    env["SOURCE_API_TOKEN"] = "secret"
{{/if}}
{{#if (includes data_sources "sftp")}}
    env["SFTP_PASSWORD"] = "secret"
{{/if}}
{{#if (includes patterns "api")}}
    env["TARGET_API_TOKEN"] = "secret"
{{/if}}
{{#if (eq delivery_target "sftp")}}
    env["SFTP_TARGET_PASSWORD"] = "secret"
{{/if}}
    described = Settings.from_env(env).describe()
    assert described["log_level"] == "DEBUG"
    assert "secret" not in repr(described)


def test_sizing_follows_the_daily_volume():
    profile = volume_profile()
    assert profile["per_day"] == DAILY_VOLUME
    assert profile["peak_per_hour"] >= profile["per_hour"]
    assert 1_000 <= default_batch_size() <= 100_000
