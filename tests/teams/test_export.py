"""`incident export` on Teams: the plan as a file, sent privately, only to people who may see it."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.teams.driver import Reply, channel_thread, personal_chat
from handlers.teams.files import FILE_CONSENT, FILE_INFO
from tests.teams.conftest import INCIDENT_TEAM
from tests.teams.flows import declared
from tests.teams.test_commands import seed_incident
from tests.teams.test_declare import ALICE, THREAD

BOB, CAROL = "aad-bob", "aad-carol"
UNAVAILABLE = "That export is not available: the incident does not exist or is private."


def opened_chat(user: str) -> str:
    """The 1:1 chat the fake connector answers when the bot opens one with `user`."""
    return f"a:personal-{user}"


def attachments(connector, content_type: str, conversation: str | None = None) -> list[dict[str, Any]]:
    return [
        attachment
        for posted in connector.messages(conversation)
        for attachment in posted.activity.get("attachments") or []
        if attachment.get("contentType") == content_type
    ]


def last_text(connector, conversation: str) -> str:
    posted = connector.last(conversation)
    return posted.texts() or posted.activity.get("text", "")


async def plan(teams, fmt: str = "md", incident_id: int = 1) -> str:
    return await teams.core.export.render(incident_id, fmt, viewer=f"msteams:{ALICE}")


async def answer(
    teams, card: dict[str, Any], action: str = "accept", *, user: str = ALICE, context: Any = None
) -> Reply:
    """The user clicks Allow (accept) or Decline on the consent card, in their chat with the bot."""
    sent = card["content"].get(f"{action}Context") if context is None else context
    value: dict[str, Any] = {"action": action, "context": sent}
    if action == "accept":
        value["uploadInfo"] = teams.connector.files.upload_info(card["name"])
    reply = await teams.invoke(
        "fileConsent/invoke", value, user=user, conversation=opened_chat(user), conversation_type="personal"
    )
    await teams.settle()
    return reply


async def exported(teams, text: str = "incident export", *, user: str = ALICE) -> dict[str, Any]:
    """Declare INC-1 here, ask for the export; the consent card the requester gets."""
    await declared(teams)
    await teams.message(text, user=user, conversation=THREAD)
    [card] = attachments(teams.connector, FILE_CONSENT, opened_chat(user))
    return card


async def test_export_sends_the_requester_a_consent_card_in_their_personal_chat(teams, connector):
    card = await exported(teams)

    assert card["name"] == "inc-1-comms-plan.md"
    assert card["content"]["sizeInBytes"] == len((await plan(teams)).encode())
    assert "INC-1 communications plan (Markdown)" in card["content"]["description"]
    assert "do not share outside the company" in card["content"]["description"]
    assert connector.created_conversations[-1]["members"][0]["id"] == ALICE
    note = last_text(connector, THREAD)
    assert "I sent you INC-1's communications plan (Markdown) in a personal chat" in note
    assert attachments(connector, FILE_CONSENT, THREAD) == []  # the file is never offered in the channel
    assert connector.files.uploads == []


async def test_accepting_uploads_exactly_the_rendered_plan_and_posts_the_file_card(teams, connector):
    card = await exported(teams)

    reply = await answer(teams, card)

    assert reply.status == 200
    [upload] = connector.files.uploads
    document = await plan(teams)
    assert upload.text == document
    assert "INC-1 · Checkout errors in EU — communications plan" in document
    for section in ("Incident summary", "Audience", "Message timeline", "Approval flow"):
        assert f"## {section}" in document
    assert "<@msteams:" not in document and "<#msteams:" not in document  # no Slack syntax for Teams
    assert "| aad-alice |" in document and "@aad-alice" not in document  # no name known: the bare id
    size = len(upload.body)
    assert (upload.headers["Content-Length"], upload.headers["Content-Range"]) == (
        str(size),
        f"bytes 0-{size - 1}/{size}",
    )
    [info] = attachments(connector, FILE_INFO, opened_chat(ALICE))
    assert info["name"] == "inc-1-comms-plan.md"
    assert info["contentUrl"].endswith("/Documents/Applications/inc-1-comms-plan.md")
    assert info["content"]["fileType"] == "md" and info["content"]["uniqueId"].startswith("0000-unique")


async def test_the_html_export_escapes_what_people_typed(teams, connector):
    await declared(teams, title="<script>alert(1)</script> checkout down")
    await teams.message("incident export HTML", user=ALICE, conversation=THREAD)
    [card] = attachments(connector, FILE_CONSENT, opened_chat(ALICE))
    assert card["name"] == "inc-1-comms-plan.html"

    await answer(teams, card)

    [upload] = connector.files.uploads
    assert upload.text == await plan(teams, "html")
    assert upload.text.startswith("<!DOCTYPE html>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; checkout down" in upload.text
    assert "<script>alert" not in upload.text


async def test_declining_uploads_nothing_and_says_so(teams, connector):
    card = await exported(teams)

    reply = await answer(teams, card, "decline")

    assert reply.status == 200
    assert connector.files.uploads == []
    assert attachments(connector, FILE_INFO) == []
    assert "Export cancelled" in last_text(connector, opened_chat(ALICE))


async def test_a_bad_format_is_explained_and_nothing_is_offered(teams, connector):
    await declared(teams)

    await teams.message("incident export pdf", user=ALICE, conversation=THREAD)

    assert "`pdf` is not an export format; use `incident export md` or `html`." in last_text(
        connector, THREAD
    )
    assert attachments(connector, FILE_CONSENT) == []


async def test_export_outside_an_incident_conversation_is_refused(teams, connector):
    elsewhere = channel_thread("general", "1700000000099")

    await teams.message("incident export", user=ALICE, conversation=elsewhere)

    assert "not an incident channel" in last_text(connector, elsewhere)
    assert attachments(connector, FILE_CONSENT) == []


async def test_someone_who_may_not_see_a_private_incident_cannot_forge_the_consent_context(teams, connector):
    incident = await seed_incident(teams, "Payroll data exposure", private=True)

    reply = await answer(
        teams,
        {"name": "inc-1-comms-plan.md", "content": {}},
        user=BOB,
        context={"incident": incident.id, "format": "md"},
    )

    assert reply.status == 200
    assert connector.files.uploads == []
    assert UNAVAILABLE in last_text(connector, opened_chat(BOB))


async def test_a_private_incident_is_offered_only_to_members_of_its_conversation(teams, connector):
    room = channel_thread("payroll", "1700000000050")
    await seed_incident(teams, "Payroll data exposure", private=True, conversation=room)
    elsewhere = channel_thread("general", "1700000000060")

    await teams.message("incident export", user=BOB, conversation=room)  # Teams says Bob is in it
    await teams.message("incident export", user=CAROL, conversation=elsewhere)

    assert len(attachments(connector, FILE_CONSENT, opened_chat(BOB))) == 1
    assert attachments(connector, FILE_CONSENT, opened_chat(CAROL)) == []


async def test_the_owner_of_a_private_incident_run_in_their_chat_gets_the_card_right_there(teams, connector):
    chat = personal_chat(ALICE)
    await seed_incident(teams, "Payroll data exposure", private=True, conversation=chat)

    await teams.chat("export", user=ALICE)

    [card] = attachments(connector, FILE_CONSENT, chat)
    assert card["name"] == "inc-1-comms-plan.md"
    assert connector.created_conversations == []


@pytest.mark.parametrize(
    "context",
    [
        {"incident": 99, "format": "md"},
        {"incident": 2**40, "format": "md"},
        {"incident": "1 OR 1=1", "format": "md"},
        {"incident": 1, "format": "pdf"},
        "inc-1",
        [],
    ],
)
async def test_a_tampered_or_unknown_context_gets_a_clear_answer_not_a_server_error(
    teams, connector, context
):
    card = await exported(teams)

    reply = await answer(teams, card, context=context)

    assert reply.status == 200
    assert connector.files.uploads == []
    assert UNAVAILABLE in last_text(connector, opened_chat(ALICE))


async def test_a_failed_upload_is_reported_and_no_file_card_is_posted(teams, connector):
    card = await exported(teams)
    connector.files.upload_failure = 500

    reply = await answer(teams, card)

    assert reply.status == 200
    assert "Upload the file failed: `http_500`" in last_text(connector, opened_chat(ALICE))
    assert attachments(connector, FILE_INFO) == []


async def test_help_lists_export(teams, connector):
    await teams.chat("help", user=ALICE)

    assert "incident export [md|html]" in connector.last().texts()


async def test_with_graph_the_file_goes_into_the_incident_channels_files_with_a_link(graph_teams, connector):
    await declared(graph_teams)
    [channel] = connector.channels

    await graph_teams.message("incident export", user=ALICE, conversation=channel)

    [saved] = connector.files.channel_files
    assert (saved.channel_id, saved.name) == (channel, "inc-1-comms-plan.md")
    assert saved.text == await plan(graph_teams) and saved.content_type == "text/markdown"
    assert connector.files.graph_calls[0] == f"GET /v1.0/teams/{INCIDENT_TEAM}/channels/{channel}/filesFolder"
    link = connector.last(channel)
    assert "📄 INC-1 communications plan (Markdown) exported by" in link.texts()
    assert "Internal document: do not share outside the company." in link.texts()
    assert [m["mentioned"]["id"] for m in link.card["msteams"]["entities"]] == [ALICE]
    [button] = link.card["actions"]
    assert (button["type"], button["url"]) == ("Action.OpenUrl", saved.web_url)
    assert attachments(connector, FILE_CONSENT) == []


async def test_when_graph_refuses_the_file_is_offered_privately_and_the_reason_given(graph_teams, connector):
    await declared(graph_teams)
    [channel] = connector.channels
    connector.files.graph_failure = 403

    await graph_teams.message("incident export", user=ALICE, conversation=channel)

    assert connector.files.channel_files == []
    note = last_text(connector, channel)
    assert "Save to the channel's Files failed: `graph_403`" in note and "Files.ReadWrite.All" in note
    assert "in a personal chat" in note
    [card] = attachments(connector, FILE_CONSENT, opened_chat(ALICE))
    await answer(graph_teams, card)
    assert connector.files.uploads[0].text == await plan(graph_teams)


async def test_an_answer_teams_could_not_have_sent_is_refused_without_a_server_error(teams, connector):
    card = await exported(teams)

    reply = await answer(teams, card, "open")

    assert reply.status == 400
    assert connector.files.uploads == []
