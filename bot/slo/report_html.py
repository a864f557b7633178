"""The comms SLO report as one self-contained HTML page, with two inline SVG charts."""

from __future__ import annotations

from datetime import timedelta

from markupsafe import Markup, escape

from bot.slo.report import Report
from bot.slo.report_text import FIGURE_HEADINGS, WORST_HEADINGS, day, figure_cells, private_note, worst_cells
from bot.slo.wording import short

ON_TIME, LATE, MAX = "#2e7d32", "#c62828", "#ef9a9a"
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; color: #1b1b1b; }
table { border-collapse: collapse; margin: 1rem 0; } th, td { border: 1px solid #bbb; padding: .3rem .6rem; }
th { background: #eee; text-align: left; } figure { margin: 1.5rem 0; } figcaption { font-weight: 600; }
"""


def _table(headings: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headings)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def updates_chart(report: Report, width: int = 720, height: int = 180) -> str:
    """Promised updates per day: a bar per day, on time below, late stacked on top."""
    days = report.days
    top = max((d.due for d in days), default=0) or 1
    step = width / max(1, len(days))
    bars = []
    for n, d in enumerate(days):
        x, on_h, late_h = n * step, d.on_time / top * (height - 20), d.late / top * (height - 20)
        label = escape(f"{d.day.isoformat()}: {d.due} due, {d.on_time} on time, {d.late} late")
        wide = f'x="{x:.1f}" width="{step * 0.8:.1f}"'
        bars.append(
            f"<g><title>{label}</title>"
            f'<rect {wide} y="{height - on_h:.1f}" height="{on_h:.1f}" fill="{ON_TIME}"/>'
            f'<rect {wide} y="{height - on_h - late_h:.1f}" height="{late_h:.1f}" fill="{LATE}"/></g>'
        )
    total = sum(d.due for d in days)
    late = sum(d.late for d in days)
    summary = escape(f"Promised updates per day: {total} due, {total - late} on time, {late} late")
    return (
        f'<svg role="img" aria-label="{summary}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{summary}</title>'
        + "".join(bars)
        + "</svg>"
    )


def lateness_chart(report: Report, width: int = 720) -> str:
    """Lateness of late updates per severity: p50 and max as two bars."""
    rows = [f for f in report.figures if f.label != "All"]
    top = max((f.lateness_max or timedelta() for f in rows), default=timedelta()) or timedelta(minutes=1)
    bar_room, height = width - 220, 28 * len(rows) + 10
    parts = []
    for n, f in enumerate(rows):
        y = 10 + n * 28
        p50 = (f.lateness_p50 or timedelta()) / top * bar_room
        most = (f.lateness_max or timedelta()) / top * bar_room
        text = escape(f"{f.label}: p50 {short(f.lateness_p50)}, max {short(f.lateness_max)}")
        values = escape(f"{short(f.lateness_p50)} / {short(f.lateness_max)}")
        parts.append(
            f'<g><title>{text}</title><text x="0" y="{y + 14}">{escape(f.label)}</text>'
            f'<rect x="70" y="{y}" width="{most:.1f}" height="18" fill="{MAX}"/>'
            f'<rect x="70" y="{y}" width="{p50:.1f}" height="18" fill="{LATE}"/>'
            f'<text x="{80 + most:.1f}" y="{y + 14}">{values}</text></g>'
        )
    summary = escape("Lateness of late updates by severity (p50 / max)")
    return (
        f'<svg role="img" aria-label="{summary}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" font-size="13">'
        f"<title>{summary}</title>" + "".join(parts) + "</svg>"
    )


def as_html(report: Report) -> str:
    title = f"How well we kept customers informed · {day(report.since)} to {day(report.until)}"
    worst = (
        _table(WORST_HEADINGS, [worst_cells(line) for line in report.worst])
        if report.worst
        else "<p>Every first update met its target and every promised update came on time.</p>"
    )
    private = private_note(report)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title><style>{STYLE}</style></head>
<body><main>
<h1>{escape(title)}</h1>
{_table(FIGURE_HEADINGS, [figure_cells(f) for f in report.figures])}
<figure><figcaption>Promised updates per day (green on time, red late)</figcaption>
{updates_chart(report)}</figure>
<figure><figcaption>Lateness by severity (dark p50, light max)</figcaption>
{lateness_chart(report)}</figure>
<h2>Worst offenders</h2>
{worst}
<p>{escape(private)}</p>
</main></body></html>
"""
    return str(Markup(page))
