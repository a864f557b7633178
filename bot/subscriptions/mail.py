"""The confirmation e-mail (`message_templates/email/confirm.*.j2`) and its sending (aiosmtplib).

The e-mail holds nothing the requester typed: the address is only in the To header and the
envelope; the body is our wording, the page's name, the policy's names of the chosen
components and the signed link. It is sent after the request's transaction has committed,
outside any transaction, through the same SMTP server as the outbox (`SMTP_URL`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any, Protocol

import aiosmtplib
from jinja2 import Environment, StrictUndefined

from bot.chat.templating import Templates
from bot.policy.model import Policy

log = logging.getLogger(__name__)


class SmtpSettings(Protocol):
    host: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool | None
    timeout: float


class ConfirmationMail:
    def __init__(self, templates: Templates, policy: Policy) -> None:
        self.policy = policy
        self.env = Environment(
            loader=templates.env.loader,
            undefined=StrictUndefined,
            autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(
        self, address: str, link: str, components: list[str], now: datetime, lifetime: timedelta
    ) -> EmailMessage:
        page = self.policy.status_page
        names = [page.components[c].name for c in components if c in page.components]
        hours = max(1, round(lifetime.total_seconds() / 3600))
        values: dict[str, Any] = {"name": page.name, "link": link, "components": names, "hours": hours}
        message = EmailMessage()
        message["Subject"] = f"{self.policy.email.subject_prefix} Confirm your subscription"
        message["From"] = self.policy.email.from_address
        message["To"] = address
        message["Date"] = format_datetime(now)
        message["Message-ID"] = make_msgid(domain=self.policy.email.domain)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(self.env.get_template("email/confirm.txt.j2").render(**values).strip() + "\n")
        message.add_alternative(
            self.env.get_template("email/confirm.html.j2").render(**values), subtype="html"
        )
        return message


async def send(config: SmtpSettings, message: EmailMessage, recipient: str) -> str | None:
    """Send one message; None when the server accepted it, else a short reason (no address)."""
    try:
        await aiosmtplib.send(
            message,
            recipients=[recipient],
            hostname=config.host,
            port=config.port,
            username=config.username,
            password=config.password,
            use_tls=config.use_tls,
            start_tls=config.start_tls,
            timeout=config.timeout,
        )
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
        return type(error).__name__
    return None
