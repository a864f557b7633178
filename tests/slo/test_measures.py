"""Comms SLOs of a scripted incident, as status, the plan, the measures and /metrics report them."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bot.slo.load import measure_one
from tests.conftest import ALICE
from tests.slo.story import at, play

MINUTE = timedelta(minutes=1)


async def measured(bot):
    incident = await bot.core.incidents.get(1)
    async with bot.core.db.read() as session:
        return await measure_one(session, incident, bot.core.policy, bot.core.clock.now())


async def test_every_measure_of_the_scripted_incident(bot, slack, clock):
    await play(bot, slack, clock)

    slo = await measured(bot)

    assert slo.first_update == 12 * MINUTE and slo.first_update_target == 30 * MINUTE
    assert slo.first_update_met is True
    assert [(u.promised_at, u.published_at, u.lateness) for u in slo.updates] == [
        (at(10, 35), at(10, 52), 17 * MINUTE),  # late
        (at(11, 50), at(11, 5), timedelta()),  # the first resolution notice
        (at(12, 30), at(12, 10), timedelta()),  # the second; the 11:40 update had no promise before it
    ]
    assert slo.on_time == 2 and [u.lateness for u in slo.late] == [17 * MINUTE]
    assert sorted(slo.approval_latencies) == [2 * MINUTE, 5 * MINUTE, 7 * MINUTE, 10 * MINUTE, 10 * MINUTE]
    assert slo.rejections == 1
    assert slo.resolved_at == at(12, 0) and slo.to_resolution_notice == 10 * MINUTE
    assert slo.to_review is None


async def test_status_and_the_plan_say_how_we_communicated(bot, slack, clock):
    channel = await play(bot, slack, clock)

    await bot.command("status", user=ALICE, channel=channel)
    status = str(slack.ephemerals(user=ALICE)[-1].blocks)
    plan = await bot.core.export.render(1, "md", viewer=ALICE)

    line = (
        "first update 12m (target 30m ✓) · 2/3 updates on time, worst 17m late · approval p50 7m · 1 rejected"
    )
    assert line in status
    section = plan.split("## How we communicated\n", 1)[1].split("\n## ", 1)[0]
    for row in (
        "| Time to first customer update | 12m (target 30m ✓) |",
        "| Promised updates on time | 2 of 3 |",
        "| Lateness when late (p50 / max) | 17m / 17m |",
        "| Approval latency (p50 / p95) | 7m / 10m |",
        "| Drafts rejected | 1 |",
        "| Resolution → resolution notice | 10m |",
        "| Resolution → post-incident review | Not published yet |",
    ):
        assert row in section


async def scrape(bot) -> dict[tuple[str, tuple], float]:
    async with aiohttp.ClientSession() as session, session.get(bot.metrics_url) as response:
        text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_metrics_observe_each_thing_once_when_it_happens(bot, slack, clock):
    await play(bot, slack, clock)

    samples = await scrape(bot)

    sev2 = (("severity", "SEV2"),)
    assert samples[("incident_comms_first_update_seconds_count", sev2)] == 1
    assert samples[("incident_comms_first_update_seconds_sum", sev2)] == 12 * 60
    assert samples[("incident_comms_updates_total", (("outcome", "on_time"), ("severity", "SEV2")))] == 2
    assert samples[("incident_comms_updates_total", (("outcome", "late"), ("severity", "SEV2")))] == 1
    assert samples[("incident_comms_update_lateness_seconds_sum", sev2)] == 17 * 60
    assert samples[("incident_comms_approval_latency_seconds_count", sev2)] == 5
    assert samples[("incident_comms_approval_latency_seconds_sum", sev2)] == (7 + 2 + 5 + 10 + 10) * 60
    assert not any(name.endswith("_created") for name, _ in samples)
