"""Approved messages (neutral Markdown) as safe HTML for the page and as plain text for JSON.

Everything is escaped first; only our own small Markdown subset becomes markup afterwards
(`**bold**`, `_italic_`, `- ` lists), so user text can never inject HTML. A typed
`[text](https://…)` reads `text (https://…)`; only the bot's own links (`bot.chat.links`) are live.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from bot.chat import links
from bot.chat.cards import MENTION_PATTERN

_BOLD = re.compile(r"\*\*(.+?)\*\*")
# linear: a span never crosses another `_`, so no start scans past the next underscore
_ITALIC = re.compile(r"(?<![\w*])_(?!\s)([^_\n]+?)(?<!\s)_(?!\w)")


def _anchor(label: str, url: str) -> str:
    return f'<a href="{url}">{label}</a>'  # both already escaped with the line


def _emphasis(html: str) -> str:
    return _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", html))


def _inline(line: str) -> str:
    return links.live(links.outside(str(escape(links.typed_as_text(line))), _emphasis), _anchor)


@lru_cache(maxsize=4096)
def to_html(text: str) -> Markup:
    """Paragraphs, line breaks and lists; cached because published versions never change."""
    blocks = []
    for block in re.split(r"\n\s*\n", _no_mentions(text).strip()):
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        if lines and all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif lines:
            blocks.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return Markup("\n".join(blocks))


@lru_cache(maxsize=4096)
def to_plain(text: str) -> str:
    """The message without Markdown emphasis; links as "text (url)"."""
    plain = links.outside(_no_mentions(text), lambda part: _ITALIC.sub(r"\1", _BOLD.sub(r"\1", part)))
    return links.plain(plain).strip()


@lru_cache(maxsize=4096)
def to_markdown(text: str) -> str:
    """The message as standard Markdown (webhook payloads): typed links and HTML as text, ours live.

    `&`, `<` and `>` become entities, so no typed tag or `<https://…>` autolink renders as one."""
    typed = links.typed_as_text(_no_mentions(text))
    typed = typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return links.live(typed, lambda label, url: f"[{label}]({url})")


def _no_mentions(text: str) -> str:
    """Public text names no one: a mention marker reads as the bare id it wraps."""
    return MENTION_PATTERN.sub(lambda m: m.group(2), text)
