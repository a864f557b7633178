"""The App Home dashboard: the viewer's incidents first, then every other live one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.chat.cards import CardAction
from bot.digests.cards import DigestCards
from bot.digests.data import DigestEntry
from bot.digests.home import dashboard_groups, left_out
from handlers.slack.mrkdwn import to_mrkdwn, truncate


def home_view(
    entries: list[DigestEntry], user_id: str, cards: DigestCards, links: dict[int, str], now: datetime
) -> dict[str, Any]:
    blocks: list[Block] = [
        HeaderBlock(text="Incident dashboard"),
        _context(f"{len(entries)} live incident{'s' if len(entries) != 1 else ''} · as of {now:%H:%M UTC}"),
    ]
    if not entries:
        blocks.append(_section("✅ All clear: no live incidents."))
    groups = dashboard_groups(entries, user_id)
    for heading, group in groups:
        blocks += [DividerBlock(), _section(f"*{heading}*")]
        for entry in group:
            blocks += _incident(entry, cards.entry(entry, now, links.get(entry.incident.id or 0)))
    if more := left_out(entries, groups):
        blocks.append(_context(f"…and {more} more: `/incident list` shows every one."))
    return {"type": "home", "blocks": [b.to_dict() for b in blocks]}


def _incident(entry: DigestEntry, text: str) -> list[Block]:
    incident = entry.incident
    buttons = []
    if incident.channel_id:
        buttons.append(
            ButtonElement(
                text="Open channel",
                action_id=CardAction.OPEN_CHANNEL.value,
                url=f"https://slack.com/app_redirect?channel={incident.channel_id}",
            )
        )
    buttons.append(
        ButtonElement(
            text="Draft update",
            action_id=CardAction.DRAFT_UPDATE.value,
            value=str(incident.id),
            style="primary",
        )
    )
    return [_section(to_mrkdwn(text)), ActionsBlock(elements=buttons)]


def _section(mrkdwn: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=truncate(mrkdwn, 3000)))


def _context(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=truncate(mrkdwn, 3000))])
