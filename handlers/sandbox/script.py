"""“Play a SEV1”: a whole incident acted out while you watch, one step every few seconds.

Each step is what one person would do in Slack, sent through the driver like the page's own
actions (signed HTTP to the app); the forms it fills are the ones the app opened. It takes the
world's lock one step at a time, so you can watch, switch person and read between the steps.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from handlers.sandbox.cast import ALICE, APPROVALS, BOB, CAROL, DANA, GENERAL
from handlers.sandbox.world import World

PAUSE = 2.5  # seconds between steps
TITLE = "Login failures for all customers"
Step = Callable[[World], Awaitable[None]]


def _channel(world: World) -> str:
    found = [
        c
        for c in world.slack.workspace.channels.values()
        if c.name.endswith("login-failures-for-all-customers")
    ]
    if not found:
        raise LookupError("the incident channel was not created")
    return found[-1].id


async def _declare(world: World) -> None:
    driver, slack = world.driver, world.slack
    await driver.command(TITLE, user=ALICE, channel=GENERAL)
    facts = {
        "what_happened": "Sign-in fails with an error page for every customer since a few minutes ago.",
        "customer_impact": "Customers cannot sign in to the web app or the mobile apps.",
        "severity": "SEV1",
        "segments": ["All customers"],
        "commander": BOB,
        "comms_owner": CAROL,
    }
    await driver.submit(slack.opened_views[-1].view, facts, user=ALICE)


async def _approve(world: World) -> None:
    await world.driver.click(world.slack.messages(APPROVALS)[-1], "draft_approve", user=DANA)


async def _update(world: World) -> None:
    facts = {
        "what_happened": "A faulty certificate rotation broke sign-in; we are rolling it back.",
        "actions_taken": "We identified the certificate change and started the rollback.",
    }
    await _fill(world, "update", CAROL, facts)


async def _resolve(world: World) -> None:
    facts = {
        "summary": "Rolled back the identity-provider certificate rotation; sign-ins at baseline.",
        "customer_text": "Sign-in works normally again for all customers.",
    }
    await _fill(world, "resolve", BOB, facts)


async def _fill(world: World, command: str, user: str, values: dict[str, str]) -> None:
    """`/incident <command>` in the incident channel, then submit the form it opens with `values`."""
    await world.driver.command(command, user=user, channel=_channel(world))
    await world.driver.submit(world.slack.opened_views[-1].view, values, user=user)


async def _later(world: World) -> None:
    await world.advance(10)


STEPS: tuple[Step, ...] = (_declare, _approve, _later, _update, _approve, _later, _resolve, _approve)


async def play(world: World, pause: float | None = None) -> None:
    """Run the steps, each under the lock; stops quietly if the world was reset meanwhile."""
    pause = PAUSE if pause is None else pause
    for step in STEPS:
        if world.closed:
            return
        async with world.lock:
            if world.closed:
                return
            await step(world)
            world.changes += 1
        await asyncio.sleep(pause)
