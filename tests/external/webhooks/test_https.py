"""Webhooks are https:// unless the endpoint says `allow_http = true` (a local relay)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.policy.model import PolicyError
from tests.policies import make_policy, policy_file

REPO = Path(__file__).resolve().parents[3]
RELAY = "http://relay.internal:8080/hook"


def hooks(url: str, **options: object) -> dict:
    return {"relay": {"url": url, "audiences": ["internal"], "secret_env": "RELAY_SECRET", **options}}


def test_a_plain_http_webhook_stops_the_policy_naming_the_webhook(tmp_path):
    with pytest.raises(PolicyError) as raised:
        make_policy(tmp_path, webhooks=hooks(RELAY))
    assert f"webhooks.relay: url '{RELAY}' must be https://" in str(raised.value)
    assert "allow_http = true" in str(raised.value)


@pytest.mark.parametrize("options", [{}, {"allow_http": False}])
def test_https_needs_no_option(tmp_path, options):
    policy = make_policy(tmp_path, webhooks=hooks("https://hooks.example.com/x", **options))
    assert policy.webhooks["relay"].url == "https://hooks.example.com/x"


def test_allow_http_lets_a_local_relay_in(tmp_path):
    policy = make_policy(tmp_path, webhooks=hooks(RELAY, allow_http=True))
    assert policy.webhooks["relay"].allow_http and policy.webhooks["relay"].url == RELAY


@pytest.mark.parametrize("url", ["HTTP://relay.internal/x", "http//relay.internal/x", "ws://relay/x"])
def test_other_schemes_are_refused_even_with_allow_http(tmp_path, url):
    with pytest.raises(PolicyError, match=r"webhooks\.relay\.url"):
        make_policy(tmp_path, webhooks=hooks(url, allow_http=True))


def test_serve_refuses_to_start_with_a_plain_http_webhook(tmp_path):
    env = {
        **os.environ,
        "SLACK_SIGNING_SECRET": "test-signing-secret",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "INCIDENT_COMMS_CONFIG": str(policy_file(tmp_path, webhooks=hooks(RELAY))),
        "RELAY_SECRET": "relay-secret",
        "PORT": "1",  # never bound: start-up stops first
    }
    done = subprocess.run(
        [sys.executable, "-m", "handlers.cli", "serve"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert f"webhooks.relay: url '{RELAY}' must be https://" in done.stderr
    assert not (tmp_path / "bot.db").exists()
