"""``incident-comms lint``: run the draft checks on a template or draft, e.g. in CI.

Exit status: 0 when nothing blocks approval, 1 when something does, 2 for usage errors (bad
arguments, unreadable file, invalid policy).
"""

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.comms.checks import HUMAN_LABELS, CheckReport, check_draft
from bot.comms.explain import explain, explain_json
from bot.comms.text_spans import line_and_column
from bot.enums import Stage
from bot.policy.check_rules import CheckRules

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2
_MAX_SHOWN = 60


class UsageError(Exception):
    """Bad input that is the caller's to fix (exit status 2)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="incident-comms lint",
        description="Check a customer-update draft or template: required content, speculation, blame, "
        "personal data, confidential names, broadcast mentions and Slack length.",
    )
    parser.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="draft to check ('-' = stdin)")
    parser.add_argument("--stage", required=True, choices=[stage.value for stage in Stage])
    parser.add_argument(
        "--named-account",
        action="append",
        default=[],
        metavar="NAME",
        help="confidential account in the incident's audience (repeatable)",
    )
    parser.add_argument(
        "--may-name",
        action="append",
        default=[],
        metavar="NAME",
        help="account this message is for, which it may name (repeatable)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="show which rule fired on which words and why, and why each required item counts",
    )
    parser.add_argument(
        "--config", metavar="POLICY.toml", help="policy file (default: $INCIDENT_COMMS_CONFIG)"
    )
    return parser


def run(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run the lint command; returns the exit status instead of exiting."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse reports usage errors (2) and --help (0) by exiting
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        text = _read(args.file, stdin)
        rules = load_rules(args.config)
    except UsageError as exc:
        print(f"incident-comms lint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    report = check_draft(
        text, Stage(args.stage), named_accounts=args.named_account, may_name=args.may_name, rules=rules
    )
    if args.format == "json":
        document = report.to_json()
        if args.explain:
            document["explain"] = explain_json(report, text)
        json.dump(document, stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
    else:
        stdout.write(format_text(report, text, source=args.file))
        if args.explain:
            stdout.write(explain(report, text))
    return EXIT_BLOCKED if report.blocking else EXIT_OK


def _read(path: str, stdin: TextIO) -> str:
    if path == "-":
        return stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc


def load_rules(config: str | None) -> CheckRules:
    """The `[checks]` rules of the policy: `--config`, else $INCIDENT_COMMS_CONFIG, else the defaults."""
    from bot.policy.model import PolicyError, load_policy

    try:
        return load_policy(config).checks
    except (OSError, ValueError, PolicyError) as exc:
        raise UsageError(str(exc)) from exc


def format_text(report: CheckReport, text: str, source: str = "-") -> str:
    """Readable checklist: ✓/✗ per required item, then findings with position and suggestion."""
    name = "<stdin>" if source == "-" else source
    missing_severity = report.rules.missing_required
    lines = [f"{name} (stage: {report.stage.value})", "Required content:"]
    for key, present in report.required.items():
        note = "" if present else f"  — missing ({missing_severity})"
        lines.append(f"  {'✓' if present else '✗'} {HUMAN_LABELS[key]}{note}")
    lines.append(f"Findings: {len(report.findings) or 'none'}")
    for finding in report.findings:
        line, column = line_and_column(text, finding.start)
        shown = finding.match if len(finding.match) <= _MAX_SHOWN else finding.match[: _MAX_SHOWN - 1] + "…"
        lines.append(
            f"  {finding.severity.upper():<5} {finding.kind:<13} {line}:{column}  {json.dumps(shown)}"
        )
        lines.append(f"        {finding.suggestion}")
    verdict = (
        "BLOCKED: fix the blocking items before approval"
        if report.blocking
        else "OK: nothing blocks approval"
    )
    lines.append(f"Result: {verdict}")
    return "\n".join(lines) + "\n"


def main() -> None:
    raise SystemExit(run())


if __name__ == "__main__":
    main()
