import pytest

from bot.comms.checks import Finding, check_draft, redact
from bot.enums import Stage


def pii(text: str, match: str, start: int | None = None) -> Finding:
    start = text.index(match) if start is None else start
    return Finding("pii", match, start, start + len(match), "block", "")


def test_replaces_personal_data_and_keeps_the_rest() -> None:
    text = "Mail jane@gmail.com or call +44 7700 900123 now."
    report = check_draft(text, Stage.UPDATE)
    assert redact(text, report.findings) == "Mail [redacted] or call [redacted] now."


def test_redacts_user_mentions_as_users() -> None:
    text = "Thanks <@U04TZ8K2L> and @jane.doe!"
    assert (
        redact(text, check_draft(text, Stage.UPDATE).findings)
        == "Thanks [redacted user] and [redacted user]!"
    )


def test_leaves_other_findings_alone() -> None:
    text = "We think <!here> is fine."
    assert redact(text, check_draft(text, Stage.UPDATE).findings) == text


def test_merges_overlapping_findings_into_one_placeholder() -> None:
    text = "id 4242 4242 4242 4242 end"
    findings = [
        pii(text, "4242 4242 4242 4242"),
        pii(text, "4242 4242", text.index("4242 4242 4242 4242") + 10),
    ]
    assert redact(text, findings) == "id [redacted] end"


def test_redacts_adjacent_findings_separately() -> None:
    text = "ab"
    assert redact(text, [pii(text, "a"), pii(text, "b")]) == "[redacted][redacted]"


def test_accepts_findings_in_any_order() -> None:
    text = "x@gmail.com y@gmail.com"
    findings = list(check_draft(text, Stage.UPDATE).findings)
    assert redact(text, reversed(findings)) == "[redacted] [redacted]"


def test_refuses_findings_that_no_longer_match_the_text() -> None:
    with pytest.raises(ValueError, match="does not match"):
        redact("edited text", [pii("Mail jane@gmail.com", "jane@gmail.com")])
