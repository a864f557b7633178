"""Events API: deduplicated by event_id (Slack redelivers with X-Slack-Retry-Num)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.idempotency import first_time
from bot.incidents import visible_to
from bot.services import Core
from handlers.slack.blocks.card import card_blocks, message_payload
from handlers.slack.ids import IdempotencyKind
from handlers.slack.lazy import lazy


def register(app: AsyncApp, core: Core) -> None:
    app.middleware(_deduplicate(core))
    app.event("app_mention")(ack=_ack, lazy=[lazy(core, mention_help)])
    app.event("app_home_opened")(ack=_ack, lazy=[lazy(core, publish_home)])


def _deduplicate(core: Core):
    async def skip_seen_events(body: dict[str, Any], next) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await first_time(core.db, IdempotencyKind.EVENT, str(event_id), core.clock.now()):
            return BoltResponse(status=200, body="")  # already handled: ack, do nothing
        await next()
        return None

    return skip_seen_events


async def _ack(ack) -> None:
    await ack()


async def mention_help(core: Core, body: dict[str, Any], client, respond) -> None:
    """Someone @-mentioned the bot: answer in the thread with how to use it."""
    event = body.get("event") or {}
    await client.chat_postMessage(
        channel=event["channel"],
        thread_ts=event.get("thread_ts") or event.get("ts"),
        **message_payload(core.cards.help()),
    )


async def publish_home(core: Core, body: dict[str, Any], client, respond) -> None:
    """The App Home tab: the incidents this user may see, newest first."""
    user = (body.get("event") or {}).get("user")
    if not user:
        return
    incidents = [i for i in await core.incidents.active() if visible_to(i, user)]
    blocks = [b.to_dict() for b in card_blocks(core.cards.listing(incidents))]
    await client.views_publish(user_id=user, view={"type": "home", "blocks": blocks[:100]})
