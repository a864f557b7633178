"""Links in neutral Markdown: only the bot's own are live, on every surface.

A link someone typed (`[verify your account](https://evil.example)`) is shown as its label
followed by the full URL, as plain text (`verify your account (https://evil.example)`), so no
typed text can relabel a link. The core writes its own links (support route, status page, a
message's permalink) with `link()`, a marker no user can type: input is stripped of it like
mention markers (`cards.strip_markers`). Each renderer turns only those markers into live links
(`live`) and runs everything else through `typed_as_text`, which is the one rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable

LINK_OPEN, LINK_MIDDLE, LINK_CLOSE = "\ue002", "\ue003", "\ue004"
# linear: neither part crosses another marker, so no start scans past the next one (input is
# stripped of markers, and `link()` never puts one inside a label or URL)
_NO_MARKER = f"{LINK_OPEN}{LINK_MIDDLE}{LINK_CLOSE}"
LINK_PATTERN = re.compile(f"{LINK_OPEN}([^{_NO_MARKER}]*){LINK_MIDDLE}([^\\s{_NO_MARKER}]+){LINK_CLOSE}")
_AFTER_BANG = re.compile(f"!(?={LINK_OPEN})")
_URL = re.compile(f'^https?://[^\\s<>"{_NO_MARKER}]+$')

# `[label](url)`, `[label](<url>)`, `[label](url "title")`: the Markdown a user may type
_TYPED = re.compile(r"\[([^\[\]\n]*)\]\(\s*<?([^()\s<>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
# what is left of link syntax once typed links are text: `](` inline, `][` reference, `]:` definition
_BRACKET_JOIN = re.compile(r"\](?=[(\[:])")
# Markdown links and bare URLs in text the bot owns (the policy's support route), made live with
# `link()`; a bare URL ends before trailing punctuation ("… at https://help.example.com.")
_OWN = re.compile(
    r"\[([^\[\]\n]+)\]\((https?://[^()\s<>|]+)\)|(https?://[^\s<>()\[\]\"|]*[^\s<>()\[\]\"|.,;:!?'])"
)
# characters of the renderers' link syntax (Slack's `|`, Markdown's brackets): percent-encoded in
# the bot's URLs, so no URL can end a link early or relabel it
_ENCODED = {c: f"%{ord(c):02X}" for c in "|\\[]()`"}


def link(url: str, label: str = "") -> str:
    """A live link the bot adds; a URL that is not http(s) is shown as text, never linked."""
    label = label.replace(LINK_OPEN, "").replace(LINK_MIDDLE, "").replace(LINK_CLOSE, "") or url
    if not _URL.match(url):
        return as_text(label, url)
    safe = "".join(_ENCODED.get(c, c) for c in url)
    return f"{LINK_OPEN}{safe if label == url else label}{LINK_MIDDLE}{safe}{LINK_CLOSE}"


def as_text(label: str, url: str) -> str:
    """How a link reads as plain text: the label, then the full URL (once if they are the same)."""
    label = label.strip()
    return url if not label or label == url else f"{label} ({url})"


def typed_as_text(text: str) -> str:
    """Every link syntax in user text becomes plain text that no Markdown renderer links."""
    text = _TYPED.sub(lambda m: as_text(m.group(1), m.group(2)), text)
    return _BRACKET_JOIN.sub("] ", text)


def live(text: str, render: Callable[[str, str], str]) -> str:
    """Each of the bot's own links as `render(label, url)` returns it (already escaped text). A `!`
    just before one is set apart, so no Markdown reads `![label](url)` as an image."""
    return LINK_PATTERN.sub(lambda m: render(m.group(1), m.group(2)), _AFTER_BANG.sub("! ", text))


def outside(text: str, markup: Callable[[str], str]) -> str:
    """`markup` (bold, italics) applied to the text between the bot's links, never inside one."""
    parts = LINK_PATTERN.split(text)  # text, label, url, text, label, url, …, text
    pieces = []
    for i in range(0, len(parts), 3):
        pieces.append(markup(parts[i]))
        if i + 2 < len(parts):
            pieces.append(f"{LINK_OPEN}{parts[i + 1]}{LINK_MIDDLE}{parts[i + 2]}{LINK_CLOSE}")
    return "".join(pieces)


def own_links(text: str) -> str:
    """Text the bot owns (policy-written) with its Markdown links and bare URLs made live links."""
    return _OWN.sub(lambda m: link(m.group(2), m.group(1)) if m.group(2) else link(m.group(3)), text)


def plain(text: str) -> str:
    """Typed links as text and the bot's links as `label (url)`: for plain-text surfaces."""
    return live(typed_as_text(text), as_text)
