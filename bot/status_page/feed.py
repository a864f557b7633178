"""Atom feed entries: one per approved update, newest change first, ids stable across corrections."""

from __future__ import annotations

from typing import Any

from bot.chat.public_text import to_html
from bot.status_page.data import PublicIncident

FEED_ENTRIES = 100


def atom_entries(incidents: list[PublicIncident]) -> list[dict[str, Any]]:
    entries = [
        {"incident": incident, "message": update, "html": str(to_html(update.text))}
        for incident in incidents
        for update in incident.updates
    ]
    entries.sort(key=lambda e: (e["message"].updated_at, int(e["message"].id)), reverse=True)
    return entries[:FEED_ENTRIES]
