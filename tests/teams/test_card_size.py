"""Cards stay inside what Teams accepts (~28 KB a message) and keep what matters."""

from __future__ import annotations

import json

from bot.chat.cards import Button, Card, CardAction, CardField, CardItem, mention
from handlers.teams.card_size import CARD_BUDGET
from handlers.teams.cards import adaptive_card, message
from tests.teams.conftest import card_validator

TEAMS_MESSAGE_LIMIT = 28_000


def size(content) -> int:
    return len(json.dumps(content, ensure_ascii=False).encode())


def shown(card) -> str:
    return json.dumps(card["body"], ensure_ascii=False)


def test_a_long_draft_is_split_over_blocks_and_shortened_but_its_checks_stay_visible():
    draft = "\n".join(f"> Line {n}: " + "payments fail for EU customers " * 8 for n in range(400))
    card = Card(
        summary="INC-1 · Update",
        title="INC-1 · Update for customers · v1",
        body=f"{draft}\n\n**Checks**\n- ❌ Estimated duration\n- 🚫 length: the draft is too long",
        fields=(CardField("Status", "⏳ Waiting for approval"),),
        buttons=(Button(CardAction.APPROVE_DRAFT, "Approve", "1:1"),),
    )

    content = adaptive_card(card, actions={CardAction.APPROVE_DRAFT})

    assert size(message(card, actions={CardAction.APPROVE_DRAFT})) < TEAMS_MESSAGE_LIMIT
    assert size(content) <= CARD_BUDGET
    assert "Estimated duration" in shown(content) and "the draft is too long" in shown(content)
    assert "shortened to fit a Teams message" in shown(content)
    assert all(len(b["text"]) <= 4000 for b in content["body"] if b["type"] == "TextBlock")
    assert content["actions"][0]["title"] == "Approve"
    if (check := card_validator()) is not None:
        check(content)


def test_a_long_list_leaves_items_out_from_the_end_and_says_how_many():
    items = tuple(
        CardItem(
            f"**INC-{n} · SEV2 · Checkout errors** " + "impact " * 60 + mention("msteams:aad-bob"),
            (Button(CardAction.DRAFT_UPDATE, "Draft update", str(n)),),
        )
        for n in range(1, 81)
    )
    card = Card(
        summary="Incident dashboard", title="Incident dashboard", body="80 live incidents", items=items
    )

    content = adaptive_card(card, actions={CardAction.DRAFT_UPDATE})

    assert size(content) <= CARD_BUDGET
    assert "INC-1 ·" in shown(content) and "INC-80 ·" not in shown(content)
    assert "more not shown here" in shown(content)
    tags = shown(content).count("<at>aad-bob</at>")
    assert len(content["msteams"]["entities"]) == tags, "one mention entity per tag still shown"


def test_a_small_card_is_left_as_it_is():
    card = Card(summary="s", title="t", body="Short.\n\nTwo paragraphs.")

    content = adaptive_card(card)

    assert [b["text"] for b in content["body"]] == ["t", "Short.\n\nTwo paragraphs."]
