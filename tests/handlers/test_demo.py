"""`make demo` plays the whole story on embedded defaults, Slack and Teams, and ends well."""

from __future__ import annotations

from handlers.demo.main import run_demo


async def test_the_demo_plays_both_platforms_and_exits_0(capsys):
    assert await run_demo() == 0

    shown = capsys.readouterr().out
    assert "Meanwhile, on Microsoft Teams" in shown and "INC-2 declared" in shown
    assert "Demo finished" in shown and "Traceback" not in shown
    assert "🔁 INC-1 · still overdue" in shown and "escalation, tier 2" in shown, "a repeat, a 2nd tier"


async def test_the_teams_only_demo_plays_the_teams_act_alone(capsys):
    assert await run_demo(teams_only=True) == 0

    shown = capsys.readouterr().out
    assert "INC-1 declared: Password reset emails delayed" in shown, "the Teams incident is the first"
    assert "/incident" not in shown and "Teams demo finished" in shown and "Traceback" not in shown
