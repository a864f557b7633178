"""The Teams app package: manifest.json and two icons in a zip, for upload to Teams admin.

`incident-comms teams-package` writes it. The manifest names the bot (its Entra app id),
the scopes it works in (channels, group chats, personal chat) and the commands it offers
when @mentioned.
"""

from __future__ import annotations

import io
import json
import struct
import uuid
import zipfile
import zlib
from typing import Any

MANIFEST_SCHEMA = "https://developer.microsoft.com/en-us/json-schemas/teams/v1.29/MicrosoftTeams.schema.json"
ACCENT = "#B3261E"
COMMANDS = (  # Teams shows at most 10 per scope; `help` lists every one
    ("incident declare", "Declare a new incident (opens a form): incident declare [title]"),
    ("incident list", "Active incidents"),
    ("incident home", "Your dashboard: your incidents first, then every live one"),
    ("incident status", "Current summary, in an incident's conversation"),
    ("incident update", "Draft a customer, named-account or internal update"),
    ("incident resolve", "Resolve: drafts the resolution notice and creates follow-ups"),
    ("incident timeline", "Everything that happened, in order"),
    ("incident export", "The communications plan as a file: incident export [md|html]"),
    ("incident digest", "A digest of every live incident"),
    ("incident help", "What the bot can do"),
)


def manifest(
    bot_id: str, *, version: str, website_url: str, privacy_url: str = "", terms_url: str = ""
) -> dict[str, Any]:
    commands = [{"title": title, "description": text} for title, text in COMMANDS]
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": "1.29",
        "version": version,
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"incident-comms:{bot_id}")),
        "developer": {
            "name": "incident-comms",
            "websiteUrl": website_url,
            "privacyUrl": privacy_url or website_url,
            "termsOfUseUrl": terms_url or website_url,
        },
        "name": {"short": "incident-comms", "full": "incident-comms: incident communications"},
        "description": {
            "short": "Runs the communications side of live incidents.",
            "full": (
                "Declare incidents, draft customer updates from templates, route them through approval, "
                "publish them and keep the promised update cadence until the incident is resolved."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": bot_id,
                "scopes": ["team", "groupChat", "personal"],
                "supportsFiles": True,  # the export arrives as a file in a personal chat
                "isNotificationOnly": False,
                "commandLists": [{"scopes": ["team", "groupChat", "personal"], "commands": commands}],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def package(manifest_data: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest_data, indent=2))
        archive.writestr("color.png", _png(192, (0xB3, 0x26, 0x1E, 0xFF)))
        archive.writestr("outline.png", _png(32, (0xFF, 0xFF, 0xFF, 0xFF), ring=True))
    return buffer.getvalue()


def _png(size: int, rgba: tuple[int, int, int, int], *, ring: bool = False) -> bytes:
    """A square icon: filled, or (outline) a white ring on transparency, as Teams asks."""
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter: none
        for x in range(size):
            edge = min(x, y, size - 1 - x, size - 1 - y)
            row += bytes(rgba) if not ring or edge < 3 else b"\x00\x00\x00\x00"
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )
