"""The error every Web API handler raises to answer ``{"ok": false, "error": ...}``."""

from __future__ import annotations

from typing import Any


class SlackError(Exception):
    """A Slack Web API error: ``code`` becomes ``error``; ``extra`` is merged into the response body."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.code, **self.extra}


def invalid_arguments(*messages: str) -> SlackError:
    """Slack's generic argument error, with human-readable details in ``response_metadata.messages``."""
    return SlackError("invalid_arguments", response_metadata={"messages": list(messages)})
