"""Atom feed entries: one per approved update, newest change first, ids stable across corrections.

Entry ids are RFC 4151 tag URIs (`tag:<authority>,2026:status:incident-<n>:update-<m>`) whose
authority is configured, never the request's Host, so they do not change with the host name a
reader uses, nor across restarts.
"""

from __future__ import annotations

import re
from typing import Any

from bot.chat.public_text import to_html
from bot.status_page.data import PublicIncident

FEED_ENTRIES = 100
DEFAULT_AUTHORITY = "incident-comms.local"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DNS_NAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")


def tag_authority(configured: str, base_host: str) -> str:
    """`status_page.tag_authority`, else the host of `status_page.base_url` (no port), else a fixed name."""
    if configured:
        return configured
    return base_host.lower() if _DNS_NAME.match(base_host) else DEFAULT_AUTHORITY


def atom_entries(incidents: list[PublicIncident]) -> list[dict[str, Any]]:
    entries = [
        {"incident": incident, "message": update, "html": str(to_html(update.text))}
        for incident in incidents
        for update in incident.updates
    ]
    entries.sort(key=lambda e: (e["message"].updated_at, int(e["message"].id)), reverse=True)
    return entries[:FEED_ENTRIES]
