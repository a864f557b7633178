"""The comms SLOs in words: one line for status and digests, labelled rows for the exported plan."""

from __future__ import annotations

from datetime import timedelta

from bot.durations import format_duration
from bot.slo.measures import CommsSlo, percentile


def short(value: timedelta | None) -> str:
    """12m, 1h 5m, 40s: minutes are enough past the first one."""
    if value is None:
        return "–"
    seconds = max(0, int(value.total_seconds()))
    if seconds >= 60:
        seconds -= seconds % 60
    return format_duration(timedelta(seconds=seconds))


def first_update_words(slo: CommsSlo) -> str:
    target = slo.first_update_target
    if slo.first_update is not None:
        verdict = "" if slo.first_update_met is None else (" ✓" if slo.first_update_met else " ✗")
        goal = f" (target {short(target)}{verdict})" if target is not None else ""
        return f"first update {short(slo.first_update)}{goal}"
    if slo.first_update_overdue is not None:
        return f"first update overdue by {short(slo.first_update_overdue)} (target {short(target)})"
    return "no customer update yet"


def updates_words(slo: CommsSlo) -> str:
    if not slo.updates:
        return "no promised update due yet"
    owed = sum(1 for u in slo.updates if u.published_at is None)
    words = f"{slo.on_time}/{len(slo.updates)} updates on time"
    if late := slo.late:
        words += f", worst {short(max(u.lateness for u in late))} late"
    return words + (" (one still owed)" if owed else "")


def summary_line(slo: CommsSlo) -> str:
    """e.g. "first update 12m (target 15m ✓) · 3/4 updates on time, worst 8m late · approval p50 4m"."""
    parts = [first_update_words(slo), updates_words(slo)]
    if slo.approval_latencies:
        parts.append(f"approval p50 {short(percentile(slo.approval_latencies, 0.5))}")
    if slo.rejections:
        parts.append(f"{slo.rejections} rejected")
    return " · ".join(parts)


def _pair(values: list[timedelta], low: float, high: float) -> str:
    return f"{short(percentile(values, low))} / {short(percentile(values, high))}"


def plan_rows(slo: CommsSlo) -> list[tuple[str, str, bool | None]]:
    """The exported plan's "How we communicated" rows: (measure, value, met: None = no verdict)."""
    late = [u.lateness for u in slo.late]
    updates = f"{slo.on_time} of {len(slo.updates)}" if slo.updates else "None due yet"
    first = first_update_words(slo).removeprefix("first update ")
    rows: list[tuple[str, str, bool | None]] = [
        ("Time to first customer update", first, slo.first_update_met),
        ("Promised updates on time", updates, not late if slo.updates else None),
        ("Lateness when late (p50 / max)", _pair(late, 0.5, 1.0) if late else "Never late", None),
        (
            "Approval latency (p50 / p95)",
            _pair(slo.approval_latencies, 0.5, 0.95) if slo.approval_latencies else "No approvals yet",
            None,
        ),
        ("Drafts rejected", str(slo.rejections), None),
    ]
    if slo.resolved_at is not None:
        for label, value in (
            ("resolution notice", slo.to_resolution_notice),
            ("post-incident review", slo.to_review),
        ):
            rows.append(
                (f"Resolution → {label}", short(value) if value is not None else "Not published yet", None)
            )
    return rows
