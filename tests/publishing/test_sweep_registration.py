"""The app's scheduled jobs come from one list: the sweeps at their intervals, one job per digest."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.config import Settings
from bot.services.sweeps import scheduled
from emulator.driver import SIGNING_SECRET
from handlers.app import CORE, _start_scheduler, create_app
from tests.conftest import write_policy


def _core(tmp_path, policy_text: str):
    settings = Settings(
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN="xoxb-unused",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}",
    )
    return create_app(settings, policy=write_policy(tmp_path, policy_text), sweeps=False)[CORE]


async def test_the_sweeps_and_each_digest_schedule_are_scheduled_at_their_intervals(tmp_path):
    core = _core(
        tmp_path,
        '[reminders]\nsweep_interval = "3s"\n'
        '[digests]\nchannel = "CDIGESTS"\nschedules = { daily = "0 9 * * *", noon = "0 12 * * *" }\n',
    )

    jobs = scheduled(core)

    assert [(job.name, job.every) for job in jobs[:3]] == [
        ("outbox", timedelta(seconds=2)),
        ("external", timedelta(seconds=2)),
        ("cadence", timedelta(seconds=3)),
    ]
    assert [job.name for job in jobs[3:]] == ["digest:daily", "digest:noon"]
    assert all(isinstance(job.every, CronTrigger) for job in jobs[3:])
    await core.db.dispose()


async def test_no_digest_jobs_without_a_digest_channel(tmp_path):
    core = _core(tmp_path, '[digests]\nschedules = { daily = "0 9 * * *" }\n')

    assert [job.name for job in scheduled(core)] == ["outbox", "external", "cadence"]
    await core.db.dispose()


async def test_the_app_schedules_every_listed_job_bounded(tmp_path):
    core = _core(tmp_path, '[digests]\nchannel = "CDIGESTS"\nschedules = { daily = "0 9 * * *" }\n')

    scheduler = _start_scheduler(core)
    try:
        jobs = scheduler.get_jobs()
    finally:
        scheduler.shutdown(wait=False)
        await core.db.dispose()

    assert sorted(job.id for job in jobs) == ["cadence", "digest:daily", "external", "outbox"]
    assert {(job.max_instances, job.coalesce) for job in jobs} == {(1, True)}
