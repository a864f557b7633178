"""Slack limits on message text."""

from bot.comms.findings import Hit


def find_length_overflow(text: str, max_length: int) -> list[Hit]:
    """One hit covering the characters beyond ``max_length`` (nothing when the text fits)."""
    if len(text) <= max_length:
        return []
    excess = len(text) - max_length
    suggestion = (
        f"Shorten the message by {excess} characters (limit {max_length} characters for one message section)."
    )
    return [Hit("length", max_length, len(text), suggestion)]
