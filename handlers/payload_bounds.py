"""Bounds every inbound payload must keep, checked before any parser or handler walks it.

Both edges (Slack, Teams) check a decoded body here first: hostile JSON nested thousands of
levels deep or carrying megabyte strings is a 400 before pydantic, Bolt, the Teams SDK or a
listener recurses into it. The walk itself is iterative.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 48  # Block Kit and Adaptive Cards nest about a dozen levels deep; nothing real comes near
MAX_STRING = 60_000  # Slack's largest field (a message's text) is 40,000 characters; Teams' about 28 KB
MAX_ITEMS = 1_000  # a view has at most 100 blocks; a select at most 100 options


def within_bounds(value: Any) -> bool:
    """Depth, string and list sizes, checked without recursion."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(item, str):
            if len(item) > MAX_STRING:
                return False
        elif isinstance(item, dict):
            if len(item) > MAX_ITEMS:
                return False
            for key, child in item.items():
                if len(key) > MAX_STRING:
                    return False
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            if len(item) > MAX_ITEMS:
                return False
            stack.extend((child, depth + 1) for child in item)
    return True
