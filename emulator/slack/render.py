"""Block Kit blocks rendered as readable plain-text lines (used by transcripts and view rendering)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .textfmt import display_text, plain_field
from .workspace import Workspace

_SELECTS = ("select", "multi_")


def text_of(obj: Any, ws: Workspace) -> str:
    """A text object (or bare string) as display text."""
    if isinstance(obj, str):
        return display_text(obj, ws)
    if not isinstance(obj, dict):
        return ""
    text = str(obj.get("text", ""))
    return text if obj.get("type") == "plain_text" else display_text(text, ws)


def render_blocks(blocks: list[Any], ws: Workspace) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        renderer = _BLOCKS.get(str(block.get("type")))
        lines += renderer(block, ws) if renderer else [f"[{block.get('type')} block]"]
    return lines


def render_element(element: Any, ws: Workspace) -> str:
    if not isinstance(element, dict):
        return ""
    kind = str(element.get("type", ""))
    if kind in ("button", "workflow_button"):
        return f"[ {text_of(element.get('text'), ws)} ]"
    if kind == "overflow":
        return "[ ⋯ ]"
    if kind in ("checkboxes", "radio_buttons"):
        return _choices(element, ws)
    if kind in ("datepicker", "timepicker", "datetimepicker"):
        value = element.get("initial_date") or element.get("initial_time") or element.get("initial_date_time")
        return f"[{kind[:-6]}: {value or text_of(element.get('placeholder'), ws)}]"
    if kind.endswith("select") or kind.startswith(_SELECTS):
        return f"[select: {_select_value(element, ws)}]"
    if kind.endswith("input"):
        value = element.get("initial_value")
        return f"[{value}]" if value else "[____]"
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    return f"[{kind}]"


def _select_value(element: dict[str, Any], ws: Workspace) -> str:
    initial = element.get("initial_option")
    if isinstance(initial, dict):
        return text_of(initial.get("text"), ws)
    options = element.get("initial_options")
    if isinstance(options, list) and options:
        return ", ".join(text_of(o.get("text"), ws) for o in options if isinstance(o, dict))
    for key, prefix in (("initial_user", "@"), ("initial_conversation", "#"), ("initial_channel", "#")):
        if element.get(key):
            ref = element[key]
            return prefix + (ws.display_name(ref) if prefix == "@" else _channel_name(ref, ws))
    return text_of(element.get("placeholder"), ws) or "…"


def _channel_name(ref: str, ws: Workspace) -> str:
    channel = ws.channels.get(ref)
    return channel.name if channel else ref


def _choices(element: dict[str, Any], ws: Workspace) -> str:
    radio = element["type"] == "radio_buttons"
    initial = element.get("initial_options") or (
        [element["initial_option"]] if element.get("initial_option") else []
    )
    chosen = {o.get("value") for o in initial if isinstance(o, dict)}
    marks = ("◉", "◯") if radio else ("☑", "☐")
    parts = [
        f"{marks[0] if o.get('value') in chosen else marks[1]} {text_of(o.get('text'), ws)}"
        for o in element.get("options", [])
        if isinstance(o, dict)
    ]
    return "  ".join(parts)


def _section(block: dict[str, Any], ws: Workspace) -> list[str]:
    lines = text_of(block.get("text"), ws).split("\n") if block.get("text") else []
    fields = [plain_field(text_of(f, ws)) for f in block.get("fields", []) if isinstance(f, dict)]
    if fields:
        width = max(len(f) for f in fields[::2]) + 2 + 6
        for i in range(0, len(fields), 2):
            pair = [f"• {f}" for f in fields[i : i + 2]]
            lines.append(pair[0].ljust(width) + pair[1] if len(pair) == 2 else pair[0])
    if block.get("accessory"):
        lines.append(render_element(block["accessory"], ws))
    return lines


def _header(block: dict[str, Any], ws: Workspace) -> list[str]:
    return [f"▌ {text_of(block.get('text'), ws)}"]


def _context(block: dict[str, Any], ws: Workspace) -> list[str]:
    parts = [
        text_of(e, ws) for e in block.get("elements", []) if isinstance(e, dict) and e.get("type") != "image"
    ]
    return ["─ " + "  ".join(p for p in parts if p)]


def _divider(block: dict[str, Any], ws: Workspace) -> list[str]:
    return ["─" * 30]


def _actions(block: dict[str, Any], ws: Workspace) -> list[str]:
    return ["  ".join(render_element(e, ws) for e in block.get("elements", []))]


def _input(block: dict[str, Any], ws: Workspace) -> list[str]:
    label = text_of(block.get("label"), ws) + (" (optional)" if block.get("optional") else "")
    lines = [label, render_element(block.get("element"), ws)]
    if block.get("hint"):
        lines.append(f"({text_of(block['hint'], ws)})")
    return lines


def _image(block: dict[str, Any], ws: Workspace) -> list[str]:
    title = text_of(block.get("title"), ws)
    return [f"[image: {block.get('alt_text', '')}]" + (f" {title}" if title else "")]


def _markdown(block: dict[str, Any], ws: Workspace) -> list[str]:
    return display_text(str(block.get("text", "")), ws).split("\n")


def _rich_text(block: dict[str, Any], ws: Workspace) -> list[str]:
    lines: list[str] = []
    for element in block.get("elements", []):
        lines += _rich_element(element, ws)
    return lines


def _rich_element(element: dict[str, Any], ws: Workspace) -> list[str]:
    kind = element.get("type")
    if kind == "rich_text_list":
        ordered = element.get("style") == "ordered"
        items = [_leaves(e.get("elements", []), ws) for e in element.get("elements", [])]
        return [f"{i + 1}. {t}" if ordered else f"• {t}" for i, t in enumerate(items)]
    text = _leaves(element.get("elements", []), ws)
    if kind == "rich_text_preformatted":
        return ["```", *text.split("\n"), "```"]
    if kind == "rich_text_quote":
        return [f"> {line}" for line in text.split("\n")]
    return text.split("\n")


def _leaves(leaves: list[Any], ws: Workspace) -> str:
    out = []
    for leaf in leaves:
        kind = leaf.get("type")
        if kind == "text":
            out.append(str(leaf.get("text", "")))
        elif kind == "link":
            out.append(f"{leaf['text']} ({leaf.get('url')})" if leaf.get("text") else str(leaf.get("url")))
        elif kind == "user":
            out.append("@" + ws.display_name(str(leaf.get("user_id"))))
        elif kind == "channel":
            out.append("#" + _channel_name(str(leaf.get("channel_id")), ws))
        elif kind == "emoji":
            out.append(f":{leaf.get('name')}:")
        elif kind == "usergroup":
            group = ws.usergroups.get(str(leaf.get("usergroup_id")))
            out.append("@" + (group.handle if group else str(leaf.get("usergroup_id"))))
        elif kind == "broadcast":
            out.append("@" + str(leaf.get("range")))
    return "".join(out)


_BLOCKS: dict[str, Callable[[dict[str, Any], Workspace], list[str]]] = {
    "section": _section,
    "header": _header,
    "context": _context,
    "divider": _divider,
    "actions": _actions,
    "input": _input,
    "image": _image,
    "markdown": _markdown,
    "rich_text": _rich_text,
}
