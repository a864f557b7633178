"""`incident-comms report --since 30d [--format md|html|json|csv] [--output F] [--include-private --as ID]`.

Reads DATABASE_URL and INCIDENT_COMMS_CONFIG like `serve`. Private incidents are counted and
named only for someone listed in the policy's `roles.admins` (by user id, or a `[people]` name
whose ids include it); anyone else asking for them is refused (exit 2), naming who can.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path

from handlers.cli_output import emit, refuse

FORMATS = ("md", "html", "json", "csv")


def add_parser(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="comms SLOs over a period, per severity (a monthly review)")
    report.add_argument("--since", default="30d", help='how far back, e.g. "30d", "2w", "90d" (default 30d)')
    report.add_argument("--format", choices=FORMATS, default="md")
    report.add_argument("--output", type=Path, help="write the report to this file instead of stdout")
    report.add_argument("--include-private", action="store_true", help="name private incidents (admins only)")
    report.add_argument("--as", dest="as_user", default="", help="your user id, for --include-private")


def is_admin(policy, user_id: str) -> bool:
    people = policy.people.named
    for entry in policy.roles.admins:
        if entry == user_id or (entry in people and user_id in (people[entry].slack, people[entry].teams)):
            return bool(user_id)
    return False


def run(args: argparse.Namespace) -> int:
    from bot.chat.templating import Templates
    from bot.config import Settings
    from bot.durations import parse_duration
    from bot.incidents.cards import IncidentCards
    from bot.policy.model import load_policy
    from bot.slo.report import build_report
    from bot.slo.report_html import as_html
    from bot.slo.report_text import as_csv, as_json, as_markdown
    from storage.db import Database

    settings = Settings()
    policy = load_policy(settings.policy_path)
    try:
        period = parse_duration(args.since)
    except ValueError as error:
        return refuse(str(error))
    if args.include_private and not is_admin(policy, args.as_user):
        admins = ", ".join(policy.roles.admins) or "nobody (set roles.admins in the policy)"
        return refuse(f"--include-private names private incidents; only admins may ask ({admins}), with --as")
    until = datetime.now(UTC)
    ref = IncidentCards(Templates(policy.messages.templates_dir), policy).ref

    async def build():
        database = Database(settings.database_url)
        try:
            return await build_report(
                database, policy, ref, since=until - period, until=until, include_private=args.include_private
            )
        finally:
            await database.dispose()

    report = asyncio.run(build())
    render = {"md": as_markdown, "html": as_html, "json": as_json, "csv": as_csv}[args.format]
    return emit(render(report), args.output)
