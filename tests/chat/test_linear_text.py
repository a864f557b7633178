"""Every renderer and parser of user text runs in linear time, worst cases included (issue 16).

Each case is a public function on the input that made one of its patterns scan the rest of the
text from every position; see `tests/linear.py` for how growth is measured without a time limit.
The rewritten patterns are checked against the originals on random text: same results.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.chat import links, public_text
from bot.chat.links import LINK_CLOSE, LINK_MIDDLE, LINK_OPEN
from handlers.slack import mrkdwn
from handlers.teams import commands
from handlers.teams import text as teams_text
from tests.linear import LINEAR_BOUND, growth

RENDERERS = {
    "slack mrkdwn": mrkdwn.to_mrkdwn,
    "slack plain": mrkdwn.to_plain,
    "teams markdown": teams_text.to_teams,
    "teams plain": teams_text.to_plain,
    "page html": public_text.to_html.__wrapped__,  # uncached: every run does the work
    "page plain": public_text.to_plain.__wrapped__,
    "webhook markdown": public_text.to_markdown.__wrapped__,
    "policy links": links.own_links,
}
HOSTILE = ["[", "[a](", "[a](<", "](", "*", "**", "** ", "_a", "_", "<at>", "&gt;", "- ", '[a](x "']


@pytest.mark.parametrize("unit", HOSTILE)
@pytest.mark.parametrize("name", RENDERERS)
def test_renderers_are_linear_on_hostile_text(name, unit):
    assert growth(RENDERERS[name], unit) < LINEAR_BOUND


@pytest.mark.parametrize("unit", [LINK_OPEN, f"{LINK_OPEN}a{LINK_MIDDLE}"])
def test_the_bots_link_markers_are_found_in_linear_time(unit):
    """Users cannot type markers (they are stripped), but a renderer must not stall on them either."""
    assert growth(lambda text: links.live(text, links.as_text), unit) < LINEAR_BOUND


@pytest.mark.parametrize("unit", ["<at>", "<", "<at>a", "<AT>x</a", "<p>"])
def test_teams_command_text_is_linear(unit):
    assert growth(lambda text: commands.command_text(text, []), unit) < LINEAR_BOUND


OLD_AT = re.compile(r"<at>.*?</at>", re.S | re.I)
OLD_TAG = re.compile(r"<[^>]*>")
OLD_LINK = re.compile(
    f"{LINK_OPEN}([^{LINK_MIDDLE}{LINK_CLOSE}]*){LINK_MIDDLE}([^\\s{LINK_CLOSE}]+){LINK_CLOSE}"
)
TAGGY = st.text(alphabet="<>/atAT x\n", max_size=60)


@given(TAGGY)
def test_mentions_and_tags_are_removed_exactly_as_before(text):
    assert commands._without_mentions(text) == OLD_AT.sub(" ", text)
    assert commands._without_tags(text) == OLD_TAG.sub(" ", text)


@given(
    st.text(alphabet=f"a: \n[]{LINK_OPEN}{LINK_MIDDLE}{LINK_CLOSE}", max_size=20),
    st.text(alphabet="ab/.:", max_size=9),
    st.text(alphabet="a! \n", max_size=9),
)
def test_the_link_pattern_finds_the_bots_links_as_before(label, path, around):
    """Whatever label and URL the core passes to `link()`, the link is found as before."""
    text = f"{around}{links.link('https://x.example/' + path, label)}{around}{links.link('http://y')}"
    assert links.LINK_PATTERN.findall(text) == OLD_LINK.findall(text)
