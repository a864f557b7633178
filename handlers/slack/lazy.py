"""Running listener work after the ack: tracked, guarded, and reported to the user on failure.

Bolt starts lazy listeners as bare tasks that are cancelled at shutdown and whose errors
log one line. We swap in a runner that hands them to the app's TaskTracker (awaited on
shutdown), and wrap every body so a failure is logged with context and the user is told.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from slack_bolt.lazy_listener.async_internals import to_runnable_function
from slack_bolt.lazy_listener.async_runner import AsyncLazyListenerRunner
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.background import TaskTracker
from bot.cards import Card
from bot.errors import DomainError, PlatformError
from bot.services import Core
from handlers.slack.blocks.card import message_payload

log = logging.getLogger(__name__)
Handler = Callable[..., Awaitable[None]]


class TrackedLazyListenerRunner(AsyncLazyListenerRunner):
    def __init__(self, tracker: TaskTracker, logger: logging.Logger) -> None:
        self.tracker = tracker
        self.logger = logger

    def start(self, function: Callable[..., Awaitable[None]], request: AsyncBoltRequest) -> None:
        name = getattr(getattr(function, "args", [None])[0], "__name__", "listener")
        coro = to_runnable_function(internal_func=function, logger=self.logger, request=request)
        self.tracker.spawn(coro, name=f"slack:{name}")


def lazy(core: Core, handler: Handler) -> Callable[..., Awaitable[None]]:
    """A lazy listener that calls `handler(core, body, client, respond)` under the guard."""
    return partial(_guarded, handler, core)


async def _guarded(handler: Handler, core: Core, body: dict[str, Any], client: Any, respond: Any) -> None:
    try:
        await handler(core, body, client, respond)
    except DomainError as error:
        await _tell(core, body, respond, error.message)
    except PlatformError as error:
        log.warning("%s: Slack step failed: %s", handler.__name__, error)
        await _tell(core, body, respond, f"{error.step} failed: `{error.code}`. {error.fix}")
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception(
            "%s failed (reference %s, request type %s)", handler.__name__, reference, body.get("type")
        )
        core.metrics.background_failures.labels(handler.__name__).inc()
        await _tell(
            core,
            body,
            respond,
            f"Something went wrong on our side (reference `{reference}`). "
            "Nothing you entered is lost; try again or tell your incident-comms admin.",
        )


async def _tell(core: Core, body: dict[str, Any], respond: Any, text: str) -> None:
    card = Card(summary=text, body=text)
    try:
        if respond is not None and body.get("response_url"):
            await respond(response_type="ephemeral", replace_original=False, **message_payload(card))
            return
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        if user:
            await core.platform.tell_user(user, card)
    except Exception:
        log.exception("could not tell the user about a failure")
