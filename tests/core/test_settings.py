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


LLM = {
    "REVBOT_LLM_BASE_URL": "http://127.0.0.1:11434/v1",
    "REVBOT_LLM_MODEL": "llama3.1",
    "REVBOT_LLM_API_KEY": "ollama-local-key",
}


def test_the_llm_reader_is_off_by_default_and_on_with_all_three(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in LLM:
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert not settings.llm_enabled
    assert settings.llm_send_names and settings.llm_timeout_seconds == 5
    for name, value in LLM.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.llm_enabled
    assert "ollama-local-key" not in repr(settings)


@pytest.mark.parametrize(
    "given", [("REVBOT_LLM_BASE_URL",), ("REVBOT_LLM_MODEL", "REVBOT_LLM_API_KEY")]
)
def test_part_of_the_llm_settings_is_an_error_naming_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, given: tuple[str, ...]
) -> None:
    for name in LLM:
        monkeypatch.delenv(name, raising=False)
    for name in given:
        monkeypatch.setenv(name, LLM[name])
    with pytest.raises(SettingsError) as err:
        load_settings()
    missing = [name for name in LLM if name not in given]
    assert all(f"{name}" in str(err.value).split(" not set")[0] for name in missing)
    assert "ollama-local-key" not in str(err.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("REVBOT_LLM_BASE_URL", "localhost:11434"),
        ("REVBOT_LLM_TIMEOUT_SECONDS", "0"),
        ("REVBOT_LLM_TIMEOUT_SECONDS", "soon"),
        ("REVBOT_LLM_SEND_NAMES", "maybe"),
    ],
)
def test_invalid_llm_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    for name, good in LLM.items():
        monkeypatch.setenv(name, good)
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert variable in str(err.value)
