import pytest

from bot.comms.mentions import find_mentions


def flagged(text: str) -> list[str]:
    return [text[hit.start : hit.end] for hit in find_mentions(text)]


@pytest.mark.parametrize(
    "mention", ["<!channel>", "<!here>", "<!everyone>", "<!here|here>", "@channel", "@here", "@everyone"]
)
def test_flags_broadcast_mentions(mention: str) -> None:
    assert flagged(f"{mention} the API is down.") == [mention]


def test_flags_user_group_mentions() -> None:
    assert flagged("<!subteam^S0123ABC|@oncall-payments> please look.") == [
        "<!subteam^S0123ABC|@oncall-payments>"
    ]


@pytest.mark.parametrize(
    "text", ["Mail here@acme.example.", "Post in #here-and-now.", "We are here to help.", "@hereford"]
)
def test_does_not_flag_look_alikes(text: str) -> None:
    assert flagged(text) == []
