"""Where each form the bot opened was opened from, so its submission keeps that channel.

A view submission names no channel. The command or click that opened the form did, verified
by its signature; remembering it per view id lets the permission check count the submitter
as a member of the channel they typed in. Kept in the process only: after a restart (or on
another instance) the check asks Slack instead, which is slower but grants nothing more.
"""

from __future__ import annotations

from collections import OrderedDict

from bot.access.presence import came_from

REMEMBERED = 10_000  # open forms at once; the oldest are forgotten first


class ViewOrigins:
    def __init__(self) -> None:
        self._by_view: OrderedDict[str, tuple[str, str]] = OrderedDict()

    def opened(self, view_id: str) -> None:
        if (seen := came_from()) is None or not view_id:
            return
        self._by_view[view_id] = seen
        while len(self._by_view) > REMEMBERED:
            self._by_view.popitem(last=False)

    def of(self, view_id: str, user_id: str) -> str | None:
        """The channel `user_id` opened this view from, if this process opened it for them."""
        seen = self._by_view.get(view_id)
        return seen[1] if seen and seen[0] == user_id else None
