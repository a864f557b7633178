"""Slack ``mrkdwn`` markup turned into plain readable text (mentions resolved, links spelled out)."""

from __future__ import annotations

import re

from .workspace import Workspace

_TOKEN = re.compile(r"<([^<>\n]+)>")


def display_text(text: str, ws: Workspace) -> str:
    """``<@U1>`` → ``@alice``, ``<#C1|name>`` → ``#name``, ``<url|text>`` → ``text (url)``; then unescape."""

    def replace(match: re.Match[str]) -> str:
        return _token(match.group(1), ws)

    converted = _TOKEN.sub(replace, text)
    return converted.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _token(inner: str, ws: Workspace) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        user_id = target[1:]
        return "@" + (ws.display_name(user_id) if user_id in ws.users or not label else label)
    if target.startswith("#"):
        channel = ws.channels.get(target[1:])
        return "#" + (label or (channel.name if channel else target[1:]))
    if target.startswith("!subteam^"):
        group = ws.usergroups.get(target[len("!subteam^") :])
        return label or ("@" + group.handle if group else "@" + target[len("!subteam^") :])
    if target.startswith("!date^"):
        return label or target
    if target.startswith("!"):
        return "@" + target[1:]
    return f"{label} ({target})" if label else target


def plain_field(text: str) -> str:
    """A section field like ``*Severity:*\\nSEV1`` as ``Severity: SEV1``."""
    lines = [line.strip() for line in text.replace("*", "").split("\n") if line.strip()]
    if len(lines) < 2:
        return lines[0] if lines else ""
    label = lines[0] if lines[0].endswith(":") else lines[0] + ":"
    return f"{label} {' '.join(lines[1:])}"
