"""Runtime settings for the {{py_comment system_name}} migration workflows.

Every value comes from the environment, or from a local ``.env`` file that
:func:`load_dotenv` reads when a workflow's ``main()`` starts. The same code
therefore runs on a laptop, in CI and in production, and no secret ever lives
in this file or in git: ``.env.example`` lists the variables of the project's
sources and patterns (the settings of the others, declared for workflows added
later, are read the same way).

Importing this module does no IO. ``python -m {{package_name}}.settings``
prints the settings in effect (secrets masked) and the sizing derived from the
daily volume.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

SYSTEM_NAME = {{py system_name}}
OWNER = {{py owner}}
TARGET_DATE = {{py target_date}}
DAILY_VOLUME = {{daily_volume}}

# Share of the daily volume that arrives in the busiest hour. Legacy batch
# systems are bursty; 3x the flat hourly average is a cautious starting point.
# Replace it with the peak measured during the assessment (docs/assessment.md).
PEAK_FACTOR = 3.0


def volume_profile(
    daily_volume: int = DAILY_VOLUME, peak_factor: float = PEAK_FACTOR
) -> dict[str, float]:
    """Rates derived from the daily volume, used to size batches and load tests."""
    per_hour = daily_volume / 24
    return {
        "per_day": float(daily_volume),
        "per_hour": per_hour,
        "per_minute": per_hour / 60,
        "per_second": per_hour / 3600,
        "peak_per_hour": per_hour * peak_factor,
        "peak_per_second": per_hour * peak_factor / 3600,
    }


def default_batch_size(daily_volume: int = DAILY_VOLUME) -> int:
    """One hour of average volume per batch, kept between 1,000 and 100,000 records.

    Kailash's file and SQL nodes hand whole result sets to the next node, so a
    batch has to fit comfortably in memory; an hour of data also makes a
    natural unit for reconciliation and reruns. Use it to partition extracts
    (one query window or one file per batch) and to bound queue reads.
    """
    return max(1_000, min(100_000, math.ceil(daily_volume / 24)))


def load_dotenv(path: str | os.PathLike[str] = ".env", *, override: bool = False) -> bool:
    """Load ``KEY=value`` lines from ``path`` into ``os.environ``.

    A deliberately small loader, so the project needs no python-dotenv: blank
    lines and ``#`` comment lines are skipped, an ``export`` prefix is allowed,
    and one pair of matching quotes around a value is removed. Values are taken
    literally (no inline comments, no ``${VAR}`` expansion). Variables that are
    already set win unless ``override`` is true, so the real environment (CI,
    production) always beats the file. Returns whether the file existed.
    """
    file = Path(path)
    if not file.is_file():
        return False
    for raw in file.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if override or key not in os.environ:
            os.environ[key] = value
    return True


@dataclass(frozen=True)
class Settings:
    """Everything the workflows read from the environment, with safe local defaults."""

    environment: str = "development"
    log_level: str = "INFO"
    # The Kailash SDK's own log level: its INFO lines describe the wiring, not the data.
    sdk_log_level: str = "WARNING"
    # Kailash's file nodes only write below the working directory, the temp
    # directory and ~/.kailash (plus KAILASH_ALLOWED_DIRS): keep outputs relative.
    output_dir: str = "data/output"
    # Share of records the legacy adapter may reject before a batch is quarantined.
    max_reject_ratio: float = 0.01
    # Every data source's settings are declared, whichever sources the project was
    # created with, so a workflow added later can read any of them (sources.py);
    # sources.DATA_SOURCES are the ones this project reads by default.
    csv_input_path: str = {{#if (includes data_sources "csv")}}"data/sample/legacy_extract.csv"{{else}}"data/input/legacy_extract.csv"{{/if}}
    spreadsheet_export_path: str = {{#if (includes data_sources "spreadsheet")}}"data/sample/spreadsheet_export.csv"{{else}}"data/input/spreadsheet_export.csv"{{/if}}
    # SQLAlchemy URL; the driver named after "+" must be installed (see pyproject.toml).
{{#if (eq database_kind "mysql")}}
    database_url: str = "mysql+pymysql://migration_ro:change-me@localhost:3306/legacy"
{{else if (eq database_kind "oracle")}}
    database_url: str = "oracle+oracledb://migration_ro:change-me@localhost:1521/?service_name=LEGACY"
{{else if (eq database_kind "sqlserver")}}
    database_url: str = (
        "mssql+pyodbc://migration_ro:change-me@localhost:1433/legacy"
        "?driver=ODBC+Driver+18+for+SQL+Server"
    )
{{else if (eq database_kind "sqlite")}}
    # Read-only URI: a missing database file fails the extract instead of being
    # created empty (SQLite's default), so no empty data/legacy.db is left behind.
    database_url: str = "sqlite:///file:data/legacy.db?mode=ro&uri=true"
{{else if (eq database_kind "other")}}
    # Set the SQLAlchemy dialect and driver of {{py_comment database_other}} (see .env.example).
    database_url: str = "dialect+driver://migration_ro:change-me@localhost/legacy"
{{else}}
    # connect_timeout (libpq, seconds) bounds opening the connection: a server that
    # accepts it and never answers fails the extract instead of hanging the run.
    database_url: str = (
        "postgresql+psycopg://migration_ro:change-me@localhost:5432/legacy?connect_timeout=10"
    )
{{/if}}
    # The longest opening a database connection may take, login included (database.py):
    # a server that accepts the connection and never answers fails the extract, whatever
    # the driver, instead of hanging the run. Queries on an open connection are not bounded.
    database_connect_timeout: float = 10.0
    source_query: str = "SELECT * FROM legacy_records"
    source_api_base_url: str = "https://legacy.example.internal/api"
    source_api_resource: str = "records"
    source_api_token: str | None = None
    sftp_host: str = "sftp.example.internal"
    sftp_port: int = 22
    sftp_username: str = "migration"
    sftp_password: str | None = None
    sftp_key_path: str | None = None
    sftp_known_hosts: str | None = None
    sftp_remote_dir: str = "/outbound"
    sftp_file_pattern: str = "*.csv"
    # file:PATH replays a JSON-lines capture of the legacy queue (local runs and
    # tests); any other URL goes to the broker client in nodes/queue_source.py.
    queue_url: str = {{#if (includes data_sources "queue")}}"file:data/sample/queue_capture.jsonl"{{else}}"file:data/input/queue_capture.jsonl"{{/if}}
    queue_name: str = "legacy-events"
    queue_max_messages: int = default_batch_size()
    # Every workflow pattern's settings are declared too, for the same reason.
    target_api_base_url: str = "https://kailash-gateway.example.internal"
    target_api_resource: str = "v1/records"
    target_api_token: str | None = None
    # The partner's SFTP server, when the API integration delivers files there
    # (nodes/sftp_target.py). Each connect, login and SFTP step waits at most
    # SFTP_TARGET_TIMEOUT seconds and the whole delivery SFTP_TARGET_DEADLINE,
    # retries included: a server that accepts and never answers fails the run
    # within 30 s. SFTP_TARGET_FILE_NAME's {timestamp} is the run's UTC time.
    sftp_target_host: str = "sftp.partner.example"
    sftp_target_port: int = 22
    sftp_target_username: str = "migration"
    sftp_target_password: str | None = None
    sftp_target_key_path: str | None = None
    sftp_target_known_hosts: str | None = None
    sftp_target_remote_dir: str = "/inbound"
    sftp_target_file_name: str = "records-{timestamp}.csv"
    sftp_target_timeout: float = 5.0
    sftp_target_attempts: int = 2
    sftp_target_deadline: float = 15.0
    llm_provider: str = {{#if llm_provider}}{{py llm_provider}}{{else}}"openai"{{/if}}
{{#if (eq llm_provider "openai")}}
    llm_model: str = "gpt-4o-mini"
{{else if (eq llm_provider "anthropic")}}
    llm_model: str = "claude-haiku-4-5"
{{else if (eq llm_provider "ollama")}}
    llm_model: str = "llama3.2"
{{else}}
    llm_model: str = "gpt-4o-mini"
{{/if}}
    # Empty: the provider's own endpoint. See .env.example for what kaizen accepts.
    llm_base_url: str = ""
    report_dir: str = "reports"
    # Every HTTP step (retry.py): attempts in all, first backoff and its cap, in
    # seconds, the timeout of one attempt in whole seconds, and the budget of the
    # whole step, retries included: a server that accepts and never answers fails
    # its step within HTTP_RETRY_DEADLINE seconds, so the run ends within 30 s.
    http_retry_attempts: int = 3
    http_retry_base_delay: float = 0.5
    http_retry_max_delay: float = 5.0
    http_timeout: int = 5
    http_retry_deadline: float = 10.0
    # The SDK's own limit on one run (runtime.execute(time_limit=...)), in seconds.
    # Below the CronJob's activeDeadlineSeconds (this + 300), so the runtime stops
    # a run between steps before Kubernetes kills the pod mid-write.
    run_time_limit_seconds: int = 3300

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``env`` (default: ``os.environ``).

        Each field is read from the upper-cased field name (``database_url`` from
        ``DATABASE_URL``); unset or empty variables keep the default. A value that
        is not a number where one is expected raises ValueError naming the variable.
        """
        source = os.environ if env is None else env
        values: dict[str, object] = {}
        for field in fields(cls):
            variable = field.name.upper()
            raw = source.get(variable, "")
            if raw == "":
                continue
            default = getattr(cls, field.name)
            if isinstance(default, (int, float)):
                kind = "a whole number" if isinstance(default, int) else "a number"
                try:
                    values[field.name] = type(default)(raw.strip())
                except ValueError:
                    raise ValueError(f"{variable}: expected {kind}, got {raw!r}") from None
            else:
                values[field.name] = raw
        return cls(**values)

    def output_path(self, name: str) -> str:
        """A file below ``output_dir``, as the relative path Kailash's file nodes accept."""
        return str(Path(self.output_dir) / name)

    def describe(self) -> dict[str, object]:
        """The settings as a dict with secrets masked, for logs and ``python -m``."""
        secret_words = ("token", "password", "secret")
        described: dict[str, object] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value and any(word in field.name for word in secret_words):
                value = "***"
            elif isinstance(value, str) and "://" in value and "@" in value:
                scheme, _, rest = value.partition("://")
                value = f"{scheme}://***@{rest.rpartition('@')[2]}"
            described[field.name] = value
        return described


def main() -> int:
    """Print the settings in effect and the sizing derived from the daily volume."""
    load_dotenv()
    settings = Settings.from_env()
    print(f"{SYSTEM_NAME} -> Kailash SDK (owner: {OWNER}, cutover by {TARGET_DATE})")
    width = max(len(name) for name in settings.describe())
    for name, value in settings.describe().items():
        print(f"  {name:<{width}}  {value}")
    print(f"Sizing from the daily volume (peak factor {PEAK_FACTOR:.1f}):")
    for name, rate in volume_profile().items():
        print(f"  {name:<{width}}  {rate:,.1f} records")
    print(f"  {'batch size':<{width}}  {default_batch_size():,} records (suggested)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
