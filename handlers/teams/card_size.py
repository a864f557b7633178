"""Keeping an Adaptive Card inside what Teams accepts (a message of about 28 KB in all).

Long text is split over several TextBlocks rather than cut. When the card is still too big,
list items are left out from the end (with a line saying how many), then the longest text is
shortened; what an approver must see (the checks after a long draft, the status fields) is in
other blocks, so it stays. Mention entities are kept only for tags still in the text.
"""

from __future__ import annotations

import json
from typing import Any

CARD_BUDGET = 24_000  # bytes of card JSON; the rest of the ~28 KB is the activity around it
SHORTENED = "\n\n… (shortened to fit a Teams message; the full text is in the edit dialog or the export)"


def size(content: Any) -> int:
    return len(json.dumps(content, ensure_ascii=False).encode())


def split_text(text: str, limit: int) -> list[str]:
    """Paragraphs packed into pieces of at most `limit` characters (a longer one is cut up)."""
    pieces: list[str] = []
    for paragraph in text.split("\n\n"):
        while len(paragraph) > limit:
            pieces.append(paragraph[:limit])
            paragraph = paragraph[limit:]
        if pieces and len(pieces[-1]) + 2 + len(paragraph) <= limit:
            pieces[-1] += "\n\n" + paragraph
        else:
            pieces.append(paragraph)
    return [p for p in pieces if p.strip()]


def fit(card: dict[str, Any], item_groups: list[list[dict[str, Any]]], budget: int = CARD_BUDGET) -> None:
    """Shrink `card` in place until it fits; `item_groups` are its body's list items, in order."""
    left_out = 0
    while size(card) > budget and item_groups:
        dropped = item_groups.pop()
        card["body"] = [e for e in card["body"] if not any(e is d for d in dropped)]
        left_out += 1
    if left_out:
        note = f"…and {left_out} more not shown here (Teams limits a message's size)."
        card["body"].append({"type": "TextBlock", "text": note, "wrap": True, "isSubtle": True})
    while size(card) > budget:
        longest = max(_text_blocks(card), key=lambda b: len(b["text"]), default=None)
        if longest is None or len(longest["text"]) <= 2 * len(SHORTENED):
            break
        keep = max(len(longest["text"]) - (size(card) - budget) - len(SHORTENED) - 64, len(SHORTENED))
        longest["text"] = longest["text"][:keep].rstrip() + SHORTENED
    _keep_shown_mentions(card)


def _text_blocks(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in card["body"] if e.get("type") == "TextBlock" and isinstance(e.get("text"), str)]


def _keep_shown_mentions(card: dict[str, Any]) -> None:
    """Teams wants an entity for each `<at>` tag in the card, and none for a tag not there."""
    entities = card.get("msteams", {}).get("entities")
    if not entities:
        return
    shown = json.dumps(card["body"], ensure_ascii=False)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        tag = json.dumps(entity["text"], ensure_ascii=False)[1:-1]
        if shown.count(tag) > sum(1 for k in kept if k["text"] == entity["text"]):
            kept.append(entity)
    if kept:
        card["msteams"]["entities"] = kept
    else:
        del card["msteams"]["entities"]
