"""`incident-comms subscribers export|import`: the status page's e-mail subscribers as CSV.

Reads DATABASE_URL, INCIDENT_COMMS_CONFIG, SMTP_URL and the subscription secret like the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from handlers.cli_output import emit, refuse


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("subscribers", help="export or import the status page's e-mail subscribers")
    actions = parser.add_subparsers(dest="action", required=True)
    out = actions.add_parser(
        "export", help="CSV of confirmed subscribers (address, components, confirmed_at)"
    )
    out.add_argument("--output", type=Path, help="write the CSV to this file instead of stdout")
    into = actions.add_parser("import", help="add subscribers from a CSV with an 'address' column")
    into.add_argument("file", type=Path, help="the CSV file ('-' for stdin)")
    into.add_argument(
        "--confirmed",
        action="store_true",
        help="they confirmed elsewhere: subscribe them at once (otherwise each gets a confirmation e-mail)",
    )


def run(args: argparse.Namespace) -> int:
    from bot.chat.templating import Templates
    from bot.clock import SystemClock
    from bot.config import Settings
    from bot.errors import Invalid
    from bot.external.email_smtp import parse_smtp_url
    from bot.policy.model import load_policy
    from bot.subscriptions import transfer
    from bot.subscriptions.service import SubscriptionService
    from bot.subscriptions.tokens import signer_for
    from storage.db import Database

    settings = Settings()
    policy = load_policy(settings.policy_path)
    signer = signer_for(policy)
    if signer is None:
        return refuse("subscriptions are off: set [subscriptions] enabled = true in the policy")
    rows: list = []
    if args.action == "import":
        text = sys.stdin.read() if str(args.file) == "-" else args.file.read_text("utf-8")
        try:
            rows = transfer.parse_csv(text, policy)
        except Invalid as error:
            return refuse("nothing imported: " + "; ".join(f"{k}: {v}" for k, v in error.fields.items()))
        if not args.confirmed and not settings.smtp_url:
            return refuse("without --confirmed each address gets a confirmation e-mail: set SMTP_URL")
    smtp = parse_smtp_url(settings.secret("smtp_url")) if settings.smtp_url else None

    async def work() -> str:
        database = Database(settings.database_url)
        templates = Templates(policy.messages.templates_dir)
        service = SubscriptionService(database, policy, SystemClock(), signer, templates, smtp)
        try:
            if args.action == "export":
                return await transfer.export_csv(service)
            done = await transfer.import_rows(service, rows, confirmed=args.confirmed)
            return (
                f"subscribed {done.subscribed}, sent {done.invited} confirmation e-mails, held {done.held}\n"
            )
        finally:
            await database.dispose()

    result = asyncio.run(work())
    if args.action == "export":
        return emit(result, args.output)
    sys.stdout.write(result)
    return 0
