"""A Teams user declares an incident: a card opens the dialog; the same form, rules and set-up."""

from __future__ import annotations

from sqlmodel import select

from bot.enums import DraftStatus
from emulator.teams.driver import channel_thread
from storage.models import Draft, Incident

ALICE = "aad-alice"
THREAD = channel_thread("ops", "1700000000001")
FORM = {
    "dialog": "declare",
    "title": "Checkout errors in EU",
    "what_happened": "Card payments fail at checkout for customers in the EU region.",
    "customer_impact": "EU customers cannot complete purchases; about 30% of checkouts fail.",
    "severity": "SEV2",
    "segments": "EU region",
    "visibility": "public",
}


async def open_dialog(teams, text: str = "incident declare Checkout errors in EU") -> dict:
    await teams.message(text, user=ALICE, conversation=THREAD)
    [button] = teams.connector.last(THREAD).card["actions"]
    reply = await teams.invoke("task/fetch", {"data": button["data"]}, user=ALICE, conversation=THREAD)
    assert reply.status == 200
    return reply.body["task"]["value"]["card"]["content"]


async def submit(teams, **fields) -> dict:
    reply = await teams.invoke("task/submit", {"data": {**FORM, **fields}}, user=ALICE, conversation=THREAD)
    assert reply.status == 200
    await teams.settle()
    return reply.body


async def incidents(teams) -> list[Incident]:
    async with teams.core.db.read() as session:
        return list((await session.exec(select(Incident))).all())


async def test_declare_answers_with_a_button_that_opens_the_form_with_slacks_fields(teams):
    form = await open_dialog(teams)

    labels = [e["label"] for e in form["body"] if e["type"].startswith("Input.")]
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
    title = next(e for e in form["body"] if e.get("id") == "title")
    assert title["value"] == "Checkout errors in EU"
    severity = next(e for e in form["body"] if e.get("id") == "severity")
    assert severity["choices"][0]["title"].startswith("SEV1 — Critical")
    if teams.connector.card_validator is not None:
        teams.connector.card_validator(form)


async def test_invalid_input_is_answered_in_the_dialog_with_slacks_messages(teams):
    await open_dialog(teams)

    body = await submit(teams, what_happened="", segments="", title="x" * 130)

    form = body["task"]["value"]["card"]["content"]
    errors = [e["text"] for e in form["body"] if e["type"] == "TextBlock" and e.get("color") == "Attention"]
    assert errors == [
        "Keep this under 120 characters (it has 130).",
        "This field is required.",
        "Choose at least one affected customer segment.",
    ]
    impact = next(e for e in form["body"] if e.get("id") == "customer_impact")
    assert impact["value"] == FORM["customer_impact"]  # what was typed is kept
    assert await incidents(teams) == []


async def test_a_valid_form_declares_the_incident_in_this_conversation_and_drafts_the_initial_notice(teams):
    await open_dialog(teams)

    body = await submit(teams)

    assert body == {"task": {"type": "message", "value": "INC-1 declared: Checkout errors in EU"}}
    [incident] = await incidents(teams)
    assert (incident.reporter_id, incident.commander_id) == (f"msteams:{ALICE}", f"msteams:{ALICE}")
    assert incident.platform == "teams"
    shown = "\n".join(p.texts() for p in teams.connector.messages(THREAD))
    assert "INC-1 · Checkout errors in EU" in shown and "EU region" in shown
    assert "**INC-1** is declared and runs in this conversation" in shown  # set-up report
    assert "Initial notice for customers" in shown  # the draft, waiting for approval
    async with teams.core.db.read() as session:
        [draft] = (await session.exec(select(Draft))).all()
    assert draft.incident_id == incident.id and draft.status == DraftStatus.PENDING


async def test_status_then_works_in_that_conversation(teams):
    await open_dialog(teams)
    await submit(teams)

    await teams.message("status", user=ALICE, conversation=THREAD)

    assert "Checkout errors in EU" in teams.connector.last(THREAD).texts()


async def test_the_same_submission_twice_declares_one_incident(teams):
    await open_dialog(teams)
    activity = teams.activity(
        "invoke",
        user=ALICE,
        conversation=THREAD,
        conversation_type="channel",
        name="task/submit",
        value={"data": FORM},
    )

    await teams.send(activity)
    await teams.send(activity)

    assert len(await incidents(teams)) == 1


async def test_a_private_incident_cannot_run_in_a_channel_everyone_reads(teams):
    await open_dialog(teams)

    body = await submit(teams, visibility="private")

    form = body["task"]["value"]["card"]["content"]
    errors = [e["text"] for e in form["body"] if e["type"] == "TextBlock" and e.get("color") == "Attention"]
    assert errors == [
        "Everyone here would see a private incident: declare it in a personal chat with the bot, "
        "or choose public."
    ]
    assert await incidents(teams) == []


async def test_a_title_with_typed_mentions_and_html_never_reaches_teams_as_markup(teams):
    await open_dialog(teams)

    await submit(teams, title="<at>General</at> <script>x</script> down")

    for posted in teams.connector.messages(THREAD):
        assert "<at>General</at>" not in str(posted.activity) and "<script>" not in str(posted.activity)
    intro = next(
        p for p in teams.connector.messages(THREAD) if p.activity["summary"].startswith("INC-1 · SEV2")
    )
    assert "&lt;at&gt;General&lt;/at&gt; &lt;script&gt;x&lt;/script&gt; down" in intro.activity["summary"]


async def test_a_title_alone_declares_as_on_slack_one_unknown_word_still_gets_the_help(teams):
    form = await open_dialog(teams, "incident Search results are empty for EU")

    title = next(e for e in form["body"] if e.get("id") == "title")
    assert title["value"] == "Search results are empty for EU"

    await teams.chat("stauts", user=ALICE)
    assert "`stauts` is not an incident subcommand" in teams.connector.last().texts()
