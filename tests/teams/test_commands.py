"""Teams users run the same commands by @mention in a channel or as plain text in a chat."""

from __future__ import annotations

import pytest

from bot.enums import Visibility
from bot.incidents.forms import DeclareInput
from emulator.teams.driver import channel_thread, personal_chat
from handlers.teams.conversations import key_for

ALICE, BOB = "aad-alice", "aad-bob"
THREAD = channel_thread("ops", "1700000000001")


async def seed_incident(teams, title: str, *, private: bool = False, conversation: str | None = None):
    """An incident recorded through the core, optionally running in a Teams conversation."""
    form = DeclareInput(
        title=title,
        what_happened="Card payments fail at checkout.",
        customer_impact="EU customers cannot pay.",
        severity="SEV2",
        segments=["EU region"],
        commander_id=f"msteams:{ALICE}",
        comms_owner_id=f"msteams:{ALICE}",
        visibility=Visibility.PRIVATE if private else Visibility.PUBLIC,
    )
    declared = await teams.core.incidents.declare(
        form, reporter_id=f"msteams:{ALICE}", origin_channel_id=None, source_key=f"seed:{title}"
    )
    if conversation:
        await teams.core.incidents.update_fields(declared.incident.id, channel_id=key_for(conversation))
    return declared.incident


async def test_help_by_mention_in_a_channel_answers_in_the_thread_with_an_adaptive_card(teams):
    reply = await teams.message("incident help", user=ALICE, conversation=THREAD)

    assert reply.status == 200
    posted = teams.connector.last()
    assert posted.conversation_id == THREAD
    assert posted.card["type"] == "AdaptiveCard" and posted.card["version"] == "1.5"
    shown = posted.texts()
    assert "incident list" in shown and "incident digest" in shown
    assert "/incident" not in shown
    assert teams.connector.authorizations[-1].startswith("Bearer ")


async def test_plain_text_in_a_personal_chat_works_without_a_mention_and_in_any_case(teams):
    await teams.chat("LIST", user=ALICE)

    posted = teams.connector.last()
    assert posted.conversation_id == personal_chat(ALICE)
    assert "Active incidents" in posted.texts()


async def test_help_lists_what_runs_on_teams(teams):
    await teams.chat("help", user=ALICE)

    shown = teams.connector.last().texts()
    commands = (
        "update",
        "snooze [30m]",
        "pause",
        "resume",
        "resolve",
        "reopen",
        "followups",
        "timeline",
        "edit",
    )
    for command in commands:
        assert f"incident {command}" in shown
    assert "incident export [md|html]" in shown


async def test_unknown_words_get_the_help_naming_them(teams):
    await teams.message("incident stauts", user=ALICE, conversation=THREAD)

    assert "`stauts` is not an incident subcommand" in teams.connector.last().texts()


async def test_channel_messages_that_do_not_mention_the_bot_are_ignored(teams):
    reply = await teams.message("incident list", user=ALICE, conversation=THREAD, mention=False)

    assert reply.status == 200 and teams.connector.posted == []


async def test_list_in_a_channel_leaves_out_private_incidents_a_personal_chat_shows_them_to_their_people(
    teams,
):
    await seed_incident(teams, "Checkout errors in EU")
    await seed_incident(teams, "Payroll export leak", private=True)

    await teams.message("list", user=ALICE, conversation=THREAD)
    in_channel = teams.connector.last().texts()
    await teams.chat("incident list", user=ALICE)
    in_chat = teams.connector.last().texts()
    await teams.chat("list", user=BOB)
    to_bob = teams.connector.last().texts()

    assert "Checkout errors in EU" in in_channel and "Payroll" not in in_channel
    assert "Payroll export leak" in in_chat
    assert "Payroll" not in to_bob


async def test_status_in_the_incidents_conversation_shows_its_summary(teams):
    await seed_incident(teams, "Checkout errors in EU", conversation=THREAD)

    await teams.message("incident status", user=BOB, conversation=THREAD)

    shown = teams.connector.last().texts()
    assert "INC-1" in shown and "Checkout errors in EU" in shown and "SEV2" in shown


async def test_status_elsewhere_says_where_to_run_it(teams):
    await teams.chat("status", user=ALICE)

    assert "not an incident channel" in teams.connector.last().texts()


async def test_digest_lists_live_incidents(teams):
    await seed_incident(teams, "Checkout errors in EU")

    await teams.chat("digest", user=ALICE)

    assert "Checkout errors in EU" in teams.connector.last().texts()


async def test_typed_mentions_and_html_are_shown_as_text_never_as_markup(teams):
    await seed_incident(teams, "<at>Everyone</at> <b>checkout</b> & <img src=x>")

    await teams.message("list", user=ALICE, conversation=THREAD)

    posted = teams.connector.last()
    shown = posted.texts()
    assert "&lt;at&gt;Everyone&lt;/at&gt; &lt;b&gt;checkout&lt;/b&gt; &amp; &lt;img src=x&gt;" in shown
    assert "<at>" not in str(posted.activity) and "<b>" not in str(posted.activity)
    assert "entities" not in posted.card["msteams"]


async def test_a_body_that_is_not_a_json_object_is_400(teams):
    reply = await teams.send([1, 2], settle=False)  # type: ignore[arg-type]

    assert reply.status == 400


async def test_an_activity_the_sdk_cannot_read_is_400_not_500(teams):
    broken = teams.activity("invoke", user=ALICE, conversation=THREAD, conversation_type="channel")
    broken["name"] = "adaptiveCard/action"
    broken["value"] = {"action": "not an action object"}

    reply = await teams.send(broken, settle=False)

    assert reply.status == 400


async def test_teams_is_off_without_its_credentials(slack, database_url, policy):
    from handlers.app import create_app
    from tests.teams.conftest import teams_settings

    off = create_app(teams_settings(slack, database_url), policy=policy, migrate=False, sweeps=False)
    on = create_app(
        teams_settings(
            slack, database_url, TEAMS_CLIENT_ID="app-id", TEAMS_CLIENT_SECRET="secret", TEAMS_TENANT_ID="t-1"
        ),
        policy=policy,
        migrate=False,
        sweeps=False,
    )

    def paths(app) -> set[str]:
        return {r.resource.canonical for r in app.router.routes() if r.resource is not None}

    assert "/api/messages" not in paths(off)
    assert "/api/messages" in paths(on)


async def test_a_throttled_connector_is_retried_after_its_retry_after(teams):
    teams.connector.rate_limit(2, retry_after="0")

    await teams.chat("help", user=ALICE)

    assert teams.connector.throttled == 2
    assert "incident list" in teams.connector.last().texts()


async def test_html_formatted_messages_are_read_as_their_text(teams):
    await teams.message("<p>incident&nbsp;<b>LIST</b></p>", user=ALICE, conversation=THREAD)

    assert "Active incidents" in teams.connector.last().texts()


async def test_activities_from_another_tenant_are_refused(slack, connector, database_url, clock, policy):
    from emulator.teams.driver import TENANT
    from tests.teams.conftest import running_teams

    async with running_teams(slack, connector, database_url, clock, policy, TEAMS_TENANT_ID=TENANT) as ours:
        assert (await ours.chat("list", user=ALICE)).status == 200
        stranger = ours.activity(
            "message", user="aad-mallory", conversation="a:x", conversation_type="personal"
        )
        stranger["text"] = "list"
        stranger["conversation"]["tenantId"] = "another-tenant"
        stranger["channelData"] = {"tenant": {"id": "another-tenant"}}

        reply = await ours.send(stranger)

    assert reply.status == 403
    assert [p.conversation_id for p in connector.posted] == [personal_chat(ALICE)]


async def test_forged_or_odd_card_and_dialog_data_is_answered_never_a_500(teams):
    await seed_incident(teams, "Checkout errors in EU")
    odd = [
        ("task/fetch", {"data": {"dialog": ["x"]}}),
        ("task/submit", {"data": {"dialog": "declare", "title": "T", "segments": ["EU"], "severity": 7}}),
        ("task/fetch", {"data": {"dialog": "incident_status", "value": "99999999999999999999"}}),
        ("task/submit", {"data": {"dialog": "incident_resolve", "value": "-1"}}),
        (
            "adaptiveCard/action",
            {
                "action": {
                    "type": "Action.Execute",
                    "verb": "draft_approve",
                    "data": {"value": "99999999999999999999:1"},
                }
            },
        ),
        (
            "adaptiveCard/action",
            {
                "action": {
                    "type": "Action.Execute",
                    "verb": "draft_redact",
                    "data": {"value": {"nested": True}},
                }
            },
        ),
    ]
    for name, value in odd:
        reply = await teams.invoke(name, value, user=ALICE, conversation=THREAD)
        assert reply.status == 200, (name, value, reply.body)


async def test_deeply_nested_json_is_400_not_500(teams):
    import aiohttp

    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{teams.base_url}/api/messages", data="[" * 200_000, headers={"Content-Type": "application/json"}
        ) as response,
    ):
        assert response.status == 400


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda a: (a["conversation"].pop("tenantId"), a.pop("channelData")), id="no tenant"),
        pytest.param(lambda a: a.update(channelId="webchat"), id="not the msteams channel"),
        pytest.param(lambda a: a["from"].pop("aadObjectId"), id="no Entra object id"),
    ],
)
async def test_activities_teams_would_never_send_are_refused(
    forge, slack, connector, database_url, clock, policy
):
    from emulator.teams.driver import TENANT
    from tests.teams.conftest import running_teams

    async with running_teams(slack, connector, database_url, clock, policy, TEAMS_TENANT_ID=TENANT) as ours:
        odd = ours.activity("message", user="aad-mallory", conversation="a:x", conversation_type="personal")
        odd["text"] = "list"
        forge(odd)

        reply = await ours.send(odd)

    assert reply.status == 403
    assert connector.posted == []
