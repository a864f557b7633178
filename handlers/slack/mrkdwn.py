"""Neutral Markdown (see bot.chat.cards) to Slack mrkdwn, with user text made harmless.

Escaping `&`, `<` and `>` first means nothing a user typed (`<!channel>`, `<@U123>`,
`<https://x|y>`) can become a control sequence; only the markup we add afterwards is live. A
typed `[label](url)` reads `label (url)`; only the bot's own links (`bot.chat.links`) are live.
"""

from __future__ import annotations

import re

from bot.chat import links
from bot.chat.cards import MENTION_PATTERN

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_BULLET = re.compile(r"^- ", re.M)
_QUOTE = re.compile(r"^&gt;", re.M)  # a leading '>' quotes a line; it is no control sequence


_USER_GROUP = re.compile(r"S[A-Z0-9]{2,}")  # user group ids; people are U…/W…


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(neutral: str) -> str:
    text = links.outside(escape(links.typed_as_text(neutral)), lambda part: _BOLD.sub(r"*\1*", part))
    text = links.live(text, _link)
    text = _BULLET.sub("• ", text)
    text = _QUOTE.sub(">", text)
    return MENTION_PATTERN.sub(_mention, text)


def _mention(found: re.Match[str]) -> str:
    """A channel (`#`), a user group (an `S…` id: Slack's subteam mention) or a person."""
    channel, target = found.group(1), found.group(2)
    if channel:
        return f"<#{target}>"
    return f"<!subteam^{target}>" if _USER_GROUP.fullmatch(target) else f"<@{target}>"


def _link(label: str, url: str) -> str:
    return f"<{url}>" if label == url else f"<{url}|{label.replace('|', '/')}>"


def to_plain(neutral: str) -> str:
    """For plain_text fields (headers, topics' fallbacks): no markup, mentions as ids."""
    text = links.plain(links.outside(neutral, lambda part: _BOLD.sub(r"\1", part)))
    return MENTION_PATTERN.sub(lambda m: f"{m.group(1) or '@'}{m.group(2)}", text)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
