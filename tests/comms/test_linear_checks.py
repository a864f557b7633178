"""The draft checker and the duration parser run in linear time on hostile drafts (issue 16).

Growth is measured as in `tests/linear.py`. Where a pattern was made possessive or given a
lookbehind, the original is kept here and both are compared on random text: same results.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.comms import required_content, text_spans
from bot.comms.checks import check_draft
from bot.comms.findings import Hit, drop_overlapping
from bot.comms.required_content import detect_required
from bot.comms.tense import find_present_tense
from bot.durations import _PART, parse_duration
from bot.enums import Stage
from tests.linear import LINEAR_BOUND, growth

HOSTILE = [  # (repeated unit, tail): each made one pattern scan on from every position
    ("A-", ""),  # blame: a hyphenated "name" chain
    ("A&", ""),
    ("a-", " team"),  # required cues: "<word> team"
    ("<@UA|", ""),  # a Slack mention never closed
    ("<!here|", ""),
    ("a", " "),  # an e-mail's local part with no `@`
    ("!", "x"),  # a sentence end not followed by a space
    ("a.", " "),
    ("-", "1"),  # a heading's bullets, then no label (was exponential)
    ("- ", "1"),
    ("never happen ", ""),
    ("_a", ""),
    ("[", ""),
    ("we also ", ""),  # issue 20/21 cues: actions, causes, parties, tense, maintenance windows
    ("errors ", "x"),
    ("our engineer ", ""),
    ("Acme's ", ""),
    ("failed ", "after"),
    ("cannot ", ""),
    ("since 09:12 ", ""),
    ("02:00 ", ""),
    ("between 1:00 ", ""),
]


def _check(text: str) -> object:
    """Every detector once: the update's checks, and the stage-specific parts of the others."""
    return (
        check_draft(text, Stage.UPDATE),
        find_present_tense(text),
        detect_required(text, Stage.POST_INCIDENT),
        detect_required(text, Stage.MAINTENANCE_STARTED),
    )


@pytest.mark.parametrize(("unit", "tail"), HOSTILE)
def test_the_draft_checker_is_linear(unit, tail):
    assert growth(_check, unit, tail, small=2_000) < LINEAR_BOUND


def test_a_heading_line_of_spaces_is_linear():
    def headings(text: str) -> object:
        return required_content.heading_keys("Impact" + text)

    assert growth(headings, " ", "x", small=4_000) < LINEAR_BOUND


def test_durations_are_linear():
    def parse(text: str) -> None:
        with pytest.raises(ValueError):
            parse_duration(text)

    assert growth(parse, "1", "x") < LINEAR_BOUND


OLD_HEADING = re.compile(
    r"^\s*(?:[•\-*#>]+\s*)*[*_]*\s*(?P<label>[A-Za-z][A-Za-z'’ -]{0,40}?)\s*[*_]*\s*"
    r"(?P<sep>[:?]|—|–|$)\s*[*_]*\s*(?P<rest>.*)$"
)
OLD_BOUNDARY = re.compile(r"[.!?]+[\"')\]*_]*(?=\s)")
OLD_WORD_BEFORE = re.compile(r"([\w.]+)$")
OLD_PART = re.compile(r"(\d+)\s*([smhdw])")


@given(st.text(alphabet=" \t•-*#>_Ima:?—x'", max_size=24))
def test_heading_lines_match_exactly_as_before(line):
    old, new = OLD_HEADING.match(line), required_content._HEADING_LINE.match(line)
    assert (old and old.groupdict()) == (new and new.groupdict())


@given(st.text(alphabet=".!?\"')]*_ ax\n", max_size=30))
def test_sentence_boundaries_are_found_exactly_as_before(text):
    assert [m.span() for m in text_spans._BOUNDARY.finditer(text)] == [
        m.span() for m in OLD_BOUNDARY.finditer(text)
    ]
    assert (text_spans._WORD_BEFORE.search(text) or [None])[0] == (OLD_WORD_BEFORE.search(text) or [None])[0]


@given(st.text(alphabet="0123 smhx", max_size=20))
def test_duration_parts_are_read_exactly_as_before(text):
    assert _PART.findall(text) == OLD_PART.findall(text)


def _old_drop_overlapping(hits: list[Hit]) -> list[Hit]:
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if not any(k.kind == hit.kind and k.start < hit.end and hit.start < k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: (h.start, h.end, h.kind))


@given(st.lists(st.tuples(st.sampled_from("ab"), st.integers(0, 30), st.integers(1, 6)), max_size=14))
def test_overlapping_hits_are_dropped_exactly_as_before(spans):
    """drop_overlapping compares neighbours only (a draft of 4,000 "cannot"s is 4,000 tense hits)."""
    hits = [Hit(kind, start, start + length, "") for kind, start, length in spans]
    assert drop_overlapping(hits) == _old_drop_overlapping(hits)
