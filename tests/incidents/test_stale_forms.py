"""A stale edit form never undoes a newer change: the fields its user changed are saved,
the others keep what someone else saved meanwhile, and a clash is answered in the form."""

from __future__ import annotations

from tests.conftest import ALICE
from tests.slack.flows import channel_of, declare


async def open_edit(bot) -> dict:
    await bot.command("edit", user=ALICE, channel=channel_of(bot).id)
    return bot.slack.opened_views[-1].view


async def test_saving_an_old_form_keeps_a_severity_raised_meanwhile(bot, slack):
    await declare(bot)  # SEV2
    stale = await open_edit(bot)
    await bot.submit(await open_edit(bot), {"severity": "SEV1"}, user=ALICE)

    reply = await bot.submit(stale, {"title": "Checkout errors in EU and UK"}, user=ALICE)

    assert reply.status == 200 and not reply.text.strip().startswith('{"response_action"')
    incident = await bot.core.incidents.get(1)
    assert (incident.severity, incident.title) == ("SEV1", "Checkout errors in EU and UK")
    shown = slack.transcript(channel_of(bot).id)
    assert shown.count("Severity changed") == 1  # only the real raise was announced


async def test_changing_a_field_someone_else_changed_is_answered_in_the_form(bot, slack):
    await declare(bot)
    stale = await open_edit(bot)
    await bot.submit(await open_edit(bot), {"severity": "SEV1"}, user=ALICE)

    reply = await bot.submit(stale, {"severity": "SEV3"}, user=ALICE)

    errors = reply.json()["errors"]
    assert errors["severity"].startswith("INC-1 changed since you opened this form: this is now “SEV1”")
    assert (await bot.core.incidents.get(1)).severity == "SEV1"


async def test_an_old_form_saved_after_a_resolve_does_not_reopen_the_incident(bot, slack):
    await declare(bot)
    stale = await open_edit(bot)  # status: investigating
    await bot.command("resolve", user=ALICE, channel=channel_of(bot).id)
    await bot.submit(slack.opened_views[-1].view, {"summary": "Rolled back."}, user=ALICE)

    await bot.submit(stale, {"status_note": "Watching error rates."}, user=ALICE)

    incident = await bot.core.incidents.get(1)
    assert incident.status == "resolved" and incident.status_note == "Watching error rates."
