"""The personal dashboard (Slack's App Home, Teams' home card): the viewer's incidents first."""

from __future__ import annotations

from collections.abc import Sequence

from bot.digests.data import DigestEntry

MAX_INCIDENTS = 40  # Slack: two blocks each in a 100-block view; Teams: well inside a card's size
MINE = "Your incidents"
OTHERS = "All live incidents"


def involved(entry: DigestEntry, user_id: str) -> bool:
    i = entry.incident
    return user_id in {i.reporter_id, i.commander_id, i.comms_owner_id}


def dashboard_groups(
    entries: Sequence[DigestEntry], user_id: str, limit: int = MAX_INCIDENTS
) -> list[tuple[str, list[DigestEntry]]]:
    """(heading, entries) for the viewer's incidents, then the others; `limit` entries in all."""
    groups = []
    room = limit
    for heading, wanted in ((MINE, True), (OTHERS, False)):
        group = [e for e in entries if involved(e, user_id) == wanted][: max(room, 0)]
        if group:
            groups.append((heading, group))
            room -= len(group)
    return groups


def left_out(entries: Sequence[DigestEntry], groups: list[tuple[str, list[DigestEntry]]]) -> int:
    return len(entries) - sum(len(group) for _, group in groups)
