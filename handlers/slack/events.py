"""Events API: deduplicated by event_id (Slack redelivers with X-Slack-Retry-Num)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.idempotency import first_time
from handlers.slack.after_ack import Slack, ack_then
from handlers.slack.blocks.card import message_payload
from handlers.slack.ids import IdempotencyKind


def register(app: AsyncApp, slack: Slack) -> None:
    app.middleware(_deduplicate(slack))
    app.event("app_mention")(ack_then(slack, mention_help))


def _deduplicate(slack: Slack):
    core = slack.core

    async def skip_seen_events(body: dict[str, Any], next) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await first_time(core.db, IdempotencyKind.EVENT, str(event_id), core.clock.now()):
            return BoltResponse(status=200, body="")  # already handled: ack, do nothing
        await next()
        return None

    return skip_seen_events


async def mention_help(slack: Slack, body: dict[str, Any]) -> None:
    """Someone @-mentioned the bot: answer in the thread with how to use it."""
    event = body.get("event") or {}
    thread = event.get("thread_ts") or event.get("ts")
    payload = message_payload(slack.core.cards.help())
    await slack.gateway.call(
        "Reply in thread", "chat.postMessage", channel=event["channel"], thread_ts=thread, **payload
    )
