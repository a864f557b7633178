"""What a Teams handler works with, and the tracked-task wrapper every handler runs in.

Teams wants an answer to each activity quickly (invokes within a few seconds), so the
handlers reply 200 at once and run the work as a tracked task (awaited at shutdown,
failures logged with a reference and reported in the conversation), as on Slack.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.background import BUSY, TaskTracker
from bot.chat.cards import Card
from bot.errors import DomainError, PlatformError, apology
from bot.services.core import Core
from handlers.teams.conversations import ConversationRef, Conversations
from handlers.teams.files import UploadTargets
from handlers.teams.gateway import TeamsGateway

if TYPE_CHECKING:
    from handlers.teams.graph import GraphChannels

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Teams:
    core: Core
    gateway: TeamsGateway
    conversations: Conversations
    graph: GraphChannels | None = None  # incident channels through Microsoft Graph, when configured
    uploads: UploadTargets = field(default_factory=UploadTargets)  # where a consented file may be PUT


@dataclass(frozen=True)
class Turn:
    """One inbound activity, reduced to what the handlers need (core ids only)."""

    conversation: str  # core key of the conversation (a channel thread, a group or a 1:1 chat)
    user: str  # msteams:<Entra object id>
    kind: str  # personal | channel | groupChat
    text: str = ""
    # (object id, conversation) of a sender to look up before the work, off the answer's path
    learn_first: tuple[str, ConversationRef] | None = None
    activity_id: str = ""  # the activity's own id: the idempotency key of what it asks for

    @property
    def personal(self) -> bool:
        return self.kind == "personal"


Handler = Callable[[Teams, Turn], Awaitable[None]]


def start(teams: Teams, handler: Handler, turn: Turn) -> None:
    """Run `handler` once Teams has its answer; at capacity, only tell the user to retry."""
    tracker = teams.core.tracker
    if tracker.full:
        teams.core.metrics.turned_away.labels("teams").inc()
        tracker.spawn(reply(teams, turn, BUSY), name="teams:busy")
        return
    tracker.spawn(_guarded(teams, handler, turn), name=f"teams:{handler.__name__}")


async def _guarded(teams: Teams, handler: Handler, turn: Turn) -> None:
    if turn.learn_first is not None and teams.gateway.members is not None:
        await teams.gateway.members.learn(*turn.learn_first)  # never raises
    try:
        await handler(teams, turn)
    except DomainError as error:
        await reply(teams, turn, error.message)
    except PlatformError as error:
        log.warning("%s: Teams step failed: %s", handler.__name__, error)
        await reply(teams, turn, f"{error.step} failed: `{error.code}`. {error.fix}")
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception("%s failed (reference %s)", handler.__name__, reference)
        teams.core.metrics.background_failures.labels(handler.__name__).inc()
        await reply(teams, turn, apology(reference))


def invoke_guard(answer: Callable[[str], dict[str, Any]], tracker: TaskTracker):
    """Invokes (dialogs, card buttons) are answered inside Teams' wait: an unexpected failure is
    logged with a reference and answered with it (`answer`), never a 500 nobody can read; at
    capacity the invoke is answered busy before it changes anything."""

    def wrap(handler: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[Any]]:
        @functools.wraps(handler)
        async def guarded(ctx: Any) -> Any:
            if tracker.full:
                return answer(BUSY)
            try:
                return await handler(ctx)
            except Exception:
                reference = uuid.uuid4().hex[:8]
                log.exception("%s failed (reference %s)", handler.__name__, reference)
                return answer(apology(reference))

        return guarded

    return wrap


async def reply(teams: Teams, turn: Turn, text: str) -> None:
    try:
        await teams.gateway.post(turn.conversation, Card(summary=text, body=text))
    except Exception:
        log.exception("could not tell the user about a failure")
