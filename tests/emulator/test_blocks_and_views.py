"""Block Kit limits (own checks and the public schema), modals, triggers and the App Home in the emulator."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from emulator.slack import SlackEmulator

from .conftest import ALICE


def _section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def _modal(title: str = "Declare incident", **extra: Any) -> dict[str, Any]:
    element = {"type": "plain_text_input", "action_id": "value"}
    return {
        "type": "modal",
        "callback_id": "declare",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Declare"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "summary",
                "label": {"type": "plain_text", "text": "Summary"},
                "element": element,
            }
        ],
        **extra,
    }


async def _rejected(coro) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as err:
        await coro
    return err.value.response.data


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
            "blocks[0].text.text: must be at most 150",
        ),
        ([_section(str(i)) for i in range(51)], "blocks: must have at most 50 items (got 51)"),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
            "blocks[0].fields: must have at most 10",
        ),
        (
            [_section("a", block_id="same"), _section("b", block_id="same")],
            "blocks[1].block_id: duplicate block_id",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [{"type": "button", "text": {"type": "plain_text", "text": "b" * 76}}],
                }
            ],
            "blocks[0].elements[0].text.text: must be at most 75",
        ),
    ],
)
async def test_block_limits_are_enforced(
    client: AsyncWebClient, emulator: SlackEmulator, blocks, expected
) -> None:
    channel = emulator.add_channel("general")
    body = await _rejected(client.chat_postMessage(channel=channel, text="fallback", blocks=blocks))
    assert body["error"] == "invalid_blocks"
    assert any(e.startswith(expected) for e in body["errors"]), body["errors"]
    assert emulator.messages(channel) == []
    assert emulator.calls_to("chat.postMessage")[-1].error == "invalid_blocks"


async def test_fifty_blocks_are_fine_and_update_is_checked_too(
    client: AsyncWebClient, emulator: SlackEmulator
) -> None:
    channel = emulator.add_channel("general")
    ts = (
        await client.chat_postMessage(
            channel=channel, text="ok", blocks=[_section(str(i)) for i in range(50)]
        )
    )["ts"]
    header = [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]
    assert (await _rejected(client.chat_update(channel=channel, ts=ts, text="h", blocks=header)))[
        "error"
    ] == "invalid_blocks"
    assert not emulator.last_message(channel).edited


async def test_schema_layer_is_active_when_specs_exist(
    client: AsyncWebClient, emulator: SlackEmulator
) -> None:
    if not emulator.schema_validation:
        pytest.skip("spec files not available")
    channel = emulator.add_channel("general")
    # Only the JSON schema knows `section` has no `colour` property; our own limit checks do not.
    body = await _rejected(
        client.chat_postMessage(channel=channel, text="x", blocks=[_section("hi", colour="red")])
    )
    assert body["errors"] == ["blocks[0]: Additional properties are not allowed ('colour' was unexpected)"]


async def test_without_specs_own_limits_still_apply(tmp_path: Path) -> None:
    async with SlackEmulator(specs_dir=tmp_path / "missing") as emu:
        assert not emu.schema_validation
        client = AsyncWebClient(token=emu.bot_token, base_url=emu.api_url)
        channel = emu.add_channel("general")
        await client.chat_postMessage(channel=channel, text="x", blocks=[_section("hi", colour="red")])
        header = [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]
        assert (await _rejected(client.chat_postMessage(channel=channel, text="x", blocks=header)))[
            "error"
        ] == ("invalid_blocks")
        emu.remove_scope("chat:write")
        assert (await _rejected(client.chat_postMessage(channel=channel, text="x")))["needed"] == "chat:write"


async def test_modal_limits(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    too_long = await _rejected(
        client.views_open(trigger_id=emulator.issue_trigger_id(), view=_modal("x" * 25))
    )
    assert too_long["error"] == "invalid_arguments"
    assert too_long["response_metadata"]["messages"] == [
        "view.title.text: must be at most 24 characters (got 25)"
    ]
    no_submit = {k: v for k, v in _modal().items() if k != "submit"}
    body = await _rejected(client.views_open(trigger_id=emulator.issue_trigger_id(), view=no_submit))
    assert body["response_metadata"]["messages"] == [
        "view.submit: is required when the view has an input block"
    ]
    big = _modal(private_metadata="m" * 3001)
    body = await _rejected(client.views_open(trigger_id=emulator.issue_trigger_id(), view=big))
    assert body["response_metadata"]["messages"][0].startswith("view.private_metadata: must be at most 3000")
    assert emulator.opened_views == []


async def test_trigger_ids(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    trigger = emulator.issue_trigger_id(user=ALICE)
    opened = await client.views_open(trigger_id=trigger, view=_modal())
    view = opened["view"]
    assert view["id"].startswith("V") and view["hash"] and view["state"] == {"values": {}}
    assert view["callback_id"] == "declare" and view["team_id"] == emulator.team_id
    assert (await _rejected(client.views_open(trigger_id=trigger, view=_modal())))[
        "error"
    ] == "expired_trigger_id"
    assert (await _rejected(client.views_open(trigger_id="1.2.bogus", view=_modal())))[
        "error"
    ] == "invalid_trigger_id"
    missing = await _rejected(client.api_call("views.open", json={"view": _modal()}))
    assert missing["error"] == "invalid_arguments"
    emulator.trigger_ttl = 0.05
    stale = emulator.issue_trigger_id()
    await asyncio.sleep(0.1)
    assert (await _rejected(client.views_open(trigger_id=stale, view=_modal())))[
        "error"
    ] == "expired_trigger_id"
    (record,) = emulator.opened_views
    assert (record.view_id, record.trigger_id, record.user) == (view["id"], trigger, ALICE)


async def test_lenient_triggers() -> None:
    async with SlackEmulator(strict_triggers=False) as emu:
        client = AsyncWebClient(token=emu.bot_token, base_url=emu.api_url)
        await client.views_open(trigger_id="made-up", view=_modal())
        assert len(emu.opened_views) == 1


async def test_update_push_and_publish(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    opened = (
        await client.views_open(trigger_id=emulator.issue_trigger_id(), view=_modal(external_id="inc-7"))
    )["view"]
    changed = _modal("Declared", external_id="inc-7")
    updated = (await client.views_update(view_id=opened["id"], hash=opened["hash"], view=changed))["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    assert emulator.view(opened["id"])["title"]["text"] == "Declared"
    assert emulator.opened_views[0].view["title"]["text"] == "Declared"
    stale = client.views_update(view_id=opened["id"], hash=opened["hash"], view=changed)
    assert (await _rejected(stale))["error"] == "hash_conflict"
    assert (await _rejected(client.views_update(view_id="V0NONE", view=changed)))["error"] == "not_found"
    await client.views_update(external_id="inc-7", view=_modal("By external id", external_id="inc-7"))
    assert emulator.view(opened["id"])["title"]["text"] == "By external id"
    pushed = (await client.views_push(trigger_id=emulator.issue_trigger_id(), view=_modal("Step 2")))["view"]
    assert pushed["previous_view_id"] == opened["id"] and len(emulator.opened_views) == 2
    home = {
        "type": "home",
        "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "Open incidents"}}],
    }
    published = (await client.views_publish(user_id=ALICE, view=home))["view"]
    assert emulator.home_views[ALICE]["id"] == published["id"]
    not_home = await _rejected(client.views_publish(user_id=ALICE, view=_modal()))
    assert not_home["error"] == "invalid_arguments"
