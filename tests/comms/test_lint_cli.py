import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.comms import lint_cli
from bot.policy.check_rules import CheckRules

CLEAN = (
    "We're investigating failed logins. Customers in the EU cannot sign in. We have rolled back the release. "
    "We expect recovery by 15:00 UTC. We will keep monitoring error rates. Next update at 14:30 UTC. "
    "Contact support@example.com for help."
)
BLOCKED = "Thanks <@U123ABC> — this is probably DNS.\nNext update at 14:30 UTC."


@pytest.fixture(autouse=True)
def _no_policy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCIDENT_COMMS_CONFIG", raising=False)


def lint(*argv: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = lint_cli.run(list(argv), stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def test_exits_0_and_prints_a_checklist_for_a_clean_draft(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    code, out = lint(str(draft), "--stage", "update")
    assert code == 0
    assert "✓ Estimated duration (or “no estimate yet”)" in out
    assert "Findings: none" in out
    assert out.rstrip().endswith("Result: OK: nothing blocks approval")


def test_exits_1_and_lists_findings_with_line_and_column_when_something_blocks() -> None:
    code, out = lint("-", "--stage", "update", stdin=BLOCKED)
    assert code == 1
    assert 'BLOCK pii           1:8  "<@U123ABC>"' in out
    assert 'WARN  speculation   1:29  "probably"' in out
    assert "✗ Impact (who is affected and how)  — missing (warn)" in out


def test_reads_stdin_when_no_file_is_given() -> None:
    code, out = lint("--stage", "update", stdin=BLOCKED)
    assert code == 1
    assert out.startswith("<stdin> (stage: update)")


def test_prints_the_documented_json() -> None:
    code, out = lint("-", "--stage", "resolved", "--format", "json", stdin=BLOCKED)
    data = json.loads(out)
    assert code == 1
    assert list(data["required"]) == [
        "what_happened",
        "impact",
        "actions_taken",
        "support_route",
        "resolution_confirmed",
    ]
    assert data["findings"][0] == {
        "kind": "pii",
        "match": "<@U123ABC>",
        "start": 7,
        "end": 17,
        "severity": "block",
        "suggestion": data["findings"][0]["suggestion"],
    }


def test_flags_every_named_account_given() -> None:
    text = "Globex and Initech saw errors."
    _, out = lint(
        "--stage",
        "update",
        "--format",
        "json",
        "--named-account",
        "Globex",
        "--named-account",
        "Initech",
        stdin=text,
    )
    assert [f["match"] for f in json.loads(out)["findings"]] == ["Globex", "Initech"]


def test_may_name_exempts_the_account_the_message_is_for() -> None:
    argv = ("--stage", "update", "--format", "json", "--named-account", "Globex", "--may-name", "Globex")
    _, out = lint(*argv, stdin="Hi Globex team.")
    assert json.loads(out)["findings"] == []


@pytest.mark.parametrize(
    "argv",
    [
        ("-",),
        ("-", "--stage", "bogus"),
        ("-", "--stage", "update", "--format", "xml"),
        ("-", "--stage", "update", "--unknown"),
    ],
)
def test_exits_2_on_usage_errors(argv: tuple[str, ...]) -> None:
    assert lint(*argv)[0] == 2


def test_exits_2_when_the_file_cannot_be_read(tmp_path: Path) -> None:
    assert lint(str(tmp_path / "missing.txt"), "--stage", "update")[0] == 2


def test_exits_2_when_the_policy_file_is_invalid(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("this is not = = toml", encoding="utf-8")
    assert lint("-", "--stage", "update", "--config", str(policy), stdin=CLEAN)[0] == 2


def test_passes_the_config_path_to_the_policy_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def fake_load_policy(path: str | None) -> SimpleNamespace:
        seen.append(path)
        return SimpleNamespace(checks=CheckRules(speculation="block"))

    monkeypatch.setattr("bot.policy.model.load_policy", fake_load_policy)
    code, _ = lint("-", "--stage", "update", "--config", "team.toml", stdin=CLEAN + " This is probably DNS.")
    assert (code, seen) == (1, ["team.toml"])


def test_applies_the_checks_table_of_the_config_file(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[checks]\npii = "warn"\nmissing_required = "block"\n', encoding="utf-8")
    code, out = lint("-", "--stage", "update", "--format", "json", "--config", str(policy), stdin=BLOCKED)
    assert code == 1  # missing content now blocks
    assert json.loads(out)["findings"][0]["severity"] == "warn"


def test_uses_default_rules_without_a_config() -> None:
    assert lint_cli.load_rules(None) == CheckRules()
