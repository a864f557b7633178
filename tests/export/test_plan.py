"""The plan's content, checked against what the real app recorded for the incident."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.chat import links
from bot.errors import NotFound
from storage.models import DraftVersion, FollowUp
from tests.conftest import ALICE, BOB, CAROL, DAVE
from tests.export.conftest import ACME, LEADS, UPDATES, approval_card, as_json, exporter, row, rows
from tests.resolution.test_resolve import resolve
from tests.slack.flows import channel_of, declare

SECTIONS = [
    "Incident summary",
    "Audience",
    "Message timeline",
    "Templates",
    "Approval flow",
    "How we communicated",
    "Post-incident follow-up",
]


async def declared_and_approved(bot, slack, **fields) -> None:
    await declare(bot, commander=BOB, comms_owner=CAROL, named_accounts="Acme Corp", **fields)
    await bot.click(approval_card(slack), "draft_approve", user=BOB)


async def published_text(bot) -> str:
    async with bot.core.db.read() as session:
        return (await session.exec(select(DraftVersion))).one().text


async def test_every_section_is_present_in_order_in_every_format(bot, slack):
    await declared_and_approved(bot, slack)

    markdown = await exporter(bot).render(1, "md")
    html = await exporter(bot).render(1, "html")
    plan = await as_json(bot)

    headings = re.findall(r"^## (.+)$", markdown, re.M)
    assert headings == SECTIONS
    assert re.findall(r"<h2>(.+?)</h2>", html) == SECTIONS
    assert [s["title"] for s in plan["sections"]] == SECTIONS
    for section in SECTIONS:
        table = markdown.split(f"## {section}\n", 1)[1]
        assert table.lstrip().startswith("| Item | Details | Owner | Status |")


async def test_no_row_lacks_an_owner_or_a_status(bot, slack):
    await declared_and_approved(bot, slack)
    await resolve(bot, channel_of(bot).id)
    async with bot.core.db.write() as session:  # an item whose owner was never set
        session.add(
            FollowUp(
                incident_id=1,
                kind="executive",
                owner_id="",
                due_at=datetime(2026, 11, 25, tzinfo=UTC),
                status="open",
                created_at=datetime(2026, 11, 23, tzinfo=UTC),
            )
        )

    plan = await as_json(bot)

    every = [r for s in plan["sections"] for r in s["rows"]]
    assert len(every) > 25
    assert all(re.fullmatch(r"U[A-Z0-9]+", r["owner"]) for r in every), [r for r in every if not r["owner"]]
    assert all(r["status"] for r in every)
    assert row(plan, "follow_up", "Executive follow-up")["owner"] == CAROL  # the comms owner steps in
    markdown = await exporter(bot).render(1, "md")
    assert not re.search(r"\|\s*\|\s*(Open|Complete)", markdown)  # no empty Owner cell


async def test_the_summary_and_metadata_match_the_incident(bot, slack):
    await declared_and_approved(bot, slack, severity="SEV1")
    incident = await bot.core.incidents.get(1)

    plan = await as_json(bot)

    assert plan["ref"] == "INC-1" and plan["title"] == "Checkout errors in EU"
    assert plan["metadata"] == {
        "category": "Customer Success",
        "owner": CAROL,
        "owner_name": "carol",
        "version": incident.version,
        "effective_date": "2026-11-23",
        "review_cycle": "After every incident",
        "status": "Draft",
    }
    summary = {r["item"]: r for r in rows(plan, "summary")}
    assert summary["Severity"]["details"].startswith("SEV1 — Critical")
    assert summary["Customer impact"]["details"] == incident.customer_impact
    assert summary["Segments"]["details"] == "EU region"
    assert summary["Named accounts"]["details"] == "Acme Corp"
    assert summary["Commander"]["details"] == "bob" and summary["Comms owner"]["owner"] == CAROL
    assert summary["Comms owner"]["owner_name"] == "carol"  # the id stays beside the name
    assert summary["Declared"]["times"] == {"declared": "2026-11-23T09:30:00Z"}
    assert summary["Resolved"]["status"] == "Open"
    assert summary["Incident channel"]["details"] == f"<#{channel_of(bot).id}>"


async def test_the_audience_names_each_channel(bot, slack):
    await declared_and_approved(bot, slack)

    plan = await as_json(bot)

    audience = {r["item"]: r for r in rows(plan, "audience")}
    assert audience["Customers"]["details"] == f"Channels: <#{UPDATES}>"
    assert audience["Customers"]["status"] == "Informed"
    assert audience["Acme Corp (named account)"]["details"] == f"Channels: <#{ACME}>"
    assert "Confidential" in audience["Acme Corp (named account)"]["notes"]
    assert audience["Internal recipients"]["details"] == f"Channels: <#{channel_of(bot).id}>, <#{LEADS}>"


async def test_the_published_text_is_under_templates_as_sent(bot, slack):
    await declared_and_approved(bot, slack)
    text = links.plain(await published_text(bot))  # the bot's own links read "label (url)" in the plan

    markdown = await exporter(bot).render(1, "md")
    plan = await as_json(bot)

    templates = markdown.split("## Templates", 1)[1].split("## Approval flow", 1)[0]
    assert "### Initial notice for customers" in templates
    assert f"```text\n{text}\n```" in templates
    assert row(plan, "templates", "Initial notice for customers")["text"] == text
    assert "Card payments fail at checkout" in text


async def test_the_timeline_says_who_approved_and_where_it_went(bot, slack):
    await declared_and_approved(bot, slack)
    channel = channel_of(bot).id

    entry = row(await as_json(bot), "timeline", "Initial notice for customers")

    assert entry["status"] == "Published" and entry["owner"] == ALICE
    assert "drafted 2026-11-23 09:30 UTC by alice" in entry["details"]
    assert "approved 2026-11-23 09:30 UTC by bob" in entry["details"]
    assert f"delivered to <#{UPDATES}> (2026-11-23 09:30 UTC), <#{channel}>" in entry["details"]
    assert entry["times"] == {"drafted": "2026-11-23T09:30:00Z", "published": "2026-11-23T09:30:00Z"}


async def test_reminders_and_the_next_update_are_on_the_timeline(bot, slack, clock):
    await declared_and_approved(bot, slack)
    due = row(await as_json(bot), "timeline", "Next customer update")
    assert due["details"] == "Due by 2026-11-23 10:30 UTC" and due["owner"] == CAROL

    clock.advance(timedelta(hours=1, minutes=1))
    await bot.core.reminders.run()

    reminder = row(await as_json(bot), "timeline", "Reminder: due")
    assert reminder["owner"] == CAROL and reminder["status"] == "Posted"
    assert reminder["details"] == (
        f"For the update due 2026-11-23 10:30 UTC; posted 2026-11-23 10:31 UTC in <#{channel_of(bot).id}>"
    )


async def test_the_approval_flow_shows_reviewers_rule_and_each_decision(bot, slack, clock):
    await declare(bot, commander=BOB, comms_owner=CAROL, severity="SEV1")
    await bot.click(approval_card(slack), "draft_reject", user=BOB)
    await bot.submit(slack.opened_views[-1].view, {"reason": "Impact wording | too vague."}, user=BOB)

    plan = await as_json(bot)
    markdown = await exporter(bot).render(1, "md")

    assert row(plan, "approval_flow", "Reviewers")["details"] == "bob, carol, @incident-approvers"
    assert row(plan, "approval_flow", "Rule")["details"].startswith("2 approvals for SEV1 before a message")
    decision = row(plan, "approval_flow", "Decision: Initial notice for customers")
    assert decision["owner"] == BOB and decision["status"] == "Rejected"
    assert decision["notes"] == "Impact wording | too vague."
    assert "Impact wording \\| too vague." in markdown  # a typed pipe does not break the table
    assert row(plan, "timeline", "Initial notice for customers")["status"] == "Rejected"


async def test_follow_ups_show_owner_due_date_status_and_notes(bot, slack):
    await declared_and_approved(bot, slack)
    await resolve(bot, channel_of(bot).id)
    items = await bot.core.follow_ups.for_incident(1)
    risk = next(i for i in items if i.kind == "renewal_risk")
    await bot.core.follow_ups.complete(risk.id, actor=CAROL, notes="Account manager called Acme; no risk.")

    plan = await as_json(bot)

    rca = row(plan, "follow_up", "Root-cause analysis")
    assert rca["owner"] == BOB and rca["status"] == "Open" and rca["details"].startswith("Due 2026-11-30")
    done = row(plan, "follow_up", "Renewal-risk review: Acme Corp")
    assert done["owner"] == CAROL and done["status"] == "Complete"
    assert done["notes"] == "Account manager called Acme; no risk."
    assert "completed 2026-11-23 09:30 UTC by carol" in done["details"]
    assert row(plan, "follow_up", "Post-incident message to customers")["status"] == "Open"


async def test_status_moves_from_draft_to_in_review_to_approved(bot, slack, clock):
    await declared_and_approved(bot, slack)
    channel = channel_of(bot).id
    assert (await as_json(bot))["metadata"]["status"] == "Draft"

    clock.advance(timedelta(hours=2))
    await resolve(bot, channel)
    assert (await as_json(bot))["metadata"]["status"] == "In review"

    await complete_rca_and_publish_the_post_incident_message(bot, slack, channel)
    assert (await as_json(bot))["metadata"]["status"] == "In review"  # the renewal review is still open

    risk = next(i for i in await bot.core.follow_ups.for_incident(1) if i.kind == "renewal_risk")
    await bot.core.follow_ups.complete(risk.id, actor=CAROL)
    plan = await as_json(bot)
    assert plan["metadata"]["status"] == "Approved"
    assert row(plan, "follow_up", "Post-incident message to customers")["status"] == "Complete"
    assert row(plan, "summary", "Resolved")["details"] == "2026-11-23 11:30 UTC, 2h after it was declared"


async def complete_rca_and_publish_the_post_incident_message(bot, slack, channel: str) -> None:
    await bot.command("followups", user=BOB, channel=channel)
    await bot.click(slack.ephemerals(user=BOB)[-1], "follow_up_complete", user=BOB)
    answers = {
        "root_cause": "A configuration change disabled retries to the payment provider.",
        "corrective_actions": "We restored the configuration and replayed failed payments.",
        "preventive_measures": "Configuration changes now need a canary and a second reviewer.",
    }
    await bot.submit(slack.opened_views[-1].view, answers, user=BOB)
    for approver in (CAROL, DAVE):  # whoever did not write it approves it
        card = approval_card(slack)
        if "Published" not in str(card.blocks):
            await bot.click(card, "draft_approve", user=approver)


async def test_the_header_names_the_confidential_accounts(bot, slack):
    await declared_and_approved(bot, slack)

    markdown = await exporter(bot).render(1, "md")
    html = await exporter(bot).render(1, "html")

    notice = (
        "Internal document: it names confidential accounts (Acme Corp); do not share outside the company."
    )
    assert markdown.splitlines()[2] == f"> **{notice}**"
    assert f'<p class="notice">{notice}</p>' in html


async def test_without_named_accounts_the_header_still_says_internal(bot, slack):
    await declare(bot)

    plan = await as_json(bot)

    assert plan["notice"] == "Internal document: do not share outside the company."


async def test_html_escapes_what_users_typed(bot, slack):
    await declare(bot, "<script>alert(1)</script> & <b>checkout</b>", what_happened="Fails <img src=x>")

    html = await exporter(bot).render(1, "html")
    markdown = await exporter(bot).render(1, "md")

    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;checkout&lt;/b&gt;" in html
    assert "Fails &lt;img src=x&gt;" in html
    assert "<td>alice</td>" in html and ALICE not in html  # people by name, never by id
    assert "<script>" not in markdown.split("## Templates")[0]  # raw HTML never reaches a table cell


async def test_json_is_the_same_content_with_iso_times(bot, slack):
    await declared_and_approved(bot, slack)

    plan = await as_json(bot)
    markdown = await exporter(bot).render(1, "md")

    for section in plan["sections"]:
        for entry in section["rows"]:
            assert entry["item"].replace("|", "\\|") in markdown
            for moment in entry["times"].values():
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", moment)
    assert list(plan) == sorted(plan)


async def test_an_unknown_incident_is_not_found(bot):
    with pytest.raises(NotFound, match="There is no incident INC-42"):
        await exporter(bot).render(42, "md")
