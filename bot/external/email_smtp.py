"""Sending e-mail over SMTP (aiosmtplib): `SMTP_URL` parsing and one connection per batch.

    smtp://user:password@host:587?starttls=true    STARTTLS required
    smtp://host:25?starttls=false                   plain (a local relay)
    smtp://host:587                                  STARTTLS when the server offers it
    smtps://user:password@host:465                   TLS from the first byte

User and password are URL-encoded (`p%40ss` for `p@ss`); `timeout=<seconds>` (default 30)
bounds each SMTP command. Errors name `SMTP_URL`, never its value.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from bot.external.records import Outcome
from storage.channel_models import ExternalDelivery

Report = Callable[[ExternalDelivery, Outcome], Awaitable[None]]
CONNECTION_LOST = frozenset({"connection_error", "timeout", "smtp_421"})
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


class SmtpUrlError(ValueError):
    pass


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    use_tls: bool = False
    start_tls: bool | None = None  # None: upgrade when the server offers STARTTLS
    timeout: float = 30.0


def parse_smtp_url(url: str) -> SmtpConfig:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise SmtpUrlError("SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise SmtpUrlError("SMTP_URL has no host")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if unknown := set(query) - {"starttls", "timeout"}:
        raise SmtpUrlError(f"SMTP_URL: unknown option(s) {sorted(unknown)}; use starttls and timeout")
    ssl = parts.scheme == "smtps"
    start_tls = None
    if "starttls" in query:
        if query["starttls"].lower() not in _BOOLEANS:
            raise SmtpUrlError("SMTP_URL: starttls must be true or false")
        start_tls = _BOOLEANS[query["starttls"].lower()]
        if ssl and start_tls:
            raise SmtpUrlError("SMTP_URL: smtps:// is TLS already; starttls=true applies to smtp://")
    try:
        port = parts.port or (465 if ssl else 587)
        timeout = float(query.get("timeout", 30))
    except ValueError:
        raise SmtpUrlError("SMTP_URL: the port and timeout must be numbers") from None
    return SmtpConfig(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=ssl,
        start_tls=False if ssl else start_tls,
        timeout=timeout,
    )


class SmtpMailer:
    """One SMTP connection per batch; one message per recipient; each outcome reported at once."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    async def send_batch(self, messages: list[tuple[ExternalDelivery, EmailMessage]], report: Report) -> None:
        """Send in order; when the connection fails, the rest are temporary failures (retried)."""
        pending = list(messages)
        client = aiosmtplib.SMTP(
            hostname=self.config.host,
            port=self.config.port,
            username=self.config.username,
            password=self.config.password,
            use_tls=self.config.use_tls,
            start_tls=self.config.start_tls,
            timeout=self.config.timeout,
        )
        try:
            try:
                await client.connect()  # and STARTTLS and login, as configured
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
                code, detail, _temporary = _classify(error)
                for row, _message in pending:  # not the recipients' fault: retried, then reported
                    await report(row, Outcome(code=code, detail=detail, retry=True))
                return
            while pending:
                row, message = pending.pop(0)
                outcome = await _send_one(client, row, message)
                await report(row, outcome)
                if outcome.code in CONNECTION_LOST:
                    break
        finally:
            await _quit(client)
        for row, _message in pending:
            await report(
                row, Outcome(code="not_sent", detail="the connection was lost before it", retry=True)
            )


async def _send_one(client: aiosmtplib.SMTP, row: ExternalDelivery, message: EmailMessage) -> Outcome:
    try:
        await client.send_message(message, recipients=[row.recipient])
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
        code, detail, retry = _classify(error)
        return Outcome(code=code, detail=detail, retry=retry)
    return Outcome()


def _classify(error: BaseException) -> tuple[str, str, bool]:
    """(code, the server's words, temporary?): 4xx and lost connections are worth another try."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        error = error.recipients[0]
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return f"smtp_{error.code}", str(error.message)[:300], 400 <= error.code < 500
    if isinstance(error, (TimeoutError, aiosmtplib.SMTPTimeoutError, asyncio.TimeoutError)):
        return "timeout", "the SMTP server did not answer in time", True
    return "connection_error", f"{type(error).__name__}: {error}"[:300], True


async def _quit(client: aiosmtplib.SMTP) -> None:
    if not client.is_connected:
        return
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        client.close()
