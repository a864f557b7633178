"""Flows both chat platforms run, written once: declare → set up → draft the initial notice.

The edges keep what only they know (Slack's reply URL; Teams' Graph channel chosen before
set-up, and its dialog answered before set-up runs) and hand it in as plain values.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from bot.incidents.forms import DeclareInput
from bot.incidents.service import Declared
from bot.services import intents

if TYPE_CHECKING:
    from bot.services.core import Core


async def set_up_declared(core: Core, incident_id: int, *, report_to: str | None) -> None:
    """Open the incident's channel (set-up tells `report_to` how it went) and, as soon as the
    channel exists, alongside the other set-up steps, draft the initial notice: the notice the
    declaration recorded as owed, once (bot/services/intents.py; a sweep drafts it if this task
    dies first). A web process leaves both to a worker, which claims the recorded set-up
    (bot/services/roles.py)."""
    if core.role.hands_off:
        await intents.hand_off(core)
        return
    await core.setup.run(
        incident_id, reply_url=report_to, channel_ready=partial(intents.notice_after_set_up, core)
    )


async def declare(
    core: Core,
    form: DeclareInput,
    *,
    reporter_id: str,
    origin_channel_id: str | None,
    source_key: str,
    platform: str | None = None,
) -> Declared:
    """Record the incident once per `source_key`; a new one runs on `platform` when given."""
    declared = await core.incidents.declare(
        form, reporter_id=reporter_id, origin_channel_id=origin_channel_id, source_key=source_key
    )
    if declared.created and platform is not None:
        await core.incidents.update_fields(declared.incident.id, platform=platform)
    return declared


async def declare_and_set_up(
    core: Core,
    form: DeclareInput,
    *,
    reporter_id: str,
    origin_channel_id: str | None,
    source_key: str,
    report_to: str | None,
) -> Declared:
    """Record the incident; the first time for `source_key`, set it up and draft its notice."""
    declared = await declare(
        core, form, reporter_id=reporter_id, origin_channel_id=origin_channel_id, source_key=source_key
    )
    if declared.created:
        await set_up_declared(core, declared.incident.id, report_to=report_to)
    return declared
