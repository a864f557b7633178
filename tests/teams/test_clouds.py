"""Teams in every Microsoft cloud: TEAMS_CLOUD picks the documented endpoints, single endpoints
can be overridden (https, or a loopback stand-in), and the app follows them end to end."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from bot.config import Settings
from emulator.driver import SIGNING_SECRET
from handlers.app import TEAMS, create_app
from handlers.teams import cloud
from tests.handlers.test_metrics import REPO
from tests.teams.conftest import running_teams
from tests.teams.test_declare import ALICE, THREAD

# Microsoft's documented endpoints per cloud (learn.microsoft.com: "Bot Framework in sovereign clouds",
# "Microsoft Graph national cloud deployments")
DOCUMENTED = {
    "public": (
        "https://login.botframework.com/v1/.well-known/openidconfiguration",
        "https://api.botframework.com",
        "https://login.microsoftonline.com",
        "https://graph.microsoft.com/v1.0",
    ),
    "usgov": (
        "https://login.botframework.azure.us/v1/.well-known/openidconfiguration",
        "https://api.botframework.us",
        "https://login.microsoftonline.us",
        "https://graph.microsoft.us/v1.0",
    ),
    "usgovdod": (
        "https://login.botframework.azure.us/v1/.well-known/openidconfiguration",
        "https://api.botframework.us",
        "https://login.microsoftonline.us",
        "https://dod-graph.microsoft.us/v1.0",
    ),
    "china": (
        "https://login.botframework.azure.cn/v1/.well-known/openidconfiguration",
        "https://api.botframework.azure.cn",
        "https://login.partner.microsoftonline.cn",
        "https://microsoftgraph.chinacloudapi.cn/v1.0",
    ),
}
CREDENTIALS = {
    "TEAMS_CLIENT_ID": "bot-app-id",
    "TEAMS_CLIENT_SECRET": "s3cret-value",
    "TEAMS_TENANT_ID": "t-1",
}


def settings(**extra: str) -> Settings:
    return Settings(SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_BOT_TOKEN="xoxb-test", **CREDENTIALS, **extra)


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_each_cloud_selects_its_documented_endpoints_in_the_app_it_builds(name):
    chosen = settings(TEAMS_CLOUD={"usgov": "USGov", "usgovdod": "USGovDoD"}.get(name, name))
    metadata, issuer, login, graph = DOCUMENTED[name]

    teams_app = _teams_app(chosen)

    assert (teams_app.cloud.openid_metadata_url, teams_app.cloud.token_issuer) == (metadata, issuer)
    assert teams_app.cloud.login_endpoint == login
    assert cloud.graph_url(chosen, teams_app.cloud) == graph


def test_single_endpoints_override_the_preset_and_loopback_stand_ins_are_allowed():
    chosen = settings(
        TEAMS_CLOUD="usgov",
        TEAMS_OPENID_METADATA_URL="https://login.example.gov/v1/.well-known/openidconfiguration",
        TEAMS_TOKEN_ISSUER="https://issuer.example.gov",
        TEAMS_LOGIN_URL="http://127.0.0.1:8400",
        TEAMS_TOKEN_SERVICE_URL="https://token.example.gov/",
        TEAMS_GRAPH_URL="https://graph.example.gov/v1.0",
    )

    teams_app = _teams_app(chosen)

    assert (
        teams_app.cloud.openid_metadata_url == "https://login.example.gov/v1/.well-known/openidconfiguration"
    )
    assert teams_app.cloud.token_issuer == "https://issuer.example.gov"
    assert teams_app.cloud.login_endpoint == "http://127.0.0.1:8400"
    assert teams_app.cloud.token_service_url == "https://token.example.gov"
    assert teams_app.cloud.graph_scope == "https://graph.microsoft.us/.default", "the cloud's scope stays"
    assert cloud.graph_url(chosen, teams_app.cloud) == "https://graph.example.gov/v1.0"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TEAMS_OPENID_METADATA_URL", "http://login.example.com/v1/.well-known/openidconfiguration"),
        ("TEAMS_LOGIN_URL", "ftp://login.example.com"),
        ("TEAMS_GRAPH_URL", "not a url"),
        ("TEAMS_CLOUD", "mars"),
    ],
)
def test_a_bad_cloud_setting_stops_start_up_naming_the_variable(variable, value):
    with pytest.raises(ValidationError, match=variable):
        settings(**{variable: value})


def test_serve_with_a_plain_http_endpoint_exits_2_naming_it(tmp_path):
    env = {
        **os.environ,
        **CREDENTIALS,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "TEAMS_TOKEN_SERVICE_URL": "http://token.example.com",
    }
    done = subprocess.run(
        [sys.executable, "-m", "handlers.cli", "serve"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 2 and "TEAMS_TOKEN_SERVICE_URL" in done.stderr and "https" in done.stderr
    assert not (tmp_path / "bot.db").exists()


@pytest.mark.parametrize(
    ("hosts", "service_url", "allowed"),
    [
        ("", "https://smba.trafficmanager.net/amer/", True),
        ("", "https://smba.infra.gov.teams.microsoft.us/teams", False),
        ("", "http://smba.trafficmanager.net/amer/", False),
        ("", "https://evil.example/", False),
        ("relay.example.com,*.corp.example", "https://a.corp.example/teams", True),
        ("relay.example.com", "https://smba.trafficmanager.net/amer/", False),
        ("", "https://smba.trafficmanager.net.evil.example/", False),
    ],
)
def test_service_urls_follow_the_cloud_or_the_explicit_host_list(hosts, service_url, allowed):
    chosen = settings(**({"TEAMS_SERVICE_URL_HOSTS": hosts} if hosts else {}))

    assert cloud.service_url_allowed(service_url, cloud.service_url_hosts(chosen)) is allowed


async def test_an_activity_naming_a_foreign_service_url_is_403_and_nothing_is_sent(
    slack, connector, database_url, clock, policy
):
    async with running_teams(slack, connector, database_url, clock, policy) as teams:
        body = teams.activity(
            "message", user=ALICE, conversation=THREAD, conversation_type="channel", text="incident help"
        )
        reply = await teams.send({**body, "serviceUrl": "https://evil.example/"})

    assert reply.status == 403 and connector.posted == []


def _teams_app(chosen: Settings):
    """The Teams SDK app `create_app` builds from these settings (nothing is started)."""
    return create_app(chosen, migrate=False, sweeps=False)[TEAMS].app
