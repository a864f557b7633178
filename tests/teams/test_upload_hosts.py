"""The file-consent upload URL comes from the client: only SharePoint/OneDrive get the export (issue 16).

Teams hands the bot `uploadInfo.uploadUrl` when the user accepts a consent card; anything else
(a local service, another host, plain http) is refused before a byte is sent, logged, and the
user is told. The tests' emulator origin is allowed explicitly (`TeamsOverrides.upload_origins`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from handlers.teams.files import FILE_INFO, UploadTargets
from tests.teams.test_export import ALICE, attachments, exported, opened_chat

ALLOWED = [
    "https://contoso-my.sharepoint.com/personal/alice/_api/upload?x=1",
    "https://contoso.sharepoint.us/x",
    "https://contoso.sharepoint.cn/x",
    "https://CONTOSO-MY.SharePoint.com./x",
    "https://api.onedrive.com/rup/abc",
    "https://abc.files.1drv.com/x",
    "https://onedrive.live.com/x",
]
REFUSED = [
    "http://contoso-my.sharepoint.com/x",  # plain http
    "https://contoso-my.sharepoint.com:8443/x",
    "https://sharepoint.com.evil.example/x",
    "https://evilsharepoint.com/x",
    "https://contoso.sharepoint.com@evil.example/x",
    "https://evil.example/x?h=.sharepoint.com",
    "https://live.com/x",
    "https://127.0.0.1/x",
    "file:///etc/passwd",
    "not a url",
    "",
]


@pytest.mark.parametrize("url", ALLOWED)
def test_sharepoint_and_onedrive_over_https_are_allowed(url):
    assert UploadTargets().allows(url)


@pytest.mark.parametrize("url", REFUSED)
def test_anything_else_is_refused(url):
    assert not UploadTargets().allows(url)


def test_a_configured_origin_is_allowed_only_with_its_scheme_host_and_port():
    targets = UploadTargets(("http://127.0.0.1:8123/",))
    assert targets.allows("http://127.0.0.1:8123/upload/session-1")
    assert not targets.allows("http://127.0.0.1:8124/upload/session-1")
    assert not targets.allows("https://127.0.0.1:8123/upload/session-1")


@pytest.fixture
async def bystander() -> AsyncIterator[list[str]]:
    """A local HTTP service the bot must never be made to call; the requests it got."""
    seen: list[str] = []

    async def record(request: web.Request) -> web.Response:
        seen.append(f"{request.method} {request.path}")
        return web.Response(status=201)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    seen.append(str(server.make_url("/x")))  # first entry: its URL
    yield seen
    await server.close()


async def _accept(teams, card, upload_url: str) -> None:
    info = {**teams.connector.files.upload_info(card["name"]), "uploadUrl": upload_url}
    value = {"action": "accept", "context": card["content"]["acceptContext"], "uploadInfo": info}
    reply = await teams.invoke(
        "fileConsent/invoke", value, user=ALICE, conversation=opened_chat(ALICE), conversation_type="personal"
    )
    assert reply.status == 200
    await teams.settle()


@pytest.mark.parametrize("target", ["local", "https://evil.example/x"])
async def test_a_forged_upload_address_gets_nothing_and_the_user_is_told(
    teams, connector, bystander, target, caplog
):
    url = bystander[0] if target == "local" else target
    card = await exported(teams)

    await _accept(teams, card, url)

    assert bystander[1:] == [] and connector.files.uploads == []
    assert attachments(connector, FILE_INFO, opened_chat(ALICE)) == []
    told = connector.last(opened_chat(ALICE))
    shown = told.activity.get("text", "") + told.texts()
    assert "upload_address_refused" in shown and "outside SharePoint and OneDrive" in shown
    assert any("refused a file-consent upload address" in r.getMessage() for r in caplog.records)


async def test_the_emulators_upload_session_still_gets_the_file(teams, connector):
    card = await exported(teams)

    await _accept(teams, card, connector.files.upload_info(card["name"])["uploadUrl"])

    [upload] = connector.files.uploads
    assert upload.text and attachments(connector, FILE_INFO, opened_chat(ALICE))
