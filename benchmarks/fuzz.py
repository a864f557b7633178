"""A long fuzz run against both edges: mutated recorded payloads, correctly signed (Slack) or
sent as Teams would (unauthenticated, a local Bot Connector), plus every bad-signature variant.

The app, the Slack emulator and the fake Bot Connector run on one event loop in a thread (as
the suite does); hypothesis drives the requests from the main thread. Printed: requests per
edge, the status histogram, the number of 5xx (must be 0; the exit code says), and the rate of
mutated requests against a baseline of the unmutated recorded payloads, measured in the same run.

    .venv/bin/python benchmarks/fuzz.py [--examples 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import Phase, given, settings

from emulator.driver import SIGNING_SECRET, sign
from tests.fuzzing import background_failures, encoded, live, mutated
from tests.handlers.test_fuzz_slack import RECORDED as SLACK
from tests.handlers.test_fuzz_slack import body_of, mutations
from tests.teams.test_fuzz import RECORDED as TEAMS


class Running:
    """The app and its emulators on a loop in a background thread."""

    def __init__(self, folder: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.folder = folder
        threading.Thread(target=self._run, daemon=True).start()
        self.ready.wait(30)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        self.ready.set()
        self.loop.run_forever()

    async def _start(self) -> None:
        from aiohttp.test_utils import TestServer

        from bot.config import Settings
        from emulator.slack import SlackEmulator
        from emulator.teams import FakeConnector
        from handlers.app import create_app
        from handlers.teams.adapter import TeamsOverrides
        from storage.migrate import upgrade_schema

        self.slack, self.connector = SlackEmulator(strict_triggers=False), FakeConnector()
        await self.slack.start()
        await self.connector.start()
        self.slack.add_user("UALICE", "alice")
        self.slack.add_channel("general", channel_id="CGENERAL", members=["UALICE"])
        config = Settings(
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_BOT_TOKEN=self.slack.bot_token,
            SLACK_API_URL=self.slack.api_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{self.folder}/fuzz.db",
            METRICS_PORT=0,
        )
        overrides = TeamsOverrides(service_url=self.connector.service_url, token=lambda *_: _TOKEN)
        app = create_app(config, migrate=False, sweeps=False, teams=overrides)
        from handlers.app import CORE

        self.core = app[CORE]
        await upgrade_schema(self.core.db)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        self.base = str(self.server.make_url("/")).rstrip("/")


_TOKEN = "e30.e30."  # the outbound token shape the fake connector ignores


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_slack(app: Running, examples: int, statuses: collections.Counter) -> float:
    started = time.perf_counter()

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate])
    @given(case=mutations)
    def one(case: tuple[str, Any, int]) -> None:
        kind, payload, depth = case
        body, content_type = body_of(kind, live(payload, app.slack.origin), depth)
        statuses[
            post(f"{app.base}/slack/events", body.encode(), {"Content-Type": content_type, **sign(body)})
        ] += 1

    one()
    return time.perf_counter() - started


def run_teams(app: Running, examples: int, statuses: collections.Counter) -> float:
    from hypothesis import strategies as st

    started = time.perf_counter()
    cases = st.sampled_from(sorted(TEAMS)).flatmap(
        lambda kind: st.tuples(mutated(TEAMS[kind]["payload"]), st.sampled_from([2, 2_000, 100_000]))
    )

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate])
    @given(case=cases)
    def one(case: tuple[Any, int]) -> None:
        payload, depth = case
        body = encoded(live(payload, app.connector.service_url), depth)
        statuses[post(f"{app.base}/api/messages", body.encode(), {"Content-Type": "application/json"})] += 1

    one()
    return time.perf_counter() - started


def baseline(app: Running, rounds: int) -> float:
    """Unmutated recorded payloads, the same number of requests, for the rate's denominator."""
    started = time.perf_counter()
    kinds = sorted(SLACK)
    for n in range(rounds):
        kind = kinds[n % len(kinds)]
        body, content_type = body_of(kind, live(SLACK[kind]["payload"], app.slack.origin), 2)
        post(f"{app.base}/slack/events", body.encode(), {"Content-Type": content_type, **sign(body)})
    return time.perf_counter() - started


def report(name: str, statuses: collections.Counter, seconds: float) -> int:
    total = sum(statuses.values())
    errors = sum(count for status, count in statuses.items() if status >= 500)
    histogram = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
    rate = f"{total / seconds:6.0f}/s"
    print(f"{name:<16} {total:>6} requests in {seconds:6.1f} s ({rate})  [{histogram}]  5xx: {errors}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5_000, help="mutated requests per edge")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # the app logs each refused or failed request; the counts say it
    with tempfile.TemporaryDirectory() as folder:
        app = Running(folder)
        slack, teams = collections.Counter(), collections.Counter()
        slack_seconds = run_slack(app, args.examples, slack)
        teams_seconds = run_teams(app, args.examples, teams)
        base_seconds = baseline(app, min(args.examples, 1_000))
        errors = report("slack (mutated)", slack, slack_seconds) + report(
            "teams (mutated)", teams, teams_seconds
        )
        base_rate = min(args.examples, 1_000) / base_seconds
        ratio = sum(slack.values()) / slack_seconds / base_rate
        print(f"baseline: unmutated Slack payloads at {base_rate:.0f}/s; mutated ones at {ratio:.2f}× that")
        settled = asyncio.run_coroutine_threadsafe(app.core.tracker.wait_idle(60), app.loop)
        settled.result(90)
        failures = background_failures(app.core)
        print(f"5xx total: {errors}; background tasks that crashed: {failures:.0f}")
        errors += int(failures)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
