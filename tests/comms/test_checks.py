from bot.comms.checks import CheckReport, check_draft
from bot.enums import Stage
from bot.policy.check_rules import CheckRules

CLEAN_UPDATE = (
    "We're investigating failed logins. Customers in the EU cannot sign in. We have rolled back the release. "
    "We expect recovery by 15:00 UTC. We will keep monitoring error rates. Next update at 14:30 UTC. "
    "Contact support@example.com for help."
)


def test_a_complete_clean_update_has_no_findings_and_nothing_missing() -> None:
    report = check_draft(CLEAN_UPDATE, Stage.UPDATE)
    assert report.findings == ()
    assert report.missing == ()
    assert not report.blocking


def test_findings_point_at_their_exact_span() -> None:
    text = "We think it was Acme. Mail jane@gmail.com."
    report = check_draft(text, Stage.UPDATE, named_accounts=["Acme"])
    assert {f.kind for f in report.findings} == {"speculation", "named_account", "pii"}
    assert all(text[f.start : f.end] == f.match for f in report.findings)


def test_findings_are_ordered_by_position() -> None:
    report = check_draft("<!here> jane@gmail.com probably", Stage.UPDATE)
    assert [f.start for f in report.findings] == sorted(f.start for f in report.findings)


def test_severity_comes_from_the_policy() -> None:
    report = check_draft("This is probably DNS.", Stage.UPDATE, rules=CheckRules(speculation="block"))
    assert [f.severity for f in report.findings] == ["block"]


def test_findings_of_kinds_turned_off_are_dropped() -> None:
    report = check_draft("This is probably DNS.", Stage.UPDATE, rules=CheckRules(speculation="off"))
    assert report.findings == ()


def test_warnings_alone_do_not_block() -> None:
    assert not check_draft(CLEAN_UPDATE + " This is probably DNS.", Stage.UPDATE).blocking


def test_a_blocking_finding_blocks() -> None:
    assert check_draft(CLEAN_UPDATE + " <!channel>", Stage.UPDATE).blocking


def test_missing_content_warns_by_default() -> None:
    report = check_draft("Fix deployed.", Stage.UPDATE)
    assert "eta" in report.missing
    assert not report.blocking


def test_missing_content_blocks_when_the_policy_says_so() -> None:
    assert check_draft("Fix deployed.", Stage.UPDATE, rules=CheckRules(missing_required="block")).blocking


def test_may_name_lets_a_named_account_s_own_message_name_it() -> None:
    report = check_draft("Hi Acme team.", Stage.UPDATE, named_accounts=["Acme"], may_name=["Acme"])
    assert report.findings == ()


def test_length_finding_uses_the_policy_limit() -> None:
    report = check_draft(CLEAN_UPDATE, Stage.UPDATE, rules=CheckRules(max_length=100))
    [finding] = [f for f in report.findings if f.kind == "length"]
    assert (finding.start, finding.end) == (100, len(CLEAN_UPDATE))


def test_stage_accepts_its_string_value() -> None:
    assert check_draft("", "resolved").stage is Stage.RESOLVED  # type: ignore[arg-type]


def test_to_json_has_exactly_the_documented_shape() -> None:
    report: CheckReport = check_draft("We think so. <@U123>", Stage.RESOLVED)
    data = report.to_json()
    assert set(data) == {"required", "findings"}
    assert list(data["required"]) == [
        "what_happened", "impact", "actions_taken", "support_route", "resolution_confirmed",
    ]  # fmt: skip
    assert data["findings"][0] == {
        "kind": "speculation",
        "match": "We think",
        "start": 0,
        "end": 8,
        "severity": "warn",
        "suggestion": data["findings"][0]["suggestion"],
    }
    assert data["findings"][1]["kind"] == "pii"
