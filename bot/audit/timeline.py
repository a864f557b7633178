"""The incident's timeline from its audit trail: every decision, message, reminder and follow-up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from bot.audit import trail as audit
from bot.audit.trail import AuditAction as A
from bot.chat.cards import Card, mention
from bot.chat.templating import Templates
from storage.db import Database
from storage.models import AuditEvent, Draft, Incident

MAX_ENTRIES = 200
BOT_ACTORS = {"bot", "incident-comms", "policy"}
STAGES = {
    "initial": "initial notice",
    "update": "update",
    "resolved": "resolution notice",
    "post_incident": "post-incident review",
}


FIELD_NAMES = {"what_happened": "description", "customer_impact": "customer impact"}  # else "status note"
OWN_ENTRIES = {"severity", "status"}  # changed the severity / the status: entries of their own


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: str  # "" for the bot
    text: str  # neutral Markdown


def _follow_up(details: dict) -> str:
    """By its title (ids are global, not per incident); a record without a title: by its id."""
    return f"“{details['title']}”" if details.get("title") else f"#{details.get('follow_up')}"


def _edited(changes: dict[str, Any]) -> str:
    """The fields as the edit form names them; severity and status have entries of their own
    (an edit of only those says nothing more here: "")."""
    names = [FIELD_NAMES.get(f, f.replace("_", " ")) for f in changes if f not in OWN_ENTRIES]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"edited the {listed}"


def _message(verb: str) -> Callable[[dict[str, Any], dict[int, Draft]], str]:
    def describe(d: dict[str, Any], drafts: dict[int, Draft]) -> str:
        draft = drafts.get(d.get("draft", 0))
        what = f"{STAGES.get(draft.stage, draft.stage)} for {draft.audience_key}" if draft else "a message"
        version = f" (v{d['version']})" if d.get("version") else ""
        if d.get("promise"):  # bot/drafts/promises.py: a new promise after a severity change
            due = str(d["promise"])[11:16]
            return f"moved the next update promised in the {what} to {due} UTC ({d.get('severity')}){version}"
        reason = f": “{d['reason']}”" if d.get("reason") else ""
        return f"{verb} the {what}{version}{reason}"

    return describe


DESCRIBE: dict[str, Callable[[dict[str, Any], dict[int, Draft]], str]] = {
    A.DECLARED: lambda d, _: f"declared the incident ({d.get('severity')}, {d.get('visibility')})",
    A.SEVERITY_CHANGED: lambda d, _: f"changed the severity {d.get('old')} → {d.get('new')}",
    A.STATUS_CHANGED: lambda d, _: f"changed the status {d.get('old')} → {d.get('new')}",
    A.EDITED: lambda d, _: _edited(d.get("changes", {})),
    A.CHANNEL_CREATED: lambda d, _: "set up the incident channel",
    A.SETUP_FAILED: lambda d, _: f"could not finish the channel set-up ({d.get('step')}: {d.get('code')})",
    A.MESSAGE_DRAFTED: _message("drafted"),
    A.MESSAGE_APPROVED: _message("approved"),
    A.MESSAGE_REJECTED: _message("rejected"),
    A.MESSAGE_PUBLISHED: _message("published"),
    A.MESSAGE_CORRECTED: _message("published a correction of"),
    A.DELIVERY_FAILED: lambda d, _: f"could not deliver to {d.get('target')} ({d.get('code')})",
    A.REMINDER_POSTED: lambda d, _: f"posted a reminder ({d.get('stage', '').replace('_', '-')})",
    A.REMINDER_ESCALATED: lambda d, _: "escalated the overdue update",
    A.REMINDERS_SNOOZED: lambda d, _: f"snoozed reminders until {str(d.get('until', ''))[11:16]} UTC",
    A.REMINDERS_PAUSED: lambda d, _: "paused reminders",
    A.REMINDERS_RESUMED: lambda d, _: "resumed reminders",
    A.RESOLVED: lambda d, _: f"resolved the incident: {d.get('summary', '')}",
    A.REOPENED: lambda d, _: "reopened the incident",
    A.FIRST_UPDATE_MISSED: lambda d, _: (
        f"said the first customer update missed its {d.get('severity')} target "
        f"({int(d.get('target_seconds') or 0) // 60} min)"
    ),
    A.HANDED_OVER: lambda d, _: (
        f"handed the {str(d.get('role', '')).replace('_', ' ')} role from {mention(d.get('old', ''))} "
        f"to {mention(d.get('new', ''))}"
    ),
    A.FOLLOW_UP_CREATED: lambda d, _: (
        f"created the follow-up “{d.get('title')}” for {mention(d.get('owner', ''))}"
    ),
    A.FOLLOW_UP_COMPLETED: lambda d, _: f"completed the follow-up {_follow_up(d)}",
    A.FOLLOW_UP_REASSIGNED: lambda d, _: (
        f"handed the follow-up {_follow_up(d)} to {mention(d.get('owner', ''))}"
    ),
    A.FOLLOW_UP_NAGGED: lambda d, _: (
        f"reminded {mention(d.get('owner', ''))} of the overdue follow-up {_follow_up(d)}"
    ),
    A.CHANNEL_ARCHIVED: lambda d, _: (
        f"could not archive the incident channel ({d['failed']})"
        if d.get("failed")
        else "archived the incident channel"
    ),
}
SKIPPED = {A.MESSAGE_CHECKED, A.REMINDER_FAILED, A.FOLLOW_UP_NAG_FAILED}


async def timeline(db: Database, incident_id: int) -> list[Entry]:
    async with db.read() as session:
        events = await audit.events_for(session, incident_id)
        statement = select(Draft).where(col(Draft.incident_id) == incident_id)
        drafts = {d.id: d for d in (await session.exec(statement)).all() if d.id is not None}
    return [entry for e in events if e.action not in SKIPPED and (entry := _entry(e, drafts)).text]


def _entry(event: AuditEvent, drafts: dict[int, Draft]) -> Entry:
    describe = DESCRIBE.get(event.action)
    text = describe(event.details, drafts) if describe else event.action
    actor = "" if event.actor_id in BOT_ACTORS else event.actor_id
    return Entry(event.at, actor, text)


def timeline_card(templates: Templates, incident: Incident, ref: str, entries: list[Entry]) -> Card:
    shown = entries[-MAX_ENTRIES:]
    body = templates.render("incident/timeline.md.j2", entries=shown, earlier=len(entries) - len(shown))
    return Card(summary=f"{ref} timeline ({len(entries)} events)", title=f"{ref} · timeline", body=body)
