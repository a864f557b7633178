from bot.chat.cards import mention
from bot.chat.links import link
from handlers.slack.mrkdwn import to_mrkdwn


def test_user_text_control_sequences_are_escaped():
    assert (
        to_mrkdwn("<!channel> & <@U1> <https://x|y>")
        == "&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;"
    )


def test_our_markup_becomes_slack_markup():
    assert (
        to_mrkdwn(f"**bold** {link('https://example.com/a', 'docs')}\n- item")
        == "*bold* <https://example.com/a|docs>\n• item"
    )


def test_a_typed_markdown_link_reads_as_its_label_and_full_url():
    assert to_mrkdwn("[docs](https://evil.example/a)") == "docs (https://evil.example/a)"


def test_deliberate_mentions_become_slack_mentions():
    assert to_mrkdwn(f"IC {mention('UALICE')}") == "IC <@UALICE>"
