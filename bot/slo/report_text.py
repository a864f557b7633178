"""The comms SLO report as Markdown, JSON and CSV (HTML: `report_html`)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.slo.measures import percentile
from bot.slo.report import Figures, IncidentLine, Report
from bot.slo.wording import short

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as a formula


def day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "–"


def figure_cells(f: Figures) -> list[str]:
    """A row of the severity table, as people read it."""
    return [
        f.label,
        str(f.incidents),
        short(f.first_update_p50),
        ratio(f.first_update_met, f.first_update_judged),
        ratio(f.on_time, f.updates),
        f"{short(f.lateness_p50)} / {short(f.lateness_max)}",
        f"{short(f.approval_p50)} / {short(f.approval_p95)}",
        str(f.rejections),
        short(f.to_notice_p50),
        short(f.to_review_p50),
    ]


FIGURE_HEADINGS = [
    "Severity",
    "Incidents",
    "First update p50",
    "First update on target",
    "Updates on time",
    "Lateness p50 / max (late ones)",
    "Approval p50 / p95",
    "Rejected",
    "Resolved → notice p50",
    "Resolved → review p50",
]


def worst_cells(line: IncidentLine) -> list[str]:
    slo = line.slo
    if slo.first_update is not None:
        first = short(slo.first_update)
    elif slo.first_update_overdue is not None:
        first = f"none ({short(slo.first_update_overdue)} past target)"
    else:
        first = "none yet"
    late = [u.lateness for u in slo.late]
    return [
        line.ref,
        slo.severity,
        line.title or "(private)",
        first,
        f"{slo.on_time}/{len(slo.updates)}" if slo.updates else "–",
        short(max(late)) if late else "–",
    ]


WORST_HEADINGS = ["Incident", "Severity", "Title", "First update", "Updates on time", "Worst lateness"]


def _md_cell(text: str) -> str:
    flat = " ".join(text.split())
    for raw, escaped in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;")):
        flat = flat.replace(raw, escaped)
    return flat


def _md_table(headings: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    return lines + ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]


def as_markdown(report: Report) -> str:
    period = f"{day(report.since)} to {day(report.until)}"
    lines = [f"# How well we kept customers informed · {period}", ""]
    lines += _md_table(FIGURE_HEADINGS, [figure_cells(f) for f in report.figures])
    lines += ["", "## Worst offenders", ""]
    if report.worst:
        lines += _md_table(WORST_HEADINGS, [worst_cells(line) for line in report.worst])
    else:
        lines.append("Every first update met its target and every promised update came on time.")
    lines += ["", private_note(report), ""]
    return "\n".join(lines)


def private_note(report: Report) -> str:
    if not report.private_counted:
        return "No private incidents in this period."
    n = report.private_counted
    noun = "1 private incident is" if n == 1 else f"{n} private incidents are"
    return f"{noun} {'named' if report.private_named else 'counted above but not named'}."


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def as_json(report: Report) -> str:
    def figures(f: Figures) -> dict[str, Any]:
        return {k: _seconds(v) if isinstance(v, timedelta) or v is None else v for k, v in vars(f).items()}

    def incident(line: IncidentLine) -> dict[str, Any]:
        slo = line.slo
        return {
            "ref": line.ref,
            "title": line.title,
            "private": line.private,
            "severity": slo.severity,
            "first_update_seconds": _seconds(slo.first_update),
            "first_update_target_seconds": _seconds(slo.first_update_target),
            "first_update_met": slo.first_update_met,
            "updates": len(slo.updates),
            "updates_on_time": slo.on_time,
            "lateness_seconds": [u.lateness.total_seconds() for u in slo.late],
            "approval_latency_seconds": [a.total_seconds() for a in slo.approval_latencies],
            "rejections": slo.rejections,
            "to_resolution_notice_seconds": _seconds(slo.to_resolution_notice),
            "to_review_seconds": _seconds(slo.to_review),
        }

    document = {
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "by_severity": [figures(f) for f in report.figures],
        "worst": [incident(line) for line in report.worst],
        "incidents": [incident(line) for line in report.incidents],
        "days": [
            {"day": d.day.isoformat(), "due": d.due, "on_time": d.on_time, "late": d.late}
            for d in report.days
        ],
        "private_counted": report.private_counted,
        "private_named": report.private_named,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def csv_cell(value: object) -> str:
    """A spreadsheet reads a cell starting with = + - @ as a formula: such text gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


CSV_HEADINGS = [
    "incident", "title", "private", "severity", "declared_at", "first_update_minutes",
    "first_update_target_minutes", "first_update_met", "updates", "updates_on_time",
    "worst_lateness_minutes", "approval_p50_minutes", "rejections", "resolution_notice_minutes",
    "review_minutes",
]  # fmt: skip


def _minutes(value: timedelta | None) -> str:
    return "" if value is None else f"{value.total_seconds() / 60:.1f}"


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def as_csv(report: Report) -> str:
    """One row per incident; figures in minutes, so a spreadsheet can aggregate them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADINGS)
    for line in report.incidents:
        slo = line.slo
        late = [u.lateness for u in slo.late]
        row = [
            line.ref, line.title, "yes" if line.private else "no", slo.severity,
            slo.declared_at.astimezone(UTC).isoformat(), _minutes(slo.first_update),
            _minutes(slo.first_update_target), _yes_no(slo.first_update_met),
            len(slo.updates), slo.on_time, _minutes(max(late, default=None)),
            _minutes(percentile(slo.approval_latencies, 0.5)), slo.rejections,
            _minutes(slo.to_resolution_notice), _minutes(slo.to_review),
        ]  # fmt: skip
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()
