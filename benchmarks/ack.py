"""Ack latency of signed Slack requests: incident-comms vs a bare Bolt app, same machine, same run.

Each server runs in its own process (as in production) against the Slack emulator, also in
its own process. The bare app is Bolt's fastest ack path: one listener that only acks,
with process_before_response=True. We measure a signed `/incident <title>` (our app then
opens the declare modal after the ack) and a `block_actions` click on "Show status" (our
app then reads the incident and posts an ephemeral), at concurrency 1 and 50.

    .venv/bin/python benchmarks/ack.py [--sequential 300] [--concurrent 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import free_port, wait_for_port

from emulator.driver import sign

SECRET = "bench-signing-secret"
TOKEN = "xoxb-emulator"


# ---- the three servers (each run as `ack.py --serve KIND`) ----------------------------------
async def serve_emulator(port: int) -> None:
    from emulator.slack import SlackEmulator

    slack = SlackEmulator(strict_triggers=False)
    await slack.start(port=port)
    for user in ("UALICE", "UBOB"):
        slack.add_user(user, user.lower())
    slack.add_channel("general", channel_id="CGENERAL", members=["UALICE", "UBOB"])
    await asyncio.Event().wait()


def serve_ours(port: int, api_url: str, folder: str) -> None:
    import logging

    from aiohttp import web

    from bot.config import Settings
    from handlers.app import create_app

    logging.basicConfig(level=logging.ERROR)
    settings = Settings(
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_URL=api_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{folder}/bench.db",
    )
    web.run_app(create_app(settings), host="127.0.0.1", port=port, print=None)


def serve_bare(port: int, api_url: str) -> None:
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    app = AsyncApp(
        client=AsyncWebClient(token=TOKEN, base_url=api_url),
        signing_secret=SECRET,
        process_before_response=True,
    )

    async def just_ack(ack) -> None:
        await ack()

    app.command("/incident")(just_ack)
    app.action("incident_status")(just_ack)
    web.run_app(app.web_app(path="/slack/events"), host="127.0.0.1", port=port, print=None)


# ---- requests -------------------------------------------------------------------------------------
def command_body(emulator: str) -> str:
    return urlencode(
        {
            "command": "/incident",
            "text": "Checkout errors in EU",
            "user_id": "UALICE",
            "channel_id": "CGENERAL",
            "team_id": "T0EMULATOR",
            "trigger_id": f"bench.{time.time_ns()}",
            "response_url": f"{emulator}/response/x",
            "api_app_id": "A0INCIDENT",
            "token": "unused",
        }
    )


def click_body(emulator: str, channel: str) -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": "T0EMULATOR"},
        "user": {"id": "UALICE"},
        "api_app_id": "A0INCIDENT",
        "trigger_id": f"bench.{time.time_ns()}",
        "channel": {"id": channel},
        "container": {"type": "message"},
        "actions": [
            {
                "type": "button",
                "action_id": "incident_status",
                "block_id": "b",
                "value": "1",
                "action_ts": str(time.time()),
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


async def timed_post(session: aiohttp.ClientSession, url: str, body: str) -> float:
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, secret=SECRET)}
    started = time.perf_counter()
    async with session.post(url, data=body.encode(), headers=headers) as response:
        await response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - started


async def measure(url: str, make_body, count: int, concurrency: int) -> list[float]:
    limit = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        for _ in range(20):  # warm-up: connections, Bolt's first auth.test
            await timed_post(session, url, make_body())

        async def one() -> float:
            async with limit:
                return await timed_post(session, url, make_body())

        return list(await asyncio.gather(*(one() for _ in range(count))))


async def declare_one_incident(ours: str, emulator: str) -> str:
    """Give our app an incident, so the status click does real work after its ack."""
    view = {
        "id": "VBENCH1",
        "type": "modal",
        "callback_id": "incident_declare",
        "private_metadata": "{}",
        "state": {
            "values": {
                "title": {"value": {"type": "plain_text_input", "value": "Bench incident"}},
                "what_happened": {"value": {"type": "plain_text_input", "value": "Benchmark"}},
                "customer_impact": {"value": {"type": "plain_text_input", "value": "None"}},
                "severity": {"value": {"type": "static_select", "selected_option": {"value": "SEV3"}}},
                "segments": {
                    "value": {"type": "multi_static_select", "selected_options": [{"value": "EU region"}]}
                },
            }
        },
    }
    payload = {
        "type": "view_submission",
        "team": {"id": "T0EMULATOR"},
        "user": {"id": "UALICE"},
        "view": view,
    }
    async with aiohttp.ClientSession() as session:
        await timed_post(session, ours, urlencode({"payload": json.dumps(payload)}))
        for _ in range(100):
            await asyncio.sleep(0.05)
            async with session.get(
                f"{emulator}/api/conversations.info",
                params={"channel": "inc-1-bench-incident"},
                headers={"Authorization": f"Bearer {TOKEN}"},
            ) as response:
                data = await response.json()
            if data.get("ok"):
                return data["channel"]["id"]
    raise RuntimeError("our app did not create the incident channel")


_seen: dict[str, tuple[float, float]] = {}


async def server_side_ack_ms(port: int, kind: str) -> float:
    """Mean time our handler took (from its /metrics listener) since the last call: no client or queueing."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/metrics") as response,
    ):
        text = await response.text()
    values = {}
    for line in text.splitlines():
        for part in ("sum", "count"):
            if line.startswith(f'incident_comms_ack_seconds_{part}{{kind="{kind}"}}'):
                values[part] = float(line.split()[-1])
    before = _seen.get(kind, (0.0, 0.0))
    _seen[kind] = (values["sum"], values["count"])
    return (values["sum"] - before[0]) / max(1.0, values["count"] - before[1]) * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _start_servers(ports: dict[str, int], emulator: str) -> list[subprocess.Popen]:
    """The emulator, our app and a bare Bolt app, each in its own process."""
    me, folder = str(Path(__file__).resolve()), tempfile.mkdtemp()
    return [
        subprocess.Popen([sys.executable, me, "--serve", "emulator", "--port", str(ports["emulator"])]),
        subprocess.Popen(
            [
                sys.executable,
                me,
                "--serve",
                "ours",
                "--port",
                str(ports["ours"]),
                "--api",
                f"{emulator}/api/",
                "--folder",
                folder,
            ],
            env={**os.environ, "METRICS_PORT": str(ports["metrics"])},  # /metrics is not on its main port
        ),
        subprocess.Popen(
            [sys.executable, me, "--serve", "bare", "--port", str(ports["bare"]), "--api", f"{emulator}/api/"]
        ),
    ]


async def run(args: argparse.Namespace) -> None:
    ports = {name: free_port() for name in ("emulator", "ours", "bare", "metrics")}
    emulator = f"http://127.0.0.1:{ports['emulator']}"
    procs = _start_servers(ports, emulator)
    try:
        for port in ports.values():
            await wait_for_port(port)
        urls = {name: f"http://127.0.0.1:{ports[name]}/slack/events" for name in ("ours", "bare")}
        channel = await declare_one_incident(urls["ours"], emulator)
        kinds = {
            "command": lambda: command_body(emulator),
            "block_actions": lambda: click_body(emulator, channel),
        }
        print(f"{'request':<14}{'conc':>5}{'app':>7}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
        for kind, body in kinds.items():
            for concurrency, count in ((1, args.sequential), (50, args.concurrent)):
                results = {}
                for app in ("bare", "ours"):
                    results[app] = await measure(urls[app], body, count, concurrency)
                    r = results[app]
                    print(
                        f"{kind:<14}{concurrency:>5}{app:>7}{len(r):>6}"
                        f"{pct(r, 0.5):>9.2f}{pct(r, 0.99):>9.2f}{statistics.mean(r) * 1000:>9.2f}"
                    )
                ratio = pct(results["ours"], 0.5) / pct(results["bare"], 0.5)
                server = await server_side_ack_ms(ports["metrics"], kind)
                print(
                    f"{'':<14}{'':>5}{'ratio':>7}{'':>6}{ratio:>8.2f}×  (ours p50 / bare p50);"
                    f" ours server-side mean {server:.2f} ms"
                )
    finally:
        for proc in reversed(procs):  # the apps first, the emulator they talk to last
            proc.terminate()
            proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sequential", type=int, default=300)
    parser.add_argument("--concurrent", type=int, default=1000)
    parser.add_argument("--serve", choices=["emulator", "ours", "bare"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--api")
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.serve == "emulator":
        asyncio.run(serve_emulator(args.port))
    elif args.serve == "ours":
        serve_ours(args.port, args.api, args.folder)
    elif args.serve == "bare":
        serve_bare(args.port, args.api)
    else:
        os.environ.setdefault("PYTHONUNBUFFERED", "1")
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
