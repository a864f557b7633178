"""Block Kit limits checked by our own code (always on, with or without the public schema files).

Each check returns ``"<path>: <message>"`` lines, e.g. ``blocks[0].text.text: must be at most 150
characters (got 151)``. Limits follow docs.slack.dev's Block Kit reference.
"""

from __future__ import annotations

from typing import Any

from .limit_elements import Check, check_element, check_image

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
KNOWN_BLOCKS = frozenset(
    [
        "actions",
        "alert",
        "call",
        "card",
        "carousel",
        "container",
        "context",
        "context_actions",
        "data_table",
        "data_visualization",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "plan",
        "rich_text",
        "section",
        "table",
        "task_card",
        "video",
    ]
)


def check_blocks(blocks: Any, *, max_blocks: int = MESSAGE_MAX_BLOCKS, prefix: str = "blocks") -> list[str]:
    """Limits of a blocks array in a message (50 blocks) or a view (pass ``max_blocks=100``)."""
    check = Check()
    _blocks(check, blocks, prefix, max_blocks)
    return check.errors


def check_view(view: Any, prefix: str = "view") -> list[str]:
    """Limits of a modal (views.open/push/update) or a Home tab (views.publish) view."""
    check = Check()
    if not isinstance(view, dict):
        return [f"{prefix}: must be an object"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        check.err(f"{prefix}.type", "must be modal or home")
    if kind == "modal":
        check.text(view.get("title"), f"{prefix}.title", 24, plain=True)
        check.text(view.get("submit"), f"{prefix}.submit", 24, plain=True, required=False)
        check.text(view.get("close"), f"{prefix}.close", 24, plain=True, required=False)
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and not view.get("submit"):
            check.err(f"{prefix}.submit", "is required when the view has an input block")
    check.length(view.get("private_metadata"), f"{prefix}.private_metadata", 3000)
    check.length(view.get("callback_id"), f"{prefix}.callback_id", 255)
    check.length(view.get("external_id"), f"{prefix}.external_id", 255)
    if "blocks" not in view:
        check.err(f"{prefix}.blocks", "is required")
    else:
        _blocks(check, view["blocks"], f"{prefix}.blocks", VIEW_MAX_BLOCKS, min_items=0)
    return check.errors


def _blocks(check: Check, blocks: Any, prefix: str, max_blocks: int, *, min_items: int = 0) -> None:
    for index, block in enumerate(check.items(blocks, prefix, max_blocks, min_items=min_items)):
        path = f"{prefix}[{index}]"
        if not isinstance(block, dict):
            check.err(path, "must be an object")
            continue
        block_type = block.get("type")
        if block_type not in KNOWN_BLOCKS:
            check.err(f"{path}.type", f"unknown block type {block_type!r}")
            continue
        check.block_id(block, path)
        handler = _BLOCKS.get(block_type)
        if handler is not None:
            handler(check, block, path)


def _section(check: Check, block: dict[str, Any], path: str) -> None:
    if block.get("text") is None and block.get("fields") is None:
        check.err(path, "must have text or fields")
    check.text(block.get("text"), f"{path}.text", 3000, required=False)
    if "fields" in block:
        for i, field in enumerate(check.items(block["fields"], f"{path}.fields", 10)):
            check.text(field, f"{path}.fields[{i}]", 2000)
    if "accessory" in block:
        check_element(check, block["accessory"], f"{path}.accessory", set())


def _header(check: Check, block: dict[str, Any], path: str) -> None:
    check.text(block.get("text"), f"{path}.text", 150, plain=True)


def _context(check: Check, block: dict[str, Any], path: str) -> None:
    for i, element in enumerate(check.items(block.get("elements"), f"{path}.elements", 10)):
        if isinstance(element, dict) and element.get("type") == "image":
            check_image(check, element, f"{path}.elements[{i}]")
        else:
            check.text(element, f"{path}.elements[{i}]", 3000)


def _actions(check: Check, block: dict[str, Any], path: str) -> None:
    action_ids: set[str] = set()
    for i, element in enumerate(check.items(block.get("elements"), f"{path}.elements", 25)):
        check_element(check, element, f"{path}.elements[{i}]", action_ids)


def _input(check: Check, block: dict[str, Any], path: str) -> None:
    check.text(block.get("label"), f"{path}.label", 2000, plain=True)
    check.text(block.get("hint"), f"{path}.hint", 2000, plain=True, required=False)
    if block.get("element") is None:
        check.err(f"{path}.element", "is required")
    else:
        check_element(check, block["element"], f"{path}.element", set())


def _markdown(check: Check, block: dict[str, Any], path: str) -> None:
    check.length(block.get("text"), f"{path}.text", 12000, min_len=1)


def _rich_text(check: Check, block: dict[str, Any], path: str) -> None:
    check.items(block.get("elements"), f"{path}.elements", 10_000, min_items=0)


_BLOCKS = {
    "section": _section,
    "header": _header,
    "context": _context,
    "actions": _actions,
    "input": _input,
    "image": check_image,
    "markdown": _markdown,
    "rich_text": _rich_text,
}
