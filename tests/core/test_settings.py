"""Settings: defaults, the embedded database URL, and errors naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in (
        "REVBOT_DATABASE_URL",
        "REVBOT_DATA_DIR",
        "REVBOT_NOW",
        "REVBOT_BACKFILL_MONTHS",
        "REVBOT_BRIEF_CHECK_SECONDS",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_use_embedded_sqlite_in_data_dir(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.is_embedded_database
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / '.revbot' / 'revbot.db'}"
    assert settings.backfill_months == 12
    assert settings.match_metadata_key == "client_id"
    assert settings.brief_check_seconds == 60


def test_a_running_clock_and_a_brief_interval_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVBOT_NOW", "2026-11-16T08:59:00Z+running")
    monkeypatch.setenv("REVBOT_BRIEF_CHECK_SECONDS", "0.5")
    settings = load_settings()
    assert settings.now == "2026-11-16T08:59:00Z+running" and settings.brief_check_seconds == 0.5


def test_database_url_overrides_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVBOT_DATABASE_URL", "postgresql://x@h/db")
    settings = load_settings()
    assert not settings.is_embedded_database
    assert settings.resolved_database_url == "postgresql://x@h/db"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("REVBOT_BACKFILL_MONTHS", "twelve"),
        ("REVBOT_BACKFILL_MONTHS", "0"),
        ("REVBOT_NOW", "yesterday"),
        ("REVBOT_NOW", "2027-02-15+later"),
        ("REVBOT_BRIEF_CHECK_SECONDS", "0"),
        ("REVBOT_STRIPE_API_BASE", "ftp://stripe"),
        ("REVBOT_LOG_LEVEL", "LOUD"),
    ],
)
def test_invalid_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert variable in str(err.value)


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("REVBOT_BACKFILL_MONTHS=6\n")
    assert load_settings().backfill_months == 6


def test_empty_values_mean_unset_as_in_env_example(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # .env.example and compose leave the other mode's variables empty: not a Socket Mode
    # token of "" nor a database URL of "".
    (tmp_path / ".env").write_text(
        "SLACK_APP_TOKEN=\nREVBOT_DATABASE_URL=\nSLACK_BOT_TOKEN=xoxb-1\n"
    )
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    settings = load_settings()
    assert settings.slack_app_token is None
    assert settings.is_embedded_database
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-1"
