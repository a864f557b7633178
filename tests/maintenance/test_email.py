"""The maintenance texts reach customers' e-mail too (a real SMTP server, aiosmtpd), each once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.sweeps import cadence_sweep
from tests.conftest import BOB, running_bot
from tests.external.email.conftest import SMTP_URL, inbox  # noqa: F401 (fixture)
from tests.maintenance.helpers import COMPONENTS, UPDATES, card, schedule
from tests.policies import make_policy


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        status_page={"components": COMPONENTS},
        email={"from_address": "Service status <status@example.com>", "customers": ["ops@one.example"]},
    )


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
async def test_the_announcement_and_the_start_are_e_mailed_once(slack, database_url, clock, policy, inbox):  # noqa: F811
    async with running_bot(
        slack, database_url, clock, policy, SMTP_URL=SMTP_URL.format(port=inbox.port)
    ) as bot:
        start = clock.now() + timedelta(hours=3)
        await schedule(bot, start)
        await bot.core.external.deliver_due()
        assert inbox.received == []  # nothing before approval
        await bot.click(card(slack), "maintenance_approve", user=BOB)
        await bot.core.external.deliver_due()
        clock.set(start)
        await cadence_sweep(bot.core)
        await cadence_sweep(bot.core)
        await bot.core.external.deliver_due()
        await bot.core.external.deliver_due()
    subjects = [r.message["Subject"] for r in inbox.to("ops@one.example")]
    assert len(subjects) == 2, subjects
    bodies = [r.part("plain") for r in inbox.to("ops@one.example")]
    assert "Scheduled maintenance" in bodies[0] and "Maintenance in progress" in bodies[1]
