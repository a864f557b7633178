"""File uploads, response_url posts, transcripts and view rendering of the Slack emulator."""

from __future__ import annotations

import re

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from emulator.slack import SlackEmulator
from emulator.slack.transcript import clock

from .conftest import ALICE


async def test_file_upload_v2(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    channel = emulator.add_channel("inc-8")
    response = await client.files_upload_v2(
        channel=channel, content="timeline\n10:02 declared", filename="timeline.txt", title="Timeline"
    )
    (file,) = emulator.files(channel)
    assert response["files"][0]["id"] == file.id
    assert (file.title, file.filename, file.content) == (
        "Timeline",
        "timeline.txt",
        b"timeline\n10:02 declared",
    )
    assert emulator.last_message(channel).files == [file.id]
    assert [c.method for c in emulator.calls] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]


async def test_two_step_upload_by_hand(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    channel = emulator.add_channel("inc-9")
    ticket = await client.files_getUploadURLExternal(filename="report.md", length=5)
    assert ticket["upload_url"] == f"{emulator.origin}/upload/{ticket['file_id']}"
    incomplete = client.files_completeUploadExternal(files=[{"id": ticket["file_id"]}], channel_id=channel)
    with pytest.raises(SlackApiError) as err:
        await incomplete
    assert err.value.response["error"] == "file_not_found"
    form = aiohttp.FormData()
    form.add_field("file", b"# hi\n", filename="report.md")
    async with aiohttp.ClientSession() as session, session.post(ticket["upload_url"], data=form) as resp:
        assert (resp.status, await resp.text()) == (200, "OK - 5")
    done = await client.files_completeUploadExternal(
        files=[{"id": ticket["file_id"], "title": "Report"}],
        channel_id=channel,
        initial_comment="Postmortem draft",
    )
    assert done["files"][0]["title"] == "Report"
    assert emulator.files()[0].content == b"# hi\n"
    assert emulator.last_message(channel).text == "Postmortem draft"


async def test_response_urls(emulator: SlackEmulator) -> None:
    channel = emulator.add_channel("inc-10", members=[ALICE])
    original = emulator.add_message(channel, emulator.bot_user_id, "Declare?")
    url = emulator.issue_response_url(channel, ALICE, message_ts=original)
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    async with aiohttp.ClientSession() as session:
        for body, status in [
            ({"text": "Only you can see this"}, 200),
            ({"response_type": "in_channel", "text": "Incident declared"}, 200),
            ({"replace_original": True, "text": "Declared ✔"}, 200),
            ({"text": "bad", "blocks": [section]}, 400),
        ]:
            async with session.post(url, json=body) as resp:
                assert resp.status == status, await resp.text()
        async with session.post(emulator.origin + "/response/unknown", json={"text": "x"}) as resp:
            assert resp.status == 404
    (ephemeral,) = emulator.ephemerals(channel=channel)
    assert (ephemeral.user, ephemeral.text, ephemeral.via) == (ALICE, "Only you can see this", "response_url")
    assert [m.text for m in emulator.messages(channel)] == ["Declared ✔", "Incident declared"]
    assert len(emulator.responses(url)) == 4 and emulator.responses()[0] == {"text": "Only you can see this"}


async def test_transcript(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    channel = (await client.conversations_create(name="inc-42-checkout-errors-in-eu"))["channel"]["id"]
    await client.conversations_setTopic(channel=channel, topic="SEV1 · investigating · IC <@U0ALICE>")
    fields = [
        {"type": "mrkdwn", "text": "*Severity:*\nSEV1"},
        {"type": "mrkdwn", "text": "*Status:*\ninvestigating"},
    ]
    buttons = [
        {"type": "button", "text": {"type": "plain_text", "text": label}, "action_id": label.lower()}
        for label in ("Draft update", "Edit", "Resolve")
    ]
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "INC-42 · Checkout errors in EU"}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "Payments in the EU region fail at checkout."},
        },
        {"type": "section", "fields": fields},
        {"type": "actions", "elements": buttons},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Declared by <@U0ALICE>"}]},
    ]
    ts = (await client.chat_postMessage(channel=channel, text="INC-42 declared", blocks=blocks))["ts"]
    await client.pins_add(channel=channel, timestamp=ts)
    await client.chat_postMessage(
        channel=channel, thread_ts=ts, text="See <https://status.example.com|status> &amp; <#" + channel + ">"
    )
    update = await client.chat_postMessage(channel=channel, text="Update: rolling back")
    await client.chat_update(channel=channel, ts=update["ts"], text="Update: rolled back")
    text = re.sub(r"\[\d\d:\d\d:\d\d\]", "[hh:mm:ss]", emulator.transcript(channel))
    assert text == (
        "#inc-42-checkout-errors-in-eu  (topic: SEV1 · investigating · IC @alice)\n"
        "──────────────────────────────────────────────\n"
        "[hh:mm:ss] incident-comms  📌\n"
        "  ▌ INC-42 · Checkout errors in EU\n"
        "  Payments in the EU region fail at checkout.\n"
        "  • Severity: SEV1      • Status: investigating\n"
        "  [ Draft update ]  [ Edit ]  [ Resolve ]\n"
        "  ─ Declared by @alice\n"
        "    ↳ [hh:mm:ss] incident-comms\n"
        "        See status (https://status.example.com) & #inc-42-checkout-errors-in-eu\n"
        "\n"
        "[hh:mm:ss] incident-comms (edited)\n"
        "  Update: rolled back\n"
    )
    assert clock("1732356131.000100") == "10:02:11"


async def test_render_view(emulator: SlackEmulator) -> None:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Declare incident"},
        "submit": {"type": "plain_text", "text": "Declare"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "Summary"},
                "element": {"type": "plain_text_input", "action_id": "s", "initial_value": "Checkout down"},
            },
            {
                "type": "input",
                "optional": True,
                "label": {"type": "plain_text", "text": "Severity"},
                "element": {
                    "type": "static_select",
                    "action_id": "sev",
                    "placeholder": {"type": "plain_text", "text": "Pick one"},
                    "options": [{"text": {"type": "plain_text", "text": "SEV1"}, "value": "1"}],
                },
            },
        ],
    }
    assert emulator.render_view(view) == (
        "┌─ Declare incident ────────────────────────\n"
        "│ Summary\n"
        "│ [Checkout down]\n"
        "│ Severity (optional)\n"
        "│ [select: Pick one]\n"
        "└─ [ Cancel ]  [ Declare ]\n"
    )
