"""Ack latency per process role against a bare Bolt app, with the emulator at Slack's latency.

For `--role all` (SQLite) and `--role web` (PostgreSQL, with one `--role worker` beside it that
sets the incidents up), each in its own process with its own emulator process: `/incident
<title>` and a Show status click at concurrency 1 and 50, next to a bare Bolt app that only
acks, and for `web` also a bare Bolt app that does one INSERT (PostgreSQL) before acking, the
least a process that records the intent durably can do. Run by benchmarks/journeys.py; every
process it starts is ended, also when a measurement fails.

    .venv/bin/python benchmarks/role_acks.py   (TEST_DATABASE_URL for the web role)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from ack import SECRET, TOKEN, click_body, command_body, declare_one_incident, measure, pct, serve_bare
from servers import free_port, wait_for_port

ME = str(Path(__file__).resolve())
REQUESTS = 500  # per (kind, app) at concurrency 50; 40% of that at concurrency 1


def serve_emulator(port: int, latency: str | None, seed: int) -> None:
    from emulator.slack import SlackEmulator

    async def run() -> None:
        slack = SlackEmulator(strict_triggers=False, latency=latency, seed=seed)
        slack.workspace.checker.schema = None  # ~300 ms of CPU a modal (benchmarks/journeys.py)
        await slack.start(port=port)
        for user in ("UALICE", "UBOB"):
            slack.add_user(user, user.lower())
        slack.add_channel("general", channel_id="CGENERAL", members=["UALICE", "UBOB"])
        await asyncio.Event().wait()

    asyncio.run(run())


def serve_ours(port: int, api_url: str, database_url: str, role: str) -> None:
    import logging

    from aiohttp import web

    from bot.config import Settings
    from handlers.app import create_app

    logging.basicConfig(level=logging.ERROR)
    settings = Settings(
        SLACK_SIGNING_SECRET=SECRET, SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=api_url, DATABASE_URL=database_url
    )
    web.run_app(create_app(settings, role=role), host="127.0.0.1", port=port, print=None)


def serve_bare_insert(port: int, api_url: str, database_url: str) -> None:
    """A bare Bolt app that writes one row (its own table) before each ack."""
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    app = AsyncApp(
        client=AsyncWebClient(token=TOKEN, base_url=api_url),
        signing_secret=SECRET,
        process_before_response=True,
    )

    async def insert_then_ack(ack, body) -> None:
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO bench_intent (kind) VALUES (:k)"), {"k": body.get("type")}
            )
        await ack()

    async def create_table(_app: web.Application) -> None:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE IF NOT EXISTS bench_intent (id serial, kind text)"))

    app.command("/incident")(insert_then_ack)
    app.action("incident_status")(insert_then_ack)
    web_app = app.web_app(path="/slack/events")
    web_app.on_startup.append(create_table)
    web.run_app(web_app, host="127.0.0.1", port=port, print=None)


@asynccontextmanager
async def processes(*commands: tuple[list[str], dict[str, str]]):
    """Start each `serve` command; end every one of them however the block ends."""
    started: list[subprocess.Popen] = []
    try:
        for argv, env in commands:
            started.append(subprocess.Popen([sys.executable, ME, *argv], env={**os.environ, **env}))
        yield started
    finally:
        for process in reversed(started):  # the apps first, the emulator they talk to last
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def fresh_postgres(admin_url: str) -> str:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from storage.database_url import normalise_database_url

    admin = normalise_database_url(admin_url)
    name = f"bench_roles_{uuid.uuid4().hex[:8]}"
    engine = create_async_engine(admin, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return admin.rsplit("/", 1)[0] + f"/{name}"


async def one_role(role: str, database_url: str, latency: str | None, seed: int, requests: int) -> list[str]:
    """Start the emulator, our app(s) and the bare app(s); measure; return table rows."""
    ports = {name: free_port() for name in ("emulator", "ours", "worker", "bare", "insert")}
    api = f"http://127.0.0.1:{ports['emulator']}/api/"
    quiet = {"METRICS_PORT": "0", "PYTHONUNBUFFERED": "1"}
    commands = [(["--serve", "emulator", "--port", str(ports["emulator"]), "--seed", str(seed)], {})]
    if latency:
        commands[0][0].extend(["--latency", latency])
    ours = ["--api", api, "--database", database_url]
    commands += [(["--serve", "ours", "--port", str(ports["ours"]), "--role", role, *ours], quiet)]
    commands += [(["--serve", "bare", "--port", str(ports["bare"]), "--api", api], {})]
    apps = ["bare", "ours"]
    if role == "web":
        commands += [(["--serve", "ours", "--port", str(ports["worker"]), "--role", "worker", *ours], quiet)]
        commands += [(["--serve", "insert", "--port", str(ports["insert"]), *ours], {})]
        apps.insert(1, "insert")
    async with processes(*commands):
        for name in ("emulator", "ours", "bare", *(("worker", "insert") if role == "web" else ())):
            await wait_for_port(ports[name])
        return await _measure_all(role, ports, apps, api.removesuffix("/api/"), requests)


async def _measure_all(
    role: str, ports: dict[str, int], apps: list[str], emulator: str, requests: int
) -> list[str]:
    urls = {app: f"http://127.0.0.1:{ports[app]}/slack/events" for app in apps}
    channel = await declare_one_incident(urls["ours"], emulator)
    kinds = {
        "/incident": lambda: command_body(emulator),
        "Show status": lambda: click_body(emulator, channel),
    }
    rows = []
    for kind, body in kinds.items():
        for concurrency, count in ((1, requests * 2 // 5), (50, requests)):
            got = {app: await measure(urls[app], body, count, concurrency) for app in apps}
            rows.append(_row(role, kind, concurrency, got))
    return rows


def _row(role: str, kind: str, concurrency: int, got: dict[str, list[float]]) -> str:
    """Targets (issue 25): p50 ≤ 1.5× bare, and at concurrency 50 p99 ≤ 2× bare p99; a web
    process also p50 ≤ 1.5× the bare app that does one INSERT."""
    bare, ours = got["bare"], got["ours"]
    p50, p99 = pct(ours, 0.5) / pct(bare, 0.5), pct(ours, 0.99) / pct(bare, 0.99)
    met = "yes" if p50 <= 1.5 and (concurrency == 1 or p99 <= 2) else "no"
    cells = f"| `{role}` | {kind} | {concurrency} | {pct(bare, 0.5):.1f} / {pct(bare, 0.99):.1f} "
    cells += f"| {pct(ours, 0.5):.1f} / {pct(ours, 0.99):.1f} | {p50:.2f}× / {p99:.2f}× | {met} "
    if "insert" not in got:
        return cells + "| — | — |"
    insert, vs = got["insert"], pct(ours, 0.5) / pct(got["insert"], 0.5)
    figures = f"{pct(insert, 0.5):.1f} / {pct(insert, 0.99):.1f}, ours ÷ {vs:.2f}×"
    return cells + f"| {figures} | {'yes' if vs <= 1.5 else 'no'} |"


async def run(latency: str | None, seed: int, requests: int = REQUESTS) -> None:
    print(
        "\n| role | request | conc | bare p50 / p99 ms | ours p50 / p99 ms | ours ÷ bare p50 / p99 | met ",
        end="",
    )
    print("| bare + INSERT p50 / p99 ms | met |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for row in await one_role("all", f"sqlite+aiosqlite:///{folder}/bench.db", latency, seed, requests):
            print(row)
    admin = os.environ.get("TEST_DATABASE_URL")
    if not admin:
        print("(--role web skipped: set TEST_DATABASE_URL to a PostgreSQL server)")
        return
    for row in await one_role("web", await fresh_postgres(admin), latency, seed, requests):
        print(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", choices=["emulator", "ours", "bare", "insert"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--api")
    parser.add_argument("--database")
    parser.add_argument("--role", default="all")
    parser.add_argument("--latency", default=None)
    parser.add_argument("--seed", type=int, default=25)
    args = parser.parse_args()
    if args.serve == "emulator":
        serve_emulator(args.port, args.latency, args.seed)
    elif args.serve == "ours":
        serve_ours(args.port, args.api, args.database, args.role)
    elif args.serve == "bare":
        serve_bare(args.port, args.api)
    elif args.serve == "insert":
        serve_bare_insert(args.port, args.api, args.database)
    else:
        asyncio.run(run(args.latency or "120ms±40ms", args.seed))


if __name__ == "__main__":
    main()
