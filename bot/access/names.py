"""People's names for the surfaces that cannot render a mention: files, channel topics, e-mails.

A name comes from the person record (`[people.<name>] name` in the policy), else from the
platform's profile, else it is the id itself. Names are cached for `NAMES_FOR`, so an export
with fifty rows asks the platform once per person.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from cachetools import TTLCache

from bot.access.people import People, canonical
from bot.chat.cards import MENTION_PATTERN
from bot.chat.ports import ChatPlatform
from bot.clock import Clock
from bot.errors import PlatformError
from bot.policy.model import Policy

log = logging.getLogger(__name__)
NAMES_FOR = timedelta(minutes=10)
NAMES_CACHED = 10_000


class Names:
    def __init__(
        self, people: People | None, platform: ChatPlatform | None, clock: Clock, policy: Policy | None = None
    ) -> None:
        """Without people and a platform (the operator's command line) only the `policy`'s person
        records name anyone."""
        self.people, self.platform, self.policy = people, platform, policy
        self._cache: TTLCache[str, str] = TTLCache(
            NAMES_CACHED, NAMES_FOR.total_seconds(), timer=lambda: clock.now().timestamp()
        )

    async def of(self, user_id: str) -> str:
        if not user_id:
            return ""
        if (cached := self._cache.get(user_id)) is not None:
            return cached
        try:
            name = await self._look_up(user_id)
        except PlatformError as error:  # unnamed this time (not remembered): the id reads in its place
            log.info("no name for a person this time (%s)", error.code)
            return _bare(user_id)
        self._cache[user_id] = name
        return name

    async def table(self, user_ids: Iterable[str]) -> dict[str, str]:
        return {user_id: await self.of(user_id) for user_id in dict.fromkeys(user_ids) if user_id}

    async def spelled_out(self, text: str) -> str:
        """`text` with every person's mention marker replaced by their name (channels stay)."""
        names = await self.table(m.group(2) for m in MENTION_PATTERN.finditer(text) if not m.group(1))
        return with_names(text, names)

    async def _look_up(self, user_id: str) -> str:
        person = await self.people.of(user_id) if self.people is not None else None
        if person is not None and person.name:
            return person.name
        if self.people is None and self.policy is not None:
            listed = (e.name for e in self.policy.people.named.values() if canonical(user_id) in e.ids)
            if name := next(listed, ""):
                return name
        named = await self.platform.display_name(user_id) if self.platform is not None else None
        return named or _bare(user_id)


def with_names(text: str, names: dict[str, str]) -> str:
    """Person markers whose id `names` knows, as the name; everything else unchanged."""

    def named(match) -> str:
        return match.group(0) if match.group(1) else names.get(match.group(2), match.group(0))

    return MENTION_PATTERN.sub(named, text)


def _bare(user_id: str) -> str:
    """An id without its platform prefix (`msteams:ab12` → `ab12`)."""
    return user_id.partition(":")[2] if ":" in user_id else user_id
