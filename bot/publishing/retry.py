"""What a failed delivery attempt means: retry later, give up now, and whether it may have landed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.policy.model import MessagesPolicy

# Worth another attempt: Slack or the network had a bad moment.
RETRYABLE = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "request_timeout",
        "service_unavailable",
        "timeout",
        "connection_error",
    }
)
# Retrying cannot help; a human must change something (listed for readers: unknown codes are
# treated the same way, since a request Slack refused for a reason we do not know will be
# refused again, and the incident channel should hear about it now rather than in minutes).
PERMANENT = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "missing_scope",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "msg_too_long",
        "invalid_blocks",
        "restricted_action",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
    }
)
# Refused before anything was done (Slack's 429, the Teams Bot Connector's `http_429`), so the post
# certainly did not land. Never a lookup's code: a 429 from a history or Graph read ("graph_429")
# says nothing about the post before it.
NOT_SENT = frozenset({"ratelimited", "rate_limited", "429", "http_429"})
# Set by the claim when it takes over an entry whose sender never reported back.
INTERRUPTED = "interrupted"


def is_retryable(code: str) -> bool:
    """Known transient codes, HTTP 429 and 5xx (`http_502`, `502`), and Graph's (`graph_503`…)."""
    status = code.removeprefix("http_").removeprefix("graph_")
    if status in RETRYABLE:
        return True
    return status.isdigit() and (status == "429" or status.startswith("5"))


def may_have_landed(last_error: str) -> bool:
    """After an attempt that ended like this, could the message be in the channel anyway?

    Timeouts, dropped connections, 5xx and Slack's own `internal_error`/`fatal_error` ("some
    aspect of the operation may have succeeded") are ambiguous, and so is a sender that died;
    so is a failed lookup (`graph_…`), which leaves the earlier attempt's doubt in place.
    """
    return last_error not in NOT_SENT


@dataclass(frozen=True)
class Verdict:
    give_up: bool
    next_attempt_at: datetime


def judge(code: str, attempts: int, now: datetime, messages: MessagesPolicy) -> Verdict:
    """Retry with exponential backoff (`retry_backoff` doubled per attempt) up to the policy's limit."""
    if not is_retryable(code) or attempts >= messages.max_delivery_attempts:
        return Verdict(give_up=True, next_attempt_at=now)
    delay: timedelta = messages.retry_backoff * 2 ** max(attempts - 1, 0)
    return Verdict(give_up=False, next_attempt_at=now + delay)
