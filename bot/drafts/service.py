"""Drafts: versions built from templates and facts, checked, then approved or rejected.

Every entry point asks `Access.require` first (`bot/access`). Approval follows a check/do
contract: who may approve, the blocking findings and the authors are read and decided
first (people and user groups may need the chat platform, and no network call happens
inside a write transaction); then, under the draft's row lock, the version actually being
approved must still have exactly those authors and findings, so an edit racing the click
can never be approved by its own author. Two approvers clicking together (or one clicking
twice, or a redelivered request) publish exactly once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.access.guard import Access
from bot.access.people import Person
from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.chat.templating import Templates
from bot.clock import Clock
from bot.comms.checks import Finding, redact
from bot.comms.drafting import DraftFacts
from bot.drafts.approvers import refusal
from bot.drafts.promises import refuse_expired
from bot.drafts.records import record_drafted
from bot.drafts.state import (
    APPROVED,
    REJECTED,
    Authorship,
    DraftState,
    Outcome,
    authorship,
    count_approvals,
    decided_by,
    incident_of,
    latest_published_facts,
    load_state,
    locked,
    stale_draft,
    still_open,
)
from bot.drafts.versions import build_version, needs_approval
from bot.enums import Action, AudienceKind, DraftStatus, Stage
from bot.errors import Conflict, NotAllowed
from bot.policy.model import Policy
from storage.db import Database
from storage.models import Approval, Draft, DraftVersion, Incident


class DraftService:
    def __init__(
        self,
        db: Database,
        policy: Policy,
        clock: Clock,
        templates: Templates,
        access: Access,
        enqueue: Callable[[AsyncSession, Incident, Draft], Awaitable[object]],
        reference: Callable[[Incident], str],
    ) -> None:
        self.db, self.policy, self.clock, self.templates = db, policy, clock, templates
        self.access, self.enqueue, self.reference = access, enqueue, reference

    def needs_approval(self, audience_kind: str) -> bool:
        return needs_approval(self.policy, audience_kind)

    def required(self, incident: Incident) -> int:
        return self.policy.approvals.needed(incident.severity)

    # ---- writing ------------------------------------------------------------------------------
    async def create(
        self,
        incident_id: int,
        stage: Stage,
        audience_kind: AudienceKind,
        audience_key: str,
        facts: DraftFacts,
        *,
        author: str,
        permission: Action = Action.DRAFT,
        owner: str | None = None,
    ) -> DraftState:
        """A new draft by `author`, who needs `permission` (a flow that drafts as part of another
        action, e.g. the resolution notice, names that action; it is checked all the same)."""
        async with self.db.read() as session:
            current = await incident_of(session, incident_id)
        await self.access.require(author, permission, current, owner=owner)  # no session held meanwhile
        now = self.clock.now()
        async with self.db.write() as session:
            incident = await incident_of(session, incident_id)
            draft = Draft(
                incident_id=incident_id,
                stage=stage.value,
                audience_kind=audience_kind.value,
                audience_key=audience_key,
                status=DraftStatus.PENDING.value,
                author_id=author,
                next_update_at=facts.next_update_at,
                created_at=now,
                updated_at=now,
            )
            session.add(draft)
            await session.flush()
            session.add(version := self.build(incident, draft, facts, author, number=1))
            record_drafted(session, draft, version, author, now)
            if not self.needs_approval(audience_kind):
                await self._approve_now(session, incident, draft, approver="policy")
        return await self.state(draft.id)

    async def revise(
        self, draft_id: int, facts: DraftFacts, *, author: str, based_on: int | None = None
    ) -> DraftState:
        """A new version (Edit, or a correction of a published message); earlier approvals no
        longer count. `based_on`: the version the form was opened at; a newer one is refused."""
        current = await self.state(draft_id)
        published = current.draft.published_version is not None
        await self.access.require(
            author, Action.CORRECT if published else Action.EDIT_DRAFT, current.incident
        )
        async with self.db.write() as session:
            draft, incident = await locked(session, draft_id)
            if draft.status == DraftStatus.APPROVED.value:
                raise Conflict("This draft is being published; correct it once it is out.")
            if based_on is not None and draft.version != based_on:
                raise Conflict(stale_draft(based_on, draft.version))
            draft.version += 1
            draft.status = DraftStatus.PENDING.value
            draft.next_update_at = facts.next_update_at
            draft.updated_at = self.clock.now()
            version = self.build(incident, draft, facts, author, number=draft.version)
            session.add(version)
            record_drafted(session, draft, version, author, self.clock.now())
        return await self.state(draft_id)

    async def redact_personal_data(self, draft_id: int, *, author: str) -> DraftState:
        state = await self.state(draft_id)
        await self.access.require(author, Action.REDACT, state.incident)
        findings = [Finding(**f) for f in state.version.checks.get("findings", []) if f["kind"] == "pii"]
        if not findings:
            raise Conflict("There is no personal data to redact in this version.")
        text = redact(state.version.text, findings)
        facts = DraftFacts.from_json(state.version.facts)
        async with self.db.write() as session:
            draft, incident = await locked(session, draft_id)
            if draft.version != state.version.number or draft.status != DraftStatus.PENDING.value:
                raise Conflict("The draft changed meanwhile; look at its latest version.")
            draft.version += 1
            writer = state.version.author_id  # removing flagged spans writes nothing new
            version = self.build(incident, draft, facts, writer, number=draft.version, text=text)
            session.add(version)
            record_drafted(session, draft, version, author, self.clock.now(), redacted=len(findings))
        return await self.state(draft_id)

    # ---- deciding -----------------------------------------------------------------------------
    async def approve(self, draft_id: int, version: int, *, approver: str) -> Outcome:
        """Check who may approve `version` (outside the lock), then decide under the draft's row
        lock only if that version's authors and findings are still the ones checked."""
        person, checked = await self._check_approve(draft_id, version, approver)
        async with self.db.write() as session:
            draft, incident = await locked(session, draft_id)
            still_open(draft, version)
            refuse_expired(draft, self.clock.now())
            if await authorship(session, draft_id, version) != checked:
                raise Conflict("The draft changed meanwhile; look at its latest version.")
            draft, incident = await self._decide(session, draft_id, version, person, approver, APPROVED)
            count = await count_approvals(session, draft_id, version, person)
            published = count >= self.required(incident)
            if published:
                await self._approve_now(session, incident, draft, approver=None)
        return Outcome(await self.state(draft_id), published=published)

    async def _check_approve(self, draft_id: int, version: int, approver: str) -> tuple[Person, Authorship]:
        incident = (await self.state(draft_id)).incident
        async with self.db.read() as session:
            checked = await authorship(session, draft_id, version)
        person = await self.access.require(approver, Action.APPROVE, incident)
        people = self.access.people
        why = await refusal(person, authors=checked.authors, blocking=checked.blocking, people=people)
        if why:
            raise NotAllowed(why)
        return person, checked

    async def reject(self, draft_id: int, version: int, *, approver: str, reason: str) -> Outcome:
        person = await self.access.require(approver, Action.REJECT, (await self.state(draft_id)).incident)
        async with self.db.write() as session:
            draft, _incident = await self._decide(
                session, draft_id, version, person, approver, REJECTED, reason
            )
            draft.status = DraftStatus.REJECTED.value
        return Outcome(await self.state(draft_id))

    async def _decide(
        self,
        session: AsyncSession,
        draft_id: int,
        version: int,
        person: Person,
        approver: str,
        decision: str,
        reason: str = "",
    ) -> tuple[Draft, Incident]:
        """Record one decision on the locked draft; the same person twice on a version (under any
        of their ids) is refused."""
        draft, incident = await locked(session, draft_id)
        still_open(draft, version)
        if await decided_by(session, draft_id, version, person):
            raise Conflict(f"You already {decision} this version.")
        now = self.clock.now()
        session.add(
            Approval(
                draft_id=draft_id,
                version=version,
                approver_id=approver,
                person=person.key,
                decision=decision,
                reason=reason,
                at=now,
            )
        )
        await session.flush()
        action = AuditAction.MESSAGE_APPROVED if decision == APPROVED else AuditAction.MESSAGE_REJECTED
        audit.record(
            session,
            incident_id=incident.id,
            actor=approver,
            action=action,
            at=now,
            draft=draft_id,
            version=version,
            reason=reason,
            needed=self.required(incident),
        )
        return draft, incident

    async def record_card(self, draft_id: int, channel_id: str, ts: str) -> None:
        async with self.db.write() as session:
            draft = await session.get(Draft, draft_id)
            draft.approval_channel_id, draft.approval_ts = channel_id, ts

    # ---- reading ------------------------------------------------------------------------------
    async def latest_facts(self, incident_id: int, audience_key: str = "customers") -> DraftFacts | None:
        """The facts of the last published message to this audience (to prefill the next one)."""
        return await latest_published_facts(self.db, incident_id, audience_key)

    async def state(self, draft_id: int) -> DraftState:
        return await load_state(self.db, draft_id)

    # ---- helpers ------------------------------------------------------------------------------
    def build(
        self,
        incident: Incident,
        draft: Draft,
        facts: DraftFacts,
        author: str,
        *,
        number: int,
        text: str | None = None,
    ) -> DraftVersion:
        return build_version(
            self.templates,
            self.policy,
            self.reference,
            incident,
            draft,
            facts,
            author,
            now=self.clock.now(),
            number=number,
            text=text,
        )

    async def _approve_now(
        self, session: AsyncSession, incident: Incident, draft: Draft, *, approver: str | None
    ) -> None:
        draft.status = DraftStatus.APPROVED.value
        draft.updated_at = self.clock.now()
        if approver:
            audit.record(
                session,
                incident_id=incident.id,
                actor=approver,
                action=AuditAction.MESSAGE_APPROVED,
                at=self.clock.now(),
                draft=draft.id,
                version=draft.version,
                automatic=True,
            )
        await self.enqueue(session, incident, draft)
