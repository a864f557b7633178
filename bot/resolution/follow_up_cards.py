"""Cards of the resolution and follow-up flow: resolved notice, follow-up list, nags, hand-overs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.chat.cards import Button, ButtonStyle, Card, CardAction, CardItem, channel_link, mention
from bot.chat.templating import Templates
from bot.durations import format_duration
from bot.enums import FollowUpStatus
from bot.resolution.follow_up_plan import title_of
from storage.models import FollowUp, Incident


class FollowUpCards:
    def __init__(self, templates: Templates, ref) -> None:
        self.templates, self.ref = templates, ref

    def resolved(self, incident: Incident, actor: str, items: Sequence[FollowUp]) -> Card:
        ref = self.ref(incident)
        lasted = (incident.resolved_at or incident.declared_at) - incident.declared_at
        body = self.templates.render(
            "resolution/resolved.md.j2",
            ref=ref,
            incident=incident,
            actor=actor,
            lasted=format_duration(lasted),
            items=[_titled(i) for i in items],
        )
        return Card(summary=f"{ref} is resolved", body=body)

    def reopened(self, incident: Incident, actor: str) -> Card:
        text = (
            f"↩️ {self.ref(incident)} was reopened by {mention(actor)}. Update reminders are back on; "
            f"the next customer update is due {incident.next_update_due_at:%H:%M UTC}."
        )
        return Card(summary=f"{self.ref(incident)} reopened", body=text)

    def listing(self, incident: Incident, items: Sequence[FollowUp], now: datetime) -> Card:
        ref = self.ref(incident)
        if not items:
            text = f"{ref} has no follow-up items (they are created when it is resolved)."
            return Card(summary=text, body=text)
        open_count = sum(1 for i in items if i.status == FollowUpStatus.OPEN)
        return Card(
            summary=f"{ref} follow-up: {open_count} open of {len(items)}",
            title=f"{ref} · follow-up ({open_count} open)",
            items=tuple(CardItem(self._line(i, now), self._buttons(i)) for i in items),
        )

    def nag(self, incident: Incident, item: FollowUp) -> Card:
        body = self.templates.render(
            "resolution/nag.md.j2",
            item=item,
            title=title_of(item.kind, item.subject),
            ref=self.ref(incident),
            incident=incident,
        )
        return Card(
            summary=f"⚠️ Overdue follow-up for {self.ref(incident)}", body=body, buttons=self._buttons(item)
        )

    def assigned(self, incident: Incident, item: FollowUp) -> Card:
        channel = channel_link(incident.channel_id) if incident.channel_id else ""
        body = self.templates.render(
            "resolution/assigned.md.j2",
            item=item,
            title=title_of(item.kind, item.subject),
            ref=self.ref(incident),
            incident=incident,
            channel=channel,
        )
        return Card(
            summary=f"You own a follow-up for {self.ref(incident)}", body=body, buttons=self._buttons(item)
        )

    def completed(self, incident: Incident, item: FollowUp, actor: str) -> Card:
        title = title_of(item.kind, item.subject)
        text = f"✅ {mention(actor)} completed **{title}** for {self.ref(incident)}."
        if item.notes:
            text += f"\n_Notes:_ {item.notes}"
        return Card(summary=f"{title} complete", body=text)

    def _line(self, item: FollowUp, now: datetime) -> str:
        overdue = item.status == FollowUpStatus.OPEN and item.due_at < now
        return self.templates.render(
            "resolution/follow_up.md.j2", item=item, title=title_of(item.kind, item.subject), overdue=overdue
        )

    def _buttons(self, item: FollowUp) -> tuple[Button, ...]:
        if item.status == FollowUpStatus.COMPLETE:
            return ()
        value = str(item.id)
        return (
            Button(CardAction.COMPLETE_FOLLOW_UP, "Complete", value, ButtonStyle.PRIMARY),
            Button(CardAction.CHANGE_FOLLOW_UP, "Reassign / due date", value),
        )


def _titled(item: FollowUp) -> dict:
    return {"title": title_of(item.kind, item.subject), "owner_id": item.owner_id, "due_at": item.due_at}
