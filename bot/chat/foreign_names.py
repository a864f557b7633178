"""People of one platform named on another: a Slack user's mention on a Teams card (or the
reverse) cannot render, so it is written as the person's name (their profile's, else their id).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace

from bot.chat.cards import MENTION_PATTERN, Card


def card_texts(card: Card) -> Iterable[str]:
    yield from (card.summary, card.body, card.context)
    yield from (f.value for f in card.fields)
    yield from (item.text for item in card.items)


async def named_for(
    card: Card, foreign: Callable[[str], bool], name_of: Callable[[str], Awaitable[str]]
) -> Card:
    """`card` with the markers of `foreign` people replaced by `name_of` them (others stay)."""
    ids = {m.group(2) for text in card_texts(card) for m in MENTION_PATTERN.finditer(text) if not m.group(1)}
    names = {user_id: await name_of(user_id) for user_id in sorted(ids) if foreign(user_id)}
    if not names:
        return card

    def named(text: str) -> str:
        return MENTION_PATTERN.sub(
            lambda m: m.group(0) if m.group(1) else names.get(m.group(2), m.group(0)), text
        )

    return replace(
        card,
        summary=named(card.summary),
        body=named(card.body),
        context=named(card.context),
        fields=tuple(replace(f, value=named(f.value)) for f in card.fields),
        items=tuple(replace(item, text=named(item.text)) for item in card.items),
    )
