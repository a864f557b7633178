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

from bot.cards import CardAction
from bot.digest_cards import DigestCards
from bot.digest_data import DigestEntry
from handlers.slack.mrkdwn import to_mrkdwn, truncate

MAX_INCIDENTS = 40  # two blocks each: a home view holds at most 100 blocks


def involved(entry: DigestEntry, user_id: str) -> bool:
    i = entry.incident
    return user_id in {i.reporter_id, i.commander_id, i.comms_owner_id}


def home_view(
    entries: list[DigestEntry], user_id: str, cards: DigestCards, links: dict[int, str], now: datetime
) -> dict[str, Any]:
    mine = [e for e in entries if involved(e, user_id)]
    others = [e for e in entries if not involved(e, user_id)]
    blocks: list[Block] = [
        HeaderBlock(text="Incident dashboard"),
        _context(f"{len(entries)} live incident{'s' if len(entries) != 1 else ''} · as of {now:%H:%M UTC}"),
    ]
    if not entries:
        blocks.append(_section("✅ All clear: no live incidents."))
    shown = 0
    for heading, group in (("*Your incidents*", mine), ("*All live incidents*", others)):
        room = MAX_INCIDENTS - shown
        if not group or room <= 0:
            continue
        blocks += [DividerBlock(), _section(heading)]
        for entry in group[:room]:
            blocks += _incident(entry, cards.entry(entry, now, links.get(entry.incident.id or 0)))
        shown += min(len(group), room)
    if len(entries) > shown:
        blocks.append(_context(f"…and {len(entries) - shown} more: `/incident list` shows every one."))
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
