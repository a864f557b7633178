"""A core `Card` as an Adaptive Card 1.5 (what Teams renders), and the message activity carrying it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from bot.chat.cards import Button, ButtonStyle, Card, CardAction
from handlers.teams.card_size import fit, split_text
from handlers.teams.text import escape, to_plain, to_teams, truncate

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
VERSION = "1.5"
TEXT_LIMIT = 4000  # per TextBlock (longer text spans several); the whole card: card_size.py
MAX_FIELDS = 10
OPENS_DIALOG = frozenset(  # buttons that ask for more (a reason, a form) first, or show a dialog
    {
        CardAction.SHOW_STATUS,
        CardAction.REJECT_DRAFT,
        CardAction.EDIT_DRAFT,
        CardAction.CORRECT_MESSAGE,
        CardAction.EDIT_INCIDENT,
        CardAction.DRAFT_UPDATE,
        CardAction.RESOLVE_INCIDENT,
        CardAction.COMPLETE_FOLLOW_UP,
        CardAction.CHANGE_FOLLOW_UP,
    }
)


def adaptive_card(
    card: Card, *, actions: Collection[CardAction] = (), names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The card; only buttons whose action Teams handles (`actions`) or that open a URL are shown.

    `names` (raw user id -> display name, fetched by the gateway) turns mentions into names.
    """
    mentions: list[dict[str, Any]] = []
    body: list[dict[str, Any]] = []
    if card.title:
        body.append(_text(to_plain(card.title, names), weight="Bolder", size="Medium", plain=True))
    for piece in split_text(to_teams(card.body, mentions, names), TEXT_LIMIT):
        body.append(_text(piece))
    if card.fields:
        facts = [
            {"title": to_plain(f.label), "value": truncate(to_teams(f.value, mentions, names), TEXT_LIMIT)}
            for f in card.fields[:MAX_FIELDS]
        ]
        body.append({"type": "FactSet", "facts": facts})
    groups: list[list[dict[str, Any]]] = []
    for item in card.items:
        group = [_text(to_teams(item.text, mentions, names), separator=True)]
        if shown := _actions(item.buttons, actions):
            group.append({"type": "ActionSet", "actions": shown})
        body += group
        groups.append(group)
    if card.context:
        body.append(_text(to_teams(card.context, mentions, names), size="Small", isSubtle=True))
    result: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": VERSION,
        "body": body,
        "fallbackText": truncate(escape(to_plain(card.summary, names)), 300),
    }
    if shown := _actions(card.buttons, actions):
        result["actions"] = shown
    result["msteams"] = {"width": "Full", **({"entities": mentions} if mentions else {})}
    fit(result, groups)
    return result


def message(
    card: Card, *, actions: Collection[CardAction] = (), names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A message activity: the summary as (escaped) text for notifications, the card as attachment."""
    content = adaptive_card(card, actions=actions, names=names)
    return {
        "type": "message",
        "summary": truncate(escape(to_plain(card.summary, names)), 300),
        "attachments": [{"contentType": ADAPTIVE_CARD, "content": content}],
    }


def button_data(spec: Button) -> dict[str, str]:
    return {"action": spec.action.value, "value": spec.value, "variant": spec.variant}


def _actions(buttons: Collection[Button], handled: Collection[CardAction]) -> list[dict[str, Any]]:
    shown = []
    for spec in buttons:
        if spec.url:
            shown.append({"type": "Action.OpenUrl", "title": truncate(spec.label, 75), "url": spec.url})
        elif spec.action in handled and spec.action in OPENS_DIALOG:  # Action.Execute cannot open one
            shown.append(
                {
                    "type": "Action.Submit",
                    "title": truncate(spec.label, 75),
                    "data": {
                        "msteams": {"type": "task/fetch"},
                        "dialog": spec.action.value,
                        **button_data(spec),
                    },
                }
            )
        elif spec.action in handled:
            title = truncate(spec.label, 75)
            action = {
                "type": "Action.Execute",
                "title": title,
                "verb": spec.action.value,
                "data": button_data(spec),
                # clients without Universal Actions send a message activity carrying the same data
                "fallback": {"type": "Action.Submit", "title": title, "data": button_data(spec)},
            }
            if spec.style != ButtonStyle.DEFAULT:
                action["style"] = "positive" if spec.style == ButtonStyle.PRIMARY else "destructive"
            shown.append(action)
    return shown


def _text(text: str, *, plain: bool = False, **style: Any) -> dict[str, Any]:
    block = {"type": "TextBlock", "text": truncate(text, TEXT_LIMIT), "wrap": True, **style}
    if plain:  # a heading: no Markdown at all
        block["text"] = truncate(escape(text), 300)
    return block
