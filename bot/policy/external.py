"""Policy sections for e-mail (`[email]`) and signed webhooks (`[webhooks.<name>]`).

Recipient lists are read and checked when the policy loads: an entry is an address or
`file:/path` (one address a line, `#` comments), so a typo fails at start, naming the key.
Webhook secrets never live in the policy: an endpoint names the environment variable.
"""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from bot.durations import parse_duration

_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_WEBHOOK_NAME = re.compile(r"^[a-z0-9_-]{1,40}$")
AUDIENCE_PREFIXES = ("segment:", "account:")


def is_address(value: str) -> bool:
    return bool(_ADDRESS.fullmatch(value))


def _read_list(path: Path) -> list[str]:
    try:
        lines = path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise ValueError(f"file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"file {path} cannot be read ({error})") from None
    found = []
    for number, line in enumerate(lines, start=1):
        address = line.split("#", 1)[0].strip()
        if address and not is_address(address):
            raise ValueError(f"file {path} line {number}: {address!r} is not an e-mail address")
        if address:
            found.append(address)
    return found


def _expand(entries: list[str]) -> list[str]:
    """Addresses and the addresses of `file:` entries, each once (compared case-insensitively)."""
    found: list[str] = []
    for entry in entries:
        entry = entry.strip()
        if entry.startswith("file:"):
            found.extend(_read_list(Path(entry.removeprefix("file:"))))
        elif is_address(entry):
            found.append(entry)
        else:
            raise ValueError(f"{entry!r} is not an e-mail address (or file:/path with one a line)")
    return unique_addresses(found)


def unique_addresses(addresses: list[str]) -> list[str]:
    """Each address once, compared case-insensitively; the first spelling and order are kept."""
    seen: set[str] = set()
    unique = []
    for address in addresses:
        if address.casefold() not in seen:
            seen.add(address.casefold())
            unique.append(address)
    return unique


Recipients = Annotated[list[str], AfterValidator(_expand)]
Duration = Annotated[timedelta, BeforeValidator(lambda v: parse_duration(v) if isinstance(v, str) else v)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmailPolicy(_Strict):
    """Who gets approved messages by e-mail, and how the e-mails look."""

    from_address: str = ""  # "Service status <status@example.com>"
    reply_to: str = ""
    subject_prefix: str = Field(default="[Service status]", max_length=60)
    unsubscribe: list[str] = Field(default_factory=list)  # mailto:/https: URIs; {address} = recipient
    batch_size: int = Field(default=50, ge=1, le=1000)  # messages per SMTP connection
    customers: Recipients = Field(default_factory=list)  # every broad customer message
    segments: dict[str, Recipients] = Field(default_factory=dict)  # + incidents affecting the segment
    accounts: dict[str, Recipients] = Field(default_factory=dict)  # only that named account's messages
    internal: Recipients = Field(default_factory=list)  # internal messages; never customer ones

    @model_validator(mode="after")
    def _checked(self) -> EmailPolicy:
        for key in ("from_address", "reply_to"):
            value = getattr(self, key)
            if value and not is_address(parseaddr(value)[1]):
                raise ValueError(f"{key}: {value!r} is not an e-mail address")
        for uri in self.unsubscribe:
            if not uri.startswith(("mailto:", "https://", "http://")):
                raise ValueError(f"unsubscribe: {uri!r} must be a mailto: or https:// URI")
        if self.enabled and not self.from_address:
            raise ValueError("from_address is required when e-mail recipients are configured")
        return self

    @property
    def enabled(self) -> bool:
        lists = [self.customers, self.internal, *self.segments.values(), *self.accounts.values()]
        return any(lists)

    @property
    def sender(self) -> str:
        return parseaddr(self.from_address)[1]

    @property
    def domain(self) -> str:
        return self.sender.rpartition("@")[2] or "localhost"

    def unsubscribe_uris(self) -> list[str]:
        """The policy's URIs, else a mailto: to the reply-to (or from) address."""
        if self.unsubscribe:
            return list(self.unsubscribe)
        mailbox = parseaddr(self.reply_to)[1] if self.reply_to else self.sender
        return [f"mailto:{mailbox}?subject=unsubscribe"]


def _audience(value: str) -> str:
    if value in ("customers", "internal"):
        return value
    if value.startswith(AUDIENCE_PREFIXES) and value.split(":", 1)[1].strip():
        return value
    raise ValueError(f"audience {value!r}: use customers, internal, segment:<name> or account:<name>")


class WebhookPolicy(_Strict):
    """One endpoint: where, which audiences' messages, and the env variable holding its secret."""

    url: str = Field(pattern=r"^https?://\S+$")
    audiences: list[Annotated[str, AfterValidator(_audience)]] = Field(min_length=1)
    secret_env: str = Field(pattern=r"^[A-Z_][A-Z0-9_]*$")  # the secret itself stays in the environment
    incident_events: bool = False  # also incident.status_changed / severity_changed / resolved / reopened
    timeout: Duration = timedelta(seconds=10)
    allow_http: bool = False  # plain http:// only on purpose: a relay on the same host or network

    @model_validator(mode="after")
    def _https(self) -> WebhookPolicy:
        if not self.allow_http and not self.url.startswith("https://"):
            raise ValueError(
                f"url {self.url!r} must be https:// (set allow_http = true only for a local relay)"
            )
        return self

    def receives(self, audience: str) -> bool:
        return audience in self.audiences


def _webhook_names(value: dict[str, Any]) -> dict[str, Any]:
    for name in value:
        if not _WEBHOOK_NAME.fullmatch(name):
            raise ValueError(f"webhook name {name!r} must be 1-40 lowercase letters, digits, - or _")
    return value


Webhooks = Annotated[dict[str, WebhookPolicy], AfterValidator(_webhook_names)]
