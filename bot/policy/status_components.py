"""The `[status_page.components.<id>]` tables: what the public page lists as components.

A component's public status moves only with approved broad-customer messages of public
incidents (`bot/status_page/components.py`); the policy says what exists and how it is shown.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ComponentStatus = Literal[
    "operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"
]
COMPONENT_STATUSES: tuple[str, ...] = (
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
)  # least to most severe: the worst status of a day or of several incidents wins
STATUS_CHOICES = {  # what a form offers for affected components, in its words
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
    "under_maintenance": "Under maintenance",
    "operational": "Operational",
}
COMPONENT_ID = r"^[a-z0-9][a-z0-9_-]{0,39}$"
TAG_AUTHORITY = (
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*)?$"
)  # RFC 4151 authorityName: a DNS name (no port) or an e-mail address; "" = derived


class ComponentPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80)
    description: str = Field(default="", max_length=300)
    group: str = Field(default="", max_length=80)  # components sharing a group name are listed under it
    order: int = Field(default=0, ge=-10000, le=10000)  # smaller first; ties by id
    only_show_if_degraded: bool = False  # hidden on the page while operational


def ordered(components: dict[str, ComponentPolicy]) -> list[tuple[str, ComponentPolicy]]:
    return sorted(components.items(), key=lambda item: (item[1].order, item[0]))


def worst(statuses: list[str]) -> str:
    return max(statuses, key=COMPONENT_STATUSES.index, default="operational")


def group_id(name: str) -> str:
    """The Statuspage id of a group of components (a group is served as a component of its own)."""
    return "group-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "x")


def clashes(components: dict[str, ComponentPolicy]) -> list[str]:
    """Component ids that are also a group's id (each id must name one thing in the JSON)."""
    groups = {group_id(c.group) for c in components.values() if c.group}
    return sorted(groups & set(components))
