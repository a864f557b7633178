"""The `[subscriptions]` table: customers subscribing themselves by e-mail on the status page.

The limits cap confirmation e-mails (what an abuser could make us send to strangers); the secret
that signs every confirmation, unsubscribe and form link comes from the environment variable
named by `secret_env`, never from this file.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from bot.durations import parse_duration

DOMAIN = r"^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$"
Lifetime = Annotated[timedelta, BeforeValidator(lambda v: parse_duration(v) if isinstance(v, str) else v)]


class SubscriptionsPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False  # needs status_page.base_url (links in e-mails are absolute) and SMTP_URL
    per_address_per_hour: int = Field(default=3, ge=1, le=100)  # confirmation e-mails to one address
    per_ip_per_hour: int = Field(default=10, ge=1, le=10000)  # requests from one client address
    global_per_hour: int = Field(default=200, ge=1, le=1000000)  # confirmation e-mails in all
    blocked_domains: list[Annotated[str, Field(pattern=DOMAIN)]] = Field(default_factory=list)
    link_lifetime: Lifetime = timedelta(hours=24)  # a confirmation link's validity
    secret_env: str = Field(default="SUBSCRIPTION_SECRET", pattern=r"^[A-Z][A-Z0-9_]{0,63}$")

    @field_validator("blocked_domains", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return [str(domain).strip().lower() for domain in value] if isinstance(value, list) else value

    @field_validator("link_lifetime")
    @classmethod
    def _bounded(cls, value: timedelta) -> timedelta:
        if not timedelta(minutes=5) <= value <= timedelta(days=7):
            raise ValueError("link_lifetime must be between 5 minutes and 7 days")
        return value

    def blocks(self, address: str) -> bool:
        """True for an address on a blocked domain or any of its subdomains."""
        domain = address.rpartition("@")[2].lower()
        return any(domain == blocked or domain.endswith("." + blocked) for blocked in self.blocked_domains)
