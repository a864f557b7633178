"""A longer, randomised crash run: a real `serve` killed (`kill -9`) at a random step of an
incident, sometimes with a fault on the restart too (a 500 or a dropped connection after
Slack stored the post, a 429 storm), then restarted; counts what was lost and duplicated.

Each run starts from a fresh embedded database and a fresh Slack emulator (in this process);
the steps and checks are the suite's (`tests/faults/test_kill_at_each_step.py`). Printed:
runs per step, messages (outbox entries) lost and duplicated, incident channels duplicated,
and the time a crash-and-recover run takes against a run without a crash (same steps).

    .venv/bin/python benchmarks/crashes.py [--runs 20] [--seed 7]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulator.slack import SlackEmulator
from tests.conftest import ALICE, BOB, CAROL, GENERAL
from tests.faults import test_kill_at_each_step as steps
from tests.policies import APPROVALS, SUPPORT_ROUTE, policy_file
from tests.serve_process import Serve, database_at

STEPS = ("channel", "card", "publish", "resolve")
RESTART_FAULTS = ("none", "500 after stored", "reset after stored", "429 storm")


async def workspace() -> SlackEmulator:
    slack = SlackEmulator(strict_triggers=False)
    await slack.start()
    for user_id, name in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol")):
        slack.add_user(user_id, name, email=f"{name}@example.com")
    slack.add_channel("general", channel_id=GENERAL, members=[ALICE, BOB, CAROL])
    for name, channel_id in (("approvals", APPROVALS), ("customer-updates", steps.UPDATES)):
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB, CAROL])
    return slack


def restart_fault(slack: SlackEmulator, kind: str) -> None:
    if kind == "500 after stored":
        slack.http_error_after("chat.postMessage", status=500)
    elif kind == "reset after stored":
        slack.reset_after("chat.postMessage")
    elif kind == "429 storm":
        slack.rate_limit_next("chat.postMessage", retry_after=0, times=3)


async def crash_at(step: str, serve: Serve, slack: SlackEmulator) -> None:
    """Drive the incident to `step` and kill the process there (the call carried out, unanswered)."""
    bot = serve.driver()
    if step == "channel":
        await bot.command("Checkout errors in EU", user=ALICE, channel=GENERAL)
        await steps.until(lambda: slack.opened_views)
        hold = steps.hold_where(slack, "conversations.create", lambda _args: True)
        await bot.submit(slack.opened_views[-1].view, steps.DEFAULT_FORM, user=ALICE)
    elif step == "resolve":
        hold = await steps.resolved(serve, hold=True)
    else:
        await steps.declared(serve)
        if step == "card":
            hold = steps.hold_where(slack, "chat.update", lambda args: args.get("channel") == APPROVALS)
        else:
            hold = steps.hold_where(
                slack, "chat.postMessage", lambda args: args.get("channel") == steps.UPDATES
            )
        await bot.click(steps.approval_cards(slack)[-1], "draft_approve", user=BOB)
    await steps.killed_when(serve, hold)
    await bot.close()


async def one_run(step: str, fault: str, folder: Path, crash: bool = True) -> tuple[int, int, int, float]:
    """(messages lost, duplicated, extra incident channels, seconds) for one run."""
    slack = await workspace()
    url = f"sqlite+aiosqlite:///{folder / 'run.db'}"
    policy = policy_file(
        folder,
        channels={"customer_updates": [steps.UPDATES]},
        approvals={"approvers": [BOB, CAROL]},
        messages={"support_route": SUPPORT_ROUTE},
    )
    env = {"INCIDENT_COMMS_CONFIG": str(policy), "LOG_LEVEL": "CRITICAL"}
    started = time.perf_counter()
    try:
        first = await Serve(folder, slack, url, **env).start()
        if crash:
            await crash_at(step, first, slack)
            restart_fault(slack, fault)
            await steps.restarted(
                folder, slack, url, env, lambda entries, _items: entries or step == "channel"
            )
        else:
            await steps.declared(first)
            await first.stop()
        seconds = time.perf_counter() - started
        return (*await _counted(slack, url), seconds)
    finally:
        await slack.stop()


async def _counted(slack: SlackEmulator, url: str) -> tuple[int, int, int]:
    db = database_at(url)
    try:
        async with db.read() as session:
            entries = list((await session.exec(steps.select(steps.OutboxEntry))).all())
    finally:
        await db.dispose()
    markers = steps.copies(slack)
    lost = sum(1 for e in entries if e.action == steps.OutboxAction.POST and markers[f"outbox:{e.id}"] == 0)
    duplicated = sum(n - 1 for n in markers.values() if n > 1)
    channels = [c for c in slack.workspace.channels.values() if c.name.startswith("inc-")]
    return lost, duplicated, max(0, len(channels) - 1)


async def main(runs: int, seed: int) -> int:
    logging.disable(logging.CRITICAL)  # the emulator's and aiohttp's own complaints about killed peers
    rng = random.Random(seed)
    totals, per_step, seconds = Counter(), Counter(), []
    with tempfile.TemporaryDirectory() as root:
        baseline = (await one_run("card", "none", Path(tempfile.mkdtemp(dir=root)), crash=False))[3]
        for n in range(runs):
            step, fault = rng.choice(STEPS), rng.choice(RESTART_FAULTS)
            lost, duplicated, channels, took = await one_run(step, fault, Path(tempfile.mkdtemp(dir=root)))
            per_step[step] += 1
            totals.update(lost=lost, duplicated=duplicated, channels=channels)
            seconds.append(took)
            print(f"run {n + 1:>3}: kill at {step:<8} restart with {fault:<19} lost {lost} dup {duplicated}")
    print(f"\n{runs} runs (seed {seed}): " + ", ".join(f"{s} {c}" for s, c in sorted(per_step.items())))
    lost, duplicated, channels = totals["lost"], totals["duplicated"], totals["channels"]
    print(f"messages lost {lost}, duplicated {duplicated}; incident channels duplicated {channels}")
    mean = sum(seconds) / len(seconds)
    print(
        f"a crash-and-recover run takes {mean:.1f} s on average; a run without a crash {baseline:.1f} s "
        f"({mean / baseline:.1f}×)"
    )
    return 1 if lost or duplicated or channels else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    sys.exit(asyncio.run(main(options.runs, options.seed)))
