"""The processes `benchmarks/teams.py` measures, each started as `teams_servers.py --serve KIND`.

`fakes`: the fake Bot Connector and fake Graph with the Slack emulator beside it (prints their
URLs as one JSON line); `ours`: incident-comms with Teams on, SQLite in the given folder;
`bare`: a bare Teams SDK app behind the same aiohttp server adapter, whose handlers do nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.teams.conftest import OUTBOUND_TOKEN as TOKEN  # a JWT shape the SDK reads, no sign-in

USER_B = "aad-bob"  # the policy's approver
CARD = "application/vnd.microsoft.card.adaptive"
SMALL_CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "ok"}]}


async def serve_fakes() -> None:
    from emulator.slack import SlackEmulator
    from emulator.teams import FakeConnector

    connector, slack = FakeConnector(), SlackEmulator(strict_triggers=False)
    await connector.start()
    await slack.start()
    print(json.dumps({"service_url": connector.service_url, "slack_api": slack.api_url}), flush=True)
    await asyncio.Event().wait()


def serve_ours(port: int, service_url: str, slack_api: str, folder: str) -> None:
    import logging

    from aiohttp import web

    from bot.config import Settings
    from bot.policy.model import load_policy
    from handlers.app import create_app
    from handlers.teams.adapter import TeamsOverrides

    logging.basicConfig(level=logging.ERROR)
    policy = Path(folder) / "policy.toml"
    policy.write_text(f'[approvals]\napprovers = ["msteams:{USER_B}"]\n')
    database = f"sqlite+aiosqlite:///{folder}/bench.db"
    settings = Settings(
        SLACK_SIGNING_SECRET="secret",
        SLACK_BOT_TOKEN="xoxb-x",
        SLACK_API_URL=slack_api,
        DATABASE_URL=database,
        METRICS_PORT=0,  # any free port: several servers may run side by side
    )
    teams = TeamsOverrides(service_url=service_url, token=lambda *_: TOKEN)
    app = create_app(settings, policy=load_policy(policy), teams=teams)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


def serve_bare(port: int, service_url: str) -> None:
    from aiohttp import web
    from microsoft_teams.apps import App

    from bot.metrics import Metrics
    from handlers.teams.http import AiohttpAdapter

    adapter = AiohttpAdapter(Metrics())
    app = App(
        client_id="00000000-0000-0000-0000-000000000b07",
        token=lambda *_: TOKEN,
        service_url=service_url,
        dangerously_allow_unauthenticated_requests=True,
        http_server_adapter=adapter,
        messaging_endpoint="/api/messages",
    )

    @app.on_message
    async def on_message(ctx) -> None: ...

    @app.on_card_action
    async def on_card_action(ctx) -> dict:
        return {"statusCode": 200, "type": CARD, "value": SMALL_CARD}

    @app.on_dialog_open
    async def on_dialog_open(ctx) -> dict:
        card = {"contentType": CARD, "content": SMALL_CARD}
        return {"task": {"type": "continue", "value": {"title": "x", "card": card}}}

    async def initialise(_: web.Application) -> None:
        await app.initialize()

    web_app = web.Application()
    web_app.router.add_post("/api/messages", adapter.handle)
    web_app.on_startup.append(initialise)
    web.run_app(web_app, host="127.0.0.1", port=port, print=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--serve", choices=["fakes", "ours", "bare"], required=True)
    parser.add_argument("--port", type=int)
    for name in ("--service-url", "--slack-api", "--folder"):
        parser.add_argument(name)
    args = parser.parse_args()
    if args.serve == "fakes":
        asyncio.run(serve_fakes())
    elif args.serve == "ours":
        serve_ours(args.port, args.service_url, args.slack_api, args.folder)
    else:
        serve_bare(args.port, args.service_url)


if __name__ == "__main__":
    main()
