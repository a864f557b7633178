"""Per-channel pacing of posts, so the publisher works with Slack's limit instead of against it.

Slack allows about one message per second per channel. Posting faster earns a 429 whose
Retry-After (whole seconds) the client sleeps through while holding a sender. Instead, a
channel that is being posted to, or was just posted to, is "busy": the claim skips its
entries and takes another channel's, and a second post to the same channel (two messages
claimed together) waits for its turn.

The interval is counted from when Slack *answered*, not from when we sent, so network jitter
can never put two posts within the interval at Slack's end. Real (monotonic) time, not the
app clock: this is about Slack's clock, and tests move the app clock by hours.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

MAX_WAIT_SECONDS = 1.0  # re-check at least this often while waiting


class ChannelPacer:
    def __init__(self, interval: timedelta | None) -> None:
        self.interval = interval.total_seconds() if interval else 0.0
        self._reserved: Counter[str] = Counter()  # claimed posts not yet finished, per channel
        self._sending: set[str] = set()
        self._free_at: dict[str, float] = {}
        self._changed: asyncio.Event | None = None

    def busy(self) -> list[str]:
        """Channels not to claim posts for right now."""
        now = time.monotonic()
        self._free_at = {channel: at for channel, at in self._free_at.items() if at > now}
        return sorted(set(self._reserved) | set(self._free_at))

    def reserve(self, channel: str) -> None:
        """A post to `channel` was claimed (call `acquire` before sending, `release` after)."""
        self._reserved[channel] += 1

    async def acquire(self, channel: str) -> None:
        """Wait until no other post to `channel` is under way and its interval has passed."""
        while channel in self._sending or self._free_at.get(channel, 0.0) > time.monotonic():
            await self.wait()
        self._sending.add(channel)

    def release(self, channel: str, *, cool_down: bool) -> None:
        """The post is over; `cool_down` unless it certainly did not reach the channel."""
        self._sending.discard(channel)
        self._reserved[channel] -= 1
        if self._reserved[channel] <= 0:
            del self._reserved[channel]
        if self.interval and cool_down:
            self._free_at[channel] = time.monotonic() + self.interval
        if self._changed is not None:  # wake every waiter; later waiters get a fresh event
            self._changed.set()
            self._changed = None

    async def wait(self, busy: Sequence[str] = ()) -> None:
        """Until the soonest interval ends; with none running, until a post finishes.

        Not on every finished post: a post that reached its channel starts an interval, so
        waking for it would only find the channel still busy (and cost a database claim).
        Returns at once when a channel of `busy` (the list a claim skipped) is free already.
        """
        if set(busy) - set(self.busy()):
            return
        now = time.monotonic()
        soonest = min((at - now for at in self._free_at.values() if at > now), default=None)
        if soonest is not None:
            await asyncio.sleep(min(soonest, MAX_WAIT_SECONDS))
            return
        if self._changed is None:
            self._changed = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout=MAX_WAIT_SECONDS)
