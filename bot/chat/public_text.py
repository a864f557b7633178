"""Approved messages (neutral Markdown) as safe HTML for the page and as plain text for JSON.

Everything is escaped first; only our own small Markdown subset becomes markup afterwards
(`**bold**`, `_italic_`, `[text](https://…)`, `- ` lists), so user text can never inject HTML.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from bot.chat.cards import strip_markers

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])_(?!\s)(.+?)(?<!\s)_(?!\w)")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


def _inline(line: str) -> str:
    html = str(escape(line))
    html = _LINK.sub(r'<a href="\2">\1</a>', html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _ITALIC.sub(r"<em>\1</em>", html)


@lru_cache(maxsize=4096)
def to_html(text: str) -> Markup:
    """Paragraphs, line breaks and lists; cached because published versions never change."""
    blocks = []
    for block in re.split(r"\n\s*\n", strip_markers(text).strip()):
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
    plain = _LINK.sub(r"\1 (\2)", strip_markers(text))
    plain = _BOLD.sub(r"\1", plain)
    return _ITALIC.sub(r"\1", plain).strip()
