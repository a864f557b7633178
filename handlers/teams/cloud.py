"""Which Microsoft cloud the Teams side talks to, from the settings.

`TEAMS_CLOUD` picks the SDK's preset (public, GCC High, DoD, 21Vianet); `TEAMS_*_URL` and
`TEAMS_TOKEN_ISSUER` override single endpoints (private endpoints, a local stand-in). The
result drives token validation (OpenID metadata, issuer, the Entra login host the token gate
accepts), outbound tokens (login and token service), Microsoft Graph, and which hosts an
activity's `serviceUrl` may name.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from microsoft_teams.api.auth.cloud_environment import (
    CHINA,
    PUBLIC,
    US_GOV,
    US_GOV_DOD,
    CloudEnvironment,
    with_overrides,
)
from microsoft_teams.apps.utils.graph import derive_graph_base_url

from bot.config import Settings
from bot.endpoints import is_loopback

PRESETS: dict[str, CloudEnvironment] = {
    "public": PUBLIC,
    "usgov": US_GOV,
    "usgovdod": US_GOV_DOD,
    "china": CHINA,
}

# The hosts Teams' Bot Connector sends activities from (`serviceUrl`), per cloud. Public includes
# GCC (Moderate), which uses the public Bot Framework; `*.` matches any subdomain.
SERVICE_URL_HOSTS: dict[str, tuple[str, ...]] = {
    "public": ("smba.trafficmanager.net", "smba.infra.gcc.teams.microsoft.com"),
    "usgov": ("smba.infra.gov.teams.microsoft.us",),
    "usgovdod": ("smba.infra.dod.teams.microsoft.us",),
    "china": ("*.botframework.azure.cn",),
}


# Where proactive messages go before any activity named a service URL (Microsoft's well-known
# Teams endpoints); 21Vianet publishes none, so the SDK's default stands there.
DEFAULT_SERVICE_URLS: dict[str, str | None] = {
    "public": "https://smba.trafficmanager.net/teams/",
    "usgov": "https://smba.infra.gov.teams.microsoft.us/teams",
    "usgovdod": "https://smba.infra.dod.teams.microsoft.us/teams",
    "china": None,
}


def cloud_of(settings: Settings) -> CloudEnvironment:
    """The preset named by `TEAMS_CLOUD` with the endpoints the settings override."""
    return with_overrides(
        PRESETS[settings.teams_cloud],
        openid_metadata_url=settings.teams_openid_metadata_url,
        token_issuer=settings.teams_token_issuer,
        login_endpoint=settings.teams_login_url,
        token_service_url=settings.teams_token_service_url,
    )


def graph_url(settings: Settings, cloud: CloudEnvironment) -> str:
    """Microsoft Graph's base URL, version included (`…/v1.0`): the override, or the cloud's host."""
    return settings.teams_graph_url or f"{derive_graph_base_url(cloud)}/v1.0"


def service_url_hosts(settings: Settings, *extra: str) -> tuple[str, ...]:
    """`TEAMS_SERVICE_URL_HOSTS` (comma-separated) when set, else the cloud's; plus `extra`."""
    named = settings.teams_service_url_hosts
    hosts = [h.strip().lower() for h in named.split(",") if h.strip()] if named else []
    return (*(hosts or SERVICE_URL_HOSTS[settings.teams_cloud]), *extra)


def service_url_allowed(url: object, hosts: tuple[str, ...]) -> bool:
    """Is `url` an https URL (http only for a loopback host named explicitly) on one of `hosts`?"""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme != "https" and not (parts.scheme == "http" and host in hosts and is_loopback(host)):
        return False
    return any(host == h or (h.startswith("*.") and host.endswith(h[1:])) for h in hosts)
