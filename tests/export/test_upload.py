"""`/incident export`: the plan uploaded with Slack's two-step file upload API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.errors import PlatformError
from bot.metrics import Metrics
from handlers.slack.client import build_client
from handlers.slack.gateway import SlackGateway
from tests.conftest import ALICE, BOB, CAROL, GENERAL
from tests.export.conftest import approval_card, exporter
from tests.slack.flows import channel_of, declare

UPLOAD_STEPS = ["files.getUploadURLExternal", "files.completeUploadExternal"]


def file_calls(slack) -> list[str]:
    return [c.method for c in slack.calls if c.method.startswith("files.")]


def note(slack, user: str = ALICE) -> str:
    shown = slack.ephemerals(user=user)[-1]
    return f"{shown.text} {shown.blocks}"


@pytest.fixture
async def gateway(slack) -> AsyncIterator[SlackGateway]:
    client = build_client(slack.bot_token, slack.api_url, Metrics())
    await client.open_session()
    yield SlackGateway(client, Metrics())
    await client.close_session()


async def test_the_gateway_uploads_in_two_steps_and_shares_the_file(gateway, slack):
    content = "# INC-7 — plan\n\nÜmlauts and dashes – count as bytes.\n"
    title, comment = "INC-7 communications plan", "**Plan** for <@x>"

    await gateway.upload_file(GENERAL, "inc-7-comms-plan.md", content, title=title, comment=comment)

    assert file_calls(slack) == UPLOAD_STEPS
    [shared] = slack.files(GENERAL)
    assert shared.filename == "inc-7-comms-plan.md" and shared.title == "INC-7 communications plan"
    assert shared.content.decode("utf-8") == content
    assert slack.calls_to("files.getUploadURLExternal")[0].args["length"] == len(content.encode("utf-8"))
    message = slack.messages(GENERAL)[-1]
    assert message.files == [shared.id]
    assert message.text == "*Plan* for &lt;@x&gt;"  # the comment is escaped like every message


async def test_slack_refusing_the_upload_becomes_a_platform_error_with_a_fix(gateway, slack):
    slack.remove_scope("files:write")

    with pytest.raises(PlatformError) as refused:
        await gateway.upload_file(GENERAL, "plan.md", "text", title="Plan")

    assert refused.value.step == "Upload file" and refused.value.code == "missing_scope"
    assert "`files:write`" in refused.value.fix
    assert slack.files(GENERAL) == []


async def test_export_uploads_the_markdown_plan_to_the_incident_channel(bot, slack):
    await declare(bot, commander=BOB, comms_owner=CAROL, named_accounts="Acme Corp")
    await bot.click(approval_card(slack), "draft_approve", user=BOB)
    channel = channel_of(bot).id

    await bot.command("export", user=ALICE, channel=channel)

    assert file_calls(slack) == UPLOAD_STEPS
    [shared] = slack.files(channel)
    assert shared.filename == "inc-1-comms-plan.md" and shared.title == "INC-1 communications plan"
    assert shared.content.decode("utf-8") == await exporter(bot).render(1, "md")
    assert "confidential accounts (Acme Corp)" in shared.content.decode("utf-8")
    comment = slack.messages(channel)[-1]
    assert comment.files == [shared.id]
    assert comment.text.startswith(f"📄 INC-1 communications plan (Markdown), exported by <@{ALICE}>.")


async def test_export_html_uploads_an_html_document(bot, slack):
    await declare(bot)
    channel = channel_of(bot).id

    await bot.command("export HTML", user=ALICE, channel=channel)

    [shared] = slack.files(channel)
    assert shared.filename == "inc-1-comms-plan.html"
    assert shared.content.decode("utf-8").startswith("<!DOCTYPE html>")


async def test_an_unknown_format_is_explained_and_nothing_is_uploaded(bot, slack):
    await declare(bot)

    await bot.command("export pdf", user=ALICE, channel=channel_of(bot).id)

    assert "`pdf` is not an export format" in note(slack)
    assert file_calls(slack) == []


async def test_export_outside_an_incident_channel_is_refused(bot, slack):
    await bot.command("export", user=ALICE, channel=GENERAL)

    assert "not an incident channel" in note(slack)
    assert file_calls(slack) == []


async def test_a_refused_upload_is_reported_with_its_fix(bot, slack):
    await declare(bot)
    slack.fail_next("files.completeUploadExternal", "not_in_channel")

    await bot.command("export", user=ALICE, channel=channel_of(bot).id)

    assert "Upload file failed: `not_in_channel`" in note(slack) and "/invite @incident-comms" in note(slack)
