"""An incident edited from any platform: stored, resolved when its status says so, announced."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.enums import Handover, IncidentStatus
from bot.errors import PlatformError
from bot.incidents.forms import EditInput
from bot.incidents.service import Edited
from bot.incidents.stale_forms import Fingerprint

if TYPE_CHECKING:
    from bot.services.core import Core

log = logging.getLogger(__name__)


async def edit_and_announce(
    core: Core, incident_id: int, checked: EditInput, *, actor: str, opened: Fingerprint | None = None
) -> Edited:
    """A status set to resolved resolves (reminders stop, follow-ups are created); a severity
    change and the other changes are announced in the incident's channel; the intro is refreshed."""
    edited = await core.incidents.edit(incident_id, checked, actor=actor, opened=opened)
    incident = edited.incident
    if incident.status == IncidentStatus.RESOLVED and "status" in edited.changes:
        await core.resolution.resolved_by_edit(incident, actor=actor)
    if not edited.changes or not incident.channel_id:
        return edited
    others = {name: pair for name, pair in edited.changes.items() if name != "severity"}
    if "severity" in edited.changes:
        await core.messages.follow_severity(incident.id)  # promises follow the new cadence
        old, new = edited.changes["severity"]
        await core.platform.post(incident.channel_id, core.cards.severity_changed(incident, old, new, actor))
    if others:
        await core.platform.post(incident.channel_id, core.cards.edited(incident, others, actor))
    await core.setup.refresh_intro(incident)
    return edited


async def hand_over_and_announce(
    core: Core, incident_id: int, role: Handover, to: str, *, actor: str
) -> Edited:
    """Give `role` to `to`: recorded and audited, `to` invited to the channel, the channel told."""
    edited = await core.incidents.hand_over(incident_id, role, to, actor=actor)
    incident = edited.incident
    if not edited.changes or not incident.channel_id:
        return edited
    old, new = next(iter(edited.changes.values()))
    try:
        await core.platform.invite(incident.channel_id, [new])
    except PlatformError as error:
        log.warning("could not invite the new %s: %s", role.value, error)
    await core.platform.post(incident.channel_id, core.cards.handed_over(incident, role, old, new, actor))
    await core.setup.refresh_intro(incident)
    return edited
