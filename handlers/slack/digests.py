"""`/incident digest [post]` and the App Home dashboard."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.chat.cards import Card
from bot.errors import PlatformError
from handlers.slack.after_ack import Slack, ack_then
from handlers.slack.blocks.home import home_view
from handlers.slack.ids import ActionId

EPHEMERAL_MESSAGES = 5  # a response_url takes at most five messages


def register(app: AsyncApp, slack: Slack) -> None:
    app.event("app_home_opened")(ack_then(slack, publish_home))
    app.action(ActionId.OPEN_CHANNEL.value)(_just_ack)


async def _just_ack(ack) -> None:
    await ack()  # the button is a link: Slack opens it; nothing to do here


async def digest(slack: Slack, body: dict[str, Any], rest: str) -> None:
    """Privately by default; `post` shares it in the channel (without private incidents)."""
    service = slack.core.digests
    if rest.strip().lower() == "post":
        cards = await service.to_post(body["user_id"], body["channel_id"])
        try:
            for card in cards:
                await slack.core.platform.post(body["channel_id"], card)
        except PlatformError as error:
            if error.code != "not_in_channel":
                raise
            await _tell(
                slack, body, "I can only post where I am a member: invite me with `/invite @incident-comms`."
            )
        return
    cards = await service.requested(body["user_id"], max_messages=EPHEMERAL_MESSAGES)
    for card in cards:
        await slack.gateway.tell_user(body["user_id"], card, reply_url=body.get("response_url"))


async def _tell(slack: Slack, body: dict[str, Any], text: str) -> None:
    await slack.gateway.tell_user(
        body["user_id"], Card(summary=text, body=text), reply_url=body.get("response_url")
    )


async def publish_home(slack: Slack, body: dict[str, Any]) -> None:
    """The Home tab: the viewer's incidents first, then all live ones they may see."""
    user = (body.get("event") or {}).get("user")
    if not user:
        return
    core = slack.core
    entries = await core.digests.dashboard(user)
    links = await core.digests.links(entries)
    view = home_view(entries, user, core.digests.cards, links, core.clock.now())
    await slack.gateway.publish_home(user, view)
