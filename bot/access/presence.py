"""Where the platform says a request came from: its user and conversation, both verified.

The edges set it once per request (a signed Slack payload's channel, a Teams activity's
conversation); the role check reads it, so someone acting from the incident's own channel
is a member of it without asking the platform. Unset (a handler that forgets), the check
asks the platform instead: forgetting costs a lookup, never grants anything.
"""

from __future__ import annotations

from contextvars import ContextVar

_came_from: ContextVar[tuple[str, str] | None] = ContextVar("came_from", default=None)


def request_from(user_id: str, conversation_id: str | None) -> None:
    """Record, for the rest of this request (and the work it spawns), where it came from."""
    _came_from.set((user_id, conversation_id) if user_id and conversation_id else None)


def came_from() -> tuple[str, str] | None:
    """(user id, conversation id) of the request being handled, if the edge said."""
    return _came_from.get()
