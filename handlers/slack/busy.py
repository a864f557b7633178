"""At capacity, a Slack request is answered "busy, try again" before Bolt (or anything that
changes state) sees it; the answer is private to the person who asked.

- a slash command: an ephemeral reply in the command's own response;
- a form submission: the message under the form's first field (the form stays open);
- a button: an ephemeral message through the click's `response_url` (sent before the ack);
- an Events API callback: 503 with Retry-After, so Slack delivers the event again later.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.background import BUSY

SEND_WITHIN = 1.5  # seconds: Slack wants the ack within 3
log = logging.getLogger(__name__)


async def busy_answer(payload: dict[str, Any]) -> web.Response:
    if "command" in payload:
        return web.json_response({"response_type": "ephemeral", "text": BUSY})
    kind = payload.get("type")
    if kind == "view_submission" and (field := _first_input(payload["view"])) is not None:
        return web.json_response({"response_action": "errors", "errors": {field: BUSY}})
    if kind == "block_actions" and payload.get("response_url"):
        await _tell(str(payload["response_url"]))
        return web.Response(status=200)
    if kind == "event_callback":
        return web.json_response({"error": "busy"}, status=503, headers={"Retry-After": "60"})
    return web.Response(status=200)


def _first_input(view: dict[str, Any]) -> str | None:
    blocks = view.get("blocks") or []
    return next((b["block_id"] for b in blocks if b.get("type") == "input" and b.get("block_id")), None)


async def _tell(response_url: str) -> None:
    client = AsyncWebhookClient(response_url, timeout=int(SEND_WITHIN) + 1)
    try:
        async with asyncio.timeout(SEND_WITHIN):
            await client.send(text=BUSY, response_type="ephemeral", replace_original=False)
    except Exception as error:  # the click is still acked; nothing was done either way
        log.warning("could not tell a user the bot is busy: %s", type(error).__name__)
