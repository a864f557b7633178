"""Like Slack, the emulator reads only form fields for methods without JSON input support."""

from __future__ import annotations

import aiohttp
import pytest

from tests.specs import specs_dir


@pytest.mark.skipif(specs_dir() is None, reason="which methods take JSON comes from the shared specs")
async def test_a_json_body_is_ignored_where_slack_ignores_it(emulator):
    emulator.add_usergroup("SGROUP", "oncall", ["UONE"])
    headers = {"Authorization": f"Bearer {emulator.bot_token}"}
    url = emulator.api_url + "usergroups.users.list"
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.post(url, json={"usergroup": "SGROUP"}) as response:
            as_json = await response.json()
        async with session.post(url, data={"usergroup": "SGROUP"}) as response:
            as_form = await response.json()
    assert as_json["ok"] is False
    assert as_form == {"ok": True, "users": ["UONE"]} or as_form["users"] == ["UONE"]
