"""What resolving, reopening and finishing follow-ups set in motion, across services and chat.

Handlers (Slack and Teams) call this after validating a form. Telling people (a DM
to an owner) is best effort: a refused DM is logged, the state change already stands.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from bot.chat.cards import Card
from bot.chat.ports import ChatPlatform
from bot.drafts.flow import MessageFlow
from bot.enums import Action, AudienceKind, Stage
from bot.errors import DomainError, PlatformError
from bot.incidents.setup import IncidentSetup
from bot.reminders.sweep import ReminderSweep
from bot.resolution.follow_up_cards import FollowUpCards
from bot.resolution.follow_ups import FollowUpService, is_rca
from bot.resolution.forms import REVIEWED, RcaInput, ResolveInput
from bot.resolution.nags import FollowUpNags
from bot.resolution.retelling import as_resolved, resolve_prefill, retold, review_prefill
from bot.resolution.service import ResolutionService
from storage.models import FollowUp, Incident

log = logging.getLogger(__name__)


class ResolutionFlow:
    def __init__(
        self,
        resolution: ResolutionService,
        follow_ups: FollowUpService,
        cards: FollowUpCards,
        messages: MessageFlow,
        reminders: ReminderSweep,
        setup: IncidentSetup,
        platform: ChatPlatform,
    ) -> None:
        self.resolution, self.follow_ups, self.cards = resolution, follow_ups, cards
        self.messages, self.reminders, self.setup, self.platform = messages, reminders, setup, platform
        nag_every = follow_ups.policy.follow_ups.nag_every
        self.nags = FollowUpNags(follow_ups.db, cards, platform, nag_every)

    async def resolve(self, incident_id: int, form: ResolveInput, *, actor: str) -> Incident:
        resolved = await self.resolution.resolve(incident_id, form, actor=actor)
        await self._after_resolve(resolved.incident, resolved.follow_ups, actor, form)
        return resolved.incident

    async def check_form(self, incident_id: int, form: ResolveInput) -> None:
        """A resolve form's inline check before it is accepted (stale after a reopen: `stale`)."""
        await self.resolution.check_form(incident_id, form)

    async def resolved_by_edit(self, incident: Incident, *, actor: str) -> None:
        """`/incident edit` set the status to resolved: the same consequences, default wording."""
        created = await self.resolution.create_follow_ups(incident.id, actor=actor)
        if created is not None:  # None: another task (a sweep after a crash) took them on
            await self._after_resolve(incident, created, actor, form=None)

    async def owed_follow_ups(self, now: datetime) -> int:
        """Run by a sweep: finish resolutions by edit that a crash interrupted before their
        follow-ups were created (each once: the intent is settled with the creation)."""
        owed = await self.resolution.owed_follow_ups(now)
        for incident_id, actor in owed:
            log.info("creating the follow-ups owed by incident %s", incident_id)
            try:
                await self.resolved_by_edit(await self.setup.incidents.get(incident_id), actor=actor)
            except (DomainError, PlatformError):
                log.exception("follow-ups owed by incident %s failed; the next sweep retries", incident_id)
        return len(owed)

    def resolve_prefill(self, incident: Incident) -> tuple[dict[str, str], datetime]:
        """The resolve form's texts and when the customer impact began (bot/resolution/retelling.py)."""
        values = {"customer_text": self.messages.facts_for(incident, Stage.RESOLVED).resolution}
        return values | resolve_prefill(incident), retold(incident).started_at

    async def review_prefill(self, incident: Incident) -> dict[str, str]:
        """The RCA form's window, summary and impact (see bot/resolution/retelling.py)."""
        return review_prefill(incident, await self.messages.drafts.latest_facts(incident.id))

    async def reopen(self, incident_id: int, *, actor: str) -> Incident:
        incident = await self.resolution.reopen(incident_id, actor=actor)
        await self.setup.refresh_intro(incident)
        await self._post(incident, self.cards.reopened(incident, actor))
        return incident

    async def _after_resolve(
        self, incident: Incident, created: list[FollowUp], actor: str, form: ResolveInput | None
    ) -> None:
        await self.reminders.close_for(incident.id)
        await self.setup.refresh_intro(incident)
        await self._post(incident, self.cards.resolved(incident, actor, created))
        previous = await self.messages.drafts.latest_facts(incident.id)
        facts = self.messages.facts_for(incident, Stage.RESOLVED, previous)
        if form is not None and form.customer_text:
            facts = replace(facts, resolution=form.customer_text)
        facts = as_resolved(
            facts,
            incident,
            started_at=form.started_at if form else None,
            what_happened=form.what_happened if form else "",
            impact=form.impact if form else "",
        )
        await self.messages.draft(
            incident,
            Stage.RESOLVED,
            AudienceKind.CUSTOMER,
            "customers",
            facts,
            author=actor,
            permission=Action.RESOLVE,
        )
        for item in created:
            await self._tell(item.owner_id, self.cards.assigned(incident, item))

    # ---- follow-ups ----------------------------------------------------------------------------
    async def complete(
        self, item_id: int, *, actor: str, notes: str = "", rca: RcaInput | None = None
    ) -> None:
        """Complete an item; completing the RCA drafts the post-incident message for customers."""
        changed = await self.follow_ups.complete(item_id, actor=actor, notes=rca.notes if rca else notes)
        incident = changed.incident
        await self._post(incident, self.cards.completed(incident, changed.item, actor))
        if rca is not None and is_rca(changed.item):
            previous = await self.messages.drafts.latest_facts(incident.id)
            facts = replace(
                self.messages.facts_for(incident, Stage.POST_INCIDENT, previous),
                root_cause=rca.root_cause,
                corrective_actions=rca.corrective_actions,
                preventive_measures=rca.preventive_measures,
                **{name: value for name in REVIEWED if (value := getattr(rca, name))},
            )
            await self.messages.draft(
                incident,
                Stage.POST_INCIDENT,
                AudienceKind.CUSTOMER,
                "customers",
                facts,
                author=actor,
                permission=Action.COMPLETE_FOLLOW_UP,
                owner=changed.item.owner_id,
            )

    async def reassign(
        self, item_id: int, *, owner: str, due_at: datetime, actor: str, opened: str | None = None
    ) -> None:
        changed = await self.follow_ups.reassign(
            item_id, owner=owner, due_at=due_at, actor=actor, opened=opened
        )
        await self._tell(owner, self.cards.assigned(changed.incident, changed.item))

    async def nag_due(self, now: datetime) -> int:
        """Remind the owners of overdue follow-ups (run by the cadence sweep; see bot/resolution/nags.py)."""
        return await self.nags.run(now)

    async def _post(self, incident: Incident, card: Card) -> None:
        if not incident.channel_id:
            return
        try:
            await self.platform.post(incident.channel_id, card)
        except PlatformError as error:
            log.warning("could not post to %s: %s", incident.channel_id, error.code)

    async def _tell(self, user_id: str, card: Card) -> None:
        try:
            await self.platform.tell_user(user_id, card)
        except PlatformError as error:
            log.warning("could not tell %s: %s", user_id, error.code)
