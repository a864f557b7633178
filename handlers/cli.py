"""`incident-comms` command line: serve, migrate, demo, sandbox, lint, export, report, subscribers,
teams-package/say."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from handlers import report_cli, subscribers_cli
from handlers.cli_output import emit
from handlers.cli_output import refuse as _refuse


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="incident-comms", description="Incident communications bot.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="run the bot (HTTP on $PORT or Socket Mode; /metrics on $METRICS_PORT)"
    )
    serve.add_argument(
        "--teams-local", action="store_true", help="Teams on without a Microsoft account (see README, Teams)"
    )
    serve.add_argument("--connector", help="with --teams-local: a Bot Connector stand-in on 127.0.0.1")
    role = {"choices": ("web", "worker", "all"), "default": os.environ.get("PROCESS_ROLE") or "all"}
    serve.add_argument("--role", **role, help="web answers, worker works, all both (default $PROCESS_ROLE)")
    say = commands.add_parser("teams-say", help="send a signed Teams message to a `serve --teams-local` bot")
    say.add_argument("text", help="what you type, e.g. help or incident declare Checkout errors")
    say.add_argument("--user", default="aad-you", help="the sender's Entra object id (default aad-you)")
    commands.add_parser("migrate", help="bring the database schema up to date")
    demo = commands.add_parser("demo", help="play an incident against the built-in Slack emulator")
    demo.add_argument("--quiet", action="store_true", help="print only the final channel transcript")
    demo.add_argument("--teams-only", action="store_true", help="play the Microsoft Teams act alone")
    sandbox = commands.add_parser("sandbox", help="a Slack-like workspace in your browser on 127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8765, help="the page's port on 127.0.0.1 (default 8765)")
    commands.add_parser("lint", help="check a draft or template like approvers see it", add_help=False)
    export = commands.add_parser("export", help="print an incident's communications plan as a document")
    export.add_argument("reference", help="the incident, e.g. INC-42")
    export.add_argument("--format", choices=("md", "html", "json"), default="md")
    export.add_argument("--output", type=Path, help="write the document to this file instead of stdout")
    report_cli.add_parser(commands)
    subscribers_cli.add_parser(commands)
    teams = commands.add_parser("teams-package", help="write the Teams app package (manifest + icons zip)")
    teams.add_argument(
        "--bot-id", default=os.environ.get("TEAMS_CLIENT_ID"), help="default: $TEAMS_CLIENT_ID"
    )
    teams.add_argument("--website-url", required=True, help="https URL shown as the developer's site")
    teams.add_argument("--privacy-url", default="", help="default: the website URL")
    teams.add_argument("--terms-url", default="", help="default: the website URL")
    teams.add_argument("--version", default="1.0.0", help="the app version (semver)")
    teams.add_argument("--output", type=Path, default=Path("incident-comms-teams.zip"))
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
    from bot.policy.model import PolicyError
    from handlers.app import ConfigError

    return (ConfigError, PolicyError)


def _serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot import logs
    from bot.config import Settings
    from handlers.app import create_app

    logs.configure(os.environ.get("LOG_LEVEL", "INFO"))
    settings = Settings()
    if args.teams_local:
        from handlers.local_teams.serve import serve_local

        return asyncio.run(serve_local(settings, args.connector))
    # SIGTERM: aiohttp stops listening, waits for requests in flight, then the app's cleanup
    # lets background work finish; both within SHUTDOWN_TIMEOUT (handlers/app.py::_stopper)
    web.run_app(
        create_app(settings, role=args.role),
        port=settings.port,
        print=None,
        shutdown_timeout=settings.shutdown_timeout,
    )
    return 0


def _teams_say(args: argparse.Namespace) -> int:
    from handlers.local_teams.say import say

    return asyncio.run(say(args.text, args.user))


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
    from handlers.demo.main import run_demo

    return asyncio.run(run_demo(quiet=args.quiet, teams_only=args.teams_only))


def _sandbox(args: argparse.Namespace) -> int:
    from handlers.sandbox.main import run_sandbox

    return run_sandbox(args.port)


def _export(args: argparse.Namespace) -> int:
    """Reads DATABASE_URL and INCIDENT_COMMS_CONFIG like the bot; a wrong reference exits 2."""
    from bot.chat.templating import Templates
    from bot.config import Settings
    from bot.errors import NotFound
    from bot.export.service import PlanExport
    from bot.incidents.cards import IncidentCards
    from bot.policy.model import load_policy
    from storage.db import Database

    settings = Settings()
    policy = load_policy(settings.policy_path)
    prefix = policy.incident.number_prefix
    found = re.fullmatch(rf"(?:{re.escape(prefix)}-)?([0-9]+)", args.reference.strip(), re.IGNORECASE)
    if found is None:
        return _refuse(f"{args.reference!r} is not an incident; write it like {prefix}-42")

    async def run() -> str:
        database = Database(settings.database_url)
        templates = Templates(policy.messages.templates_dir)
        try:
            exporter = PlanExport(database, policy, templates, IncidentCards(templates, policy).ref)
            return await exporter.render(int(found.group(1)), args.format)
        finally:
            await database.dispose()

    try:
        document = asyncio.run(run())
    except NotFound as error:
        return _refuse(error.message)
    return emit(document, args.output)


def _teams_package(args: argparse.Namespace) -> int:
    from handlers.teams.package import manifest, package

    if not args.bot_id:
        print(
            "incident-comms: give --bot-id or set TEAMS_CLIENT_ID (the bot's Entra app id)", file=sys.stderr
        )
        return 2
    data = manifest(
        args.bot_id,
        version=args.version,
        website_url=args.website_url,
        privacy_url=args.privacy_url,
        terms_url=args.terms_url,
    )
    args.output.write_bytes(package(data))
    print(f"wrote {args.output}")
    return 0


_COMMANDS = {
    "serve": _serve,
    "migrate": _migrate,
    "demo": _demo,
    "sandbox": _sandbox,
    "export": _export,
    "report": report_cli.run,
    "subscribers": subscribers_cli.run,
    "teams-package": _teams_package,
    "teams-say": _teams_say,
}

if __name__ == "__main__":
    sys.exit(main())
