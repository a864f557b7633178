"""What the links and the form refuse: forged, re-signed, expired and used links, a GET that would
change something, foreign origins, stale form tokens, blocked domains; and the same answer for a
known and an unknown address. One database: nothing here depends on the dialect."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.policy.model import PolicyError
from bot.subscriptions.tokens import signer_for
from tests.subscriptions.conftest import FORM_TOKEN, SECRET, confirmation_path, get, post, subscribe
from tests.subscriptions.test_abuse import metric, subscribers


@pytest.fixture
def database(sqlite_template):
    return sqlite_template


async def test_forged_expired_and_used_links_are_refused_and_a_get_changes_nothing(bot, inbox, clock):
    await subscribe(bot, "one@customer.example")
    path = confirmation_path(inbox, "one@customer.example")
    request_id, expiry, mac = path.rsplit("/", 1)[1].split(".")
    forged = [
        f"{request_id}.{expiry}.{'0' * 64}",  # a made-up signature
        f"{request_id}.{int(expiry) + 86400}.{mac}",  # a later expiry under the old signature
        f"{'a' * 32}.{expiry}.{mac}",  # another request under this signature
    ]
    for token in forged:
        link = f"/status/subscribe/confirm/{token}"
        assert (await get(bot, link))[0] == 404 and (await post(bot, link, {}))[0] == 404
    for _ in range(3):
        assert (await get(bot, path))[0] == 200
    assert await subscribers(bot) == []

    clock.advance(timedelta(hours=24, seconds=1))  # link_lifetime
    assert (await get(bot, path))[0] == 404 and (await post(bot, path, {}))[0] == 404
    assert await subscribers(bot) == []

    await subscribe(bot, "two@customer.example")
    fresh = confirmation_path(inbox, "two@customer.example")
    assert (await post(bot, fresh, {}, Origin="https://evil.example"))[0] == 403
    assert (await post(bot, fresh, {}))[0] == 200
    assert (await post(bot, fresh, {}))[0] == 404  # used
    assert [s.address for s in await subscribers(bot)] == ["two@customer.example"]


async def test_the_form_needs_its_own_token_and_origin_and_refuses_blocked_domains(bot, inbox):
    _, html = await get(bot, "/status/subscribe")
    token = FORM_TOKEN.search(html)[1]
    fields = {"email": "x@customer.example", "scope": "all"}
    assert (await post(bot, "/status/subscribe", fields))[0] == 400  # no form token
    assert (await post(bot, "/status/subscribe", {**fields, "form_token": "1." + "0" * 64}))[0] == 400
    status, _ = await post(
        bot, "/status/subscribe", {**fields, "form_token": token}, Origin="https://evil.example"
    )
    assert status == 400
    status, page = await subscribe(bot, "someone@mail.spam.example")
    assert status == 400 and "cannot send e-mail to addresses on this domain" in page
    status, page = await subscribe(bot, "not an address")
    assert status == 400 and "Enter an e-mail address" in page
    await bot.settle()
    assert inbox.received == []
    assert await metric(bot, "blocked_domain") == 1 and await metric(bot, "bad_form") == 3


async def test_a_known_and_an_unknown_address_get_the_same_answer(bot, inbox):
    await subscribe(bot, "known@customer.example")
    await post(bot, confirmation_path(inbox, "known@customer.example"), {})
    known = await subscribe(bot, "known@customer.example")
    unknown = await subscribe(bot, "unknown@customer.example")
    assert known == unknown


def test_start_up_needs_a_long_enough_secret_and_never_shows_it(policy):
    with pytest.raises(PolicyError, match="set SUBSCRIPTION_SECRET"):
        signer_for(policy, {})
    with pytest.raises(PolicyError, match="at least 32 characters"):
        signer_for(policy, {"SUBSCRIPTION_SECRET": "short"})
    signer = signer_for(policy, {"SUBSCRIPTION_SECRET": SECRET})
    assert SECRET not in repr(signer) and SECRET not in f"{signer}"
