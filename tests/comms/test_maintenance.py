"""Maintenance stages (issue 21): required pieces, the window text and the lint command."""

import io
from datetime import UTC, datetime

import pytest

from bot.comms import lint_cli
from bot.comms.maintenance import MAINTENANCE_STAGES, Maintenance, maintenance_context
from bot.comms.required_content import REQUIRED_KEYS, detect_required
from bot.enums import Stage

COMPLETE = (
    "Scheduled maintenance on Saturday 14 December, 02:00–04:00 UTC: we will upgrade the database behind "
    "the dashboard and the public API. The dashboard will be read-only for up to 15 minutes. "
    "Questions? Contact support@dashly.example."
)


def test_every_maintenance_stage_needs_window_services_impact_and_support() -> None:
    for stage in MAINTENANCE_STAGES:
        assert REQUIRED_KEYS[stage] == ("window", "affected_services", "expected_impact", "support_route")
        assert all(detect_required(COMPLETE, stage).values())


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("Maintenance window: Sat 14 Dec 02:00–04:00 UTC.", True),
        ("We will upgrade the servers between 01:00 and 03:00 CET on Sunday.", True),
        ("The work starts at 23:00 UTC and will last about two hours.", True),
        ("The upgrade was completed at 03:40 UTC.", True),
        ("Postgres upgrade finished 02:24 UTC (started 02:00).", True),
        ("We will be upgrading our payment platform on Saturday night.", False),
        ("Next week we will move our file storage to a new data centre.", False),
        ("Maintenance tonight at 23:00 on our messaging service.", False),
    ],
)
def test_the_window_needs_times(text: str, present: bool) -> None:
    assert detect_required(text, Stage.MAINTENANCE_SCHEDULED)["window"] is present


@pytest.mark.parametrize(
    ("text", "services", "impact"),
    [
        ("The website and the mobile app will be unavailable for about 20 minutes.", True, True),
        ("No customer-facing services will be affected.", True, False),
        ("No downtime is expected.", False, True),
        ("You may see brief interruptions while we restart things.", False, True),
        ("We're doing some maintenance this weekend.", False, False),
        ("Reply to this email if you have questions.", False, False),
    ],
)
def test_services_and_impact(text: str, services: bool, impact: bool) -> None:
    found = detect_required(text, Stage.MAINTENANCE_STARTED)
    assert (found["affected_services"], found["expected_impact"]) == (services, impact)


def test_window_text_and_context() -> None:
    same_day = Maintenance(datetime(2026, 12, 12, 2, tzinfo=UTC), datetime(2026, 12, 12, 4, tzinfo=UTC))
    assert same_day.window_text() == "Sat 12 Dec 2026, 02:00–04:00 UTC"
    overnight = Maintenance(datetime(2026, 12, 12, 23, tzinfo=UTC), datetime(2026, 12, 13, 1, tzinfo=UTC))
    assert overnight.window_text() == "Sat 12 Dec 2026 23:00 UTC – Sun 13 Dec 2026 01:00 UTC"
    assert maintenance_context(None)["maintenance_window"] == ""
    assert maintenance_context(same_day)["window_end"] == datetime(2026, 12, 12, 4, tzinfo=UTC)


@pytest.mark.parametrize("stage", [stage.value for stage in MAINTENANCE_STAGES])
def test_lint_accepts_the_maintenance_stages(stage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCIDENT_COMMS_CONFIG", raising=False)
    out = io.StringIO()
    assert lint_cli.run(["-", "--stage", stage, "--explain"], stdin=io.StringIO(COMPLETE), stdout=out) == 0
    assert "✓ Maintenance window (with times)" in out.getvalue()
    assert "Affected services: found in" in out.getvalue()


def test_lint_explains_the_tense_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCIDENT_COMMS_CONFIG", raising=False)
    out = io.StringIO()
    text = "Resolved. EU customers cannot complete purchases. Contact support@shoply.example."
    lint_cli.run(["-", "--stage", "resolved", "--explain"], stdin=io.StringIO(text), stdout=out)
    assert "tense.cannot" in out.getvalue()
    assert "present-tense inability after the fix" in out.getvalue()
