"""Typed links are text on every renderer, for any text; only `link()` makes a live link."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.chat.cards import strip_markers
from bot.chat.links import link, own_links, typed_as_text
from bot.chat.public_text import to_html, to_markdown, to_plain
from bot.export.cells import html_cell, md_cell
from handlers.slack.mrkdwn import to_mrkdwn
from handlers.teams.text import escape as teams_escape
from handlers.teams.text import to_teams

PIECES = ["[", "]", "(", ")", "<", ">", ":", " ", "\n", '"', "!", "https://evil.example/x", "label", "*", "_"]
typed = st.lists(st.sampled_from(PIECES), max_size=30).map("".join) | st.text(max_size=60)


@given(typed)
def test_no_typed_text_becomes_a_link_on_any_renderer(raw):
    text = strip_markers(raw)  # what every form does to its input
    assert "<http" not in to_mrkdwn(text)  # Slack links are `<url|label>`; user `<` is escaped
    for markdown in (to_teams(text), teams_escape(text), to_markdown(text), md_cell(text)):
        assert "](" not in markdown and "][" not in markdown and "]:" not in markdown
        assert "<a" not in markdown and "<http" not in markdown
    for html in (str(to_html(text)), str(html_cell(text))):
        assert "<a" not in html


def test_a_typed_link_reads_as_its_label_then_its_full_url():
    assert typed_as_text("[verify](https://evil.example/a)") == "verify (https://evil.example/a)"
    assert typed_as_text('[verify](<https://e.example> "t")') == "verify (https://e.example)"
    assert typed_as_text("[https://e.example](https://e.example)") == "https://e.example"
    assert typed_as_text("[ref][1]\n[1]: https://evil.example") == "[ref] [1]\n[1] : https://evil.example"


def test_the_bots_own_links_are_live_everywhere():
    own = f"Help: {link('https://support.example.com/a?b=1&c=2', 'support')}"
    assert to_mrkdwn(own) == "Help: <https://support.example.com/a?b=1&amp;c=2|support>"
    assert to_teams(own) == "Help: [support](https://support.example.com/a?b=1&amp;c=2)"
    assert str(to_html(own)) == '<p>Help: <a href="https://support.example.com/a?b=1&amp;c=2">support</a></p>'
    assert to_plain(own) == "Help: support (https://support.example.com/a?b=1&c=2)"
    assert to_markdown(own) == "Help: [support](https://support.example.com/a?b=1&amp;c=2)"


def test_only_http_links_are_ever_live():
    assert link("javascript:alert(1)", "click") == "click (javascript:alert(1))"
    assert to_mrkdwn(own_links("[portal](https://p.example) or [x](ftp://p.example)")) == (
        "<https://p.example|portal> or x (ftp://p.example)"
    )


def test_a_label_cannot_break_out_of_the_bots_link():
    shown = to_mrkdwn(link("https://p.example", "a|b>c"))
    assert shown == "<https://p.example|a/b&gt;c>"


def test_a_bare_url_in_the_bots_own_text_is_live_without_its_trailing_full_stop():
    route = own_links("Open a ticket at https://help.example.com/new?x=1. Or [call us](https://c.example).")
    assert to_mrkdwn(route) == (
        "Open a ticket at <https://help.example.com/new?x=1>. Or <https://c.example|call us>."
    )


def test_a_bar_in_the_policys_url_cannot_relabel_its_link_on_slack():
    shown = to_mrkdwn(
        own_links("Help: https://help.example.com/a|Reset-at-good.example and [x](https://h.example/b|y)")
    )
    assert "|Reset-at-good.example>" not in shown and "|y>" not in shown  # never a link's label
    assert shown.startswith("Help: <https://help.example.com/a>|Reset-at-good.example")


def test_emphasis_never_reaches_into_the_bots_urls():
    own = link("https://help.example.com/_new_/**x**", "help")
    assert 'href="https://help.example.com/_new_/**x**"' in str(to_html(f"_see_ {own}"))
    assert "<https://help.example.com/_new_/**x**|help>" in to_mrkdwn(f"**see** {own}")


def test_a_bang_before_the_bots_link_never_makes_it_an_image():
    for shown in (
        to_teams(f"Thanks!{link('https://h.example', 'Support')}"),
        to_markdown(f"Hi!{link('https://h.example')}"),
    ):
        assert "![" not in shown


def test_invisible_characters_cannot_disguise_a_typed_url():
    assert (
        strip_markers("https://evil.example\u200b.good.example \u202eXOT")
        == "https://evil.example.good.example XOT"
    )
    assert strip_markers("👩\u200d💻") == "👩\u200d💻"  # emoji sequences keep their joiner


def test_italics_take_linear_time_on_adversarial_text():
    assert to_plain(" _a" * 20000).count("_") == 20000  # quadratic before: seconds; now immediate
