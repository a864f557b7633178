"""Limit checks of Block Kit composition objects and interactive elements (used by :mod:`limits`)."""

from __future__ import annotations

from typing import Any

_OPTION_LIMITS = {"overflow": 5, "checkboxes": 10, "radio_buttons": 10}
_PLACEHOLDER_ELEMENTS = frozenset(
    [
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
        "datepicker",
        "timepicker",
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
    ]
)


class Check:
    """Collects ``"<path>: <message>"`` errors while walking a payload."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.block_ids: set[str] = set()

    def err(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def length(self, value: Any, path: str, max_len: int, *, min_len: int = 0) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.err(path, f"must be a string (got {type(value).__name__})")
        elif len(value) > max_len:
            self.err(path, f"must be at most {max_len} characters (got {len(value)})")
        elif len(value) < min_len:
            self.err(path, "must not be empty" if min_len == 1 else f"must be at least {min_len} characters")

    def text(self, obj: Any, path: str, max_len: int, *, plain: bool = False, required: bool = True) -> None:
        """A text composition object: ``{"type": "plain_text"|"mrkdwn", "text": ...}``."""
        if obj is None:
            if required:
                self.err(path, "is required")
            return
        allowed = ("plain_text",) if plain else ("plain_text", "mrkdwn")
        if not isinstance(obj, dict) or obj.get("type") not in allowed:
            self.err(f"{path}.type", f"must be {' or '.join(allowed)}")
            return
        if plain and "verbatim" in obj:
            self.err(f"{path}.verbatim", "is not allowed on plain_text")
        if obj.get("type") == "mrkdwn" and "emoji" in obj:
            self.err(f"{path}.emoji", "is not allowed on mrkdwn")
        self.length(obj.get("text"), f"{path}.text", max_len, min_len=1)
        if obj.get("text") is None:
            self.err(f"{path}.text", "is required")

    def items(self, value: Any, path: str, max_items: int, *, min_items: int = 1) -> list[Any]:
        if not isinstance(value, list):
            self.err(path, "must be an array")
            return []
        if len(value) > max_items:
            self.err(path, f"must have at most {max_items} items (got {len(value)})")
        elif len(value) < min_items:
            self.err(path, f"must have at least {min_items} items (got {len(value)})")
        return value

    def block_id(self, block: dict[str, Any], path: str) -> None:
        block_id = block.get("block_id")
        if block_id is None:
            return
        self.length(block_id, f"{path}.block_id", 255, min_len=1)
        if block_id in self.block_ids:
            self.err(f"{path}.block_id", f"duplicate block_id {block_id!r}")
        self.block_ids.add(block_id)


def check_image(check: Check, block: dict[str, Any], path: str) -> None:
    if not block.get("image_url") and not block.get("slack_file"):
        check.err(path, "must have image_url or slack_file")
    check.length(block.get("image_url"), f"{path}.image_url", 3000)
    check.length(block.get("alt_text"), f"{path}.alt_text", 2000, min_len=1)
    if block.get("alt_text") is None:
        check.err(f"{path}.alt_text", "is required")
    if block.get("type") == "image" and "title" in block:
        check.text(block.get("title"), f"{path}.title", 2000, plain=True)


def check_element(check: Check, element: Any, path: str, action_ids: set[str]) -> None:
    if not isinstance(element, dict) or not isinstance(element.get("type"), str):
        check.err(path, "must be an element object with a type")
        return
    action_id = element.get("action_id")
    if action_id is not None:
        check.length(action_id, f"{path}.action_id", 255, min_len=1)
        if action_id in action_ids:
            check.err(f"{path}.action_id", f"duplicate action_id {action_id!r} in this block")
        action_ids.add(action_id)
    kind = element["type"]
    if kind == "button":
        _button(check, element, path)
    elif kind == "image":
        check_image(check, element, path)
    if kind in _PLACEHOLDER_ELEMENTS:
        check.text(element.get("placeholder"), f"{path}.placeholder", 150, plain=True, required=False)
    if "options" in element or "option_groups" in element:
        _options(check, element, path)
    if kind == "plain_text_input":
        _plain_text_input(check, element, path)
    if "confirm" in element:
        _confirm(check, element["confirm"], f"{path}.confirm")


def _button(check: Check, element: dict[str, Any], path: str) -> None:
    check.text(element.get("text"), f"{path}.text", 75, plain=True)
    check.length(element.get("value"), f"{path}.value", 2000, min_len=1)
    check.length(element.get("url"), f"{path}.url", 3000)
    check.length(element.get("accessibility_label"), f"{path}.accessibility_label", 75)
    if element.get("style") not in (None, "primary", "danger"):
        check.err(f"{path}.style", "must be primary or danger")


def _options(check: Check, element: dict[str, Any], path: str) -> None:
    kind = element["type"]
    max_options = _OPTION_LIMITS.get(kind, 100)
    plain = kind not in ("checkboxes", "radio_buttons")
    if "options" in element:
        for i, option in enumerate(check.items(element["options"], f"{path}.options", max_options)):
            _option(check, option, f"{path}.options[{i}]", plain)
    for g, group in enumerate(
        check.items(element.get("option_groups", []), f"{path}.option_groups", 100, min_items=0)
    ):
        gpath = f"{path}.option_groups[{g}]"
        check.text(group.get("label") if isinstance(group, dict) else None, f"{gpath}.label", 75, plain=True)
        options = group.get("options") if isinstance(group, dict) else None
        for i, option in enumerate(check.items(options, f"{gpath}.options", 100)):
            _option(check, option, f"{gpath}.options[{i}]", plain)


def _option(check: Check, option: Any, path: str, plain: bool) -> None:
    if not isinstance(option, dict):
        check.err(path, "must be an option object")
        return
    check.text(option.get("text"), f"{path}.text", 75, plain=plain)
    check.length(option.get("value"), f"{path}.value", 150, min_len=1)
    check.text(option.get("description"), f"{path}.description", 75, plain=plain, required=False)
    check.length(option.get("url"), f"{path}.url", 3000)


def _plain_text_input(check: Check, element: dict[str, Any], path: str) -> None:
    for key, low in (("max_length", 1), ("min_length", 0)):
        value = element.get(key)
        if value is not None and (not isinstance(value, int) or not low <= value <= 3000):
            check.err(f"{path}.{key}", f"must be an integer between {low} and 3000 (got {value!r})")
    check.length(element.get("initial_value"), f"{path}.initial_value", 3000)


def _confirm(check: Check, confirm: Any, path: str) -> None:
    if not isinstance(confirm, dict):
        check.err(path, "must be a confirmation dialog object")
        return
    check.text(confirm.get("title"), f"{path}.title", 100, plain=True)
    check.text(confirm.get("text"), f"{path}.text", 300)
    check.text(confirm.get("confirm"), f"{path}.confirm", 30, plain=True)
    check.text(confirm.get("deny"), f"{path}.deny", 30, plain=True)
