"""Configuration (SPEC §11) read from the environment and ``.env``.

A missing or invalid value fails at start with a message naming the variable.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.clock import parse_clock


class SettingsError(RuntimeError):
    """Configuration could not be loaded; the message names the variable."""


class Settings(BaseSettings):
    # An empty value (``SLACK_APP_TOKEN=`` in .env.example, compose) means "not set".
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=True, env_ignore_empty=True
    )

    data_dir: Path = Field(Path(".revbot"), alias="REVBOT_DATA_DIR")
    database_url: str | None = Field(None, alias="REVBOT_DATABASE_URL")
    encryption_key: SecretStr | None = Field(None, alias="REVBOT_ENCRYPTION_KEY")
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(None, alias="SLACK_CLIENT_SECRET")
    slack_api_url: str = Field("https://slack.com/api/", alias="REVBOT_SLACK_API_URL")
    public_url: str | None = Field(None, alias="REVBOT_PUBLIC_URL")
    stripe_api_base: str = Field("https://api.stripe.com", alias="REVBOT_STRIPE_API_BASE")
    stripe_rate_limit_test: float = Field(25.0, alias="REVBOT_STRIPE_RATE_LIMIT_TEST", gt=0)
    stripe_rate_limit_live: float = Field(90.0, alias="REVBOT_STRIPE_RATE_LIMIT_LIVE", gt=0)
    stripe_max_retries: int = Field(5, alias="REVBOT_STRIPE_MAX_RETRIES", ge=0)
    backfill_months: int = Field(12, alias="REVBOT_BACKFILL_MONTHS", ge=1, le=120)
    match_metadata_key: str = Field("client_id", alias="REVBOT_MATCH_METADATA_KEY")
    brief_check_seconds: float = Field(60.0, alias="REVBOT_BRIEF_CHECK_SECONDS", gt=0)
    brief_claim_seconds: float = Field(600.0, alias="REVBOT_BRIEF_CLAIM_SECONDS", gt=0)
    events_interval_minutes: int = Field(15, alias="REVBOT_EVENTS_INTERVAL_MINUTES", ge=1)
    sync_lease_seconds: int = Field(900, alias="REVBOT_SYNC_LEASE_SECONDS", ge=10)
    thread_context_days: int = Field(7, alias="REVBOT_THREAD_CONTEXT_DAYS", ge=1, le=365)
    # The optional LLM reader (questions the rules cannot read); off unless all three are set.
    llm_base_url: str | None = Field(None, alias="REVBOT_LLM_BASE_URL")
    llm_model: str | None = Field(None, alias="REVBOT_LLM_MODEL")
    llm_api_key: SecretStr | None = Field(None, alias="REVBOT_LLM_API_KEY")
    llm_send_names: bool = Field(True, alias="REVBOT_LLM_SEND_NAMES")
    llm_timeout_seconds: float = Field(5.0, alias="REVBOT_LLM_TIMEOUT_SECONDS", gt=0, le=60)
    log_level: str = Field("INFO", alias="REVBOT_LOG_LEVEL")
    log_format: str = Field("text", alias="REVBOT_LOG_FORMAT")
    now: str | None = Field(None, alias="REVBOT_NOW")

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @field_validator("log_format")
    @classmethod
    def _format(cls, value: str) -> str:
        if value not in {"text", "json"}:
            raise ValueError("expected text or json")
        return value

    @field_validator("now")
    @classmethod
    def _now(cls, value: str | None) -> str | None:
        if value:
            parse_clock(value)
        return value

    @field_validator("stripe_api_base", "slack_api_url", "llm_base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// URL")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _slack_base(cls, value: str) -> str:
        """slack_sdk appends method names to its base URL, so it must end with a slash."""
        return value if value.endswith("/") else value + "/"

    @model_validator(mode="after")
    def _llm_all_or_none(self) -> Settings:
        """The LLM reader needs its URL, model and key together; some alone is a mistake."""
        given = {
            "REVBOT_LLM_BASE_URL": self.llm_base_url,
            "REVBOT_LLM_MODEL": self.llm_model,
            "REVBOT_LLM_API_KEY": self.llm_api_key,
        }
        missing = [name for name, value in given.items() if value is None]
        if 0 < len(missing) < len(given):
            raise ValueError(
                f"{', '.join(missing)} not set: the LLM reader needs REVBOT_LLM_BASE_URL, "
                "REVBOT_LLM_MODEL and REVBOT_LLM_API_KEY together (or none of them)"
            )
        return self

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model and self.llm_api_key)

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'revbot.db').resolve()}"

    @property
    def is_embedded_database(self) -> bool:
        return self.database_url is None


def load_settings() -> Settings:
    """Read settings, turning validation errors into one line per bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            if not error["loc"]:  # a check across settings names its variables itself
                problems.append(str(error["msg"]).removeprefix("Value error, "))
                continue
            field_name = str(error["loc"][0])
            alias = (
                Settings.model_fields[field_name].alias
                if field_name in Settings.model_fields
                else field_name
            )
            problems.append(f"{alias or field_name}: {error['msg']}")
        raise SettingsError("invalid configuration: " + "; ".join(problems)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
