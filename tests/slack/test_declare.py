"""A responder declares an incident with /incident and gets a ready incident channel."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from bot.audit.trail import AuditAction
from storage.models import AuditEvent, Incident
from tests.conftest import ALICE, BOB, CAROL, GENERAL, TRANSPORTS
from tests.slack.flows import DEFAULT_FORM, channel_of, declare, open_declare_form


async def incidents_in_db(bot) -> list[Incident]:
    async with bot.core.db.read() as session:
        return list((await session.exec(select(Incident))).all())


async def test_incident_command_opens_the_declare_form_prefilled_with_the_title(bot):
    reply = await bot.command("Checkout errors in EU", user=ALICE, channel=GENERAL)

    assert reply.status == 200 and reply.text == ""
    view = bot.slack.opened_views[-1].view
    assert view["callback_id"] == "incident_declare"
    title = next(b for b in view["blocks"] if b["block_id"] == "title")
    assert title["element"]["initial_value"] == "Checkout errors in EU"
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels == [
        "Title",
        "What happened",
        "Customer impact",
        "Severity",
        "Affected customer segments",
        "Named accounts",
        "Incident commander",
        "Comms owner",
        "Visibility",
    ]


async def test_severity_choices_come_from_the_policy_with_descriptions(bot):
    view = await open_declare_form(bot, "declare Database failover")

    severity = next(b for b in view["blocks"] if b["block_id"] == "severity")
    options = [o["text"]["text"] for o in severity["element"]["options"]]
    assert [o.split(" — ")[0] for o in options] == ["SEV1", "SEV2", "SEV3", "SEV4"]
    assert options[0].startswith("SEV1 — Critical")
    title = next(b for b in view["blocks"] if b["block_id"] == "title")
    assert title["element"]["initial_value"] == "Database failover"


async def test_declaring_creates_a_channel_invites_people_and_pins_the_intro(bot):
    await declare(bot, commander=BOB, comms_owner=CAROL)

    channel = channel_of(bot)
    assert channel.name == "inc-1-checkout-errors-in-eu"
    assert {ALICE, BOB, CAROL} <= channel.members
    assert "INC-1" in channel.topic and "SEV2" in channel.topic and "investigating" in channel.topic
    intro = bot.slack.messages(channel.id)[0]
    assert intro.pinned
    shown = bot.slack.transcript(channel.id)
    assert "INC-1 · Checkout errors in EU" in shown
    assert "Card payments fail at checkout" in shown and "EU region" in shown
    assert "[ Edit incident ]" in shown
    told = bot.slack.ephemerals(user=ALICE)
    assert told and "INC-1" in told[-1].text and "ready" in told[-1].text


async def test_the_incident_and_its_audit_trail_are_stored(bot):
    await declare(bot, named_accounts="Acme Corp\nGlobex")

    [incident] = await incidents_in_db(bot)
    assert (incident.title, incident.severity, incident.status) == (
        "Checkout errors in EU",
        "SEV2",
        "investigating",
    )
    assert incident.named_accounts == ["Acme Corp", "Globex"]
    assert incident.commander_id == ALICE and incident.comms_owner_id == ALICE  # default: the reporter
    async with bot.core.db.read() as session:
        actions = [e.action for e in (await session.exec(select(AuditEvent))).all()]
    assert AuditAction.DECLARED in actions and AuditAction.CHANNEL_CREATED in actions


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_missing_fields_are_answered_inline_in_the_form(bot, slack):
    view = await open_declare_form(bot, "")

    reply = await bot.submit(view, {"title": "", "what_happened": "  ", "segments": []}, user=ALICE)

    answer = reply.json()
    assert reply.status == 200 and answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"title", "what_happened", "customer_impact", "segments"}
    assert slack.calls_to("conversations.create") == []
    assert await incidents_in_db(bot) == []


async def test_too_long_title_is_answered_inline(bot):
    view = await open_declare_form(bot)

    reply = await bot.submit(view, {**DEFAULT_FORM, "title": "x" * 121}, user=ALICE)

    assert reply.json() == {
        "response_action": "errors",
        "errors": {"title": "Keep this under 120 characters (it has 121)."},
    }


async def test_a_severity_outside_the_policy_is_refused_inline(bot):
    view = await open_declare_form(bot)
    view["blocks"][3]["element"]["options"].append(
        {"text": {"type": "plain_text", "text": "SEV0"}, "value": "SEV0"}
    )

    reply = await bot.submit(view, {**DEFAULT_FORM, "severity": "SEV0"}, user=ALICE)

    assert reply.json()["errors"] == {"severity": "Choose a severity (SEV1, SEV2, SEV3, SEV4)."}


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_redelivered_submission_creates_one_incident_and_one_channel(bot, slack):
    view = await open_declare_form(bot)

    await bot.submit(view, DEFAULT_FORM, user=ALICE)
    await bot.submit(view, DEFAULT_FORM, user=ALICE)

    assert len(await incidents_in_db(bot)) == 1
    assert len([c for c in slack.calls_to("conversations.create") if c.ok]) == 1


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_concurrent_double_submit_creates_one_incident(bot, slack):
    view = await open_declare_form(bot)

    await asyncio.gather(*(bot.submit(view, DEFAULT_FORM, user=ALICE, settle=False) for _ in range(5)))
    await bot.settle()

    assert len(await incidents_in_db(bot)) == 1
    assert len([c for c in slack.calls_to("conversations.create") if c.ok]) == 1
    assert len(slack.calls_to("pins.add")) == 1  # one intro
    assert len(slack.calls_to("chat.postMessage")) == 2  # the intro and the initial notice's approval card


async def test_a_taken_channel_name_gets_a_suffix(bot, slack):
    slack.add_channel("inc-1-checkout-errors-in-eu", bot_is_member=False)

    await declare(bot)

    assert channel_of(bot).name == "inc-1-checkout-errors-in-eu-2"


async def test_slack_failure_keeps_the_incident_and_tells_the_reporter_how_to_fix_it(bot, slack):
    slack.remove_scope("channels:manage")
    slack.remove_scope("groups:write")

    await declare(bot)

    [incident] = await incidents_in_db(bot)
    assert incident.channel_id is None
    note = str(slack.ephemerals(user=ALICE)[-1].blocks)
    assert "INC-1" in note and "recorded" in note
    assert "missing_scope" in note and "scope" in note and "reinstall" in note


async def test_rate_limited_channel_creation_is_retried(bot, slack):
    slack.rate_limit_next("conversations.create", retry_after=1, times=2)

    await declare(bot)

    assert channel_of(bot).name == "inc-1-checkout-errors-in-eu"


async def test_typed_broadcasts_never_ping_anyone(bot, slack):
    await declare(bot, "Outage <!channel> @here", what_happened="See <!everyone> and <@UBOB>")

    intro = slack.messages(channel_of(bot).id)[0]
    parsed_by_slack = [intro.text, *mrkdwn_texts(intro.blocks)]  # plain_text is never parsed for mentions
    for text in parsed_by_slack:
        assert "<!channel>" not in text and "<!everyone>" not in text and "<@UBOB>" not in text
    assert any("&lt;!channel&gt;" in text for text in parsed_by_slack)
    assert "&lt;@UBOB&gt;" in str(parsed_by_slack)


def mrkdwn_texts(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["text"]] if node.get("type") == "mrkdwn" else []
        return found + [t for value in node.values() for t in mrkdwn_texts(value)]
    if isinstance(node, list):
        return [t for item in node for t in mrkdwn_texts(item)]
    return []
