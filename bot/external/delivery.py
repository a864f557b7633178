"""Delivering approved messages by e-mail and signed webhooks: the sweep, its guarantees, its window.

Approval queues one `external_delivery` row per recipient and message in the approval
transaction (`external_enqueue`); incident state changes are queued from the audit trail
(`external_events`). `deliver_due` claims due rows atomically (`external_claims`), sends with
no transaction open — e-mail in batches over one SMTP connection, webhooks concurrently — and
records each outcome in a short transaction (`external_records`). Temporary failures are
retried with backoff; permanent ones are reported in the incident channel. The unique
constraint (event, channel, recipient) means a recipient is never queued an event twice.

Exactly once, as far as SMTP and HTTP allow. Neither has a way to ask "did you get this?",
so delivery is at-least-once, made detectable: a row is re-sent only when it was claimed and
its outcome never recorded (the sender died, or its lease ran out mid-send), and a re-send
carries the same identity — for e-mail the same `Message-ID` (stable per event and recipient),
for webhooks the same `X-Incident-Comms-Delivery` id and event `id`. What remains:

- e-mail: the server accepted the message (250 after DATA) and we died, or lost the
  connection, before recording it. The copy sent again has the same Message-ID; mail clients
  that collapse duplicates (Gmail, Outlook and others do) show it once, a plain mailbox
  shows two. Each e-mail is recorded right after its own 250, so the window is one message
  per connection, not a batch;
- webhooks: the receiver got the POST but we saw no answer (timeout, dropped connection,
  crash). The retry has the same delivery id: a receiver that dedupes on it sees it once;
- a sender whose lease ran out while it was still sending (a batch is abandoned at
  ATTEMPT_SHARE of the lease, so this needs a process stalled for the rest of it, or
  instances whose clocks disagree by more than that).
Rows are never re-sent after a recorded outcome, so a 4xx/5xx answer (nothing delivered)
never creates a duplicate.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Mapping
from datetime import timedelta

from bot.access.names import Names
from bot.chat.cards import Card
from bot.chat.ports import ChatPlatform
from bot.chat.templating import Templates
from bot.clock import Clock
from bot.config import Settings
from bot.enums import AudienceKind, OutboxStatus
from bot.external.audience import EMAIL, WEBHOOK
from bot.external.claims import claim
from bot.external.context import EventContext, load_contexts
from bot.external.email_render import EmailRenderer
from bot.external.email_smtp import SmtpMailer, SmtpUrlError, parse_smtp_url
from bot.external.enqueue import ExternalEnqueuer
from bot.external.events import queue_incident_events
from bot.external.records import Outcome, record
from bot.external.webhook_payload import payload
from bot.external.webhook_sender import WebhookSender, webhook_secrets
from bot.metrics import Metrics
from bot.policy.model import Policy, PolicyError
from bot.subscriptions.recipients import shown_recipient, unsubscribe_links
from storage.channel_models import ExternalDelivery
from storage.db import Database
from storage.models import Incident

log = logging.getLogger(__name__)
EXTERNAL_SWEEP_INTERVAL = timedelta(seconds=2)  # how often the scheduler runs `deliver_due`
ATTEMPT_SHARE = 0.75  # a batch is abandoned after this share of the lease, so leases never overlap
WEBHOOK_BATCH = 50
Result = tuple[ExternalDelivery, Outcome]


class ExternalDeliveries:
    def __init__(
        self,
        db: Database,
        platform: ChatPlatform,
        clock: Clock,
        policy: Policy,
        templates: Templates,
        reference: Callable[[Incident], str],
        *,
        mailer: SmtpMailer | None,
        webhooks: WebhookSender,
        metrics: Metrics | None = None,
        lease: timedelta = timedelta(minutes=5),
        names: Names | None = None,
    ) -> None:
        self.db, self.platform, self.clock, self.policy = db, platform, clock, policy
        self.reference, self.mailer, self.webhooks, self.lease = reference, mailer, webhooks, lease
        self.renderer = EmailRenderer(templates, policy.email, unsubscribe_links(policy))
        self.shown = shown_recipient(policy)  # subscribers are named by a hash in logs and reports
        self.metrics = metrics
        self.names = names or Names(None, None, clock, policy)  # internal e-mails name people

    async def deliver_due(self, *, limit: int = 500) -> int:
        """The scheduler's sweep: queue incident events, then send what is due; returns rows attempted."""
        if self.policy.webhooks:
            async with self.db.write() as session:
                await queue_incident_events(session, self.policy.webhooks, self.clock.now())
        counts = await asyncio.gather(self._sweep(EMAIL, limit), self._sweep(WEBHOOK, limit))
        return sum(counts)

    async def _sweep(self, channel: str, limit: int) -> int:
        size = self.policy.email.batch_size if channel == EMAIL else WEBHOOK_BATCH
        if (channel == EMAIL and self.mailer is None) or (channel == WEBHOOK and not self.policy.webhooks):
            return 0  # not configured: no write transaction every sweep
        done = 0
        while done < limit:
            batch = await self._claim(channel, min(size, limit - done))
            done += len(batch)
            if batch:
                try:
                    async with asyncio.timeout(self.lease.total_seconds() * ATTEMPT_SHARE):
                        await (self._send_emails(batch) if channel == EMAIL else self._send_webhooks(batch))
                except TimeoutError:
                    log.warning("a %s batch ran out of time; the unrecorded rest is retried later", channel)
            if len(batch) < size:
                break
        return done

    async def _internal_texts(self, contexts: dict[int, EventContext]) -> dict[int, str]:
        """Internal messages' text with people named (an e-mail renders no mention)."""
        return {
            row_id: await self.names.spelled_out(context.version.text)
            for row_id, context in contexts.items()
            if context.draft is not None
            and context.version is not None
            and context.draft.audience_kind == AudienceKind.INTERNAL
        }

    async def _claim(self, channel: str, size: int) -> list[ExternalDelivery]:
        async with self.db.write() as session:
            now = self.clock.now()
            return await claim(session, channel=channel, now=now, lease_until=now + self.lease, limit=size)

    async def _send_emails(self, batch: list[ExternalDelivery]) -> None:
        assert self.mailer is not None
        contexts = await load_contexts(self.db, batch, self.reference)
        texts = await self._internal_texts(contexts)
        messages = []
        for row in batch:
            try:
                context, now = contexts[row.id or 0], self.clock.now()
                messages.append((row, self.renderer.render(row, context, now, text=texts.get(row.id or 0))))
            except Exception as error:  # a gone draft, a broken template override …
                log.exception("cannot write the e-mail of delivery %s", row.id)
                await self._record([(row, Outcome(code="render_failed", detail=repr(error)[:300]))])

        async def report(row: ExternalDelivery, outcome: Outcome) -> None:
            at = self.clock.now() if outcome.delivered else None
            await asyncio.shield(
                self._record([(row, Outcome(outcome.code, outcome.detail, outcome.retry, at))])
            )

        await self.mailer.send_batch(messages, report)

    async def _send_webhooks(self, batch: list[ExternalDelivery]) -> None:
        contexts = await load_contexts(self.db, batch, self.reference)
        ready = [(row, contexts[row.id]) for row in batch if row.id in contexts]
        gone = [
            (row, Outcome(code="event_gone", detail="its incident or message no longer exists"))
            for row in batch
            if row.id not in contexts
        ]
        items = [(row, payload(row, context, self.policy)) for row, context in ready]
        outcomes = await self.webhooks.send_all(items)
        await self._record([*gone, *zip([row for row, _ in items], outcomes, strict=True)])

    async def _record(self, results: list[Result]) -> None:
        """Record outcomes in one short transaction, then report the permanent failures."""
        if not results:
            return
        async with self.db.write() as session:
            now = self.clock.now()
            statuses = [
                await record(session, row, outcome, now, self.policy.messages, self.shown)
                for row, outcome in results
            ]
        failed = [
            result for result, status in zip(results, statuses, strict=True) if status == OutboxStatus.FAILED
        ]
        if self.metrics is not None:
            for (row, _outcome), status in zip(results, statuses, strict=True):
                self.metrics.external_deliveries.labels(row.channel, str(status)).inc()
        for row, outcome in results:
            if not outcome.delivered and outcome.retry:
                log.info("%s delivery %s: %s; retrying later", row.channel, row.id, outcome.code)
        if failed:
            await self.report_failures(failed)

    async def report_failures(self, failed: list[Result]) -> None:
        """One card per incident in its channel: who did not get what, why, and what to check."""
        by_incident: dict[int, list[Result]] = {}
        for row, outcome in failed:
            log.warning(
                "%s delivery %s to %s failed for good: %s",
                row.channel,
                row.id,
                self.shown(row.recipient),
                outcome.code,
            )
            by_incident.setdefault(row.incident_id, []).append((row, outcome))
        for incident_id, results in by_incident.items():
            try:
                async with self.db.read() as session:
                    incident = await session.get(Incident, incident_id)
                if incident is not None and incident.channel_id:
                    await self.platform.post(
                        incident.channel_id, failure_card(self.reference(incident), results, self.shown)
                    )
            except Exception:
                log.warning("could not report failed deliveries of incident %s", incident_id, exc_info=True)


def failure_card(reference: str, results: list[Result], shown: Callable[[str], str] = str) -> Card:
    lines = []
    for row, outcome in results:
        what = f"e-mail to {shown(row.recipient)}" if row.channel == EMAIL else f"webhook `{row.recipient}`"
        tries = "attempt" if row.attempts == 1 else "attempts"
        detail = f" {outcome.detail}" if outcome.detail else ""
        lines.append(f"- {what} ({row.event}): `{outcome.code}`{detail} after {row.attempts} {tries}")
    count = len(results)
    summary = f"⚠️ {reference}: {count} e-mail/webhook {'delivery' if count == 1 else 'deliveries'} failed"
    body = (
        f"{summary}\n" + "\n".join(lines) + "\nFor e-mail, check the address in the policy's lists; for a "
        "webhook, the endpoint and its secret. The other recipients are not affected."
    )
    return Card(summary=summary, body=body)


def build_external(
    settings: Settings,
    policy: Policy,
    clock: Clock,
    db: Database,
    platform: ChatPlatform,
    templates: Templates,
    reference: Callable[[Incident], str],
    environ: Mapping[str, str] | None = None,
    metrics: Metrics | None = None,
    names: Names | None = None,
) -> tuple[ExternalEnqueuer, ExternalDeliveries]:
    """Both halves, checked against the environment: a policy that cannot be served stops start-up."""
    mailer = None
    if policy.email.enabled or policy.subscriptions.enabled:
        if not settings.smtp_url:
            raise PolicyError("email: recipients are configured but SMTP_URL is not set")
        try:
            mailer = SmtpMailer(parse_smtp_url(settings.secret("smtp_url")))
        except SmtpUrlError as error:
            raise PolicyError(str(error)) from None
    secrets = webhook_secrets(policy.webhooks, os.environ if environ is None else environ)
    sender = WebhookSender(policy.webhooks, secrets, clock)
    deliveries = ExternalDeliveries(
        db,
        platform,
        clock,
        policy,
        templates,
        reference,
        mailer=mailer,
        webhooks=sender,
        metrics=metrics,
        names=names,
    )
    return ExternalEnqueuer(policy, clock), deliveries
