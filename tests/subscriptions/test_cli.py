"""`incident-comms subscribers export|import`: CSV out with formula cells escaped; CSV in, confirmed
only with --confirmed (otherwise a confirmation e-mail each); a bad file imports nothing."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime

from handlers.cli import main
from tests.subscriptions.conftest import SECRET, SMTP_URL, confirmation_path, post
from tests.subscriptions.test_flow import subscribers


def cli(monkeypatch, tmp_path, database_url: str, inbox, *args: str):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("INCIDENT_COMMS_CONFIG", str(tmp_path / "policy.toml"))
    monkeypatch.setenv("SUBSCRIPTION_SECRET", SECRET)
    monkeypatch.setenv("SMTP_URL", SMTP_URL.format(port=inbox.port))
    return asyncio.to_thread(main, ["subscribers", *args])


async def test_import_then_export_round_trip_escaping_formulas(
    bot, inbox, monkeypatch, tmp_path, database_url
):
    source = tmp_path / "from-elsewhere.csv"
    source.write_text("address,components\n=cmd@evil.example,api\nfan@customer.example,\n")
    assert await cli(monkeypatch, tmp_path, database_url, inbox, "import", str(source), "--confirmed") == 0
    assert sorted(s.address for s in await subscribers(bot)) == ["=cmd@evil.example", "fan@customer.example"]
    assert inbox.received == []

    out = tmp_path / "out.csv"
    assert await cli(monkeypatch, tmp_path, database_url, inbox, "export", "--output", str(out)) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(r["address"], r["components"]) for r in rows] == [
        ("'=cmd@evil.example", "api"),
        ("fan@customer.example", ""),
    ]


async def test_import_without_confirmed_sends_confirmation_emails_and_subscribes_nobody(
    bot, inbox, monkeypatch, tmp_path, database_url, clock
):
    clock.set(datetime.now(UTC))  # the command line runs on the system clock
    source = tmp_path / "list.csv"
    source.write_text("address,components\nnew@customer.example,payments\n")
    assert await cli(monkeypatch, tmp_path, database_url, inbox, "import", str(source)) == 0
    assert await subscribers(bot) == []
    status, page = await post(bot, confirmation_path(inbox, "new@customer.example"), {})
    assert status == 200, page
    [subscriber] = await subscribers(bot)
    assert (subscriber.components, subscriber.source) == (["payments"], "form")


async def test_a_bad_line_imports_nothing(bot, inbox, monkeypatch, tmp_path, database_url, capsys):
    source = tmp_path / "bad.csv"
    source.write_text("address,components\nok@customer.example,\nbroken,\nx@customer.example,nope\n")
    assert await cli(monkeypatch, tmp_path, database_url, inbox, "import", str(source), "--confirmed") == 2
    assert "line 3: not an e-mail address" in capsys.readouterr().err
    assert await subscribers(bot) == []
