"""How a plan's cells are written in each format: user text escaped, mention markers in its syntax."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from bot.chat import links
from bot.chat.cards import MENTION_PATTERN

_OTHER_PLATFORM = re.compile(r"^[a-z]+:.")  # `msteams:<id>`: ids of a platform other than Slack


def slack_syntax(text: str) -> str:
    """Mention markers as Slack writes them (`<@U123>`, `<#C123>`); another platform's people
    (`msteams:…`) as `@<their id>`, its conversations as such."""

    def written(match: re.Match[str]) -> str:
        channel, target = match.group(1), match.group(2)
        if _OTHER_PLATFORM.match(target):
            return "the incident's conversation" if channel else "@" + target.partition(":")[2]
        return f"<#{target}>" if channel else f"<@{target}>"

    return MENTION_PATTERN.sub(written, text)


def md_cell(text: str) -> str:
    """One Markdown table cell: no raw HTML, no stray `|`, line breaks as `<br>`."""
    text = links.typed_as_text(text)
    for raw, escaped in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(raw, escaped)
    text = links.live(text, lambda label, url: f"[{label}]({url})")
    return slack_syntax("<br>".join(line.strip() for line in text.strip().splitlines()))


def html_cell(text: str) -> Markup:
    escaped = str(escape(links.typed_as_text(text.strip()))).replace("\r\n", "\n").replace("\n", "<br>")
    escaped = links.live(escaped, lambda label, url: f'<a href="{url}">{label}</a>')

    def tag(match: re.Match[str]) -> str:
        return f'<span class="mention">{"#" if match.group(1) else "@"}{match.group(2)}</span>'

    return Markup(MENTION_PATTERN.sub(tag, escaped))


def fence(text: str) -> str:
    """A code fence longer than any run of backticks in `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)
