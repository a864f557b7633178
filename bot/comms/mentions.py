"""Broadcast mentions (``<!channel>``, ``@here`` ...) that would notify a whole channel or group."""

import re

from bot.comms.findings import Hit

BROADCAST_WORDS: tuple[str, ...] = ("channel", "here", "everyone")

_SLACK_BROADCAST = re.compile(r"<!(?:channel|here|everyone)(?:\|[^>]*)?>|<!subteam\^[A-Z0-9]+(?:\|[^>]*)?>")
_PLAIN_BROADCAST = re.compile(r"(?<![\w@.])@(?:channel|here|everyone)\b", re.IGNORECASE)

SUGGESTION = "Remove the broadcast mention; the bot already notifies the right audience."


def find_mentions(text: str) -> list[Hit]:
    """Slack broadcast/user-group mentions and their plain-text spellings."""
    # every match ends with `>`: searching only up to the last one keeps `[^>]*` linear
    spans = [m.span() for m in _SLACK_BROADCAST.finditer(text, 0, text.rfind(">") + 1)]
    spans += [m.span() for m in _PLAIN_BROADCAST.finditer(text)]
    return [Hit("mention", start, end, SUGGESTION) for start, end in sorted(spans)]
