"""A core `Card` as Block Kit, built with slack_sdk's block classes (they check limits)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.chat.cards import Button, ButtonStyle, Card
from handlers.slack.mrkdwn import to_mrkdwn, to_plain, truncate

SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
MAX_FIELDS = 10


def card_blocks(card: Card) -> list[Block]:
    blocks: list[Block] = []
    if card.title:
        blocks.append(HeaderBlock(text=truncate(to_plain(card.title), 150)))
    blocks += [SectionBlock(text=MarkdownTextObject(text=chunk)) for chunk in _chunks(to_mrkdwn(card.body))]
    if card.fields:
        fields = [_field(f.label, f.value) for f in card.fields[:MAX_FIELDS]]
        blocks.append(SectionBlock(fields=fields))
    for item in card.items:
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=truncate(to_mrkdwn(item.text), SECTION_LIMIT)))
        )
        if item.buttons:
            blocks.append(ActionsBlock(elements=[button(b) for b in item.buttons]))
    if card.buttons:
        blocks.append(ActionsBlock(elements=[button(b) for b in card.buttons]))
    if card.context:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text=truncate(to_mrkdwn(card.context), 3000))])
        )
    return blocks


def card_text(card: Card) -> str:
    """The notification / fallback text that goes with the blocks."""
    return truncate(to_mrkdwn(card.summary), 3000)


def message_payload(card: Card) -> dict[str, Any]:
    """`text` + `blocks` arguments for chat.postMessage / chat.update / response URLs."""
    return {"text": card_text(card), "blocks": [block.to_dict() for block in card_blocks(card)]}


def button(spec: Button) -> ButtonElement:
    style = None if spec.style == ButtonStyle.DEFAULT else spec.style.value
    return ButtonElement(
        text=truncate(spec.label, 75),
        action_id=action_id(spec),
        value=spec.value,
        style=style,
        url=spec.url or None,
    )


def action_id(spec: Button) -> str:
    """Action ids must be unique within a block: variants get a suffix (`reminders_snooze:15m`)."""
    return f"{spec.action.value}:{spec.variant}" if spec.variant else spec.action.value


def _field(label: str, value: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=truncate(f"*{to_mrkdwn(label)}*\n{to_mrkdwn(value)}", FIELD_LIMIT))


def _chunks(text: str) -> list[str]:
    """Split long text at line breaks into pieces a section accepts."""
    if not text.strip():
        return []
    pieces, current = [], ""
    for line in text.split("\n"):
        while len(line) > SECTION_LIMIT:
            pieces.append(line[:SECTION_LIMIT])
            line = line[SECTION_LIMIT:]
        if len(current) + len(line) + 1 > SECTION_LIMIT:
            pieces.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    return [p for p in [*pieces, current] if p.strip()]
