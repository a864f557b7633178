"""The log handler `incident-comms serve` configures masks every secret the app holds.

The secrets are registered by `create_app` itself from the settings and the policy; a log call
names them in its message, its arguments, its exception's message and its stack, and the
line the configured handler writes holds none of them.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator

import pytest

from bot import logs
from bot.config import Settings
from handlers.app import CORE, create_app
from tests.policies import make_policy

SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-1111-bot-token-value",
    "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
    "SLACK_APP_TOKEN": "xapp-1-A0123-app-token-value",
    "TEAMS_CLIENT_SECRET": "teams~client~secret.Q8Q",
    "SMTP_URL": "smtps://mailer:smtp-pass%2Fword@mail.example.com:465",
    "DATABASE_URL": "postgresql+asyncpg://bot:db-pass-w0rd@db.example.com:5432/comms",
    "METRICS_TOKEN": "metrics-scrape-token-77",
}
PLAIN = ["xoxb-1111-bot-token-value", "8f742231b10e8888abcd99yyyzzz85a5", "xapp-1-A0123-app-token-value"]
PLAIN += ["teams~client~secret.Q8Q", "smtp-pass%2Fword", "smtp-pass/word", "db-pass-w0rd"]
PLAIN += ["metrics-scrape-token-77"]
WEBHOOK_SECRET = "webhook-signing-secret-42"


@pytest.fixture
def handler_output() -> Iterator[io.StringIO]:
    """The handler `serve` installs, writing to a buffer; the root logger is restored after."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    output = io.StringIO()
    logs.configure("INFO", stream=output)
    try:
        yield output
    finally:
        root.handlers[:] = saved
        root.setLevel(level)


@pytest.fixture
async def app(tmp_path, monkeypatch):
    """The real app, built from settings holding every kind of secret (not started)."""
    monkeypatch.setenv("MASKING_HOOK_SECRET", WEBHOOK_SECRET)
    hook = {"url": "https://hooks.example.com/x", "audiences": ["customers"]}
    hook["secret_env"] = "MASKING_HOOK_SECRET"
    policy = make_policy(tmp_path, webhooks={"mirror": hook})
    app = create_app(Settings(**SECRETS), policy=policy, migrate=False, sweeps=False)
    yield app
    await app[CORE].db.dispose()


def test_no_secret_the_app_holds_reaches_the_log(app, handler_output):
    secrets = [*PLAIN, WEBHOOK_SECRET]
    try:
        raise RuntimeError("could not connect: " + " ".join(secrets))
    except RuntimeError:
        logging.getLogger("bot.test").exception("failed with %s", secrets[::-1], stack_info=True)
    written = handler_output.getvalue()
    assert "RuntimeError: could not connect" in written and "Stack (most recent call last)" in written
    for secret in secrets:
        assert secret not in written, secret
    assert written.count(logs.MASK) >= 2 * len(secrets)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("GET /x Authorization: Bearer abc.DEF-123_xyz", "Authorization: "),
        ("headers={'Authorization': 'Basic dXNlcjpwYXNz', 'Accept': '*/*'}", "'Accept': '*/*'"),
        ('{"authorization": "token ghp_0123456789", "ok": true}', '"ok": true'),
        ("retrying with bearer eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl now", " now"),
        ("posting with xoxb-22-33-token and xoxp-9-user", "posting with xoxb-"),
        ("redis://default:hunter22@cache.internal:6379/0", "redis://default:"),
    ],
)
def test_token_shaped_strings_are_masked_in_exceptions_too(handler_output, line, kept):
    try:
        raise ValueError(line)
    except ValueError:
        logging.getLogger("bot.test").warning("request failed", exc_info=True)
    written = handler_output.getvalue()
    for token in ("abc.DEF", "dXNlcjpwYXNz", "ghp_", "eyJhbGciOi", "22-33-token", "9-user", "hunter22"):
        assert token not in written
    assert kept in written and logs.MASK in written


@pytest.mark.parametrize(
    "hostile",
    [
        "://a:" * 20_000,
        "Authorization:" + " " * 100_000,
        "authorization=" * 10_000,
        "Bearer " * 20_000,
        "xoxb-" * 20_000,
        "://" + "a" * 100_000,
    ],
)
def test_masking_is_linear_in_the_lines_length(hostile):
    started = time.perf_counter()
    logs.mask(hostile)
    assert time.perf_counter() - started < 0.5
