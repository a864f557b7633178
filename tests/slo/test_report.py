"""`incident-comms report`: the month's comms SLOs in md, html, json and csv, private incidents unnamed."""

from __future__ import annotations

import asyncio
import csv
import io
import json

import pytest

from handlers.cli import main
from tests.conftest import ALICE, BOB
from tests.slack.flows import declare
from tests.slo.story import at, play

FORMULA_TITLE = '=HYPERLINK("http://evil.example","Checkout")'


@pytest.fixture
async def month(bot, slack, clock, database_url, tmp_path, monkeypatch, time_machine):
    """The scripted INC-1, a private SEV1 with no update (INC-2) and a title a spreadsheet would run."""
    await play(bot, slack, clock)
    clock.set(at(13, 0))
    await declare(bot, "Payroll export leak", severity="SEV1", visibility="private", commander=BOB)
    clock.set(at(13, 5))
    await declare(bot, FORMULA_TITLE, severity="SEV3", commander=BOB)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("INCIDENT_COMMS_CONFIG", str(tmp_path / "policy.toml"))
    time_machine.move_to(at(14, 0), tick=False)
    return bot


async def report(*argv: str) -> int:
    return await asyncio.to_thread(main, ["report", *argv])


async def test_markdown_has_a_row_per_severity_and_the_worst_offenders(month, capsys):
    assert await report("--since", "30d") == 0

    text = capsys.readouterr().out
    assert text.startswith("# How well we kept customers informed · 2026-10-24 to 2026-11-23")
    assert "| SEV2 | 1 | 12m | 1/1 (100%) | 2/3 (67%) | 17m / 17m | 7m / 10m | 1 | 10m | – |" in text
    assert "| SEV1 | 1 | – | 0/1 (0%) | – | – / – | – / – | 0 | – | – |" in text
    assert "| All | 3 | 12m | 1/2 (50%) | 2/3 (67%) | 17m / 17m | 7m / 10m | 1 | 10m | – |" in text
    worst = text.split("## Worst offenders", 1)[1]
    assert worst.index("a private incident | SEV1 | (private) | none (45m past target)") < worst.index(
        "| INC-1 | SEV2 | Checkout errors in EU | 12m | 2/3 | 17m |"
    )
    assert "Payroll" not in text and "1 private incident is counted above but not named." in text


async def test_private_incidents_are_named_only_for_an_admin(month, capsys):
    assert await report("--include-private") == 2
    assert "only admins may ask (UALICE), with --as" in capsys.readouterr().err
    assert await report("--include-private", "--as", BOB) == 2

    assert await report("--include-private", "--as", ALICE, "--format", "json") == 0
    named = json.loads(capsys.readouterr().out)
    assert [(i["ref"], i["title"]) for i in named["incidents"]][1] == ("INC-2", "Payroll export leak")


async def test_json_carries_the_figures_in_seconds(month, capsys):
    assert await report("--format", "json") == 0

    data = json.loads(capsys.readouterr().out)
    sev2 = next(f for f in data["by_severity"] if f["label"] == "SEV2")
    assert sev2["first_update_p50"] == 720 and sev2["lateness_max"] == 1020 and sev2["on_time"] == 2
    [inc1, private, formula] = data["incidents"]
    assert inc1["approval_latency_seconds"] == [420, 120, 300, 600, 600]
    assert private == {**private, "ref": "a private incident", "title": "", "private": True}
    assert formula["title"] == FORMULA_TITLE  # JSON is data, not a spreadsheet
    assert [d for d in data["days"] if d["due"]] == [{"day": "2026-11-23", "due": 3, "on_time": 2, "late": 1}]


async def test_csv_reads_back_with_user_text_that_cannot_run_as_a_formula(month, tmp_path):
    target = tmp_path / "report.csv"
    assert await report("--format", "csv", "--output", str(target)) == 0

    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert [r["incident"] for r in rows] == ["INC-1", "a private incident", "INC-3"]
    assert rows[0]["first_update_minutes"] == "12.0" and rows[0]["worst_lateness_minutes"] == "17.0"
    assert rows[0]["first_update_met"] == "yes" and rows[1]["first_update_met"] == "no"
    assert rows[2]["title"] == "'" + FORMULA_TITLE and rows[1]["title"] == ""


async def test_html_shows_the_table_and_two_charts_in_chromium(month, tmp_path, chromium):
    from playwright.async_api import async_playwright

    from tests.browser import CHROMIUM_ARGS

    target = tmp_path / "report.html"
    assert await report("--format", "html", "--output", str(target)) == 0

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await page.goto(target.as_uri())
            main = await page.inner_text("main")
            assert "How well we kept customers informed" in main and "Worst offenders" in main
            charts = page.locator("svg[role=img]")
            assert await charts.count() == 2
            label = await charts.first.get_attribute("aria-label")
            assert label == "Promised updates per day: 3 due, 2 on time, 1 late"
            assert await page.locator("svg rect").count() > 0
            assert "Payroll" not in await page.content()
        finally:
            await browser.close()
