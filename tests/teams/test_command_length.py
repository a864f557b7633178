"""A Teams command over the length cap is answered in the sender's personal chat (issue 16)."""

from __future__ import annotations

from bot.incidents.forms import COMMAND_MAX
from emulator.teams.driver import personal_chat
from tests.teams.test_commands import ALICE, THREAD


async def test_a_long_command_in_a_channel_is_answered_privately(teams):
    reply = await teams.message("incident " + "<b>x</b> " * COMMAND_MAX, user=ALICE, conversation=THREAD)

    assert reply.status == 200
    await teams.settle()
    assert teams.connector.messages(THREAD) == []
    note = teams.connector.last().activity.get("text", "") + teams.connector.last().texts()
    assert f"commands take at most {COMMAND_MAX:,}" in note


async def test_a_long_command_in_a_personal_chat_is_answered_there(teams):
    reply = await teams.chat("<at>" * 4_000 + "list " * COMMAND_MAX, user=ALICE)
    await teams.settle()
    assert reply.status == 200

    posted = teams.connector.last()
    assert posted.conversation_id == personal_chat(ALICE)
    assert "Nothing was done" in (posted.activity.get("text", "") + posted.texts())
