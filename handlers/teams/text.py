"""Neutral Markdown (see bot.chat.cards) to the Markdown Teams renders, with user text made harmless.

Teams reads HTML in message text and `<at>…</at>` as a mention when an entity names it, so
`&`, `<` and `>` are escaped first: nothing a user typed (`<at>Alice</at>`, `<b>`, `<img>`)
can become markup or a mention. Only the mentions the core wrote with `mention()` become
`<at>` tags, each with its entity; a tag shows the person's display name when the adapter
knows it (`names`, fetched before rendering: these functions stay pure), else their id.
Teams renders Markdown links, so every typed link syntax is made text (`bot.chat.links`) in
`escape` itself; only the bot's own links become `[label](url)`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.chat import links
from bot.chat.cards import MENTION_PATTERN

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_QUOTE = re.compile(r"^&gt; ?", re.M)  # a leading '>' quotes a line; Adaptive Cards have no quotes

CHANNEL = "the incident's conversation"  # Teams has no inline link to a conversation by id
ID_PREFIX = "msteams:"  # how Teams ids look inside the core (Slack ids have no prefix)


def escape(text: str) -> str:
    """User text for a TextBlock or message: no tag, no entity, no link of its own."""
    text = links.typed_as_text(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _live(label: str, url: str) -> str:
    label = label.replace("[", "(").replace("]", ")").replace("\\", "")  # a `\` would escape the `]`
    return f"[{label}]({url})"  # the URL's brackets and backslashes are percent-encoded (`links.link`)


def raw_id(core: str) -> str:
    return core.removeprefix(ID_PREFIX)


def mentioned_ids(neutral: str) -> set[str]:
    """The Teams users (raw ids: object ids or UPNs) the core mentions in `neutral`."""
    return {
        raw_id(m.group(2))
        for m in MENTION_PATTERN.finditer(neutral)
        if not m.group(1) and m.group(2).startswith(ID_PREFIX)
    }


def to_teams(neutral: str, mentions: list[dict] | None = None, names: Mapping[str, str] | None = None) -> str:
    """Markdown for a TextBlock or message text; mentions found are appended to `mentions`.

    `names` maps raw user ids to display names; a user not in it is shown by id.
    """

    def mention(match: re.Match[str]) -> str:
        if match.group(1):
            return _channel(match.group(2))
        if not match.group(2).startswith(ID_PREFIX):  # someone on another platform
            return escape(match.group(2))
        user = raw_id(match.group(2))
        name = (names or {}).get(user) or user
        tag = f"<at>{escape(name)}</at>"
        if mentions is not None:
            mentions.append({"type": "mention", "text": tag, "mentioned": {"id": user, "name": name}})
        return tag

    return MENTION_PATTERN.sub(mention, links.live(_QUOTE.sub("", escape(neutral)), _live))


def to_plain(neutral: str, names: Mapping[str, str] | None = None) -> str:
    """No markup at all (card titles, dialog titles); mentions as names when known, else bare ids."""

    def person(match: re.Match[str]) -> str:
        if match.group(1):
            return _channel(match.group(2))
        user = raw_id(match.group(2))
        return (names or {}).get(user) or user

    return MENTION_PATTERN.sub(
        person, links.plain(links.outside(neutral, lambda part: _BOLD.sub(r"\1", part)))
    )


def _channel(channel_id: str) -> str:
    """Teams cannot link a conversation by id inline; a Slack channel is named as such."""
    return CHANNEL if channel_id.startswith(ID_PREFIX) else "its Slack channel"


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
