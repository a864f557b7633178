"""`incident-comms export INC-1 --format md|html|json [--output FILE]`, against the app's database."""

from __future__ import annotations

import asyncio
import json

import pytest

from handlers.cli import main
from tests.conftest import BOB, CAROL
from tests.export.conftest import approval_card, exporter
from tests.slack.flows import declare


@pytest.fixture
async def declared(bot, slack, database_url, tmp_path, monkeypatch, time_machine):
    """An incident recorded by the running app; the CLI finds it through the environment and
    runs at the app's time (the plan's comms SLOs are measured at the time of the export)."""
    time_machine.move_to(bot.core.clock.now(), tick=False)
    await declare(bot, commander=BOB, comms_owner=CAROL, named_accounts="Acme Corp")
    await bot.click(approval_card(slack), "draft_approve", user=BOB)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("INCIDENT_COMMS_CONFIG", str(tmp_path / "policy.toml"))  # written by `policy`
    return bot


async def run(*argv: str) -> int:
    """The CLI runs its own event loop, so it gets a thread of its own."""
    return await asyncio.to_thread(main, ["export", *argv])


async def test_markdown_goes_to_stdout_by_default(declared, capsys):
    assert await run("INC-1") == 0

    printed = capsys.readouterr().out
    assert printed == await exporter(declared, named=False).render(1, "md")
    assert printed.startswith("# INC-1 · Checkout errors in EU — communications plan")


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
async def test_each_format_is_written_to_the_output_file(declared, tmp_path, fmt):
    target = tmp_path / f"plan.{fmt}"

    assert await run("inc-1", "--format", fmt, "--output", str(target)) == 0

    assert target.read_text("utf-8") == await exporter(declared, named=False).render(1, fmt)


async def test_json_parses(declared, capsys):
    assert await run("INC-1", "--format", "json") == 0

    plan = json.loads(capsys.readouterr().out)
    assert plan["ref"] == "INC-1" and plan["metadata"]["owner"] == CAROL


async def test_a_malformed_reference_exits_2(declared, capsys):
    assert await run("INC-x") == 2

    assert "'INC-x' is not an incident; write it like INC-42" in capsys.readouterr().err


async def test_an_unknown_incident_exits_2(declared, capsys):
    assert await run("INC-99") == 2
    assert await run("INC-99999999999999999999") == 2

    err = capsys.readouterr().err
    assert "There is no incident INC-99." in err and "There is no incident INC-99999999999999999999." in err
