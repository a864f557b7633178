"""Answer Slack first, then do the work in a tracked background task.

Bolt's lazy listeners deep-copy every request (context and per-request client included)
on the ack path (~1 ms), cannot share a pooled HTTP session, are cancelled mid-way at
shutdown and log failures as one line. Instead each listener acks and hands the parsed
body to the app's TaskTracker: no copy, awaited on shutdown, failures logged with
context and reported to the user. Work is only started when the ack accepted the request.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.access.presence import request_from
from bot.chat.cards import Card
from bot.errors import DomainError, Invalid, PlatformError, apology
from bot.services.core import Core
from handlers.slack.gateway import SlackGateway

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Slack:
    """What a Slack handler works with: the core services and the Slack gateway."""

    core: Core
    gateway: SlackGateway


Handler = Callable[[Slack, dict[str, Any]], Awaitable[None]]


def ack_then(slack: Slack, handler: Handler) -> Callable[..., Awaitable[None]]:
    """A Bolt listener that acks at once and runs `handler(slack, body)` afterwards."""

    async def listener(ack, body: dict[str, Any]) -> None:
        await ack()
        start(slack, handler, body)

    return listener


def start(slack: Slack, handler: Handler, body: dict[str, Any]) -> None:
    # A slash command can only be typed where its user is a member; a button in a public
    # channel can be clicked by anyone previewing it, so a click proves nothing (Slack is asked).
    user = user_of(body)
    channel = body.get("channel_id") if body.get("command") else None
    if body.get("type") == "view_submission":
        channel = slack.gateway.origins.of(str((body.get("view") or {}).get("id") or ""), user)
    request_from(user, channel)
    slack.core.tracker.spawn(_guarded(slack, handler, body), name=f"slack:{handler.__name__}")


async def _guarded(slack: Slack, handler: Handler, body: dict[str, Any]) -> None:
    try:
        await handler(slack, body)
    except DomainError as error:
        await tell(slack, body, error.message)
    except PlatformError as error:
        log.warning("%s: Slack step failed: %s", handler.__name__, error)
        await tell(slack, body, f"{error.step} failed: `{error.code}`. {error.fix}")
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception(
            "%s failed (reference %s, payload type %s)", handler.__name__, reference, body.get("type")
        )
        slack.core.metrics.background_failures.labels(handler.__name__).inc()
        await tell(slack, body, apology(reference))


def user_of(body: dict[str, Any]) -> str:
    return body.get("user_id") or (body.get("user") or {}).get("id") or ""


async def tell(slack: Slack, body: dict[str, Any], text: str) -> None:
    """A private note to whoever sent the request: via its response URL, else by DM."""
    try:
        await slack.gateway.tell_user(
            user_of(body), Card(summary=text, body=text), reply_url=body.get("response_url")
        )
    except Exception:
        log.exception("could not tell the user about a failure")


Submitted = Callable[[Slack, dict[str, Any], Any], Awaitable[None]]


def validated(slack: Slack, check: Callable[[Slack, dict[str, Any]], Any], handler: Submitted):
    """Parse the form once, inside the ack: inline errors when it is invalid; otherwise ack and
    run `handler(slack, body, form)` after the ack with the very value that was validated.

    The after-ack work runs in our own tracked task (not a Bolt lazy listener), so the parsed
    value is handed over as it is: parsing again later could read another `now` and refuse
    what the ack accepted, when the user can no longer be answered inline."""

    async def listener(ack, body: dict[str, Any]) -> None:
        try:
            form = check(slack, body)
            if inspect.isawaitable(form):  # a check that reads the database (a stale form)
                form = await form
        except Invalid as invalid:
            await ack(response_action="errors", errors=invalid.fields)
            return
        await ack()

        async def submitted(slack: Slack, body: dict[str, Any]) -> None:
            await handler(slack, body, form)

        submitted.__name__ = handler.__name__
        start(slack, submitted, body)

    return listener
