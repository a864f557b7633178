"""At capacity the bot says "busy, try again" privately before anything changes, and the work
it had already accepted still finishes; once there is room, the same request works."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.background import BUSY
from storage.models import AuditEvent, Incident, ProcessedRequest
from tests.conftest import ALICE, BOB, GENERAL, running_bot
from tests.slack.flows import DEFAULT_FORM, channel_of, declare, open_declare_form

CAPACITY = 3


@pytest.fixture
async def small(slack, database_url, clock, policy) -> AsyncIterator:
    async with running_bot(slack, database_url, clock, policy, MAX_BACKGROUND_TASKS=str(CAPACITY)) as driver:
        yield driver


async def fill(bot) -> tuple[asyncio.Event, list[str]]:
    """Accepted work that holds every slot until released; records that each piece finished."""
    release, finished = asyncio.Event(), []
    await bot.settle()  # start-up work (resuming set-ups, adopting reminders) has finished

    async def accepted(n: int) -> None:
        await release.wait()
        finished.append(f"job {n}")

    for n in range(CAPACITY):
        bot.core.tracker.spawn(accepted(n), name=f"test:accepted-{n}")
    return release, finished


def pending_card(bot):
    """The draft waiting for approval (the message with an Approve button)."""
    messages = bot.slack.messages(channel_of(bot).id)
    return next(m for m in reversed(messages) if "draft_approve" in str(m.blocks))


async def counts(bot) -> list[int]:
    """Incidents, audit events and processed-request records written so far."""
    found = []
    async with bot.core.db.read() as session:
        for model in (Incident, AuditEvent, ProcessedRequest):
            found.append(int((await session.exec(select(func.count()).select_from(model))).one()))
    return found


async def test_a_command_at_capacity_is_answered_busy_privately_and_changes_nothing(small, slack):
    release, finished = await fill(small)
    before = await counts(small)

    reply = await small.command("Checkout errors in EU", user=ALICE, channel=GENERAL, settle=False)

    assert reply.status == 200 and reply.json() == {"response_type": "ephemeral", "text": BUSY}
    assert slack.opened_views == [] and await counts(small) == before
    release.set()
    await small.settle()
    assert len(finished) == CAPACITY, "the accepted work was not dropped"
    assert (await open_declare_form(small))["callback_id"] == "incident_declare"


async def test_a_form_submitted_at_capacity_stays_open_with_the_busy_message(small, slack):
    view = await open_declare_form(small)
    release, _ = await fill(small)

    reply = await small.submit(view, DEFAULT_FORM, user=ALICE, settle=False)

    assert reply.status == 200 and reply.json()["response_action"] == "errors"
    assert list(reply.json()["errors"].values()) == [BUSY]
    assert (await counts(small))[0] == 0, "no incident was declared"
    release.set()
    await small.submit(view, DEFAULT_FORM, user=ALICE)
    assert (await counts(small))[0] == 1


async def test_a_button_at_capacity_gets_a_private_busy_note_and_the_draft_stays_pending(small, slack):
    await declare(small)
    card = pending_card(small)
    release, _ = await fill(small)
    answered = len(slack.responses())

    reply = await small.click(card, "draft_approve", user=BOB, settle=False)

    assert reply.status == 200
    assert [r.get("text") for r in slack.responses()[answered:]] == [BUSY]
    assert slack.responses()[-1]["response_type"] == "ephemeral"
    release.set()
    await small.settle()
    assert pending_card(small).ts == card.ts, "still waiting for an approver"


async def test_an_event_at_capacity_is_a_503_slack_delivers_again_and_it_is_answered_once(small, slack):
    release, _ = await fill(small)
    mention = {
        "type": "app_mention",
        "user": ALICE,
        "channel": GENERAL,
        "ts": "1.000100",
        "text": "<@U0BOT> hi",
    }

    first = await small.event(mention, event_id="EvBUSY", settle=False)

    assert first.status == 503 and first.headers.get("Retry-After") == "60"
    release.set()
    await small.settle()
    again = await small.event(mention, event_id="EvBUSY", retry=1)
    assert again.status == 200
    assert len([m for m in slack.messages(GENERAL) if m.thread_ts == "1.000100"]) == 1
