"""Channels, messages, threads, metadata, history and people in the Slack emulator."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from emulator.slack import SlackEmulator

from .conftest import ALICE, BOB


async def _error(coro) -> str:
    with pytest.raises(SlackApiError) as err:
        await coro
    return err.value.response["error"]


async def test_create_channel(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    response = await client.conversations_create(name="inc-42-checkout", is_private=True)
    created = response["channel"]
    assert created["id"].startswith("C") and created["name"] == "inc-42-checkout" and created["is_private"]
    channel = emulator.channel("inc-42-checkout")
    assert channel.is_private and emulator.bot_user_id in channel.members
    assert channel.created_by == emulator.bot_user_id
    assert emulator.channel_by_name("#inc-42-checkout") is channel


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Inc-42", "invalid_name_specials"),
        ("inc 42", "invalid_name_specials"),
        ("x" * 81, "invalid_name_maxlength"),
        ("", "invalid_name_required"),
        ("--__", "invalid_name_punctuation"),
    ],
)
async def test_invalid_channel_names(client: AsyncWebClient, name: str, error: str) -> None:
    assert await _error(client.conversations_create(name=name)) == error


async def test_name_taken_includes_archived(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    channel_id = (await client.conversations_create(name="inc-1"))["channel"]["id"]
    assert await _error(client.conversations_create(name="inc-1")) == "name_taken"
    await client.conversations_archive(channel=channel_id)
    assert emulator.channel(channel_id).is_archived
    assert await _error(client.conversations_create(name="inc-1")) == "name_taken"
    assert await _error(client.chat_postMessage(channel=channel_id, text="x")) == "is_archived"


async def test_invite(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    channel = emulator.add_channel("inc-2")
    await client.conversations_invite(channel=channel, users=[ALICE, BOB])
    assert emulator.channel(channel).members == {emulator.bot_user_id, ALICE, BOB}
    assert await _error(client.conversations_invite(channel=channel, users=ALICE)) == "already_in_channel"
    assert await _error(client.conversations_invite(channel=channel, users="U0NOBODY")) == "user_not_found"
    assert (
        await _error(client.conversations_invite(channel=channel, users=emulator.bot_user_id))
        == "cant_invite_self"
    )
    assert await _error(client.conversations_invite(channel="C0MISSING", users=ALICE)) == "channel_not_found"
    outside = emulator.add_channel("elsewhere", bot_is_member=False)
    assert await _error(client.conversations_invite(channel=outside, users=ALICE)) == "not_in_channel"


async def test_post_needs_membership_but_dms_open_on_demand(
    client: AsyncWebClient, emulator: SlackEmulator
) -> None:
    outside = emulator.add_channel("elsewhere", bot_is_member=False)
    assert await _error(client.chat_postMessage(channel=outside, text="x")) == "not_in_channel"
    assert await _error(client.chat_postMessage(channel="C0MISSING", text="x")) == "channel_not_found"
    assert await _error(client.api_call("chat.postMessage", json={"channel": outside})) == "no_text"
    await client.conversations_join(channel=outside)
    await client.chat_postMessage(channel=outside, text="joined")
    dm = await client.chat_postMessage(channel=ALICE, text="psst")
    assert dm["channel"].startswith("D")
    assert emulator.last_message(ALICE).text == "psst"
    assert emulator.last_message(dm["channel"]).user == emulator.bot_user_id


async def test_message_limits(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    channel = emulator.add_channel("general")
    assert await _error(client.chat_postMessage(channel=channel, text="x" * 40_001)) == "msg_too_long"
    conflict = client.chat_postMessage(channel=channel, text="a", markdown_text="**a**")
    assert await _error(conflict) == "markdown_text_conflict"
    bad_metadata = client.chat_postMessage(channel=channel, text="a", metadata={"event_type": "x"})
    assert await _error(bad_metadata) == "invalid_metadata_schema"


async def test_metadata_round_trip(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    channel = emulator.add_channel("inc-3")
    metadata = {"event_type": "incident_declared", "event_payload": {"incident_id": 3, "severity": "SEV1"}}
    await client.chat_postMessage(channel=channel, text="declared", metadata=metadata)
    plain = await client.conversations_history(channel=channel)
    assert "metadata" not in plain["messages"][0]
    full = await client.conversations_history(channel=channel, include_all_metadata=True)
    assert full["messages"][0]["metadata"] == metadata
    assert emulator.last_message(channel).metadata == metadata


async def test_history_order_range_and_pagination(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    channel = emulator.add_channel("busy")
    stamps = [(await client.chat_postMessage(channel=channel, text=str(i)))["ts"] for i in range(5)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 5
    page = await client.conversations_history(channel=channel, limit=2)
    assert [m["text"] for m in page["messages"]] == ["4", "3"] and page["has_more"]
    texts = []
    async for part in await client.conversations_history(channel=channel, limit=2):
        texts += [m["text"] for m in part["messages"]]
    assert texts == ["4", "3", "2", "1", "0"]
    window = await client.conversations_history(channel=channel, oldest=stamps[1], latest=stamps[3])
    assert [m["text"] for m in window["messages"]] == ["2"]
    inclusive = await client.conversations_history(
        channel=channel, oldest=stamps[1], latest=stamps[3], inclusive=True
    )
    assert [m["text"] for m in inclusive["messages"]] == ["3", "2", "1"]


async def test_threads_update_delete_pins_reactions(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    channel = emulator.add_channel("inc-4", members=[ALICE])
    parent = (await client.chat_postMessage(channel=channel, text="status: investigating"))["ts"]
    await client.chat_postMessage(channel=channel, text="reply", thread_ts=parent)
    updated = await client.chat_update(channel=channel, ts=parent, text="status: mitigated")
    assert updated["message"]["edited"]
    await client.pins_add(channel=channel, timestamp=parent)
    await client.reactions_add(channel=channel, timestamp=parent, name="eyes")
    first, reply = emulator.messages(channel)
    assert (first.text, first.edited, first.pinned, first.reactions) == (
        "status: mitigated",
        True,
        True,
        {"eyes": [emulator.bot_user_id]},
    )
    assert reply.thread_ts == parent and not reply.edited
    assert await _error(client.pins_add(channel=channel, timestamp=parent)) == "already_pinned"
    history = await client.conversations_history(channel=channel)
    assert [m["text"] for m in history["messages"]] == ["status: mitigated"]
    assert history["messages"][0]["reply_count"] == 1
    human = emulator.add_message(channel, ALICE, "I'm on it")
    assert await _error(client.chat_update(channel=channel, ts=human, text="x")) == "cant_update_message"
    assert await _error(client.chat_update(channel=channel, ts="1.000001", text="x")) == "message_not_found"
    link = await client.chat_getPermalink(channel=channel, message_ts=parent)
    assert link["permalink"].endswith(f"/archives/{channel}/p{parent.replace('.', '')}")
    await client.chat_delete(channel=channel, ts=reply.ts)
    assert [m.ts for m in emulator.messages(channel)] == [parent, human]


async def test_topic_purpose_info_members_bookmarks(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    channel = emulator.add_channel("inc-5", members=[ALICE])
    await client.conversations_setTopic(channel=channel, topic="SEV2 · investigating")
    await client.conversations_setPurpose(channel=channel, purpose="Checkout errors")
    assert await _error(client.conversations_setTopic(channel=channel, topic="x" * 251)) == "too_long"
    info = await client.conversations_info(channel=channel, include_num_members=True)
    assert info["channel"]["topic"]["value"] == "SEV2 · investigating" and info["channel"]["num_members"] == 2
    assert emulator.channel(channel).purpose == "Checkout errors"
    members = await client.conversations_members(channel=channel)
    assert sorted(members["members"]) == sorted([ALICE, emulator.bot_user_id])
    bookmark = await client.bookmarks_add(
        channel_id=channel, title="Runbook", type="link", link="https://runbook"
    )
    assert bookmark["bookmark"]["title"] == "Runbook"
    assert emulator.channel(channel).bookmarks[0]["link"] == "https://runbook"


async def test_users_and_usergroups(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    emulator.add_usergroup("S0ONCALL", "oncall", [ALICE, BOB])
    assert (await client.users_info(user=ALICE))["user"]["name"] == "alice"
    assert (await client.users_lookupByEmail(email="BOB@example.com"))["user"]["id"] == BOB
    assert await _error(client.users_info(user="U0NOBODY")) == "user_not_found"
    assert await _error(client.users_lookupByEmail(email="nobody@example.com")) == "users_not_found"
    groups = await client.usergroups_list(include_users=True)
    assert groups["usergroups"][0]["handle"] == "oncall" and groups["usergroups"][0]["users"] == [ALICE, BOB]
    assert "users" not in (await client.usergroups_list())["usergroups"][0]
    assert (await client.usergroups_users_list(usergroup="S0ONCALL"))["users"] == [ALICE, BOB]
    assert await _error(client.usergroups_users_list(usergroup="S0NONE")) == "no_such_subteam"
    assert (await client.team_info())["team"]["id"] == emulator.team_id


async def test_post_ephemeral(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    channel = emulator.add_channel("inc-6", members=[ALICE])
    await client.chat_postEphemeral(channel=channel, user=ALICE, text="only you")
    assert (
        await _error(client.chat_postEphemeral(channel=channel, user=BOB, text="x")) == "user_not_in_channel"
    )
    (ephemeral,) = emulator.ephemerals(user=ALICE)
    assert (ephemeral.channel, ephemeral.text, ephemeral.via) == (channel, "only you", "chat.postEphemeral")
    assert emulator.messages(channel) == []
