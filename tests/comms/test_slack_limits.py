from bot.comms.slack_limits import find_length_overflow


def test_reports_nothing_when_the_text_fits() -> None:
    assert find_length_overflow("x" * 3000, 3000) == []


def test_reports_the_overflowing_characters() -> None:
    [hit] = find_length_overflow("x" * 3005, 3000)
    assert (hit.start, hit.end) == (3000, 3005)
    assert "5 characters" in hit.suggestion
