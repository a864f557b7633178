"""Process settings from the environment (and `.env`), validated at start."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.endpoints import https_or_loopback
from storage.database_url import normalise_database_url

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///incident-comms.db"


class Settings(BaseSettings):
    """Everything the process reads from its environment: credentials and where things are.

    Product behaviour (severities, channels, approvers …) lives in the policy file instead.
    Secrets are `SecretStr` so they never show up in a repr, a log line or an error message.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default=DEFAULT_SLACK_API_URL, alias="SLACK_API_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    port: int = Field(default=3000, alias="PORT", ge=1, le=65535)
    metrics_port: int = Field(default=9464, alias="METRICS_PORT", ge=0, le=65535)  # 0: any free port
    metrics_host: str = Field(default="127.0.0.1", alias="METRICS_HOST", min_length=1)
    metrics_token: SecretStr | None = Field(default=None, alias="METRICS_TOKEN")
    max_background_tasks: int = Field(default=200, alias="MAX_BACKGROUND_TASKS", ge=1)
    # seconds from SIGTERM for in-flight work to finish before it is cancelled (leases handed back)
    shutdown_timeout: float = Field(default=20.0, alias="SHUTDOWN_TIMEOUT", gt=0, le=3600)
    policy_path: Path | None = Field(default=None, alias="INCIDENT_COMMS_CONFIG")
    smtp_url: SecretStr | None = Field(default=None, alias="SMTP_URL")
    teams_client_id: str | None = Field(default=None, alias="TEAMS_CLIENT_ID")
    teams_client_secret: SecretStr | None = Field(default=None, alias="TEAMS_CLIENT_SECRET")
    teams_tenant_id: str | None = Field(default=None, alias="TEAMS_TENANT_ID")
    teams_incident_team_id: str | None = Field(default=None, alias="TEAMS_INCIDENT_TEAM_ID")
    # Microsoft's sovereign clouds and private endpoints (handlers/teams/cloud.py)
    teams_cloud: Literal["public", "usgov", "usgovdod", "china"] = Field(
        default="public", alias="TEAMS_CLOUD"
    )
    teams_openid_metadata_url: str | None = Field(default=None, alias="TEAMS_OPENID_METADATA_URL")
    teams_token_issuer: str | None = Field(default=None, alias="TEAMS_TOKEN_ISSUER")
    teams_login_url: str | None = Field(default=None, alias="TEAMS_LOGIN_URL")
    teams_token_service_url: str | None = Field(default=None, alias="TEAMS_TOKEN_SERVICE_URL")
    teams_graph_url: str | None = Field(default=None, alias="TEAMS_GRAPH_URL")
    teams_service_url_hosts: str | None = Field(default=None, alias="TEAMS_SERVICE_URL_HOSTS")

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_ends_with_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("teams_cloud", mode="before")
    @classmethod
    def _cloud_name(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value  # "USGov" as the SDK spells it

    @field_validator(
        "teams_openid_metadata_url",
        "teams_token_issuer",
        "teams_login_url",
        "teams_token_service_url",
        "teams_graph_url",
    )
    @classmethod
    def _teams_endpoint(cls, value: str | None) -> str | None:
        return https_or_loopback(value.rstrip("/")) if value else None

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @property
    def teams_configured(self) -> bool:
        """Teams is on only with all three of its credentials."""
        return bool(self.teams_client_id and self.teams_client_secret and self.teams_tenant_id)

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def secret_values(self) -> Iterator[str]:
        """Every secret value held: each `SecretStr` setting and the passwords in the URLs (for masking)."""
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr) and value.get_secret_value():
                yield value.get_secret_value()
        for url in (self.database_url, self.secret("smtp_url")):
            password = _url_password(url)
            if password:
                yield from {password, unquote(password)}

    def secret(self, name: str) -> str:
        """The plain value of a secret setting ('' when unset); call only where it is used."""
        value = getattr(self, name)
        return value.get_secret_value() if value is not None else ""


def _url_password(url: str) -> str:
    try:
        return urlsplit(url).password or ""
    except ValueError:  # an unparsable URL has no password to find (start-up reports it elsewhere)
        return ""
