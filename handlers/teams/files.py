"""Files on Teams: a consent card in a personal chat (no Graph needed) or a channel's Files (Graph).

A bot may send a file only in a personal chat, and only once the user accepts a file consent
card: Teams then creates the file in their OneDrive and hands the bot an upload URL in a
`fileConsent/invoke`; the bot PUTs the bytes there and posts a file info card. With Microsoft
Graph, a file can go into a channel's folder in the team's SharePoint site instead.

The upload URL comes from the client, so it is checked before anything is sent (`UploadTargets`):
only https to SharePoint or OneDrive, or an origin configured for tests; no redirect is followed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from microsoft_teams.api.models import FileUploadInfo

from bot.errors import PlatformError
from handlers.teams.gateway import TeamsGateway
from handlers.teams.graph import GraphChannels

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
UPLOAD_STEP = "Upload the file"
UPLOAD_FIX = "Nothing was saved: run the export again, or tell your incident-comms admin if it keeps failing."
REFUSED_FIX = (
    "Teams gave an upload address outside SharePoint and OneDrive, so nothing was sent. "
    "Run the export again, or tell your incident-comms admin if it keeps happening."
)
CHANNEL_STEP = "Save to the channel's Files"
CHANNEL_FIX = "Grant the app Files.ReadWrite.All (or Sites.ReadWrite.All) on Microsoft Graph in Entra."


async def send_attachment(
    gateway: TeamsGateway, conversation: str, attachment: dict[str, Any], text: str
) -> None:
    """A message carrying one attachment that is not an Adaptive Card (a consent or file card)."""
    await gateway.post_attachment(conversation, attachment, text, text)


def consent_card(name: str, description: str, size: int, context: dict[str, Any]) -> dict[str, Any]:
    """Asks the user to accept the file; Teams sends `context` back in the `fileConsent/invoke`."""
    return {
        "contentType": FILE_CONSENT,
        "name": name,
        "content": {
            "description": description,
            "sizeInBytes": size,
            "acceptContext": context,
            "declineContext": context,
        },
    }


def file_info_card(upload: FileUploadInfo) -> dict[str, Any]:
    """The uploaded file as Teams shows it (opens in Teams, downloads from OneDrive)."""
    return {
        "contentType": FILE_INFO,
        "contentUrl": upload.content_url,
        "name": upload.name,
        "content": {"uniqueId": upload.unique_id, "fileType": upload.file_type},
    }


log = logging.getLogger(__name__)
# Microsoft's documented SharePoint Online / OneDrive hosts (Microsoft 365 endpoint lists): worldwide
# `<tenant>-my.sharepoint.com`, GCC High `*.sharepoint.us`, 21Vianet `*.sharepoint.cn`, the former
# Microsoft Cloud Deutschland `*.sharepoint.de`; consumer OneDrive (`*.onedrive.com`, `*.1drv.com`,
# which covers `*.files.1drv.com`, and `onedrive.live.com`). A host must end with ".<domain>".
UPLOAD_DOMAINS = (
    "sharepoint.com",
    "sharepoint.us",
    "sharepoint.cn",
    "sharepoint.de",
    "onedrive.com",
    "1drv.com",
)
UPLOAD_HOSTS = ("onedrive.live.com",)


@dataclass(frozen=True)
class UploadTargets:
    """Where a consented file may be PUT: https on port 443 to SharePoint or OneDrive, or one of
    `origins` (`http://127.0.0.1:8123`: the tests' emulator), compared scheme, host and port."""

    origins: tuple[str, ...] = ()

    def allows(self, url: str) -> bool:
        try:
            parsed = httpx.URL(url)  # the parser the PUT itself uses, so both read the same host
        except (httpx.InvalidURL, TypeError):
            return False
        if parsed.userinfo or not parsed.host:
            return False
        if _origin(parsed) in {_origin(httpx.URL(origin)) for origin in self.origins}:
            return True
        host = parsed.host.lower().rstrip(".")
        known = host in UPLOAD_HOSTS or any(host.endswith(f".{domain}") for domain in UPLOAD_DOMAINS)
        return known and parsed.scheme == "https" and parsed.port in (None, 443)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host.lower(), url.port or default


async def upload(url: str, data: bytes, targets: UploadTargets) -> None:
    """The bytes PUT to the upload session Teams opened when the user accepted (no token needed);
    an address `targets` does not allow is refused and logged, and nothing is sent."""
    if not targets.allows(url):
        log.warning("refused a file-consent upload address outside the allow-list: %.200r", url)
        raise PlatformError(UPLOAD_STEP, "upload_address_refused", REFUSED_FIX)
    size = len(data)
    headers = {"Content-Length": str(size), "Content-Range": f"bytes 0-{size - 1}/{size}"}
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            response = await client.put(url, content=data, headers=headers)
    except httpx.HTTPError as error:
        raise PlatformError(UPLOAD_STEP, type(error).__name__, UPLOAD_FIX) from error
    if response.status_code >= 300:
        raise PlatformError(UPLOAD_STEP, f"http_{response.status_code}", UPLOAD_FIX)


async def save_in_channel(
    graph: GraphChannels, channel_id: str, filename: str, data: bytes, media_type: str
) -> str:
    """The file put into the channel's folder (replacing one of that name); its web URL."""
    try:
        headers = {"Authorization": f"Bearer {await graph.token()}"}
    except PlatformError as error:
        raise PlatformError(CHANNEL_STEP, error.code, error.fix) from error
    channel = quote(channel_id, safe=":@")
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            found = _checked(
                await client.get(
                    f"{graph.graph_url}/teams/{graph.team_id}/channels/{channel}/filesFolder", headers=headers
                )
            )
            drive, folder = quote(found["parentReference"]["driveId"], safe="!"), quote(found["id"], safe="!")
            saved = _checked(
                await client.put(
                    f"{graph.graph_url}/drives/{drive}/items/{folder}:/{quote(filename)}:/content",
                    content=data,
                    headers={**headers, "Content-Type": media_type},
                )
            )
            return str(saved["webUrl"])
    except httpx.HTTPError as error:
        raise PlatformError(CHANNEL_STEP, type(error).__name__, CHANNEL_FIX) from error
    except (KeyError, TypeError, ValueError) as error:
        raise PlatformError(CHANNEL_STEP, "unexpected_graph_answer", CHANNEL_FIX) from error


def _checked(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 300:
        raise PlatformError(CHANNEL_STEP, f"graph_{response.status_code}", CHANNEL_FIX)
    return response.json()
