from datetime import UTC, datetime

from bot.incidents.channel_names import candidates, channel_name

WHEN = datetime(2026, 11, 23, tzinfo=UTC)


def name(title: str, pattern: str = "inc-{number}-{slug}", number: int = 42) -> str:
    return channel_name(pattern, number=number, title=title, severity="SEV1", when=WHEN)


def test_titles_become_valid_slack_names():
    assert name("Checkout errors in EU") == "inc-42-checkout-errors-in-eu"
    assert name("Zürich DB: 50% errors!!") == "inc-42-zurich-db-50-errors"
    assert name("日本語のみ") == "inc-42"


def test_names_never_exceed_80_characters():
    long = name("word " * 40)
    assert len(long) <= 80 and not long.endswith("-")
    assert all(len(c) <= 80 for c in candidates(long))


def test_collisions_get_numbered_suffixes():
    assert list(candidates("inc-1-x", attempts=2)) == ["inc-1-x", "inc-1-x-2", "inc-1-x-3"]


def test_pattern_placeholders():
    assert name("Api", pattern="{date}-{severity}-{number}") == "20261123-sev1-42"
