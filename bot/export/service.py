"""The communications plan as one document: Markdown, HTML (from templates) or JSON.

Cells are neutral text in which people and channels are mention markers (`bot.chat.cards`);
people are named before rendering (`naming.named`: a file cannot render a mention, and the JSON
keeps each owner's id beside the name); each format's `cell` filter escapes the user text and
writes the channel markers in its own syntax.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from jinja2 import BaseLoader, Environment, StrictUndefined

from bot.access.names import Names
from bot.audit.trail import AuditAction
from bot.chat import links
from bot.chat.cards import channel_link, mention
from bot.chat.templating import Templates
from bot.clock import Clock, SystemClock
from bot.drafts.cards import STAGE_LABELS, audience_label
from bot.enums import Action, DraftStatus, FollowUpStatus, IncidentStatus, OutboxAction, Stage
from bot.errors import NotFound
from bot.export.cells import fence, html_cell, md_cell, slack_syntax
from bot.export.data import COMPLETE, OPEN, Metadata, Plan, PlanData, Row, Section, load_plan_data
from bot.export.naming import named
from bot.export.sections import at, audience_rows, cell_text, communication_rows, done, summary_rows
from bot.policy.model import Policy
from bot.resolution.follow_up_plan import title_of
from storage.db import Database
from storage.models import Incident

Format = Literal["md", "html", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "json")
CHAT_FORMATS: dict[str, Format] = {"": "md", "md": "md", "markdown": "md", "html": "html"}  # as typed
FORMAT_NAMES: dict[str, str] = {"md": "Markdown", "html": "HTML", "json": "JSON"}
IN_FORCE = "In force"
DRAFT_STATUS = {
    DraftStatus.PENDING.value: "Waiting for approval",
    DraftStatus.APPROVED.value: "Publishing",
    DraftStatus.PUBLISHED.value: "Published",
    DraftStatus.REJECTED.value: "Rejected",
}
STAGE_ORDER = {stage.value: n for n, stage in enumerate(Stage)}


class PlanExport:
    """Renders an incident's communications plan; templates come from `message_templates/export/`."""

    def __init__(
        self,
        db: Database,
        policy: Policy,
        templates: Templates,
        ref: Callable[[Incident], str],
        access=None,
        clock: Clock | None = None,
        names: Names | None = None,
    ) -> None:
        """Without `access` (the operator's command line) every plan may be rendered; without
        `names` people are named from the person records only."""
        self.db, self.policy, self.ref, self.access = db, policy, ref, access
        self.clock = clock or SystemClock()
        self.names = names or Names(None, None, self.clock, policy)
        loader = templates.env.loader
        assert loader is not None
        self._envs = {"md": _environment(loader, html=False), "html": _environment(loader, html=True)}

    def filename(self, incident: Incident, fmt: Format) -> str:
        """`inc-42-comms-plan.md`"""
        return f"{self.ref(incident).lower()}-comms-plan.{fmt}"

    async def plan(self, incident_id: int) -> Plan:
        in_range = 0 < incident_id < 2**31  # a larger number is no id (and PostgreSQL would refuse it)
        data = await load_plan_data(self.db, self.policy, incident_id, self.clock.now()) if in_range else None
        if data is None:
            raise NotFound(f"There is no incident {self.policy.incident.number_prefix}-{incident_id}.")
        return build_plan(data, self.ref(data.incident))

    async def render(self, incident_id: int, fmt: Format, *, viewer: str | None = None) -> str:
        """The plan as a document, for a `viewer` who may export it."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        plan = await self.plan(incident_id)
        if self.access is not None:
            async with self.db.read() as session:
                incident = await session.get(Incident, incident_id)
            await self.access.require(viewer or "", Action.EXPORT, incident)
        plan = await named(plan, self.names)
        if fmt == "json":
            return json.dumps(as_json(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return self._envs[fmt].get_template(f"export/plan.{fmt}.j2").render(plan=plan).strip() + "\n"


def _environment(loader: BaseLoader, *, html: bool) -> Environment:
    """Markdown: text escaped for table cells. HTML: autoescape on, so user text is always escaped."""
    env = Environment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    cell = html_cell if html else md_cell
    env.filters.update(
        cell=cell,
        fence=fence,
        as_sent=lambda text: slack_syntax(links.plain(text)),
    )
    return env


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def as_json(value: Any) -> Any:
    """The plan as plain data: ISO-8601 UTC times, people and channels in Slack's syntax."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return slack_syntax(links.plain(value)) if isinstance(value, str) else value


# ---- the plan's sections ----------------------------------------------------------------------
def build_plan(data: PlanData, ref: str) -> Plan:
    incident = data.incident
    owner = incident.comms_owner_id or incident.commander_id or incident.reporter_id
    accounts = ", ".join(cell_text(a) for a in incident.named_accounts)
    names = f"it names confidential accounts ({accounts}); " if accounts else ""
    builders = (
        ("summary", "Incident summary", summary_rows),
        ("audience", "Audience", audience_rows),
        ("timeline", "Message timeline", timeline_rows),
        ("templates", "Templates", template_rows),
        ("approval_flow", "Approval flow", approval_rows),
        ("communication", "How we communicated", communication_rows),
        ("follow_up", "Post-incident follow-up", follow_up_rows),
    )
    return Plan(
        ref=ref,
        title=cell_text(incident.title),
        notice=f"Internal document: {names}do not share outside the company.",
        metadata=Metadata(owner, incident.version, incident.declared_at.astimezone(UTC).date(), data.status),
        sections=tuple(Section(key, title, tuple(rows(data, owner))) for key, title, rows in builders),
    )


def _label(draft) -> str:
    audience = audience_label(draft.audience_kind, cell_text(draft.audience_key))
    return f"{STAGE_LABELS[draft.stage]} for {audience}"


def timeline_rows(data: PlanData, owner: str) -> list[Row]:
    rows = [(d.created_at, _draft_row(data, d, owner)) for d in data.drafts]
    for reminder in data.reminders:
        who = (data.incident.commander_id if reminder.stage == "escalation" else "") or owner
        details = (
            f"For the update due {at(reminder.due_at)}; posted {at(reminder.posted_at)} "
            f"in {channel_link(reminder.channel_id)}"
        )
        item = f"Reminder: {reminder.stage.replace('_', '-')}"
        row = Row(item, details, who, reminder.status.capitalize(), times={"due": reminder.due_at})
        rows.append((reminder.created_at, row))
    due = data.incident.next_update_due_at
    if data.incident.status != IncidentStatus.RESOLVED.value and due:
        rows.append((due, Row("Next customer update", f"Due by {at(due)}", owner, OPEN, times={"due": due})))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _draft_row(data: PlanData, draft, owner: str) -> Row:
    version = draft.published_version or draft.version
    decided = [a for a in data.approvals_of(draft) if a.version == version and a.decision == "approved"]
    published = data.published_at(draft)
    parts = [f"Version {version}", f"drafted {at(draft.created_at)} by {mention(draft.author_id or owner)}"]
    if decided:
        people = ", ".join(mention(a.approver_id) for a in decided)
        parts.append(f"approved {at(max(a.at for a in decided))} by {people}")
    elif draft.published_version is not None:
        parts.append("posted without approval (policy)")
    if published:
        parts.append(f"published {at(published)}")
    copies = [d for d in data.deliveries_of(draft) if d.action == OutboxAction.POST.value]
    if copies:
        where = ", ".join(f"{channel_link(d.target)} ({at(d.delivered_at)})" for d in copies)
        parts.append(f"delivered to {where}")
    for event in data.events_of(draft, AuditAction.MESSAGE_CORRECTED):
        parts.append(f"corrected to version {event.details.get('version')} at {at(event.at)}")
    outcomes = data.events_of(draft, AuditAction.MESSAGE_PUBLISHED)
    failed = [f for e in outcomes for f in e.details.get("failed") or []]
    notes = "; ".join(f"Not delivered to {channel_link(f['target'])}: {cell_text(f['code'])}" for f in failed)
    times = {"drafted": draft.created_at, **({"published": published} if published else {})}
    status = DRAFT_STATUS.get(draft.status, draft.status.capitalize())
    return Row(_label(draft), "; ".join(parts), draft.author_id or owner, status, notes, times)


def template_rows(data: PlanData, owner: str) -> list[Row]:
    sent = sorted(
        (d for d in data.drafts if d.id in data.published),
        key=lambda d: (STAGE_ORDER.get(d.stage, 99), d.created_at, d.id),
    )
    rows = []
    for draft in sent:
        version, published = data.published[draft.id], data.published_at(draft)
        details = f"Version {version.number} as published {at(published)}; the text follows the table"
        notes = "Corrected after publication: every copy was edited in place." if version.number > 1 else ""
        times = {"published": published} if published else {}
        rows.append(
            Row(_label(draft), details, version.author_id or owner, "Published", notes, times, version.text)
        )
    return rows or [Row("Messages", "Nothing published yet.", owner, OPEN)]


def approval_rows(data: PlanData, owner: str) -> list[Row]:
    rules = data.policy
    reviewers = ", ".join(
        mention(a) if a[:1] in "UW" and a.isupper() else f"@{a.lstrip('@')}" for a in rules.approvers
    )
    internal = "need approval too" if rules.internal_needs_approval else "are posted without approval"
    needed = f"{rules.needed} approval{'' if rules.needed == 1 else 's'} for {data.incident.severity}"
    rule = (
        f"{needed} before a message to customers or a named account is published; "
        "authors cannot approve their own draft"
    )
    rows = [
        Row(
            "Reviewers", reviewers or "Nobody: set approvals.approvers in the policy", owner, done(reviewers)
        ),
        Row("Rule", rule, owner, IN_FORCE),
        Row("Internal messages", f"Internal messages {internal}", owner, IN_FORCE),
    ]
    labels = {d.id: _label(d) for d in data.drafts}
    for a in data.approvals:
        verb = "Approved" if a.decision == "approved" else "Rejected"
        details = f"{verb} version {a.version} at {at(a.at)}" + (
            f": {cell_text(a.reason)}" if a.reason else ""
        )
        item = f"Decision: {labels.get(a.draft_id, 'message')}"
        rows.append(Row(item, details, a.approver_id, verb, cell_text(a.reason), {"decided": a.at}))
    return rows


def follow_up_rows(data: PlanData, owner: str) -> list[Row]:
    rows = []
    for item in data.follow_ups:
        complete = item.status == FollowUpStatus.COMPLETE.value
        details = f"Due {at(item.due_at)}"
        if complete and item.completed_at:
            details += f"; completed {at(item.completed_at)}"
            details += f" by {mention(item.completed_by)}" if item.completed_by else ""
        times = {"due": item.due_at, **({"completed": item.completed_at} if item.completed_at else {})}
        name = title_of(item.kind, cell_text(item.subject))
        rows.append(Row(name, details, item.owner_id or owner, done(complete), cell_text(item.notes), times))
    if not rows:
        live = data.incident.status != IncidentStatus.RESOLVED.value
        details = "Created when the incident is resolved." if live else "None recorded."
        rows.append(Row("Follow-up items", details, owner, OPEN if live else COMPLETE))
    published = data.post_incident_published
    when = [data.published_at(d) for d in data.drafts if d.stage == Stage.POST_INCIDENT.value]
    details = f"Published {at(max(filter(None, when), default=None))}" if published else "Not published yet"
    rows.append(Row("Post-incident message to customers", details, owner, done(published)))
    return rows
