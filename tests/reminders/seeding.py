"""Many live incidents at once, declared through the incident service with a channel each."""

from __future__ import annotations

from bot.incidents.forms import DeclareInput
from bot.services.core import Core
from emulator.slack import SlackEmulator
from tests.conftest import ALICE, BOB, CAROL


async def seed_incidents(
    core: Core, slack: SlackEmulator | None, count: int, *, severity: str = "SEV2"
) -> list[int]:
    """Declare `count` incidents now (the core's clock); each gets its own emulator channel."""
    ids = []
    for n in range(count):
        form = DeclareInput(
            title=f"Seeded incident {n}",
            what_happened="Search results are slow.",
            customer_impact="Searches take up to 10 seconds.",
            severity=severity,
            commander_id=BOB,
            comms_owner_id=CAROL,
        )
        declared = await core.incidents.declare(
            form, reporter_id=ALICE, origin_channel_id=None, source_key=f"seed-{n}"
        )
        channel_id = f"CSEED{n:05d}"
        if slack is not None:
            slack.add_channel(f"inc-seed-{n}", channel_id=channel_id, members=[ALICE, BOB, CAROL])
        await core.incidents.update_fields(declared.incident.id, channel_id=channel_id, setup_complete=True)
        ids.append(declared.incident.id)
    return ids
