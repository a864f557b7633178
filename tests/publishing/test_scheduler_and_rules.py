"""The sweep scheduler's set-up, and the retry rules."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.policy.model import MessagesPolicy
from bot.publishing.publisher import DELIVERY_SWEEP_INTERVAL
from bot.publishing.retry import is_retryable, judge, may_have_landed
from handlers.scheduler import build_scheduler

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


async def test_the_scheduler_is_built_unstarted_with_one_bounded_job_per_sweep():
    async def sweep() -> None: ...

    scheduler = build_scheduler([(sweep, DELIVERY_SWEEP_INTERVAL, "outbox")])

    assert not scheduler.running
    (job,) = scheduler.get_jobs()
    assert (job.id, job.max_instances, job.coalesce) == ("outbox", 1, True)
    assert job.trigger.interval == timedelta(seconds=2)


async def test_a_started_scheduler_runs_its_jobs_in_the_running_loop():
    ran = asyncio.Event()

    async def sweep() -> None:
        ran.set()

    scheduler = build_scheduler([(sweep, timedelta(milliseconds=50), "tick")])
    scheduler.start()
    try:
        await asyncio.wait_for(ran.wait(), timeout=2)
    finally:
        scheduler.shutdown(wait=False)


@pytest.mark.parametrize(
    ("code", "retry"),
    [
        ("ratelimited", True),
        ("internal_error", True),
        ("http_503", True),
        ("502", True),
        ("connection_error", True),
        ("channel_not_found", False),
        ("not_in_channel", False),
        ("invalid_blocks", False),
        ("some_new_error", False),
    ],
)
def test_which_errors_are_retried(code, retry):
    assert is_retryable(code) is retry


def test_backoff_doubles_until_the_last_attempt():
    policy = MessagesPolicy(max_delivery_attempts=3, retry_backoff=timedelta(seconds=5))

    verdicts = [judge("internal_error", attempts, NOW, policy) for attempts in (1, 2, 3)]

    assert [v.give_up for v in verdicts] == [False, False, True]
    assert [v.next_attempt_at - NOW for v in verdicts[:2]] == [timedelta(seconds=5), timedelta(seconds=10)]
    assert judge("channel_not_found", 1, NOW, policy).give_up


def test_only_a_rate_limit_proves_the_post_did_not_land():
    assert not may_have_landed("ratelimited")
    assert may_have_landed("internal_error") and may_have_landed("interrupted") and may_have_landed("timeout")
