"""`incident-comms` command line: serve, migrate, demo, lint."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="incident-comms", description="Incident communications bot.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the bot (HTTP on $PORT, or Socket Mode with SLACK_APP_TOKEN)")
    commands.add_parser("migrate", help="bring the database schema up to date")
    demo = commands.add_parser("demo", help="play an incident against the built-in Slack emulator")
    demo.add_argument("--quiet", action="store_true", help="print only the final channel transcript")
    commands.add_parser("lint", help="check a draft or template like approvers see it", add_help=False)
    args, rest = parser.parse_known_args(argv)
    if args.command == "lint":
        from bot.comms.lint_cli import run

        return run(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return _COMMANDS[args.command](args)
    except (ValidationError, *_config_errors()) as error:
        print(f"incident-comms: {error}", file=sys.stderr)
        return 2


def _config_errors() -> tuple[type[Exception], ...]:
    from bot.app import ConfigError
    from bot.policy import PolicyError

    return (ConfigError, PolicyError)


def _serve(_args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot import logs
    from bot.app import create_app
    from bot.config import Settings

    logs.configure(os.environ.get("LOG_LEVEL", "INFO"))
    settings = Settings()
    web.run_app(create_app(settings), port=settings.port, print=None)
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    from bot.config import Settings
    from storage.db import Database
    from storage.migrate import upgrade_schema

    async def run() -> None:
        database = Database(Settings().database_url)
        try:
            await upgrade_schema(database)
        finally:
            await database.dispose()

    asyncio.run(run())
    print("database schema is up to date")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return asyncio.run(run_demo(quiet=args.quiet))


_COMMANDS = {"serve": _serve, "migrate": _migrate, "demo": _demo}

if __name__ == "__main__":
    sys.exit(main())
