"""Digest cards: every live incident, split into messages that stay inside chat limits.

A message carries at most `PER_MESSAGE` incidents in full. Past `FULL_MESSAGES` messages the
rest are listed one line each (`LINES_PER_MESSAGE` a message); past `max_messages` the
remainder is summarised by severity. So 60 or 600 live incidents never make a post fail.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.chat.cards import Card, channel_link
from bot.chat.templating import Templates
from bot.digests.data import DigestEntry
from bot.durations import format_duration
from bot.policy.model import Policy
from bot.reminders.schedule import remaining
from bot.slo.wording import summary_line

PER_MESSAGE = 12
FULL_MESSAGES = 2
LINES_PER_MESSAGE = 50
MAX_MESSAGES = 5
RESOLVED_LINES = 20
RESOLVED_WINDOW = timedelta(hours=24)
IMPACT_CHARS = 240
TITLE_CHARS = 80


def _cut(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _running(elapsed: timedelta) -> str:
    minutes = max(0, int(elapsed.total_seconds()) // 60)
    return format_duration(timedelta(minutes=minutes)) if minutes else "under a minute"


class DigestCards:
    def __init__(self, templates: Templates, policy: Policy, ref) -> None:
        self.templates, self.policy, self.ref = templates, policy, ref

    def entry(self, entry: DigestEntry, now: datetime, link: str | None) -> str:
        i = entry.incident
        return self.templates.render(
            "digest/entry.md.j2",
            **self._common(entry, now),
            permalink=link,
            running=_running(now - i.declared_at),
            channel=channel_link(i.channel_id) if i.channel_id else "no channel yet",
            impact=_cut(i.customer_impact, IMPACT_CHARS),
            last_at=entry.last_published_at,
            slo=summary_line(entry.slo) if entry.slo else "",
        )

    def line(self, entry: DigestEntry, now: datetime) -> str:
        common = self._common(entry, now)
        return self.templates.render(
            "digest/line.md.j2", **common, title=_cut(entry.incident.title, TITLE_CHARS)
        )

    def _common(self, entry: DigestEntry, now: datetime) -> dict:
        i = entry.incident
        due = i.next_update_due_at
        return {
            "i": i,
            "ref": self.ref(i),
            "due_at": due,
            "due_in": remaining(due - now) if due else "",
            "overdue": bool(due and due <= now and not i.reminders_paused),
            "paused": i.reminders_paused,
            "hold": entry.hold,
            "waiting": entry.waiting,
            "follow_ups": entry.open_follow_ups,
        }

    def digest(
        self,
        entries: list[DigestEntry],
        now: datetime,
        links: dict[int, str],
        *,
        resolved: Sequence[DigestEntry] = (),
        max_messages: int = MAX_MESSAGES,
    ) -> list[Card]:
        """The digest as one or more cards (messages), in order; recently resolved ones at the end."""
        ended = self._resolved(list(resolved[:RESOLVED_LINES])) if resolved else ""
        if not entries:
            text = f"✅ All clear: no live incidents as of {now:%H:%M UTC}."
            return [Card(summary=text, title="Incident digest", body=f"{text}\n\n{ended}".strip())]
        bodies = self._bodies(entries, now, links, max_messages)
        if ended:
            bodies[-1] += "\n\n" + ended
        overdue = sum(1 for e in entries if self._common(e, now)["overdue"])
        headline = f"{len(entries)} live incident{'s' if len(entries) != 1 else ''}"
        if overdue:
            headline += f", {overdue} with an overdue update"
        cards = []
        for n, body in enumerate(bodies, start=1):
            part = f" · part {n} of {len(bodies)}" if len(bodies) > 1 else ""
            cards.append(
                Card(
                    summary=f"Incident digest: {headline}{part}",
                    title=f"Incident digest · {headline}" if n == 1 else f"Incident digest{part}",
                    body=body,
                    context=f"As of {now:%Y-%m-%d %H:%M UTC}{part}",
                )
            )
        return cards

    def _resolved(self, entries: list[DigestEntry]) -> str:
        rows = [
            {
                **vars(e),
                "ref": self.ref(e.incident),
                "title": _cut(e.incident.title, TITLE_CHARS),
                "slo_line": summary_line(e.slo) if e.slo else "",
            }
            for e in entries
        ]
        return self.templates.render("digest/resolved.md.j2", entries=rows, window="24 hours")

    def _bodies(
        self, entries: list[DigestEntry], now: datetime, links: dict[int, str], max_messages: int
    ) -> list[str]:
        full_messages = max(1, min(FULL_MESSAGES, max_messages - 1))  # leave room for the one-line list
        full, rest = entries[: PER_MESSAGE * full_messages], entries[PER_MESSAGE * full_messages :]
        bodies = [
            "\n\n".join(self.entry(e, now, links.get(e.incident.id or 0)) for e in full[n : n + PER_MESSAGE])
            for n in range(0, len(full), PER_MESSAGE)
        ]
        room = (max_messages - len(bodies)) * LINES_PER_MESSAGE
        listed, summarised = rest[:room], rest[room:]
        for n in range(0, len(listed), LINES_PER_MESSAGE):
            bodies.append("\n".join(self.line(e, now) for e in listed[n : n + LINES_PER_MESSAGE]))
        if summarised:
            counts = Counter(e.incident.severity for e in summarised)
            by_severity = ", ".join(f"{severity} ×{count}" for severity, count in sorted(counts.items()))
            more = (
                f"…and {len(summarised)} more live incidents ({by_severity}): "
                "the bot's `list` command shows them."
            )
            bodies[-1] += "\n\n" + more
        return bodies
