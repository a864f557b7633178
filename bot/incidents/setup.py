"""After an incident is recorded: create its channel, invite people, post and pin the intro.

Each step's result is stored on the incident before the next one starts, so running the
set-up again (a redelivered request, a restart) continues where it stopped instead of
creating a second channel or a second intro. A failed step never loses the incident: the
reporter is told what failed and how to fix it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col

from bot.access.names import Names
from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.chat.ports import ChatPlatform, MessageRef
from bot.enums import Visibility
from bot.errors import NameTaken, PlatformError
from bot.incidents.cards import IncidentCards
from bot.incidents.channel_names import candidates, incident_channel_name
from bot.incidents.service import IncidentService
from storage.models import Incident

log = logging.getLogger(__name__)
RESUME_AFTER = timedelta(minutes=2)  # younger set-ups may still be running in another task
NOTICE_LEASE = timedelta(minutes=2)  # how long one task holds an incident's initial notice
Then = Callable[[int], Awaitable[object]]


class IncidentSetup:
    def __init__(
        self, incidents: IncidentService, cards: IncidentCards, platform: ChatPlatform, names: Names
    ) -> None:
        self.incidents = incidents
        self.cards = cards
        self.platform = platform
        self.names = names  # a topic cannot render a mention: it names the commander
        self.policy = incidents.policy

    async def run(
        self, incident_id: int, *, reply_url: str | None = None, channel_ready: Then | None = None
    ) -> list[PlatformError]:
        """Create the channel, then the steps that need only the channel at once (invites, topic,
        purpose, the intro and its pin, the announcement; each call waits for none of the others)
        and `channel_ready` (the initial notice) alongside them; without a channel it runs last."""
        incident = await self.incidents.get(incident_id)
        failures: list[PlatformError] = []
        try:
            incident = await self._ensure_channel(incident)
        except PlatformError as error:
            failures.append(error)
        steps = [self._invite, self._set_topic, self._set_purpose, self._intro] if incident.channel_id else []
        if incident.visibility == Visibility.PUBLIC.value and self.policy.channels.announcements:
            steps.append(self._announce)
        notice = None
        if channel_ready is not None and incident.channel_id:
            notice = asyncio.ensure_future(channel_ready(incident.id))  # needs the channel, nothing else
        try:
            outcomes = await asyncio.gather(*(_attempt(step, incident) for step in steps))
            failures += [failure for outcome in outcomes for failure in outcome]
            await self._finish(incident, failures)
            await self._report(incident, failures, reply_url)
        finally:
            if notice is not None:
                await notice
        if channel_ready is not None and notice is None:
            await channel_ready(incident.id)
        return failures

    async def resume_unfinished(self, then: Then | None = None) -> list[int]:
        """At start-up: finish set-ups that a crash or restart interrupted, then run `then`.

        Each incident is claimed with one conditional UPDATE, so when several instances
        start together only one of them resumes it. The claim also holds the incident's
        initial notice (if still owed) for NOTICE_LEASE, so no sweep drafts it before the
        resumed set-up has opened the channel; `then` (the notice) runs after the set-up.
        """
        now = self.incidents.clock.now()
        claim = (
            update(Incident)
            .where(col(Incident.setup_complete).is_(False), col(Incident.declared_at) < now - RESUME_AFTER)
            .values(setup_complete=True)
            .returning(col(Incident.id))
        )
        hold = update(Incident).where(col(Incident.initial_notice_due_at).is_not(None))
        async with self.incidents.db.write() as session:
            claimed = list((await session.exec(claim)).scalars())
            if claimed:
                held = hold.where(col(Incident.id).in_(claimed))
                await session.exec(held.values(initial_notice_due_at=now + NOTICE_LEASE))
        for incident_id in claimed:
            log.info("resuming the set-up of incident %s", incident_id)
            await self.run(incident_id)
            if then is not None:
                await then(incident_id)
        return claimed

    async def _ensure_channel(self, incident: Incident) -> Incident:
        if incident.channel_id:
            return incident
        base = incident_channel_name(self.policy.incident.channel_name_pattern, incident)
        private = incident.visibility == Visibility.PRIVATE.value
        for name in candidates(base):
            try:
                channel = await self.platform.create_channel(name, private=private)
            except NameTaken:
                continue
            await self.incidents.update_fields(incident.id, channel_id=channel.id, channel_name=channel.name)
            return await self.incidents.get(incident.id)
        raise PlatformError(
            "Create channel", "name_taken", f"Every name like #{base} is taken; archive old ones."
        )

    async def _invite(self, incident: Incident) -> None:
        people = [incident.reporter_id, incident.commander_id, incident.comms_owner_id]
        group = self.policy.incident.responder_group
        try:
            if group:
                people += await self.platform.group_members(group)
        finally:
            await self.platform.invite(incident.channel_id, list(dict.fromkeys(people)))

    async def _set_topic(self, incident: Incident) -> None:
        await self.platform.set_topic(incident.channel_id, await self._topic(incident))

    async def _set_purpose(self, incident: Incident) -> None:
        await self.platform.set_purpose(incident.channel_id, self.cards.purpose(incident))

    async def _intro(self, incident: Incident) -> None:
        if incident.intro_ts:
            return
        ref = await self.platform.post(incident.channel_id, self.cards.intro(incident))
        await self.incidents.update_fields(incident.id, intro_ts=ref.message_id)
        await self.platform.pin(ref)

    async def _announce(self, incident: Incident) -> None:
        card = self.cards.announcement(incident)
        await self.platform.post(self.policy.channels.announcements, card)

    async def refresh_intro(self, incident: Incident) -> None:
        """Keep the pinned intro and the topic in step with the incident's facts."""
        if incident.channel_id and incident.intro_ts:
            await self.platform.update(
                MessageRef(incident.channel_id, incident.intro_ts), self.cards.intro(incident)
            )
            await self.platform.set_topic(incident.channel_id, await self._topic(incident))

    async def _topic(self, incident: Incident) -> str:
        return self.cards.topic(incident, await self.names.of(incident.commander_id))

    async def _finish(self, incident: Incident, failures: list[PlatformError]) -> None:
        async with self.incidents.db.write() as session:
            stored = await session.get(Incident, incident.id)
            stored.setup_complete = True
            now = self.incidents.clock.now()
            if incident.channel_id:
                audit.record(
                    session,
                    incident_id=incident.id,
                    actor="bot",
                    action=AuditAction.CHANNEL_CREATED,
                    at=now,
                    channel=incident.channel_id,
                    name=incident.channel_name,
                )
            for failure in failures:
                audit.record(
                    session,
                    incident_id=incident.id,
                    actor="bot",
                    action=AuditAction.SETUP_FAILED,
                    at=now,
                    step=failure.step,
                    code=failure.code,
                )

    async def _report(self, incident: Incident, failures: list[PlatformError], reply_url: str | None) -> None:
        latest = await self.incidents.get(incident.id)
        try:
            await self.platform.tell_user(
                latest.reporter_id, self.cards.setup_report(latest, failures), reply_url=reply_url
            )
        except PlatformError:
            log.warning(
                "could not tell the reporter of incident %s about its set-up", incident.id, exc_info=True
            )


async def _attempt(step, incident: Incident) -> list[PlatformError]:
    try:
        await step(incident)
    except PlatformError as error:
        return [error]
    return []
