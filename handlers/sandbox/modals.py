"""Each person's stack of open modals, as the Slack client keeps it.

A modal opens when the app calls `views.open` / `views.push` during that person's action (the
emulator records it); the answer to a `view_submission` then says what the client does next:
`errors` (shown inline), `update`, `push`, `clear`, or nothing (the modal closes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.slack import SlackEmulator


@dataclass
class Entry:
    view: dict[str, Any]
    seen: dict[str, Any] | None = None  # the emulator's stored view when we last read it
    errors: dict[str, str] = field(default_factory=dict)


class Modals:
    def __init__(self) -> None:
        self._stacks: dict[str, list[Entry]] = {}

    def adopt(self, user: str, slack: SlackEmulator, opened_before: int) -> None:
        """Views the app opened while `user`'s action ran are that person's."""
        for opened in slack.opened_views[opened_before:]:
            stack = self._stacks.setdefault(user, [])
            if not opened.view.get("previous_view_id"):
                stack.clear()
            stack.append(Entry(opened.view, opened.view))

    def top(self, user: str, slack: SlackEmulator) -> Entry | None:
        stack = self._stacks.get(user)
        if not stack:
            return None
        entry = stack[-1]
        current = slack.workspace.views.get(entry.view.get("id", ""))
        if current is not None and current is not entry.seen:  # views.update by the app
            entry.view, entry.seen, entry.errors = current, current, {}
        return entry

    def answer(self, user: str, reply: Any) -> None:
        """Apply the app's answer to a view_submission of the top modal."""
        stack = self._stacks.get(user) or []
        if not stack:
            return
        body = reply if isinstance(reply, dict) else {}
        action = body.get("response_action")
        if action == "errors":
            stack[-1].errors = {str(k): str(v) for k, v in (body.get("errors") or {}).items()}
        elif action == "update" and isinstance(body.get("view"), dict):
            old = stack[-1]
            old.view = {**body["view"], "id": old.view.get("id", ""), "state": {"values": {}}}
            old.errors = {}
        elif action == "push" and isinstance(body.get("view"), dict):
            stack.append(Entry({**body["view"], "id": "", "state": {"values": {}}}))
        elif action == "clear":
            stack.clear()
        else:
            stack.pop()

    def close(self, user: str) -> Entry | None:
        stack = self._stacks.get(user) or []
        return stack.pop() if stack else None
