"""Files on Teams: a consent card in a personal chat (no Graph needed) or a channel's Files (Graph).

A bot may send a file only in a personal chat, and only once the user accepts a file consent
card: Teams then creates the file in their OneDrive and hands the bot an upload URL in a
`fileConsent/invoke`; the bot PUTs the bytes there and posts a file info card. With Microsoft
Graph, a file can go into a channel's folder in the team's SharePoint site instead.
"""

from __future__ import annotations

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


async def upload(url: str, data: bytes) -> None:
    """The bytes PUT to the upload session Teams opened when the user accepted (no token needed)."""
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
