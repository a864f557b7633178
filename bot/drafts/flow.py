"""The life of a message: draft → approval card → decisions → delivery → published.

Handlers call this; it coordinates the draft service, the approval card and the outbox.
"""

from __future__ import annotations

import logging

from bot.chat.cards import Card, channel_link
from bot.chat.ports import ChatPlatform, MessageRef
from bot.comms.drafting import DraftFacts, default_facts
from bot.drafts.cards import approval_card, awaiting_notice, rejected_notice
from bot.drafts.promises import follow_severity
from bot.drafts.service import DraftService
from bot.drafts.state import DraftState
from bot.enums import Action, AudienceKind, DraftStatus, Stage, Visibility
from bot.errors import PlatformError
from storage.models import Incident

log = logging.getLogger(__name__)


class MessageFlow:
    def __init__(self, drafts: DraftService, platform: ChatPlatform, publisher) -> None:
        self.drafts = drafts
        self.platform = platform
        self.publisher = publisher
        self.policy = drafts.policy

    def facts_for(self, incident: Incident, stage: Stage, previous: DraftFacts | None = None) -> DraftFacts:
        return default_facts(incident, stage, self.policy, self.drafts.clock.now(), previous=previous)

    async def draft_initial(self, incident: Incident) -> DraftState:
        """The initial customer notice, drafted as soon as the incident is declared."""
        facts = self.facts_for(incident, Stage.INITIAL)
        return await self.draft(
            incident,
            Stage.INITIAL,
            AudienceKind.CUSTOMER,
            "customers",
            facts,
            author=incident.reporter_id,
            permission=Action.DECLARE,
        )

    async def draft(
        self,
        incident: Incident,
        stage: Stage,
        kind: AudienceKind,
        key: str,
        facts: DraftFacts,
        *,
        author: str,
        permission: Action = Action.DRAFT,
        owner: str | None = None,
    ) -> DraftState:
        state = await self.drafts.create(
            incident.id, stage, kind, key, facts, author=author, permission=permission, owner=owner
        )
        if state.draft.status == DraftStatus.APPROVED:  # no approval needed (internal)
            return await self._deliver(state.draft.id)
        await self.show(state)
        return state

    async def revise(
        self, draft_id: int, facts: DraftFacts, *, author: str, based_on: int | None = None
    ) -> DraftState:
        state = await self.drafts.revise(draft_id, facts, author=author, based_on=based_on)
        await self.show(state)
        return state

    async def follow_severity(self, incident_id: int) -> None:
        """After a severity change: pending drafts promising later than the new cadence allows
        get a bot-made version with a new promise, shown on their cards (bot/drafts/promises.py)."""
        for draft_id in await follow_severity(self.drafts, incident_id):
            await self.show(await self.drafts.state(draft_id))

    async def redact(self, draft_id: int, *, author: str) -> DraftState:
        state = await self.drafts.redact_personal_data(draft_id, author=author)
        await self.show(state)
        return state

    async def approve(
        self, draft_id: int, version: int, *, approver: str, settle_now: bool = True
    ) -> DraftState:
        """Record the approval, then show it and, with the quorum reached, deliver; or leave
        that to the caller's `settle` once it has answered the click (a platform that waits)."""
        outcome = await self.drafts.approve(draft_id, version, approver=approver)
        if outcome.published:
            await self.publisher.slo.approved(draft_id, version)
            if outcome.state.draft.status == DraftStatus.PUBLISHED:  # nowhere to deliver it: done at once
                await self.publisher.slo.published(draft_id, version)
        if not settle_now:
            return outcome.state
        await self.show(outcome.state)
        return await self._deliver(draft_id) if outcome.published else outcome.state

    async def settle(self, draft_id: int) -> DraftState:
        """Show the draft's approval card as it stands; deliver it when it is approved."""
        state = await self.drafts.state(draft_id)
        if state.draft.status == DraftStatus.APPROVED:
            return await self._deliver(draft_id)  # shows the card once delivered
        await self.show(state)
        return state

    async def reject(self, draft_id: int, version: int, *, approver: str, reason: str) -> DraftState:
        state = (await self.drafts.reject(draft_id, version, approver=approver, reason=reason)).state
        await self.show(state)
        if state.incident.channel_id:
            await self.platform.post(state.incident.channel_id, rejected_notice(state, self._ref(state)))
        return state

    def approval_card(self, state: DraftState) -> Card:
        """The draft's approval card as it stands (platforms that answer a click with it)."""
        return approval_card(state, self._ref(state), self.drafts.required(state.incident))

    async def show(self, state: DraftState) -> None:
        """Post the approval card, or update it in place when it exists."""
        card = self.approval_card(state)
        draft = state.draft
        if draft.approval_ts:
            await self.platform.update(MessageRef(draft.approval_channel_id, draft.approval_ts), card)
            return
        channel = self.approvals_channel(state.incident)
        if not channel:
            log.warning("draft %s has nowhere to wait for approval (no channel)", draft.id)
            return
        ref = await self.platform.post(channel, card)
        await self.drafts.record_card(draft.id, ref.channel_id, ref.message_id)
        if state.incident.channel_id and channel != state.incident.channel_id:
            await self._notify_incident(
                state, awaiting_notice(state, self._ref(state), channel_link(channel))
            )

    def approvals_channel(self, incident: Incident) -> str | None:
        """Where a draft waits: a private incident's never in the shared approvals channel."""
        channels = self.policy.channels
        if incident.visibility == Visibility.PRIVATE:
            return channels.private_approvals or incident.channel_id
        return channels.approvals or incident.channel_id

    async def _deliver(self, draft_id: int) -> DraftState:
        await self.publisher.deliver_draft(draft_id)
        state = await self.drafts.state(draft_id)
        if state.draft.approval_ts:
            await self.show(state)
        return state

    async def _notify_incident(self, state: DraftState, card) -> None:
        try:
            await self.platform.post(state.incident.channel_id, card)
        except PlatformError:
            log.warning("could not post to incident %s's channel", state.incident.id, exc_info=True)

    def _ref(self, state: DraftState) -> str:
        return self.drafts.reference(state.incident)
