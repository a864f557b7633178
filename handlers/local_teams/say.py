"""`incident-comms teams-say TEXT`: send one signed message to a `serve --teams-local` bot.

The message is what Teams would deliver from a personal chat with the bot, signed with the
key `serve --teams-local` generated (it wrote where everything is to `serve.STATE`); the
bot's answer is printed by that `serve`, where its fake Bot Connector runs.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import aiohttp
import jwt
from cryptography.hazmat.primitives import serialization

from emulator.teams.driver import BOT_ID, BOT_NAME, personal_chat
from handlers.local_teams.serve import KID, STATE, YOU


def signed_message(state: dict, text: str, user: str) -> tuple[dict, str]:
    """The activity and the Bearer token Teams' Bot Connector would send for `text`."""
    key = serialization.load_pem_private_key(Path(state["key"]).read_bytes(), password=None)
    now = int(time.time())
    claims = {"iss": state["issuer"], "aud": state["bot_id"], "serviceurl": state["connector"]}
    token = jwt.encode(
        {**claims, "iat": now, "nbf": now, "exp": now + 600}, key, "RS256", headers={"kid": KID}
    )
    activity = {
        "type": "message",
        "id": f"local-{uuid.uuid4().hex[:12]}",
        "channelId": "msteams",
        "serviceUrl": state["connector"],
        "from": {"id": f"29:{user}", "name": user, "aadObjectId": user},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "conversation": {
            "id": personal_chat(user),
            "conversationType": "personal",
            "tenantId": state["tenant"],
        },
        "channelData": {"tenant": {"id": state["tenant"]}},
        "text": text,
        "textFormat": "plain",
    }
    return activity, token


async def say(text: str, user: str = YOU) -> int:
    found = STATE / "local.json"
    if not found.exists():
        print("incident-comms: start `incident-comms serve --teams-local` first")
        return 2
    state = json.loads(found.read_text())
    if not state.get("key"):
        print("incident-comms: that serve checks tokens against your own TEAMS_OPENID_METADATA_URL")
        return 2
    activity, token = signed_message(state, text, user)
    async with aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bearer {token}"}
        async with session.post(state["bot"], json=activity, headers=headers) as response:
            print(f"sent as {user}: HTTP {response.status}; the bot's answer is printed by serve")
            return 0 if response.status < 300 else 1
