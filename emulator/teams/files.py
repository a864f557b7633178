"""Fake file endpoints beside the fake Bot Connector.

- `PUT /upload/{session}`: the upload session Teams opens in the user's OneDrive when they
  accept a file consent card (its URL comes in the `fileConsent/invoke`'s `uploadInfo`). It
  needs no token and checks `Content-Range` against the body, as OneDrive does.
- Microsoft Graph under `/v1.0`: `GET /teams/{team}/channels/{channel}/filesFolder` (the channel's
  folder, a driveItem) and `PUT /drives/{drive}/items/{folder}:/{name}:/content` (a small file
  saved there, answered with a driveItem carrying `webUrl`).
Every request is recorded for assertions.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aiohttp import web

if TYPE_CHECKING:
    from emulator.teams.connector import FakeConnector

DRIVE = "b!team-incidents-drive"
SITE = "https://contoso.sharepoint.com/sites/incidents/Shared%20Documents"
_RANGE = re.compile(r"bytes 0-(\d+)/(\d+)")


@dataclass(frozen=True)
class Upload:
    """One PUT as the bot sent it."""

    path: str
    body: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass(frozen=True)
class ChannelFile:
    channel_id: str
    name: str
    body: bytes
    content_type: str
    web_url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class FakeFiles:
    def __init__(self, connector: FakeConnector) -> None:
        self.connector = connector
        self.uploads: list[Upload] = []  # every PUT to an upload session, accepted or not
        self.channel_files: list[ChannelFile] = []
        self.graph_calls: list[str] = []  # "GET /v1.0/…" as requested
        self.upload_failure: int | None = None  # a status the next upload sessions answer with
        self.graph_failure: int | None = None  # a status the Graph file calls answer with
        self._sessions = itertools.count(1)
        self._folders: dict[str, str] = {}  # folder item id -> channel id

    def register(self, app: web.Application) -> None:
        app.router.add_put("/upload/{session}", self._upload)
        app.router.add_get("/v1.0/teams/{team}/channels/{channel}/filesFolder", self._files_folder)
        app.router.add_put("/v1.0/drives/{drive}/items/{folder}:/{name}:/content", self._save)

    def upload_info(self, name: str, *, user: str = "alice") -> dict[str, Any]:
        """What Teams puts in `uploadInfo` when the user accepts a consent card for `name`."""
        session = next(self._sessions)
        return {
            "name": name,
            "uploadUrl": f"{self.connector.service_url}upload/session-{session}",
            "contentUrl": f"https://contoso-my.sharepoint.com/personal/{user}/Documents/Applications/{quote(name)}",
            "uniqueId": f"0000-unique-{session}",
            "fileType": name.rsplit(".", 1)[-1],
        }

    async def _upload(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.uploads.append(Upload(request.path, body, dict(request.headers)))
        if self.upload_failure is not None:
            return web.json_response({"error": {"code": "generalException"}}, status=self.upload_failure)
        match = _RANGE.fullmatch(request.headers.get("Content-Range", ""))
        if match is None or (int(match[1]) + 1, int(match[2])) != (len(body), len(body)):
            return web.json_response({"error": {"code": "invalidRange"}}, status=416)
        return web.json_response({"id": request.match_info["session"], "size": len(body)}, status=201)

    def _graph(self, request: web.Request) -> web.Response | None:
        """An error answer, or None when the call may go on."""
        self.graph_calls.append(f"{request.method} {request.path}")
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or len(auth) <= len("Bearer "):
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        if self.graph_failure is not None:
            return web.json_response({"error": {"code": "accessDenied"}}, status=self.graph_failure)
        return None

    async def _files_folder(self, request: web.Request) -> web.Response:
        if (refused := self._graph(request)) is not None:
            return refused
        channel_id = request.match_info["channel"]
        channel = self.connector.channels.get(channel_id)
        if channel is None or channel.get("team") != request.match_info["team"]:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        folder = f"folder-{len(self._folders) + 1}"
        self._folders[folder] = channel_id
        return web.json_response(
            {"id": folder, "name": channel["displayName"], "parentReference": {"driveId": DRIVE}}
        )

    async def _save(self, request: web.Request) -> web.Response:
        if (refused := self._graph(request)) is not None:
            return refused
        channel_id = self._folders.get(request.match_info["folder"])
        if request.match_info["drive"] != DRIVE or channel_id is None:
            return web.json_response({"error": {"code": "itemNotFound"}}, status=404)
        name = request.match_info["name"]
        folder = self.connector.channels[channel_id]["displayName"]
        web_url = f"{SITE}/{quote(folder)}/{quote(name)}"
        saved = ChannelFile(channel_id, name, await request.read(), request.content_type, web_url)
        self.channel_files.append(saved)
        return web.json_response(
            {"id": f"item-{len(self.channel_files)}", "name": name, "webUrl": web_url}, status=201
        )


def serve(app: web.Application, connector: FakeConnector) -> FakeFiles:
    """The fake file endpoints on the connector's app (called from `FakeConnector.start`)."""
    files = FakeFiles(connector)
    files.register(app)
    return files
