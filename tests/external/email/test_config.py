"""The [email] and [webhooks] policy sections and SMTP_URL: checked at start, errors name the key."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.external.delivery import build_external
from bot.external.email_smtp import SmtpUrlError, parse_smtp_url
from bot.policy.model import PolicyError
from tests.conftest import write_policy

FROM = 'from_address = "Status <status@example.com>"\n'


def test_lists_read_files_and_drop_duplicates(tmp_path):
    listed = tmp_path / "eu.txt"
    listed.write_text("# EU status list\neu@two.example\n\nOPS@one.example  # also on the main list\n")
    policy = write_policy(
        tmp_path,
        f'[email]\n{FROM}customers = ["ops@one.example"]\n'
        f'[email.segments]\n"EU region" = ["file:{listed}"]\n',
    )
    assert policy.email.segments["EU region"] == ["eu@two.example", "OPS@one.example"]
    assert policy.email.enabled and policy.email.domain == "example.com"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            f'{FROM}customers = ["not-an-address"]',
            "email.customers: Value error, 'not-an-address' is not an e-mail",
        ),
        (
            f'{FROM}[email.segments]\n"EU" = ["file:/nowhere/eu.txt"]',
            "email.segments.EU: Value error, file /nowhere",
        ),
        ('customers = ["a@b.example"]', "from_address is required when e-mail recipients are configured"),
        (f'{FROM}unsubscribe = ["ftp://x"]', "unsubscribe: 'ftp://x' must be a mailto: or https:// URI"),
    ],
)
def test_bad_email_settings_name_the_key(tmp_path, table, message):
    with pytest.raises(PolicyError) as raised:
        write_policy(tmp_path, f"[email]\n{table}\n")
    assert message.replace("Value error, ", "") in str(raised.value)


def test_a_bad_line_in_a_list_file_names_the_file_and_line(tmp_path):
    listed = tmp_path / "list.txt"
    listed.write_text("good@one.example\nnot an address\n")
    with pytest.raises(PolicyError, match=r"email.internal: file .*list.txt line 2: 'not an address'"):
        write_policy(tmp_path, f'[email]\n{FROM}internal = ["file:{listed}"]\n')


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('url = "ftp://x"\naudiences = ["customers"]\nsecret_env = "S"', "webhooks.x.url"),
        ('url = "https://x"\naudiences = ["everyone"]\nsecret_env = "S"', "audience 'everyone'"),
        ('url = "https://x"\naudiences = ["customers"]\nsecret_env = "a secret"', "webhooks.x.secret_env"),
        ('url = "https://x"\naudiences = []\nsecret_env = "S"', "webhooks.x.audiences"),
    ],
)
def test_bad_webhooks_name_the_key(tmp_path, table, message):
    with pytest.raises(PolicyError, match=message):
        write_policy(tmp_path, f"[webhooks.x]\n{table}\n")


def test_start_up_stops_without_a_webhook_secret_or_smtp_url(tmp_path):
    hooks = write_policy(
        tmp_path,
        '[webhooks.mirror]\nurl = "https://x"\naudiences = ["customers"]\nsecret_env = "NOT_SET_HERE"\n',
    )
    with pytest.raises(
        PolicyError, match=r"webhooks\.mirror\.secret_env: the environment variable NOT_SET_HERE"
    ):
        build_external(Settings(), hooks, None, None, None, None, None, environ={})
    mail = write_policy(tmp_path, f'[email]\n{FROM}customers = ["a@b.example"]\n')
    with pytest.raises(PolicyError, match="SMTP_URL is not set"):
        build_external(Settings(SMTP_URL=None), mail, None, None, None, None, None, environ={})


def test_smtp_urls():
    starttls = parse_smtp_url("smtp://user%40example.com:p%40ss@mail.example.com:587?starttls=true")
    assert (starttls.host, starttls.port, starttls.use_tls, starttls.start_tls) == (
        "mail.example.com",
        587,
        False,
        True,
    )
    assert (starttls.username, starttls.password) == ("user@example.com", "p@ss")
    assert "p@ss" not in repr(starttls)
    ssl = parse_smtp_url("smtps://user:pw@mail.example.com")
    assert (ssl.port, ssl.use_tls, ssl.start_tls) == (465, True, False)
    relay = parse_smtp_url("smtp://localhost:25?starttls=false&timeout=5")
    assert (relay.username, relay.start_tls, relay.timeout) == (None, False, 5.0)
    assert parse_smtp_url("smtp://mail.example.com").start_tls is None  # when offered


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.com",
        "smtp://",
        "smtp://h?starttls=maybe",
        "smtp://h?tls=1",
        "smtps://h?starttls=true",
    ],
)
def test_bad_smtp_urls_are_refused_without_showing_them(url):
    with pytest.raises(SmtpUrlError) as raised:
        parse_smtp_url(url)
    assert "SMTP_URL" in str(raised.value) and "mail.example.com" not in str(raised.value)
