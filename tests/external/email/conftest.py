"""A real SMTP server (aiosmtpd) on a loopback port, and the app configured to send through it."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from tests.conftest import running_bot
from tests.external.helpers import CHAT_POLICY, add_channels
from tests.policies import make_policy

USER, PASSWORD = "status@example.com", "p@ss word"
SMTP_URL = "smtp://status%40example.com:p%40ss%20word@127.0.0.1:{port}?starttls=false"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        return self.message.get_body(preferencelist=(subtype,)).get_content()


@dataclass
class Inbox:
    """What the server received; `refuse` answers RCPT for an address, `fail_data` the next DATAs."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    fail_data: list[str] = field(default_factory=list)
    connections: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]

    @property
    def recipients(self) -> list[str]:
        return sorted(address for r in self.received for address in r.recipients)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_data:
            return self.fail_data.pop(0)
        message = message_from_bytes(envelope.content, policy=default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
            return AuthResult(
                success=(auth_data.login.decode(), auth_data.password.decode()) == (USER, PASSWORD)
            )
        return AuthResult(success=False)


@pytest.fixture
async def inbox() -> AsyncIterator[Inbox]:
    inbox = Inbox()

    def protocol() -> SMTP:
        inbox.connections += 1
        with warnings.catch_warnings():  # AUTH without TLS: fine on loopback, in a test
            warnings.simplefilter("ignore", UserWarning)
            return SMTP(
                inbox,
                hostname="mail.test",
                authenticator=inbox.authenticate,
                auth_required=True,
                auth_require_tls=False,
            )

    server = await asyncio.get_running_loop().create_server(protocol, "127.0.0.1", 0)
    inbox.port = server.sockets[0].getsockname()[1]
    yield inbox
    server.close()
    await server.wait_closed()


@pytest.fixture
def email_lists(tmp_path):
    path = tmp_path / "customers.txt"
    path.write_text("# everyone on the status list\nOPS@one.example\nbilling@four.example\n\n")
    return path


@pytest.fixture
def policy(tmp_path, email_lists):
    return make_policy(
        tmp_path,
        **CHAT_POLICY,
        email={
            "from_address": "Service status <status@example.com>",
            "reply_to": "support@example.com",
            "unsubscribe": [
                "mailto:unsubscribe@example.com?subject=unsubscribe",
                "https://example.com/unsub?u={address}",
            ],
            "batch_size": 2,
            "customers": ["ops@one.example", f"file:{email_lists}"],
            "internal": ["leads@example.com"],
            "segments": {
                "EU region": ["eu-ops@two.example", "ops@one.example"],
                "US region": ["us@three.example"],
            },
            "accounts": {"Acme Corp": ["it@acme.example"]},
        },
    )


@pytest.fixture
async def bot(slack, database_url, clock, policy, inbox):
    add_channels(slack)
    async with running_bot(
        slack, database_url, clock, policy, SMTP_URL=SMTP_URL.format(port=inbox.port)
    ) as driver:
        yield driver
