"""Answer latency of Teams activities (`POST /api/messages`): incident-comms vs a bare Teams SDK app.

Each server runs in its own process, as in production (`teams_servers.py`); the fake Bot
Connector and fake Graph (`emulator/teams/connector.py`, with the Slack emulator beside it)
run in a third. Both apps
are unauthenticated with the same outbound token override. The baseline is a bare
`microsoft_teams.apps.App` behind the same aiohttp server adapter as ours, whose handlers do
nothing (a message returns at once, a card action answers a fixed small card, a dialog a fixed
small form): it isolates the SDK's own cost from ours. We measure, as Teams sends them:

- `message`: `help` in a personal chat (ours answers 200 at once, posts the help card after);
- `task/fetch`: opening the declare dialog (ours answers the form inside the invoke);
- `approve`: an `adaptiveCard/action` `draft_approve` click on a fresh pending draft (ours
  decides inside the invoke and publishes after). Drafts are seeded before the timed part by
  declaring incidents through the dialog as user A; user B, the policy's approver, clicks.

each at concurrency 1 and 50, with p50/p99 and ours/baseline ratios, plus our /healthz as a
floor. Any answer other than 200 is counted, printed and fails the run.

    .venv/bin/python benchmarks/teams.py [--sequential 200] [--concurrent 500]
        [--approve-sequential 100] [--approve-concurrent 200]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import free_port, wait_for_port
from teams_servers import USER_B

from emulator.teams.driver import TeamsDriver, channel_thread, personal_chat
from tests.teams.test_declare import FORM  # a valid declare form

USER_A = "aad-alice"
WARMUP = 10


# ---- requests: real activities, built by the emulator's driver ---------------------------------
class Activities:
    def __init__(self, urls: dict[str, str], folder: str, ours: int) -> None:
        self.folder, self.healthz = folder, f"http://127.0.0.1:{ours}/healthz"  # our database, our health
        self.driver = TeamsDriver("", SimpleNamespace(service_url=urls["service_url"]), settle=None)
        self.threads = itertools.count(1_700_000_000_001)

    def help(self) -> dict:
        chat = personal_chat(USER_A)
        return self.driver.activity(
            "message", user=USER_A, conversation=chat, conversation_type="personal", text="help",
            textFormat="plain", entities=[],
        )  # fmt: skip

    def invoke(self, name: str, value: dict, user: str, thread: str | None = None) -> dict:
        thread = thread or channel_thread("ops", "1700000000000")
        return self.driver.activity(
            "invoke", user=user, conversation=thread, conversation_type="channel", name=name, value=value
        )

    def fetch(self) -> dict:
        data = {"msteams": {"type": "task/fetch"}, "dialog": "declare", "title": "x"}
        return self.invoke("task/fetch", {"data": data}, USER_A)

    def declare(self) -> dict:
        thread = channel_thread("ops", str(next(self.threads)))
        return self.invoke("task/submit", {"data": FORM}, USER_A, thread)

    def approve(self, draft: tuple[int, int]) -> dict:
        data = {"value": f"{draft[0]}:{draft[1]}"}
        action = {"type": "Action.Execute", "verb": "draft_approve", "data": data}
        return self.invoke("adaptiveCard/action", {"action": action, "trigger": "manual"}, USER_B)


async def timed_post(session: aiohttp.ClientSession, url: str, body: dict | None) -> tuple[float, int]:
    started = time.perf_counter()
    request = session.get(url) if body is None else session.post(url, json=body)
    async with request as response:
        await response.read()
    return time.perf_counter() - started, response.status


async def measure(url: str, make_body, count: int, concurrency: int) -> list[float]:
    """Latencies of `count` requests, `concurrency` at a time; fails on any answer but 200."""
    limit, statuses = asyncio.Semaphore(concurrency), collections.Counter()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        for _ in range(WARMUP):  # the code paths, then one open connection per concurrent client
            statuses[(await timed_post(session, url, make_body()))[1]] += 1
        origin = "/".join(url.split("/")[:3])
        await asyncio.gather(*(timed_post(session, f"{origin}/healthz", None) for _ in range(concurrency)))

        async def one() -> float:
            async with limit:
                seconds, status = await timed_post(session, url, make_body())
                statuses[status] += 1
                return seconds

        results = list(await asyncio.gather(*(one() for _ in range(count))))
    if set(statuses) != {200}:
        raise SystemExit(f"non-200 answers from {url}: {dict(statuses)}")
    return results


# ---- seeding: pending drafts, declared by A through the dialog (not timed) ---------------------
def pending_drafts(folder: str) -> list[tuple[int, int]]:
    with sqlite3.connect(f"{folder}/bench.db") as db:
        rows = db.execute("SELECT id, version FROM draft WHERE status = 'pending' ORDER BY id").fetchall()
    return [(int(a), int(b)) for a, b in rows]


async def seed(url: str, activities: Activities, wanted: int) -> list[tuple[int, int]]:
    started = time.perf_counter()
    await measure(url, activities.declare, max(1, wanted - WARMUP), 10)  # measure's warm-up declares too
    for _ in range(300):  # the drafts may be written after the dialog's answer
        if len(drafts := pending_drafts(activities.folder)) >= wanted:
            print(f"seeded {len(drafts)} pending drafts in {time.perf_counter() - started:.1f} s")
            return drafts
        await asyncio.sleep(0.1)
    raise SystemExit(f"declaring incidents gave {len(drafts)} pending drafts, not {wanted}")


async def settle(activities: Activities) -> None:
    """Wait until our app's background work (replies, publishing) is done, so phases do not overlap."""
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            async with session.get(activities.healthz) as response:
                if (await response.json())["background_tasks"] == 0:
                    return
            await asyncio.sleep(0.1)
    raise SystemExit("our app's background tasks did not finish within 60 s")


def check_published(folder: str, clicked: int) -> None:
    """An approval click answers 200 even when it is refused: every clicked draft must be out."""
    with sqlite3.connect(f"{folder}/bench.db") as db:
        counts = dict(db.execute("SELECT status, COUNT(*) FROM draft GROUP BY status").fetchall())
    print(f"drafts by status after {clicked} approval clicks on ours: {counts}")
    if counts.get("published", 0) < clicked:
        raise SystemExit("some approval clicks did not approve their draft")


# ---- the run ----------------------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def row(kind: str, concurrency: int, results: dict[str, list[float]]) -> str:
    ours, bare = results["ours"], results.get("bare")
    cells = f"{kind:<11}{concurrency:>5}{len(ours):>6}{pct(ours, 0.5):>9.2f}{pct(ours, 0.99):>9.2f}"
    if bare is None:
        return cells
    ratios = f"{pct(ours, 0.5) / pct(bare, 0.5):>7.2f}×{pct(ours, 0.99) / pct(bare, 0.99):>7.2f}×"
    return cells + f"{pct(bare, 0.5):>9.2f}{pct(bare, 0.99):>9.2f}{ratios}"


def start_servers(folder: str) -> tuple[list[subprocess.Popen], dict[str, int], dict[str, str]]:
    me = str(Path(__file__).resolve().with_name("teams_servers.py"))
    ports = {"ours": free_port(), "bare": free_port()}
    fakes = subprocess.Popen([sys.executable, me, "--serve", "fakes"], stdout=subprocess.PIPE, text=True)
    urls = json.loads(fakes.stdout.readline())
    serve = [sys.executable, me, "--service-url", urls["service_url"], "--serve"]
    ours = f"ours --port {ports['ours']} --slack-api {urls['slack_api']} --folder {folder}".split()
    procs = [
        fakes,
        subprocess.Popen([*serve, *ours]),
        subprocess.Popen([*serve, "bare", "--port", str(ports["bare"])]),
    ]
    return procs, ports, urls


async def table(args: argparse.Namespace, ports: dict[str, int], activities: Activities, drafts) -> None:
    url = {app: f"http://127.0.0.1:{port}/api/messages" for app, port in ports.items()}
    plan = [
        ("message", activities.help, activities.help, args.sequential, args.concurrent),
        ("task/fetch", activities.fetch, activities.fetch, args.sequential, args.concurrent),
        ("approve", lambda: activities.approve(next(drafts)), lambda: activities.approve((1, 1)),
         args.approve_sequential, args.approve_concurrent),
    ]  # fmt: skip
    print(f"{'':<22}{'ours':>18}{'baseline':>18}{'ours/baseline':>16}")
    print(f"{'request':<11}{'conc':>5}{'n':>6}" + f"{'p50 ms':>9}{'p99 ms':>9}" * 2 + f"{'p50':>8}{'p99':>8}")
    for kind, ours_body, bare_body, sequential, concurrent in plan:
        for concurrency, count in ((1, sequential), (50, concurrent)):
            results = {"bare": await measure(url["bare"], bare_body, count, concurrency)}
            results["ours"] = await measure(url["ours"], ours_body, count, concurrency)
            print(row(kind, concurrency, results))
            await settle(activities)
    healthz = activities.healthz
    for concurrency, count in ((1, args.sequential), (50, args.concurrent)):
        print(
            row("/healthz", concurrency, {"ours": await measure(healthz, lambda: None, count, concurrency)})
        )


async def run(args: argparse.Namespace) -> None:
    began, folder = time.perf_counter(), tempfile.mkdtemp()
    procs, ports, urls = start_servers(folder)
    try:
        for port in ports.values():
            await wait_for_port(port)
        activities = Activities(urls, folder, ports["ours"])
        clicks = args.approve_sequential + args.approve_concurrent + 2 * WARMUP
        drafts = await seed(f"http://127.0.0.1:{ports['ours']}/api/messages", activities, clicks)
        await settle(activities)
        await table(args, ports, activities, iter(drafts))
        check_published(folder, clicks)
        print(f"whole run {time.perf_counter() - began:.1f} s")
    finally:
        for proc in reversed(procs):  # the apps first, the fakes they talk to last
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for name, default in (("sequential", 200), ("concurrent", 500), ("approve-sequential", 100),
                          ("approve-concurrent", 200)):  # fmt: skip
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
