"""Drafts: versions built from templates and facts, checked, then approved or rejected.

Approval is decided in one write transaction that locks the draft row, so two approvers
clicking together (or one clicking twice, or a redelivered request) publish exactly once.
Who may approve is decided before that transaction: it may need the chat platform (user
groups), and no network call ever happens inside a write transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.chat.templating import Templates
from bot.clock import Clock
from bot.comms.checks import Finding, check_draft, redact
from bot.comms.drafting import DraftFacts, render_draft
from bot.drafts.approvers import ApproverDirectory, may_approve, may_reject
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
    still_open,
)
from bot.enums import AudienceKind, DraftStatus, Stage
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
        directory: ApproverDirectory,
        enqueue: Callable[[AsyncSession, Incident, Draft], Awaitable[object]],
        reference: Callable[[Incident], str],
    ) -> None:
        self.db, self.policy, self.clock, self.templates = db, policy, clock, templates
        self.directory, self.enqueue, self.reference = directory, enqueue, reference

    def needs_approval(self, audience_kind: str) -> bool:
        return audience_kind != AudienceKind.INTERNAL or self.policy.approvals.internal_needs_approval

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
    ) -> DraftState:
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
            version = self._version(incident, draft, facts, author, number=1)
            session.add(version)
            record_drafted(session, draft, version, author, self.clock.now())
            if not self.needs_approval(audience_kind):
                await self._approve_now(session, incident, draft, approver="policy")
        return await self.state(draft.id)

    async def revise(self, draft_id: int, facts: DraftFacts, *, author: str) -> DraftState:
        """A new version (Edit, or a correction of a published message); earlier approvals no longer count."""
        async with self.db.write() as session:
            draft, incident = await locked(session, draft_id)
            if draft.status == DraftStatus.APPROVED.value:
                raise Conflict("This draft is being published; correct it once it is out.")
            draft.version += 1
            draft.status = DraftStatus.PENDING.value
            draft.next_update_at = facts.next_update_at
            draft.updated_at = self.clock.now()
            version = self._version(incident, draft, facts, author, number=draft.version)
            session.add(version)
            record_drafted(session, draft, version, author, self.clock.now())
        return await self.state(draft_id)

    async def redact_personal_data(self, draft_id: int, *, author: str) -> DraftState:
        state = await self.state(draft_id)
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
            version = self._version(incident, draft, facts, writer, number=draft.version, text=text)
            session.add(version)
            record_drafted(session, draft, version, author, self.clock.now(), redacted=len(findings))
        return await self.state(draft_id)

    # ---- deciding -----------------------------------------------------------------------------
    async def approve(self, draft_id: int, version: int, *, approver: str) -> Outcome:
        """Check who may approve `version` (aliases may need a lookup, so outside the lock), then
        decide under the draft's row lock only if that version's authors and findings are
        still the ones checked."""
        checked = await self._check_approve(draft_id, version, approver)
        async with self.db.write() as session:
            draft, incident = await locked(session, draft_id)
            still_open(draft, version)
            if await authorship(session, draft_id, version) != checked:
                raise Conflict("The draft changed meanwhile; look at its latest version.")
            draft, incident = await self._decide(session, draft_id, version, approver, APPROVED)
            count = await count_approvals(session, draft_id, version)
            published = count >= self.required(incident)
            if published:
                await self._approve_now(session, incident, draft, approver=None)
        return Outcome(await self.state(draft_id), published=published)

    async def _check_approve(self, draft_id: int, version: int, approver: str) -> Authorship:
        async with self.db.read() as session:
            checked = await authorship(session, draft_id, version)
        decision = await may_approve(
            user_id=approver, authors=checked.authors, blocking=checked.blocking, directory=self.directory
        )
        if not decision.allowed:
            raise NotAllowed(decision.reason)
        return checked

    async def reject(self, draft_id: int, version: int, *, approver: str, reason: str) -> Outcome:
        decision = await may_reject(user_id=approver, directory=self.directory)
        if not decision.allowed:
            raise NotAllowed(decision.reason)
        async with self.db.write() as session:
            draft, _incident = await self._decide(session, draft_id, version, approver, REJECTED, reason)
            draft.status = DraftStatus.REJECTED.value
        return Outcome(await self.state(draft_id))

    async def _decide(
        self,
        session: AsyncSession,
        draft_id: int,
        version: int,
        approver: str,
        decision: str,
        reason: str = "",
    ) -> tuple[Draft, Incident]:
        """Record one decision on the locked draft; the same approver twice on a version is refused."""
        draft, incident = await locked(session, draft_id)
        still_open(draft, version)
        if await decided_by(session, draft_id, version, approver):
            raise Conflict(f"You already {decision} this version.")
        now = self.clock.now()
        session.add(
            Approval(
                draft_id=draft_id,
                version=version,
                approver_id=approver,
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
    def _version(
        self,
        incident: Incident,
        draft: Draft,
        facts: DraftFacts,
        author: str,
        *,
        number: int,
        text: str | None = None,
    ) -> DraftVersion:
        account = draft.audience_key if draft.audience_kind == AudienceKind.NAMED_ACCOUNT else None
        if text is None:
            text = render_draft(
                self.templates,
                incident,
                Stage(draft.stage),
                AudienceKind(draft.audience_kind),
                facts,
                reference=self.reference(incident),
                account=account,
            )
        may_name = (
            incident.named_accounts if draft.audience_kind == AudienceKind.INTERNAL else [account or ""]
        )
        report = check_draft(
            text,
            Stage(draft.stage),
            named_accounts=incident.named_accounts,
            may_name=[n for n in may_name if n],
            rules=self.policy.checks,
        )
        blocking = report.blocking and self.needs_approval(draft.audience_kind)
        return DraftVersion(
            draft_id=draft.id,
            number=number,
            text=text,
            facts=facts.to_json(),
            checks=report.to_json(),
            blocking=blocking,
            author_id=author,
            created_at=self.clock.now(),
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
